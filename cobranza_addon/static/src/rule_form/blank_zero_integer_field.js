/** @odoo-module **/
/*
 * An integer field that shows nothing for 0: the typed caps of a rule form
 * are at least 1 when set, and an Odoo integer holds 0 for "not set".
 */
import {IntegerField, integerField} from "@web/views/fields/integer/integer_field";
import {registry} from "@web/core/registry";

export class BlankZeroIntegerField extends IntegerField {
    get formattedValue() {
        return this.value ? super.formattedValue : "";
    }
}

export const blankZeroIntegerField = {
    ...integerField,
    component: BlankZeroIntegerField,
    isEmpty: (record, fieldName) => !record.data[fieldName],
};

registry.category("fields").add("cobranza_blank_zero", blankZeroIntegerField);
