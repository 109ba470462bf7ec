#!/usr/bin/env python3
"""Generate the compliance-aware template set of Cobranza.

One ``mail.template`` (and, where the stage has one, one ``sms.template``) per
collection stage. The records hold the English source text and render in the
customer's language (``lang`` = ``{{ object.partner_id.lang }}``); the Spanish
texts ship as their translations: neutral Latin American Spanish in
``i18n/es.po`` (every Spanish locale loads it: es_419, es_MX, es_CO...) and
Spain's variants in ``i18n/es_ES.po`` (Odoo loads es.po, then es_ES.po, for a
customer in Spain). Each language has its own body, so each chooses its own
greeting (company, woman, man, person of unknown gender) and its singular or
plural sentences (``t-if`` on the number of invoices), never "(s)". Every body is built from tagged blocks
(``data-cobranza-block``) so the compliance rules can check content by tag.
Edit the texts here, then run::

    python3 tools/gen_template_data.py     # writes the data file
    python3 tools/gen_template_po.py       # installs it, writes the es PO fragment

and commit ``cobranza_addon/data/cobranza_template_set_data.xml``,
``cobranza_addon/i18n/es_template_set.po.fragment`` (merged into es.po) and
``cobranza_addon/i18n/es_ES.po``. The records are
``noupdate``: companies edit their copies in Odoo.

``translations()`` lists, for every record and translatable field, the English
value written to the data file and its Spanish versions: tools/gen_template_po.py
uses it to store the Spanish texts the way Odoo stores them.
"""

from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "cobranza_addon" / "data" / "cobranza_template_set_data.xml"

# Languages of the set. "es" is neutral Latin American Spanish (es.po, loaded
# for every Spanish locale: es_419, es_MX, es_CO...); "es_ES" overrides it for
# Spain where Spain says it differently (es_ES.po, loaded after es.po).
LANGS = ("en", "es", "es_ES")

# stage code: {lang: {key: text}}. Keys: name, subject, one, many (the
# message when the stage's invoices are one or several), sms (None: no SMS),
# scope (which invoices the message talks about: "upcoming", "overdue" or
# "all"). "es_ES" holds only what differs from "es".
STAGES = {
    "pre_due": {
        "scope": "upcoming",
        "en": {
            "name": "Pre-due reminder",
            "subject": "Upcoming due date - {company}",
            "one": "This is a friendly reminder that the invoice below falls due soon. "
            "If you have already arranged payment, please disregard this message.",
            "many": "This is a friendly reminder that the invoices below fall due soon. "
            "If you have already arranged payment, please disregard this message.",
            "sms": "{company}: a payment of {amount} falls due soon. Pay at {portal} Reply STOP to opt out.",
        },
        "es": {
            "name": "Recordatorio previo al vencimiento",
            "subject": "Próximo vencimiento - {company}",
            "one": "Le recordamos amablemente que la factura que se indica abajo vence pronto. "
            "Si ya programó el pago, haga caso omiso de este mensaje.",
            "many": "Le recordamos amablemente que las facturas que se indican abajo vencen pronto. "
            "Si ya programó el pago, haga caso omiso de este mensaje.",
            "sms": "{company}: pronto vence un pago de {amount}. Pague en {portal} Responda BAJA para no recibir SMS.",
        },
        "es_ES": {
            "one": "Le recordamos amablemente que la factura siguiente vence en breve. "
            "Si ya ha programado el pago, no tenga en cuenta este mensaje.",
            "many": "Le recordamos amablemente que las facturas siguientes vencen en breve. "
            "Si ya ha programado el pago, no tenga en cuenta este mensaje.",
            "sms": "{company}: en breve vence un pago de {amount}. Pague en {portal} Responda BAJA para no recibir SMS.",
        },
    },
    "due_today": {
        "scope": "upcoming",
        "en": {
            "name": "Due today",
            "subject": "Payment due today - {company}",
            "one": "The invoice below is due today. Thank you for arranging payment.",
            "many": "The invoices below are due today. Thank you for arranging payment.",
            "sms": "{company}: a payment of {amount} is due today. Pay at {portal} Reply STOP to opt out.",
        },
        "es": {
            "name": "Vence hoy",
            "subject": "Vencimiento de hoy - {company}",
            "one": "La factura que se indica abajo vence hoy. Le agradecemos que realice el pago.",
            "many": "Las facturas que se indican abajo vencen hoy. Le agradecemos que realice el pago.",
            "sms": "{company}: hoy vence un pago de {amount}. Pague en {portal} Responda BAJA para no recibir SMS.",
        },
        "es_ES": {
            "one": "La factura siguiente vence hoy. Le agradecemos que realice el pago.",
            "many": "Las facturas siguientes vencen hoy. Le agradecemos que realice el pago.",
        },
    },
    "overdue_friendly": {
        "scope": "overdue",
        "en": {
            "name": "First overdue reminder",
            "subject": "Payment reminder - {company}",
            "one": "According to our records the invoice below is past its due date. "
            "It may be an oversight: we would be grateful if you could pay it soon.",
            "many": "According to our records the invoices below are past their due date. "
            "It may be an oversight: we would be grateful if you could pay them soon.",
            "sms": "{company}: {amount} is past due. Please pay at {portal} or call us. Reply STOP to opt out.",
        },
        "es": {
            "name": "Primer recordatorio de pago vencido",
            "subject": "Recordatorio de pago - {company}",
            "one": "Según nuestros registros, la factura que se indica abajo ya venció. "
            "Puede tratarse de un olvido: le agradeceremos que la pague a la brevedad.",
            "many": "Según nuestros registros, las facturas que se indican abajo ya vencieron. "
            "Puede tratarse de un olvido: le agradeceremos que las pague a la brevedad.",
            "sms": "{company}: tiene un saldo vencido de {amount}. Pague en {portal} o llámenos. Responda BAJA para no recibir SMS.",
        },
        "es_ES": {
            "name": "Primer recordatorio de impago",
            "one": "Según nuestros registros, la factura siguiente ha superado su fecha de vencimiento. "
            "Puede tratarse de un olvido: le agradeceríamos que la abonara pronto.",
            "many": "Según nuestros registros, las facturas siguientes han superado su fecha de vencimiento. "
            "Puede tratarse de un olvido: le agradeceríamos que las abonara pronto.",
            "sms": "{company}: tiene {amount} pendiente de pago. Pague en {portal} o llámenos. Responda BAJA para no recibir SMS.",
        },
    },
    "overdue_firm": {
        "scope": "overdue",
        "en": {
            "name": "Second overdue reminder",
            "subject": "Second payment reminder - {company}",
            "one": "Despite our previous reminder, the invoice below remains unpaid. "
            "Please pay it within the next 7 days or contact us to agree on a solution.",
            "many": "Despite our previous reminder, the invoices below remain unpaid. "
            "Please pay them within the next 7 days or contact us to agree on a solution.",
            "sms": "{company}: {amount} remains unpaid. Please pay within 7 days at {portal} Reply STOP to opt out.",
        },
        "es": {
            "name": "Segundo recordatorio de pago vencido",
            "subject": "Segundo recordatorio de pago - {company}",
            "one": "A pesar de nuestro recordatorio anterior, la factura que se indica abajo sigue sin pagarse. "
            "Le pedimos que la pague en los próximos 7 días o que se comunique con nosotros para acordar una solución.",
            "many": "A pesar de nuestro recordatorio anterior, las facturas que se indican abajo siguen sin pagarse. "
            "Le pedimos que las pague en los próximos 7 días o que se comunique con nosotros para acordar una solución.",
            "sms": "{company}: su saldo vencido de {amount} sigue sin pagarse. Pague en los próximos 7 días en {portal} Responda BAJA para no recibir SMS.",
        },
        "es_ES": {
            "name": "Segundo recordatorio de impago",
            "one": "Pese a nuestro recordatorio anterior, la factura siguiente sigue pendiente. "
            "Le rogamos que la abone en los próximos 7 días o que se ponga en contacto con nosotros para acordar una solución.",
            "many": "Pese a nuestro recordatorio anterior, las facturas siguientes siguen pendientes. "
            "Le rogamos que las abone en los próximos 7 días o que se ponga en contacto con nosotros para acordar una solución.",
            "sms": "{company}: {amount} sigue pendiente. Pague en 7 días en {portal} Responda BAJA para no recibir SMS.",
        },
    },
    "formal_demand": {
        "scope": "overdue",
        "en": {
            "name": "Formal demand for payment",
            "subject": "Formal demand for payment - {company}",
            "one": "We formally request payment of the invoice below, which is overdue. "
            "Please pay it within 10 days of this letter.",
            "many": "We formally request payment of the invoices below, which are overdue. "
            "Please pay them within 10 days of this letter.",
            "sms": None,
        },
        "es": {
            "name": "Requerimiento formal de pago",
            "subject": "Requerimiento formal de pago - {company}",
            "one": "Por medio de la presente le requerimos formalmente el pago de la factura vencida que se indica abajo. "
            "Le solicitamos que la pague en un plazo de 10 días a partir de esta comunicación.",
            "many": "Por medio de la presente le requerimos formalmente el pago de las facturas vencidas que se indican abajo. "
            "Le solicitamos que las pague en un plazo de 10 días a partir de esta comunicación.",
            "sms": None,
        },
        "es_ES": {
            "one": "Le requerimos formalmente el pago de la factura siguiente, ya vencida. "
            "Le rogamos que la abone en el plazo de 10 días desde esta comunicación.",
            "many": "Le requerimos formalmente el pago de las facturas siguientes, ya vencidas. "
            "Le rogamos que las abone en el plazo de 10 días desde esta comunicación.",
        },
    },
    "bureau_notice": {
        "scope": "overdue",
        "en": {
            "name": "Notice before a credit bureau report",
            "subject": "Notice about your account - {company}",
            "one": "If the invoice below remains unpaid, we may report the debt to a credit bureau once the "
            "waiting period required by law has passed (at least 20 calendar days from this notice). "
            "You can avoid it by paying or by contacting us before then.",
            "many": "If the invoices below remain unpaid, we may report the debt to a credit bureau once the "
            "waiting period required by law has passed (at least 20 calendar days from this notice). "
            "You can avoid it by paying or by contacting us before then.",
            "sms": "{company}: {amount} is unpaid. We may report it to a credit bureau after the legal notice period. Reply STOP to opt out.",
        },
        "es": {
            "name": "Aviso previo al reporte a centrales de riesgo",
            "subject": "Aviso sobre su cuenta - {company}",
            "one": "Si la factura que se indica abajo no se paga, podremos reportar la deuda a una central de riesgo "
            "una vez transcurrido el plazo legal (al menos 20 días calendario desde este aviso). "
            "Puede evitarlo si paga o se comunica con nosotros antes.",
            "many": "Si las facturas que se indican abajo no se pagan, podremos reportar la deuda a una central de riesgo "
            "una vez transcurrido el plazo legal (al menos 20 días calendario desde este aviso). "
            "Puede evitarlo si paga o se comunica con nosotros antes.",
            "sms": "{company}: {amount} sigue sin pagarse. Podremos reportarlo a una central de riesgo tras el plazo legal. Responda BAJA para no recibir SMS.",
        },
        "es_ES": {
            "name": "Aviso previo a la comunicación a un sistema de información crediticia",
            "one": "Si la factura siguiente no se abona, podremos comunicar la deuda a un sistema de información crediticia "
            "una vez transcurrido el plazo legal (al menos 20 días naturales desde este aviso). "
            "Puede evitarlo pagando o poniéndose en contacto con nosotros antes.",
            "many": "Si las facturas siguientes no se abonan, podremos comunicar la deuda a un sistema de información crediticia "
            "una vez transcurrido el plazo legal (al menos 20 días naturales desde este aviso). "
            "Puede evitarlo pagando o poniéndose en contacto con nosotros antes.",
            "sms": "{company}: {amount} impagado. Podremos comunicarlo a un fichero de solvencia tras el plazo legal. Responda BAJA para no recibir SMS.",
        },
    },
    "final_notice": {
        "scope": "overdue",
        "en": {
            "name": "Final notice before legal action",
            "subject": "Last reminder before further steps - {company}",
            "one": "This is our last reminder. If the invoice below is not paid within 10 days, we may refer "
            "the matter to our lawyers so that they can take the lawful steps available to us.",
            "many": "This is our last reminder. If the invoices below are not paid within 10 days, we may refer "
            "the matter to our lawyers so that they can take the lawful steps available to us.",
            "sms": None,
        },
        "es": {
            "name": "Último aviso antes de acciones legales",
            "subject": "Último recordatorio - {company}",
            "one": "Este es nuestro último recordatorio. Si la factura que se indica abajo no se paga en un plazo de 10 días, "
            "podremos remitir el asunto a nuestros abogados para que ejerzan las acciones que la ley permite.",
            "many": "Este es nuestro último recordatorio. Si las facturas que se indican abajo no se pagan en un plazo de 10 días, "
            "podremos remitir el asunto a nuestros abogados para que ejerzan las acciones que la ley permite.",
            "sms": None,
        },
        "es_ES": {
            "one": "Este es nuestro último recordatorio. Si la factura siguiente no se abona en 10 días, "
            "podremos encargar el asunto a nuestros abogados para que ejerzan las acciones que la ley permite.",
            "many": "Este es nuestro último recordatorio. Si las facturas siguientes no se abonan en 10 días, "
            "podremos encargar el asunto a nuestros abogados para que ejerzan las acciones que la ley permite.",
        },
    },
    "plan_offer": {
        "scope": "all",
        "en": {
            "name": "Payment plan offer",
            "subject": "A payment plan for your balance - {company}",
            "one": "We understand that paying everything at once may be difficult. We can offer you a payment "
            "plan in installments for the invoice below: reply to this message or call us to agree on it.",
            "many": "We understand that paying everything at once may be difficult. We can offer you a payment "
            "plan in installments for the invoices below: reply to this message or call us to agree on it.",
            "sms": "{company}: we can offer you a payment plan for {amount}. Call us or reply. Reply STOP to opt out.",
        },
        "es": {
            "name": "Oferta de plan de pagos",
            "subject": "Un plan de pagos para su saldo - {company}",
            "one": "Entendemos que pagar todo de una vez puede resultar difícil. Podemos ofrecerle un plan de pagos "
            "en cuotas para la factura que se indica abajo: responda a este mensaje o llámenos para acordarlo.",
            "many": "Entendemos que pagar todo de una vez puede resultar difícil. Podemos ofrecerle un plan de pagos "
            "en cuotas para las facturas que se indican abajo: responda a este mensaje o llámenos para acordarlo.",
            "sms": "{company}: podemos ofrecerle un plan de pagos para {amount}. Llámenos. Responda BAJA para no recibir SMS.",
        },
        "es_ES": {
            "one": "Entendemos que pagar todo de una vez puede resultar difícil. Podemos ofrecerle un plan de pagos "
            "a plazos para la factura siguiente: responda a este mensaje o llámenos para acordarlo.",
            "many": "Entendemos que pagar todo de una vez puede resultar difícil. Podemos ofrecerle un plan de pagos "
            "a plazos para las facturas siguientes: responda a este mensaje o llámenos para acordarlo.",
        },
    },
    "agreement_confirmation": {
        "scope": "all",
        "en": {
            "name": "Agreement confirmation",
            "subject": "Your payment agreement - {company}",
            "one": "Thank you for agreeing on a payment schedule with us. This message confirms the agreement "
            "for the invoice below; please keep it for your records.",
            "many": "Thank you for agreeing on a payment schedule with us. This message confirms the agreement "
            "for the invoices below; please keep it for your records.",
            "sms": None,
        },
        "es": {
            "name": "Confirmación de acuerdo",
            "subject": "Su acuerdo de pago - {company}",
            "one": "Gracias por acordar un calendario de pagos con nosotros. Este mensaje confirma el acuerdo "
            "sobre la factura que se indica abajo; consérvelo para sus registros.",
            "many": "Gracias por acordar un calendario de pagos con nosotros. Este mensaje confirma el acuerdo "
            "sobre las facturas que se indican abajo; consérvelo para sus registros.",
            "sms": None,
        },
        "es_ES": {
            "one": "Gracias por acordar un calendario de pagos con nosotros. Este mensaje confirma el acuerdo "
            "sobre la factura siguiente; consérvelo para su archivo.",
            "many": "Gracias por acordar un calendario de pagos con nosotros. Este mensaje confirma el acuerdo "
            "sobre las facturas siguientes; consérvelo para su archivo.",
        },
    },
    "broken_agreement": {
        "scope": "all",
        "en": {
            "name": "Broken agreement",
            "subject": "Your payment agreement - {company}",
            "one": "We have not received the installment agreed for the invoice below. Please pay it within "
            "7 days or contact us, otherwise the agreement may be cancelled.",
            "many": "We have not received the installment agreed for the invoices below. Please pay it within "
            "7 days or contact us, otherwise the agreement may be cancelled.",
            "sms": "{company}: the agreed installment was not received. Please pay or call us. Reply STOP to opt out.",
        },
        "es": {
            "name": "Acuerdo incumplido",
            "subject": "Su acuerdo de pago - {company}",
            "one": "No hemos recibido la cuota acordada para la factura que se indica abajo. Le pedimos que la pague "
            "en un plazo de 7 días o que se comunique con nosotros; de lo contrario, el acuerdo podría quedar sin efecto.",
            "many": "No hemos recibido la cuota acordada para las facturas que se indican abajo. Le pedimos que la pague "
            "en un plazo de 7 días o que se comunique con nosotros; de lo contrario, el acuerdo podría quedar sin efecto.",
            "sms": "{company}: no recibimos la cuota acordada. Pague o llámenos. Responda BAJA para no recibir SMS.",
        },
        "es_ES": {
            "one": "No hemos recibido la cuota acordada para la factura siguiente. Le rogamos que la abone en "
            "7 días o que se ponga en contacto con nosotros; de lo contrario, el acuerdo podría quedar sin efecto.",
            "many": "No hemos recibido la cuota acordada para las facturas siguientes. Le rogamos que la abone en "
            "7 días o que se ponga en contacto con nosotros; de lo contrario, el acuerdo podría quedar sin efecto.",
            "sms": "{company}: no hemos recibido la cuota acordada. Pague o llámenos. Responda BAJA para no recibir SMS.",
        },
    },
    "thank_you": {
        "scope": "all",
        "en": {
            "name": "Thank you for your payment",
            "subject": "Thank you - {company}",
            "one": "We have received your payment. Thank you for your trust.",
            "many": "We have received your payment. Thank you for your trust.",
            "sms": "{company}: we received your payment. Thank you! Reply STOP to opt out.",
        },
        "es": {
            "name": "Gracias por su pago",
            "subject": "Gracias - {company}",
            "one": "Hemos recibido su pago. Gracias por su confianza.",
            "many": "Hemos recibido su pago. Gracias por su confianza.",
            "sms": "{company}: hemos recibido su pago. ¡Gracias! Responda BAJA para no recibir SMS.",
        },
        "es_ES": {},
    },
}

LABELS = {
    "en": {
        "company": "Dear Sir or Madam,",
        "female": "Dear {name},",
        "male": "Dear {name},",
        "person": "Dear {name},",
        "invoice": "Invoice",
        "due": "Due date",
        "days": "Days overdue",
        "amount": "Amount due",
        "overdue_one": "Overdue invoice",
        "overdue_many": "Overdue invoices",
        "upcoming_one": "Invoice not yet due",
        "upcoming_many": "Invoices not yet due",
        "total_overdue": "Total overdue",
        "total_upcoming": "Total not yet due",
        "total": "Total balance",
        "also_overdue_one": "The invoice listed as overdue is already past its due date: "
        "we would be grateful if you could pay it soon.",
        "also_overdue_many": "The invoices listed as overdue are already past their due date: "
        "we would be grateful if you could pay them soon.",
        "also_upcoming_one": "For your information, we also list the invoice that is not yet due.",
        "also_upcoming_many": "For your information, we also list the invoices that are not yet due.",
        "fee": "Collection fee",
        "interest": "Statutory late-payment interest",
        "compensation": "Fixed compensation",
        "pay_one": "You can see the invoice and pay it online, without creating an account, at",
        "pay_link": "this secure link",
        "pay_many": "You can see each invoice and pay it online, without creating an account: "
        "just click its number.",
        "regards": "Kind regards,",
        "phone": "Phone",
        "email": "Email",
        "creditor": "This message is sent by {company}, your creditor. If you believe you do not owe the "
        "amount shown, or have already paid it, please tell us and we will check it.",
        "miranda": "This is a communication from a debt collector. This is an attempt to collect a debt and any "
        "information obtained will be used for that purpose.",
        "optout": "If you prefer not to receive these messages by email, reply to this message and we will contact you by another channel.",
        "disclosure": "Debt collector msg. ",
    },
    "es": {
        "company": "Estimados señores:",
        "female": "Estimada {name}:",
        "male": "Estimado {name}:",
        # Gender unknown: the name alone, as formal letters do ("Lucía Fernández:").
        "person": "{name}:",
        "invoice": "Factura",
        "due": "Vencimiento",
        "days": "Días de atraso",
        "amount": "Monto pendiente",
        "overdue_one": "Factura vencida",
        "overdue_many": "Facturas vencidas",
        "upcoming_one": "Factura por vencer",
        "upcoming_many": "Facturas por vencer",
        "total_overdue": "Total vencido",
        "total_upcoming": "Total por vencer",
        "total": "Saldo total",
        "also_overdue_one": "La factura que aparece como vencida ya pasó su fecha de pago: "
        "le agradeceremos que la pague a la brevedad.",
        "also_overdue_many": "Las facturas que aparecen como vencidas ya pasaron su fecha de pago: "
        "le agradeceremos que las pague a la brevedad.",
        "also_upcoming_one": "Para su información, también incluimos la factura que aún no vence.",
        "also_upcoming_many": "Para su información, también incluimos las facturas que aún no vencen.",
        "fee": "Gastos de cobranza",
        "interest": "Intereses moratorios legales",
        "compensation": "Compensación fija",
        "pay_one": "Puede ver la factura y pagarla en línea, sin necesidad de crear una cuenta, en",
        "pay_link": "este enlace seguro",
        "pay_many": "Puede ver cada factura y pagarla en línea, sin necesidad de crear una cuenta: "
        "basta con hacer clic en su número.",
        "regards": "Atentamente,",
        "phone": "Teléfono",
        "email": "Correo electrónico",
        "creditor": "Este mensaje lo envía {company}, su acreedor. Si considera que no debe el monto indicado "
        "o que ya lo pagó, avísenos y lo revisaremos.",
        "miranda": "Esta comunicación proviene de una agencia de cobranza. Tiene por objeto el cobro de una deuda y "
        "la información obtenida se usará con ese fin.",
        "optout": "Si prefiere no recibir estos mensajes por correo electrónico, responda a este mensaje y nos "
        "comunicaremos con usted por otro medio.",
        "disclosure": "Msj. de agencia de cobranza. ",
    },
    "es_ES": {
        "days": "Días de retraso",
        "amount": "Importe pendiente",
        "upcoming_one": "Factura pendiente de vencimiento",
        "upcoming_many": "Facturas pendientes de vencimiento",
        "total_upcoming": "Total pendiente de vencimiento",
        "also_overdue_one": "La factura que figura como vencida ya ha superado su fecha de vencimiento: "
        "le agradeceríamos que la abonara lo antes posible.",
        "also_overdue_many": "Las facturas que figuran como vencidas ya han superado su fecha de vencimiento: "
        "le agradeceríamos que las abonara lo antes posible.",
        "also_upcoming_one": "Para su información, incluimos también la factura que todavía no ha vencido.",
        "also_upcoming_many": "Para su información, incluimos también las facturas que todavía no han vencido.",
        "fee": "Gastos de cobro",
        "interest": "Intereses legales de demora",
        "creditor": "Este mensaje lo envía {company}, su acreedor. Si considera que no debe el importe indicado "
        "o que ya lo ha pagado, indíquenoslo y lo revisaremos.",
        "miranda": "Esta comunicación procede de un gestor de cobros. Tiene por objeto el cobro de una deuda y "
        "la información obtenida se usará con ese fin.",
        "optout": "Si prefiere no recibir estos mensajes por correo electrónico, responda a este mensaje y "
        "le contactaremos por otro medio.",
        "disclosure": "Msj. de gestor de cobros. ",
    },
}


def label(lang, key):
    if lang == "es_ES":
        return LABELS["es_ES"].get(key, LABELS["es"][key])
    return LABELS[lang][key]


def stage_text(code, lang, key):
    stage = STAGES[code]
    if lang == "es_ES":
        return stage["es_ES"].get(key, stage["es"][key])
    return stage[lang][key]


COMPANY = "{{ object.company_id.name }}"
#: The amount an SMS names: the total of the invoices its stage is about.
AMOUNT = "{{{{ object._cobranza_amount_text('{scope}') }}}}"
PORTAL = "{{ object._cobranza_pay_url() }}"
NAME = '<t t-out="object._cobranza_addressee_name()">Lucía Fernández</t>'
TH = '<th style="text-align: {align}; padding: 4px;">{text}</th>'


def greeting(lang):
    """Company, woman, man or person of unknown gender, each as the
    language greets them (no "Estimado/a")."""

    def line(key):
        return escape(label(lang, key)).replace("{name}", NAME)

    return (
        '<p data-cobranza-block="greeting">'
        '<t t-set="addressee" t-value="object._cobranza_addressee()"/>'
        f"<t t-if=\"addressee == 'company'\">{line('company')}</t>"
        f"<t t-elif=\"addressee == 'female'\">{line('female')}</t>"
        f"<t t-elif=\"addressee == 'male'\">{line('male')}</t>"
        f'<t t-else="">{line("person")}</t></p>'
    )


def one_many(lang, key_one, key_many, count, text=None):
    """Singular or plural sentence, chosen by ``count`` (an expression)."""
    one = escape(text[0] if text else label(lang, key_one))
    many = escape(text[1] if text else label(lang, key_many))
    return f'<t t-if="{count} == 1">{one}</t><t t-else="">{many}</t>'


def message(code, lang):
    scope = STAGES[code]["scope"]
    about = {
        "upcoming": "upcoming",
        "overdue": "overdue",
        "all": "object.invoice_ids",
    }[scope]
    intro = (
        stage_text(code, lang, "one"),
        stage_text(code, lang, "many"),
    )
    out = [
        '<p data-cobranza-block="message">',
        f'<t t-if="{about}">{one_many(lang, None, None, f"len({about})", intro)}</t>',
    ]
    if scope == "upcoming":
        out.append(
            '<t t-if="overdue"> '
            + one_many(lang, "also_overdue_one", "also_overdue_many", "len(overdue)")
            + "</t>"
        )
    elif scope == "overdue":
        out.append(
            '<t t-if="upcoming"> '
            + one_many(lang, "also_upcoming_one", "also_upcoming_many", "len(upcoming)")
            + "</t>"
        )
    out.append("</p>")
    return "".join(out)


def table(lang, rows, with_days):
    heads = [("left", "invoice"), ("left", "due")]
    if with_days:
        heads.append(("right", "days"))
    heads.append(("right", "amount"))
    head = "\n".join(
        "            " + TH.format(align=align, text=label(lang, key))
        for align, key in heads
    )
    days = (
        '            <td style="text-align: right; padding: 4px;" '
        't-out="object._cobranza_days_late(inv)">10</td>\n'
        if with_days
        else ""
    )
    return f"""<table style="border-collapse: collapse; width: 100%; margin: 4px 0 8px 0;">
    <thead>
        <tr style="border-bottom: 1px solid #999;">
{head}
        </tr>
    </thead>
    <tbody>
        <tr t-foreach="{rows}" t-as="inv" style="border-bottom: 1px solid #ddd;">
            <td style="padding: 4px;"><a t-att-href="object._cobranza_pay_url(inv)" t-out="inv.name or ''">INV/2026/0001</a></td>
            <td style="padding: 4px;" t-out="format_date(inv.invoice_date_due)">01/01/2026</td>
{days}            <td style="text-align: right; padding: 4px;" t-out="format_amount(inv.amount_residual, inv.currency_id)">$ 100.00</td>
        </tr>
    </tbody>
</table>"""


def totals(lang, rows, key):
    return (
        f'<p t-foreach="object._cobranza_totals({rows})" t-as="total"><strong>'
        f"{label(lang, key)}: "
        '<t t-out="format_amount(total[1], total[0])">$ 100.00</t></strong></p>'
    )


def section(lang, rows, key, with_days):
    return f"""<t t-if="{rows}">
<p style="margin: 12px 0 0 0;"><strong>{one_many(lang, key + '_one', key + '_many', f'len({rows})')}</strong></p>
{table(lang, rows, with_days)}
{totals(lang, rows, 'total_' + key)}
</t>"""


def body(code, lang):
    company_out = "<t t-out=\"object.company_id.name or ''\">YourCompany</t>"
    return f"""<div>
<t t-set="overdue" t-value="object._cobranza_overdue_invoices()"/>
<t t-set="upcoming" t-value="object._cobranza_upcoming_invoices()"/>
{greeting(lang)}
{message(code, lang)}
<div data-cobranza-block="amount_due amount_breakdown contract_reference">
{section(lang, 'overdue', 'overdue', True)}
{section(lang, 'upcoming', 'upcoming', False)}
<t t-if="overdue and upcoming">{totals(lang, 'object.invoice_ids', 'total')}</t>
</div>
<div data-cobranza-block="fees_interest">
<p t-if="object.fee_amount">{label(lang, 'fee')}: <t t-out="format_amount(object.fee_amount, object.currency_id)">$ 5.00</t></p>
<p t-if="object.interest_amount">{label(lang, 'interest')}: <t t-out="format_amount(object.interest_amount, object.currency_id)">$ 1.00</t></p>
<p t-if="object.compensation_amount">{label(lang, 'compensation')}: <t t-out="format_amount(object.compensation_amount, object.currency_id)">$ 40.00</t></p>
</div>
<p data-cobranza-block="payment_terms payment_link"><t t-if="len(object.invoice_ids) == 1">{escape(label(lang, 'pay_one'))} <a t-att-href="object._cobranza_pay_url(object.invoice_ids)">{escape(label(lang, 'pay_link'))}</a>.</t><t t-else="">{escape(label(lang, 'pay_many'))}</t></p>
<p data-cobranza-block="mandatory_disclosure creditor_identity">{escape(label(lang, 'creditor')).replace('{company}', company_out)}</p>
<p data-cobranza-block="mini_miranda debt_collector_disclosure" t-if="object.company_id.cobranza_actor_type != 'creditor'">{escape(label(lang, 'miranda'))}</p>
<p data-cobranza-block="collector_identity collector_contact">{label(lang, 'regards')}<br />
<t t-out="object.collector_id.name or object.company_id.name or ''">YourCompany</t><br />
<t t-out="object.company_id.name or ''">YourCompany</t><br />
<t t-if="object.company_id.phone">{label(lang, 'phone')}: <t t-out="object.company_id.phone or ''">+1 555</t><br /></t>
<t t-if="object.company_id.email">{label(lang, 'email')}: <t t-out="object.company_id.email or ''">billing@example.com</t></t></p>
<p data-cobranza-block="opt_out" style="font-size: 9pt; color: #666;">{escape(label(lang, 'optout'))}</p>
</div>"""


NAME_PREFIX = {"en": "Collections", "es": "Cobranza", "es_ES": "Cobranza"}


def sms_text(lang, sms, scope):
    # Agencies and debt buyers must say who they are (US-MIRANDA).
    disclosure = (
        "{{ '"
        + label(lang, "disclosure")
        + "' if object.company_id.cobranza_actor_type != 'creditor' else '' }}"
    )
    amount = AMOUNT.format(scope=scope)
    return disclosure + sms.format(company=COMPANY, amount=amount, portal=PORTAL)


def texts(code, lang):
    """{(model, xmlid, field): value} of stage ``code`` in ``lang``."""
    name = stage_text(code, lang, "name")
    subject = stage_text(code, lang, "subject")
    sms = stage_text(code, lang, "sms")
    mail = f"mail_template_cobranza_{code}"
    vals = {
        ("mail.template", mail, "name"): f"{NAME_PREFIX[lang]}: {name}",
        ("mail.template", mail, "subject"): subject.format(company=COMPANY),
        # As the data file carries it: the whitespace around the outer <div>
        # keeps Odoo's sanitizer from unwrapping it on save.
        ("mail.template", mail, "body_html"): f"\n{body(code, lang)}\n        ",
    }
    if sms:
        sms_id = f"sms_template_cobranza_{code}"
        vals[("sms.template", sms_id, "name")] = f"{NAME_PREFIX[lang]}: SMS {name}"
        vals[("sms.template", sms_id, "body")] = sms_text(
            lang, sms, STAGES[code]["scope"]
        )
    return vals


def translations():
    """[(model, xmlid, field, english, spanish, spain)] of the whole set:
    ``spanish`` is neutral Latin American Spanish (es.po), ``spain`` the
    text for Spain (es_ES.po, only written where it differs)."""
    rows = []
    for code in STAGES:
        es, es_es = texts(code, "es"), texts(code, "es_ES")
        for key, en_value in texts(code, "en").items():
            rows.append((*key, en_value, es[key], es_es[key]))
    return rows


def main():
    out = [
        '<?xml version="1.0" encoding="utf-8" ?>\n',
        "<!-- Generated by tools/gen_template_data.py. Edit the script, not this file.\n"
        "     English source; the Spanish texts are translations (i18n/es.po). -->\n",
        '<odoo noupdate="1">\n',
    ]
    for code in STAGES:
        en = texts(code, "en")
        mail = f"mail_template_cobranza_{code}"
        out.append(f'    <record id="{mail}" model="mail.template">\n')
        out.append(
            f'        <field name="name">{escape(en["mail.template", mail, "name"])}</field>\n'
        )
        out.append('        <field name="model_id" ref="model_cobranza_action" />\n')
        out.append(
            f'        <field name="subject">{escape(en["mail.template", mail, "subject"])}</field>\n'
        )
        out.append(
            '        <field name="email_from">{{ (object.company_id.email_formatted or user.email_formatted) }}</field>\n'
        )
        out.append(
            '        <field name="partner_to">{{ object.partner_id.id }}</field>\n'
        )
        out.append('        <field name="lang">{{ object.partner_id.lang }}</field>\n')
        out.append('        <field name="auto_delete" eval="False" />\n')
        out.append(f'        <field name="cobranza_stage_code">{code}</field>\n')
        out.append(
            '        <field name="body_html" type="html">'
            f'{en["mail.template", mail, "body_html"]}</field>\n'
        )
        out.append("    </record>\n")
        sms = f"sms_template_cobranza_{code}"
        if ("sms.template", sms, "body") in en:
            out.append(f'    <record id="{sms}" model="sms.template">\n')
            out.append(
                f'        <field name="name">{escape(en["sms.template", sms, "name"])}</field>\n'
            )
            out.append(
                '        <field name="model_id" ref="model_cobranza_action" />\n'
            )
            out.append(
                f'        <field name="body">{escape(en["sms.template", sms, "body"])}</field>\n'
            )
            out.append(
                '        <field name="lang">{{ object.partner_id.lang }}</field>\n'
            )
            out.append(f'        <field name="cobranza_stage_code">{code}</field>\n')
            out.append(
                '        <field name="cobranza_block_tags">creditor_identity, amount_due, opt_out, debt_collector_disclosure</field>\n'
            )
            out.append("    </record>\n")
    out.append("</odoo>\n")
    OUT.write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
