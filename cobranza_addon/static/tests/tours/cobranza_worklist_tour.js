/** @odoo-module */

import {registry} from "@web/core/registry";

/**
 * A collector starts the day on the worklist, opens the customer whose call
 * is due, and logs the call from the customer collection view.
 */
registry.category("web_tour.tours").add("cobranza_worklist_tour", {
  url: "/odoo/action-cobranza_addon.cobranza_worklist_action",
  steps: () => [
    {
      content: "The call due is on the worklist, saying why",
      trigger: ".o_data_row:contains('Worklist Customer SA'):contains('Call or task due')",
    },
    {
      content: "The dispute waits for an answer too",
      trigger: ".o_data_row:contains('Worklist Customer SA'):contains('Dispute to answer')",
    },
    {
      content: "Open the customer's collection view",
      trigger:
        ".o_data_row:contains('Worklist Customer SA'):contains('Call or task due') button[name='action_open_customer']",
      run: "click",
    },
    {
      content: "The open items are listed with their aging",
      trigger:
        ".o_field_widget[name='cobranza_open_invoice_ids'] .o_data_row:contains('31-60')",
    },
    {
      content: "The next follow-up is announced",
      trigger: ".o_field_widget[name='cobranza_next_followup']:contains('Formal demand')",
    },
    {
      content: "Log a call",
      trigger: "button[name='action_cobranza_log_call']",
      run: "click",
    },
    {
      content: "Write what was said",
      trigger: ".modal .o_field_widget[name='note'] textarea",
      run: "edit Spoke with the treasurer: transfer next week",
    },
    {
      content: "Log it",
      trigger: ".modal button[name='action_log']",
      run: "click",
    },
    {
      content: "The call is in the customer's chatter",
      trigger: ".o-mail-Message-body:contains('Spoke with the treasurer')",
    },
  ],
});
