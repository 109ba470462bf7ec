from datetime import date, datetime, timedelta
from pathlib import Path
from unittest.mock import patch

import polib
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.translate import PYTHON_TRANSLATION_COMMENT, code_translations

from ..cobranza_core import compliance
from .common import TODAY
from .test_compliance_run import CompliancePartners


def es_po_code_translations():
    """The code translations of ``i18n/es.po`` as written. Odoo reads a .po
    merged with the module's .pot, which the coordinator regenerates after
    merging: until then new entries would read as obsolete."""
    path = Path(__file__).parents[1] / "i18n" / "es.po"
    return {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(path))
        if PYTHON_TRANSLATION_COMMENT in entry.comment and entry.msgstr
    }


@tagged("post_install", "-at_install")
class TestLegalParams(CompliancePartners):
    def param(self, country, kind):
        return self.env["cobranza.legal.param"].search(
            [("country", "=", country), ("kind", "=", kind)]
        )

    def test_shipped_values_with_source_and_periods_to_fill(self):
        smmlv = self.param("CO", "minimum_wage")
        known = smmlv.filtered(lambda p: not p.to_fill)
        self.assertEqual(
            known.filtered(lambda p: p.date_from == date(2025, 1, 1)).value, 1423500
        )
        self.assertTrue(all(known.mapped("source")))
        self.assertTrue(
            smmlv.filtered(lambda p: p.to_fill and p.date_from == date(2026, 1, 1))
        )
        values = self.env["cobranza.legal.param"]._core_values(["CO-DC"])
        self.assertEqual({v.country for v in values}, {"CO"})

    def test_rule_shows_parameter_out_of_date(self):
        rule = self.env["cobranza.rule"].search(
            [("rule_code", "=", "CO-HD-NOTICE"), ("kind", "=", "waiting_period")]
        )
        with freeze_time("2025-06-01"):
            rule.invalidate_recordset(["param_warning"])
            self.assertFalse(rule.param_warning)
        with freeze_time(TODAY):
            rule.invalidate_recordset(["param_warning"])
            self.assertIn("Parameter out of date", rule.param_warning)
            self.assertIn("CO", rule.param_warning)

    def test_daily_check_gives_the_administrators_an_activity(self):
        Param = self.env["cobranza.legal.param"]
        self.param("CL", "uf").unlink()  # nothing known at all
        with freeze_time(TODAY):
            Param._cron_check_freshness()
            Param._cron_check_freshness()  # no duplicates
        todo = self.param("CO", "minimum_wage").filtered(
            lambda p: p.to_fill and p.date_from == date(2026, 1, 1)
        )
        activity = todo.activity_ids.filtered(lambda a: a.user_id == self.env.user)
        self.assertEqual(len(activity), 1)
        self.assertIn("Minimum wage", activity.summary)
        # A kind with no value at all gets a period to fill, with its activity.
        uf = self.param("CL", "uf")
        self.assertTrue(uf.to_fill and uf.activity_ids)
        self.assertEqual(uf.date_from, date(2026, 3, 1))
        # Filling the value clears the warning on the next check.
        todo.write({"to_fill": False, "value": 1750000})
        with freeze_time(TODAY):
            stale = {(f.country, f.kind) for f in Param._out_of_date()}
        self.assertNotIn(("CO", "minimum_wage"), stale)

    def test_collectors_read_administrators_edit(self):
        smmlv = self.param("CO", "minimum_wage")[:1]
        smmlv.with_user(self.collector).read(["value"])
        with self.assertRaises(AccessError):
            smmlv.with_user(self.collector).write({"value": 1})

    def test_run_uses_the_last_known_value_and_flags_the_action(self):
        """CL-FEES needs the UF: only January 2026 is entered; in March the
        run uses it and says so on the action."""
        january = self.param("CL", "uf")
        self.assertTrue(january.to_fill, "shipped as a period to fill")
        january.write({"to_fill": False, "value": 39000})
        self.invoice(self.cl_debtor, 1000, TODAY - timedelta(days=50))
        with freeze_time(datetime(2026, 3, 16, 15, 0)):
            run = self.run_followup()
        actions = self.action_of(run, self.cl_debtor)
        rules = ",".join(filter(None, actions.mapped("compliance_rules")))
        self.assertNotIn("CL-FEES", rules)
        warning = "\n".join(filter(None, actions.mapped("compliance_param_warning")))
        self.assertIn("Parameter out of date", warning)
        self.assertIn("UF", warning)

    def test_reasons_are_rendered_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        reason = compliance.Reason(
            "CO-HD-NOTICE",
            "warn",
            "parameter out of date: minimum_wage CO",
            "Ley 1266",
            "param_stale",
            (("country", "CO"), ("kind", "minimum_wage"), ("on", "2026-03-16"),
             ("since", "2025-01-01")),
        )  # fmt: skip
        Message = self.env["cobranza.compliance.message"]
        english = Message.with_context(lang="en_US")._render(reason)
        with patch.dict(
            code_translations.python_translations,
            {("cobranza_addon", "es_ES"): es_po_code_translations()},
        ):
            spanish = Message.with_context(lang="es_ES")._render(reason)
        self.assertIn("Parameter out of date", english)
        self.assertIn("Parámetro desactualizado", spanish)
        self.assertNotIn("out of date", spanish)
        # Dates as the user writes them, never as the core's ISO strings.
        self.assertIn("03/16/2026", english)
        self.assertIn("16/03/2026", spanish)
        self.assertIn("01/01/2025", spanish)
        self.assertNotIn("2026-03-16", spanish)
        # Every code the core emits has a sentence here.
        for code in (
            "hours_outside",
            "freq_limit",
            "wait_until",
            "wait_two_notices",
            "param_missing",
            "content_missing",
            "stopped",
            "fee_over_cap",
        ):
            self.assertTrue(hasattr(Message, f"_render_{code}"), code)
