"""The stage ladder: the run moves invoices forward only, and respects a
collector's or manager's manual move."""

from contextlib import contextmanager

from odoo import api, fields, models
from odoo.tools import SQL

#: Put in the context by the run's own stage moves (Python only: a client
#: sending JSON cannot produce this object, so it cannot pass off a manual
#: move as the run's).
RUN_STAGE_MOVE = object()
#: Put in the context by the run when it writes only collection fields
#: (same reasoning: a client cannot produce it).
COLLECTION_FIELDS_ONLY = object()


class AccountMove(models.Model):
    _inherit = "account.move"

    cobranza_stage_manual = fields.Boolean(
        string="Stage set by hand",
        compute="_compute_cobranza_stage_manual",
        store=True,
        readonly=True,
        copy=False,
        help="A collector or manager moved this invoice on the stage ladder. "
        "The follow-up run never moves it back, and moves it further forward "
        "only if the company allows it.",
    )

    def init(self):
        res = super().init()
        # The run reads open invoices customer by customer (keyset pages).
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS account_move_cobranza_gather_idx "
                "ON account_move (company_id, commercial_partner_id, id) "
                "WHERE cobranza_in_collection AND move_type = 'out_invoice' "
                "AND state = 'posted'"
            )
        )
        return res

    @api.depends("cobranza_in_collection")
    def _compute_cobranza_stage_manual(self):
        # Paying or settling takes the invoice out of the ladder.
        for move in self:
            move.cobranza_stage_manual = (
                move.cobranza_in_collection and move.cobranza_stage_manual
            )

    def write(self, vals):
        by_run = self.env.context.get("cobranza_stage_by") is RUN_STAGE_MOVE
        if "cobranza_stage_manual" in vals and not (by_run or self.env.su):
            vals = {k: v for k, v in vals.items() if k != "cobranza_stage_manual"}
        if "cobranza_stage_id" in vals and not by_run:
            vals = {**vals, "cobranza_stage_manual": bool(vals["cobranza_stage_id"])}
        return super().write(vals)

    def _cobranza_run_write(self, vals):
        """The run's own write of levels and stages (not a manual move).

        Only collection fields change, so the invoice's journal items need no
        resynchronisation and the invoice is not "manually modified": the
        write skips Odoo's line synchronisation (about 0.16 s per call on a
        real book), which is what made delivery slow.
        """
        ctx = {"cobranza_stage_by": RUN_STAGE_MOVE}
        if all(name.startswith("cobranza_") for name in vals):
            ctx.update(
                cobranza_fields_only=COLLECTION_FIELDS_ONLY,
                skip_is_manually_modified=True,
            )
        return self.with_context(**ctx).write(vals)

    @contextmanager
    def _sync_dynamic_lines(self, container):
        if self.env.context.get("cobranza_fields_only") is COLLECTION_FIELDS_ONLY:
            yield
            return
        with super()._sync_dynamic_lines(container):
            yield


class ResCompany(models.Model):
    _inherit = "res.company"

    cobranza_forward_after_manual = fields.Boolean(
        string="Run moves manually staged invoices forward",
        default=True,
        help="When a collector or manager moved an invoice on the stage "
        "ladder by hand, the follow-up run never moves it back. Checked: the "
        "run may still move it further forward when a later level is sent. "
        "Unchecked: only a person moves it from then on.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cobranza_forward_after_manual = fields.Boolean(
        related="company_id.cobranza_forward_after_manual", readonly=False
    )
