from odoo import fields, models

from .cobranza_run_delivery import DEFAULT_CHUNK_SIZE, DEFAULT_PDF_CHUNK_SIZE


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cobranza_delivery_chunk_size = fields.Integer(
        string="Actions per delivery chunk",
        config_parameter="cobranza.delivery_chunk_size",
        default=DEFAULT_CHUNK_SIZE,
        help="Actions delivered in one transaction. Keep each chunk well under "
        "the workers' time limit.",
    )
    cobranza_delivery_pdf_chunk_size = fields.Integer(
        string="PDFs per delivery chunk",
        config_parameter="cobranza.delivery_pdf_chunk_size",
        default=DEFAULT_PDF_CHUNK_SIZE,
        help="At most this many PDFs (invoices not rendered yet, letters) "
        "in one chunk: each takes about 2 seconds to render.",
    )
