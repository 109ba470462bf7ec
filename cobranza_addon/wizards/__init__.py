from . import cobranza_dispute_wizard
from . import cobranza_override_wizard
from . import mail_compose_message
from . import cobranza_call_outcome_wizard
from . import cobranza_call_wizard
from . import cobranza_case_event_wizard
from . import cobranza_certified_outcome_wizard
from . import sms_composer
