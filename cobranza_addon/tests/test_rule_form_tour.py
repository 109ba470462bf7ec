from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestRuleFormCapsTour(HttpCase):
    def test_an_unset_cap_shows_empty(self):
        """In the browser: an unset cap integer is empty, not 0."""
        rule = self.env["cobranza.rule"].search(
            [("rule_code", "=", "CO-FREQ"), ("kind", "=", "frequency_cap")]
        )
        self.assertEqual((rule.cap_limit, rule.cap2_limit), (1, 0))
        self.start_tour(
            f"/odoo/action-cobranza_addon.cobranza_rule_action/{rule.id}",
            "cobranza_rule_caps_tour",
            login="admin",
        )
