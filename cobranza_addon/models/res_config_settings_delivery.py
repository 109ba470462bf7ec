from odoo import fields, models

from .cobranza_run_delivery import DEFAULT_CHUNK_SIZE, DEFAULT_PDF_CHUNK_SIZE
from .cobranza_run_preview import DEFAULT_CHUNK_INVOICES, DEFAULT_INLINE_INVOICES


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
        help="At most this many PDFs (invoices not rendered yet, statements "
        "of account) in one chunk: each takes about 2 seconds to render. The "
        "chunk's letters are rendered together: twenty count as one PDF, and "
        "so do fifty actions.",
    )
    cobranza_preview_inline_invoices = fields.Integer(
        string="Open invoices previewed at once",
        config_parameter="cobranza.preview_inline_invoices",
        default=DEFAULT_INLINE_INVOICES,
        help="Up to this many open invoices the preview runs while you wait; "
        "above, it is prepared in the background in ranges of customers.",
    )
    cobranza_preview_chunk_invoices = fields.Integer(
        string="Open invoices per preview chunk",
        config_parameter="cobranza.preview_chunk_invoices",
        default=DEFAULT_CHUNK_INVOICES,
        help="Open invoices planned in one transaction of a background preview.",
    )
