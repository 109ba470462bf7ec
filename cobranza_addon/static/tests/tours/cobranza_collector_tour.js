/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("cobranza_collector_tour", {
  url: "/odoo/action-cobranza_addon.cobranza_invoice_action",
  steps: () => [
    {
      content: "The overdue invoice is in the list",
      trigger: ".o_data_row td.o_data_cell:contains('Tour Customer SA')",
      run: "click",
    },
    {
      content: "The invoice form is open",
      trigger: ".o_form_view .o_notebook",
    },
    {
      content: "Open the Collection tab of the invoice",
      trigger: ".o_notebook a.nav-link:contains('Collection')",
      run: "click",
    },
    {
      content: "Ten days overdue",
      trigger: ".o_field_widget[name='cobranza_days_overdue']:contains('10')",
    },
    {
      content: "Open the Collections menu",
      trigger: ".o_menu_sections button:contains('Collections')",
      run: "click",
    },
    {
      content: "Go to the runs",
      trigger: ".dropdown-item:contains('Runs')",
      run: "click",
    },
    {
      content: "Start a new run",
      trigger: ".o_list_button_add",
      run: "click",
    },
    {
      content: "Preview it",
      trigger: "button[name='action_preview']",
      run: "click",
    },
    {
      content: "The customer is proposed",
      trigger:
        ".o_field_one2many[name='action_ids'] .o_data_row:contains('Tour Customer SA')",
    },
    {
      content: "Send",
      trigger: "button[name='action_send']",
      run: "click",
    },
    {
      content: "Confirm",
      trigger: ".modal-footer button.btn-primary",
      run: "click",
    },
    {
      content: "The run is being sent in the background",
      trigger: ".o_statusbar_status button[aria-checked='true']:contains('Sending')",
    },
    {
      content: "The chatter of the run is there",
      trigger: ".o-mail-Chatter",
    },
  ],
});
