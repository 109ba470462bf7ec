/** @odoo-module */

import {registry} from "@web/core/registry";

/**
 * A customer opens its payment plan on the portal and pays the next
 * installment through the invoice's payment form.
 */
registry.category("web_tour.tours").add("cobranza_portal_tour", {
  url: "/my/payment_plans",
  steps: () => [
    {
      content: "Open the payment plan",
      trigger: "a[href*='/my/payment_plans/']",
      run: "click",
    },
    {
      content: "Pay the next installment",
      trigger: "a.o_plan_pay_next",
      run: "click",
    },
    {
      content: "The payment dialog offers the installment's amount",
      trigger: "#pay_with .o_payment_form",
    },
    {
      content: "Choose the payment method",
      trigger: "#pay_with input[name='o_payment_radio'][data-provider-code='none']",
      run: "click",
    },
    {
      content: "Pay",
      trigger: "#pay_with button[name='o_payment_submit_button']:enabled",
      run: "click",
    },
    {
      content: "The payment is being processed",
      trigger: "[name='o_payment_status'], #o_payment_status_alert",
      // Creating the transaction renders the invoice: give a busy machine time.
      timeout: 60000,
    },
  ],
});
