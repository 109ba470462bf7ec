from . import cobranza_dispute_wizard
from . import cobranza_override_wizard
