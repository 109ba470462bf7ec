from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CobranzaCommon


@tagged("post_install", "-at_install")
class TestPolicyConfig(CobranzaCommon):
    def test_policy_without_levels_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "at least one level"):
            self.env["cobranza.policy"].create({"name": "Empty"})

    def test_duplicate_offsets_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "same offset"):
            self.policy.write(
                {
                    "level_ids": [
                        Command.create(
                            {
                                "name": "Again",
                                "offset_days": 5,
                                "mail_template_id": self.tmpl_friendly.id,
                            }
                        )
                    ]
                }
            )

    def test_channel_without_template_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "no template"):
            self.level_friendly.sms_template_id = False
        with self.assertRaisesRegex(ValidationError, "no template"):
            self.level_call.use_letter = True

    def test_segment_policy_applies_to_matching_customers(self):
        segment = self.policy.copy(
            {
                "name": "Key accounts",
                "partner_domain": "[('name', 'ilike', 'Andina')]",
                "level_ids": [
                    Command.create(
                        {
                            "name": "Key account call",
                            "offset_days": 1,
                            "use_email": False,
                            "use_activity": True,
                        }
                    )
                ],
            }
        )
        run = self.env["cobranza.run"].create({"company_id": self.company.id})
        mapping = run._partner_policies()
        self.assertEqual(mapping, {})
        self.invoice(self.customer, 10, self.today())
        self.invoice(self.customer_no_email, 10, self.today())
        mapping = run._partner_policies()
        self.assertEqual(mapping[self.customer.id], segment.id)
        self.assertEqual(mapping[self.customer_no_email.id], self.policy.id)
        self.customer_no_email.with_company(self.company).cobranza_policy_id = segment
        self.assertEqual(run._partner_policies()[self.customer_no_email.id], segment.id)

    def test_invalid_segment_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid filter"):
            self.policy.partner_domain = "[('no_such_field', '=', 1)]"
