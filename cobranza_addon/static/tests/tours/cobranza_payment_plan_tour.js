/** @odoo-module */

import {registry} from "@web/core/registry";

/**
 * A credit manager agrees a 6-installment monthly plan with a 10 % reduction
 * with an overdue customer, approves it and emails the agreement.
 */
registry.category("web_tour.tours").add("cobranza_payment_plan_tour", {
  url: "/odoo/action-cobranza_addon.cobranza_payment_plan_action/new",
  steps: () => [
    {
      content: "Choose the overdue customer",
      trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
      run: "edit Plan Tour Debtor",
    },
    {
      content: "Pick the customer",
      trigger: ".o-autocomplete--dropdown-item a:contains('Plan Tour Debtor')",
      run: "click",
    },
    {
      content: "Search the first overdue invoice (order PO-TOUR-600)",
      trigger: ".o_field_widget[name='invoice_ids'] input",
      run: "edit PO-TOUR-600",
    },
    {
      content: "Add it",
      trigger: ".o-autocomplete--dropdown-item a:contains('PO-TOUR-600')",
      run: "click",
    },
    {
      content: "It is covered: 600.00",
      trigger: ".o_field_widget[name='amount_covered']:contains('600.00')",
    },
    {
      content: "Search the second overdue invoice (order PO-TOUR-400)",
      trigger: ".o_field_widget[name='invoice_ids'] input",
      run: "edit PO-TOUR-400",
    },
    {
      content: "Add it",
      trigger: ".o-autocomplete--dropdown-item a:contains('PO-TOUR-400')",
      run: "click",
    },
    {
      content: "Both invoices are covered: 1,000.00",
      trigger: ".o_field_widget[name='amount_covered']:contains('1,000.00')",
    },
    {
      content: "A reduction in percent",
      trigger: ".o_field_widget[name='reduction_type'] select",
      run: "selectByLabel Percentage",
    },
    {
      content: "Ten percent",
      trigger: ".o_field_widget[name='reduction_percent'] input",
      run: "edit 10 && press Tab",
    },
    {
      content: "Six installments",
      trigger: ".o_field_widget[name='installment_count'] input",
      run: "edit 6 && press Tab",
    },
    {
      content: "Monthly",
      trigger: ".o_field_widget[name='frequency'] select",
      run: "selectByLabel Monthly",
    },
    {
      content: "The customer pays 900.00",
      trigger: ".o_field_widget[name='amount_due']:contains('900.00')",
    },
    {
      content: "Six installments of 150.00",
      trigger:
        ".o_field_widget[name='line_ids'] .o_data_row:nth-child(6) .o_data_cell:contains('150.00')",
    },
    {
      content: "Send for approval (saves the plan)",
      trigger: "button[name='action_submit']",
      run: "click",
    },
    {
      content: "Approve",
      trigger:
        ".o_statusbar_status button[aria-checked='true']:contains('To approve'), button[name='action_approve']:visible",
    },
    {
      content: "Approve it as credit manager",
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
      content: "The composer has the agreement PDF",
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
