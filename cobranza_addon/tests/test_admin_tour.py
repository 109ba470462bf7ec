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
        from odoo.exceptions import ValidationError

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
        self.assertIn("20 días", str(error.exception))
        self.assertNotIn("days", str(error.exception))
