/** @odoo-module */

import {registry} from "@web/core/registry";

/**
 * The administrator creates a follow-up policy with its levels in one go:
 * the level dialog needs no saved policy, and the policy is saved once.
 */
function addLevel(name, days) {
  return [
    {
      content: `Add the level ${name}`,
      trigger: ".o_field_one2many[name='level_ids'] .o_field_x2many_list_row_add a",
      run: "click",
    },
    {
      content: "The level dialog does not ask for a policy",
      trigger: ".modal .o_form_view:not(:has(.o_field_widget[name='policy_id']))",
    },
    {
      content: "Name the level",
      trigger: ".modal .o_field_widget[name='name'] input",
      run: `edit ${name}`,
    },
    {
      content: "Days from the due date",
      trigger: ".modal .o_field_widget[name='offset_days'] input",
      run: `edit ${days}`,
    },
    {
      content: "No email for this level",
      trigger: ".modal .o_field_widget[name='use_email'] input:checked",
      run: "click",
    },
    {
      content: "A call task instead",
      trigger: ".modal .o_field_widget[name='use_activity'] input:not(:checked)",
      run: "click",
    },
    {
      content: "Keep the level",
      trigger: ".modal .o_form_button_save",
      run: "click",
    },
    {
      content: "The level is in the list",
      trigger: `.o_field_one2many[name='level_ids'] .o_data_row:contains('${name}')`,
    },
  ];
}

registry.category("web_tour.tours").add("cobranza_admin_policy_tour", {
  url: "/odoo/action-cobranza_addon.cobranza_policy_action",
  steps: () => [
    {
      content: "New policy",
      trigger: ".o_list_button_add",
      run: "click",
    },
    {
      content: "Name it",
      trigger: ".o_field_widget[name='name'] input",
      run: "edit Tour policy",
    },
    ...addLevel("First call", "10"),
    ...addLevel("Second call", "30"),
    {
      content: "Save the policy and its levels at once",
      trigger: ".o_form_button_save",
      run: "click",
    },
    {
      content: "Saved",
      trigger: ".o_form_view .o_form_saved",
    },
  ],
});
