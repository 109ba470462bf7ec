from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAdminPolicyTour(HttpCase):
    def test_admin_creates_a_policy_with_its_levels(self):
        """In the browser: a new policy and two levels, saved in one go."""
        self.start_tour(
            "/odoo/action-cobranza_addon.cobranza_policy_action",
            "cobranza_admin_policy_tour",
            login="admin",
        )
        policy = self.env["cobranza.policy"].search([("name", "=", "Tour policy")])
        self.assertEqual(len(policy), 1)
        self.assertEqual(
            policy.level_ids.sorted("offset_days").mapped("name"),
            ["First call", "Second call"],
        )
        self.assertTrue(all(policy.level_ids.mapped("use_activity")))

    def test_offset_error_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        policy = self.env["cobranza.policy"].with_context(lang="es_ES")
        with self.assertRaises(ValidationError) as error:
            policy.create(
                {
                    "name": "Twice",
                    "level_ids": [
                        (
                            0,
                            0,
                            {
                                "name": n,
                                "offset_days": 20,
                                "use_email": False,
                                "use_activity": True,
                            },
                        )
                        for n in ("A", "B")
                    ],
                }
            )
        # one translatable sentence, the number inside it: no English
        # fragment such as "(20 days)" glued to a Spanish sentence
        env = policy.env
        reason = env._("two levels use the same offset of %(days)s days.", days=20)
        self.assertIn(reason, str(error.exception))
        self.assertIn(
            env._(
                "Policy %(policy)s cannot be saved: %(reason)s",
                policy="Twice",
                reason=reason,
            ),
            str(error.exception),
        )
