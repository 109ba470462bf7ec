from . import test_payment_plan
from . import test_promise
from . import test_plan_portal
