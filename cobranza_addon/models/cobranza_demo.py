from odoo import api, models


class CobranzaDemo(models.AbstractModel):
    _name = "cobranza.demo"
    _description = "Collections demo book"

    @api.model
    def _load_demo_book(self):
        return True
