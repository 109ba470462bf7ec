"""Run the pure core's doctests inside Odoo's runner, so CI coverage sees them."""

import doctest

from odoo.tests import BaseCase, tagged

from ..cobranza_core import aging, followup


@tagged("post_install", "-at_install")
class TestCoreDoctests(BaseCase):
    def test_doctests(self):
        for module in (aging, followup):
            result = doctest.testmod(
                module, optionflags=doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL
            )
            self.assertGreater(result.attempted, 0, module.__name__)
            self.assertEqual(result.failed, 0, module.__name__)
