/** @odoo-module */

import {registry} from "@web/core/registry";

/**
 * A credit manager approves the plan a collector negotiated, then sends the
 * agreement: the button only appears once the plan is approved.
 */
registry.category("web_tour.tours").add("cobranza_manager_tour", {
  url: "/odoo/action-cobranza_addon.cobranza_payment_plan_action",
  steps: () => [
    {
      content: "Open the plan waiting for approval",
      trigger: ".o_data_row td.o_data_cell:contains('Manager Tour Debtor')",
      run: "click",
    },
    {
      content: "Before approval there is no agreement to send",
      trigger:
        ".o_form_view:not(:has(button[name='action_send_agreement'])) button[name='action_approve']",
    },
    {
      content: "Approve it",
      trigger: "button[name='action_approve']",
      run: "click",
    },
    {
      content: "The plan is active",
      trigger: ".o_statusbar_status button[aria-checked='true']:contains('Active')",
    },
    {
      content: "Send the agreement",
      trigger: "button[name='action_send_agreement']",
      run: "click",
    },
    {
      content: "The composer says what it sends",
      trigger: ".modal .modal-title:contains('Send the payment agreement')",
    },
    {
      content: "The agreement PDF is attached",
      trigger:
        ".modal .o_field_widget[name='attachment_ids']:contains('Payment agreement')",
    },
    {
      content: "Send",
      trigger: ".modal button.o_mail_send:contains('Send')",
      run: "click",
    },
    {
      content: "The agreement is in the chatter",
      trigger:
        ".o-mail-Message-body:contains('Please find attached the payment agreement')",
    },
  ],
});
