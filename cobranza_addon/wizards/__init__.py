from . import cobranza_dispute_wizard
