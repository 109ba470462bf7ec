from odoo import fields, models


class CobranzaLevel(models.Model):
    _inherit = "cobranza.level"

    certified_letter = fields.Boolean(
        string="Send as certified letter",
        help="This level's letter goes as a certified letter (burofax, carta "
        "certificada, carta notarial, certified mail): when the run delivers "
        "it, a draft certified letter is prepared for the print room to "
        "complete with the carrier and the tracking number.",
    )
