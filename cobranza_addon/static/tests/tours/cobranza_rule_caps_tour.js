/** @odoo-module */

import {registry} from "@web/core/registry";

/**
 * A frequency rule whose second cap counts channels only (CO-FREQ): its
 * contact limit is not set and shows empty, not 0.
 */
registry.category("web_tour.tours").add("cobranza_rule_caps_tour", {
  steps: () => [
    {
      content: "The channel limit of the second cap shows",
      trigger: ".o_field_widget[name='cap2_max_channels'] input:value(/^1$/)",
    },
    {
      content: "The contact limit of the second cap is not set: empty",
      trigger: ".o_field_widget[name='cap2_limit'] input:value(/^$/)",
    },
    {
      content: "A limit that is set shows",
      trigger: ".o_field_widget[name='cap_limit'] input:value(/^1$/)",
    },
  ],
});
