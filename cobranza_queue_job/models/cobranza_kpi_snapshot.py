from odoo import api, fields, models

from odoo.addons.cobranza_addon.models.cobranza_lang import in_user_lang
from odoo.addons.queue_job.job import identity_exact


class CobranzaKpiSnapshot(models.Model):
    _inherit = "cobranza.kpi.snapshot"

    @api.model
    def _cron_take_snapshot(self):
        """Daily: one job per company instead of every company in one
        transaction. Taking a snapshot is idempotent per day and company."""
        self = in_user_lang(self)
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].sudo().search([]):
            self.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "Collections: KPI snapshot of %(company)s", company=company.name
                ),
            )._cobranza_job_take_snapshot(today, company.id)

    @api.model
    def _cobranza_job_take_snapshot(self, day, company_id):
        companies = self.env["res.company"].sudo().browse(company_id).exists()
        return len(self._take_snapshot(day, companies))
