import json

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .test_compliance_run import CompliancePartners


@tagged("post_install", "-at_install")
class TestRuleFormCaps(CompliancePartners):
    """Rules with two frequency caps edited through typed fields (issue 11)."""

    def rule(self, code):
        return self.env["cobranza.rule"].search(
            [("rule_code", "=", code), ("kind", "=", "frequency_cap")]
        )

    def core_params(self, code, jurisdiction):
        rules = self.env["cobranza.rule"]._core_rules(self.company, [jurisdiction])
        (rule,) = (r for r in rules if r.rule_id == code and r.kind == "frequency_cap")
        return rule.params

    def test_co_freq_second_cap_edited_and_seen_by_the_engine(self):
        rule = self.rule("CO-FREQ")
        self.assertTrue(rule.params_simple)
        self.assertEqual(rule.cap_count, 2)
        # 1 contact per day; 1 distinct channel per calendar week
        self.assertEqual((rule.cap_limit, rule.cap_window), (1, "day"))
        self.assertEqual(
            (rule.cap2_max_channels, rule.cap2_window, rule.cap2_limit),
            (1, "calendar_week", 0),
        )
        self.assertEqual(rule.cap_counts_label, "only effective contacts")
        self.assertEqual(rule.cap2_counts_label, "only effective contacts")
        before = json.loads(rule.params)

        with Form(rule) as form:
            form.cap2_max_channels = 2

        params = json.loads(rule.params)
        self.assertEqual(params["caps"][0], before["caps"][0])
        self.assertEqual(
            params["caps"][1],
            {
                "window": {"type": "calendar_week"},
                "max_distinct_channels": 2,
                "count_tags": ["effective_contact"],
            },
        )
        self.assertEqual(params["note"], before["note"])
        engine = self.core_params("CO-FREQ", "CO")
        self.assertEqual(engine["caps"][1]["max_distinct_channels"], 2)
        self.assertEqual(engine["caps"][1]["count_tags"], ["effective_contact"])

    def test_one_field_saved_on_a_cold_cache_keeps_the_others(self):
        """A web client saves only the changed field, in a fresh request."""
        rule = self.rule("CO-FREQ")
        before = json.loads(rule.params)
        rule.invalidate_recordset()
        rule.write({"cap2_limit": 3})
        params = json.loads(rule.params)
        self.assertEqual(params["caps"][0], before["caps"][0])
        self.assertEqual(params["caps"][1], {**before["caps"][1], "limit": 3})
        hours = self.env["cobranza.rule"].search(
            [("rule_code", "=", "CO-HOURS"), ("kind", "=", "time_window")]
        )
        weekdays = (hours.hours_weekdays_from, hours.hours_weekdays_to)
        channels = hours.channels
        hours.invalidate_recordset()
        hours.write({"hours_saturday_to": 14.0})
        self.assertEqual((hours.hours_weekdays_from, hours.hours_weekdays_to), weekdays)
        self.assertEqual(hours.hours_saturday_to, 14.0)
        self.assertEqual(hours.channels, channels)

    def test_gap_only_cap_and_single_cap_keep_their_shape(self):
        other = self.rule("CL-FREQ-OTHER")
        self.assertEqual((other.cap2_window, other.cap2_min_gap_hours), ("none", 48))
        other.cap2_min_gap_hours = 72
        self.assertEqual(json.loads(other.params)["caps"][1], {"min_gap_hours": 72})
        self.assertEqual(
            self.core_params("CL-FREQ-OTHER", "CL")["caps"][1], {"min_gap_hours": 72}
        )

        voice = self.rule("CL-FREQ-VOICE")
        self.assertEqual(voice.cap_count, 1)
        voice.write({"cap_limit": 2, "cap2_limit": 5})
        params = json.loads(voice.params)
        self.assertNotIn("caps", params)
        self.assertEqual(params["limit"], 2)

    def test_three_caps_stay_json_only(self):
        rule = self.rule("US-FREQ")
        three = json.loads(rule.params)
        three["caps"].append({"min_gap_hours": 4})
        rule.params = json.dumps(three)
        self.assertFalse(rule.params_simple)
        rule.cap2_limit = 3
        self.assertEqual(json.loads(rule.params), three)

    def test_collectors_cannot_edit_a_cap(self):
        rule = self.rule("CO-FREQ")
        self.assertEqual(rule.with_user(self.collector).cap2_max_channels, 1)
        with self.assertRaises(AccessError):
            rule.with_user(self.collector).write({"cap2_max_channels": 3})
        with self.assertRaises(AccessError):
            rule.with_user(self.manager).write({"cap2_max_channels": 3})
        self.assertEqual(json.loads(rule.params)["caps"][1]["max_distinct_channels"], 1)

    def test_an_unset_cap_integer_shows_empty_and_stays_unset(self):
        """A cap integer is at least 1 when set: the 0 an Odoo integer holds
        for "not set" is shown empty, and saving it keeps the key absent."""
        arch = self.env.ref("cobranza_addon.cobranza_rule_view_form").arch
        for name in ("cap_limit", "cap_max_channels", "cap_min_gap_hours"):
            for prefix in ("cap_", "cap2_"):
                field = name.replace("cap_", prefix, 1)
                self.assertIn(f'name="{field}"', arch)
        self.assertEqual(arch.count('widget="cobranza_blank_zero"'), 6)
        rule = self.rule("CO-FREQ")
        before = json.loads(rule.params)
        self.assertNotIn("limit", before["caps"][1])
        self.assertEqual(rule.cap2_limit, 0)
        with Form(rule) as form:
            form.cap2_limit = 0
            form.cap_min_gap_hours = 0
        self.assertEqual(json.loads(rule.params), before)
