from . import test_payment_plan
