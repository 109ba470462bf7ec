#!/usr/bin/env python3
"""Generate the compliance-aware template set of Cobranza.

One ``mail.template`` (and, where the stage has one, one ``sms.template``) per
collection stage. The records hold the English source text and render in the
customer's language (``lang`` = ``{{ object.partner_id.lang }}``); the Spanish
texts ship as their translations. Every body is built from tagged blocks
(``data-cobranza-block``) so the compliance rules can check content by tag.
Edit the texts here, then run::

    python3 tools/gen_template_data.py     # writes the data file
    python3 tools/gen_template_po.py       # installs it, writes the es PO fragment

and commit ``cobranza_addon/data/cobranza_template_set_data.xml`` and
``cobranza_addon/i18n/es_template_set.po.fragment``. The records are
``noupdate``: companies edit their copies in Odoo.

``translations()`` lists, for every record and translatable field, the English
value written to the data file and its Spanish version: tools/gen_template_po.py
uses it to store the Spanish texts the way Odoo stores them.
"""

from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "cobranza_addon" / "data" / "cobranza_template_set_data.xml"

# stage code: {lang: (name, subject, intro, sms or None)}
STAGES = {
    "pre_due": {
        "en": (
            "Pre-due reminder",
            "Upcoming due date - {company}",
            "This is a friendly reminder that the invoices below fall due soon. "
            "If you have already arranged payment, please disregard this message.",
            "{company}: invoices for {amount} fall due soon. Pay at {portal} Reply STOP to opt out.",
        ),
        "es": (
            "Recordatorio previo al vencimiento",
            "Próximo vencimiento - {company}",
            "Le recordamos amablemente que las facturas siguientes vencen en breve. "
            "Si ya ha programado el pago, no tenga en cuenta este mensaje.",
            "{company}: sus facturas por {amount} vencen pronto. Pague en {portal} Responda BAJA para no recibir SMS.",
        ),
    },
    "due_today": {
        "en": (
            "Due today",
            "Invoices due today - {company}",
            "The invoices below are due today. Thank you for arranging payment.",
            "{company}: {amount} is due today. Pay at {portal} Reply STOP to opt out.",
        ),
        "es": (
            "Vence hoy",
            "Facturas que vencen hoy - {company}",
            "Las facturas siguientes vencen hoy. Le agradecemos que realice el pago.",
            "{company}: hoy vence el pago de {amount}. Pague en {portal} Responda BAJA para no recibir SMS.",
        ),
    },
    "overdue_friendly": {
        "en": (
            "First overdue reminder",
            "Payment reminder - {company}",
            "According to our records the invoices below are past their due date. "
            "It may be an oversight: we would be grateful if you could pay them soon.",
            "{company}: {amount} is past due. Please pay at {portal} or call us. Reply STOP to opt out.",
        ),
        "es": (
            "Primer recordatorio de impago",
            "Recordatorio de pago - {company}",
            "Según nuestros registros, las facturas siguientes han superado su fecha de vencimiento. "
            "Puede tratarse de un olvido: le agradeceríamos que las abonara pronto.",
            "{company}: tiene {amount} pendiente. Pague en {portal} o llámenos. Responda BAJA para no recibir SMS.",
        ),
    },
    "overdue_firm": {
        "en": (
            "Second overdue reminder",
            "Second payment reminder - {company}",
            "Despite our previous reminder, the invoices below remain unpaid. "
            "Please pay them within the next 7 days or contact us to agree on a solution.",
            "{company}: {amount} remains unpaid. Please pay within 7 days at {portal} Reply STOP to opt out.",
        ),
        "es": (
            "Segundo recordatorio de impago",
            "Segundo recordatorio de pago - {company}",
            "Pese a nuestro recordatorio anterior, las facturas siguientes siguen pendientes. "
            "Le rogamos que las abone en los próximos 7 días o que nos contacte para acordar una solución.",
            "{company}: {amount} sigue pendiente. Pague en 7 días en {portal} Responda BAJA para no recibir SMS.",
        ),
    },
    "formal_demand": {
        "en": (
            "Formal demand for payment",
            "Formal demand for payment - {company}",
            "We formally request payment of the amounts below, which are overdue. "
            "Please pay within 10 days of this letter.",
            None,
        ),
        "es": (
            "Requerimiento formal de pago",
            "Requerimiento formal de pago - {company}",
            "Le requerimos formalmente el pago de los importes siguientes, ya vencidos. "
            "Le rogamos que los abone en el plazo de 10 días desde esta comunicación.",
            None,
        ),
    },
    "bureau_notice": {
        "en": (
            "Notice before a credit bureau report",
            "Notice about your account - {company}",
            "If the amounts below remain unpaid, we may report the debt to a credit bureau once the "
            "waiting period required by law has passed (at least 20 calendar days from this notice). "
            "You can avoid it by paying or by contacting us before then.",
            "{company}: {amount} is unpaid. We may report it to a credit bureau after the legal notice period. Reply STOP to opt out.",
        ),
        "es": (
            "Aviso previo al reporte a centrales de riesgo",
            "Aviso sobre su cuenta - {company}",
            "Si los importes siguientes no se abonan, podremos reportar la deuda a una central de información "
            "crediticia una vez transcurrido el plazo legal (al menos 20 días calendario desde este aviso). "
            "Puede evitarlo pagando o contactándonos antes.",
            "{company}: {amount} impagado. Podremos reportarlo a una central de riesgo tras el plazo legal. Responda BAJA para no recibir SMS.",
        ),
    },
    "final_notice": {
        "en": (
            "Final notice before legal action",
            "Last reminder before further steps - {company}",
            "This is our last reminder. If the amounts below are not paid within 10 days, we may refer "
            "the matter to our lawyers so that they can take the lawful steps available to us.",
            None,
        ),
        "es": (
            "Último aviso antes de acciones legales",
            "Último recordatorio - {company}",
            "Este es nuestro último recordatorio. Si los importes siguientes no se abonan en 10 días, "
            "podremos encargar el asunto a nuestros abogados para que ejerzan las acciones que la ley permite.",
            None,
        ),
    },
    "plan_offer": {
        "en": (
            "Payment plan offer",
            "A payment plan for your invoices - {company}",
            "We understand that paying everything at once may be difficult. We can offer you a payment "
            "plan in instalments: reply to this message or call us to agree on it.",
            "{company}: we can offer you a payment plan for {amount}. Call us or reply. Reply STOP to opt out.",
        ),
        "es": (
            "Oferta de plan de pagos",
            "Un plan de pagos para sus facturas - {company}",
            "Entendemos que pagar todo de una vez puede resultar difícil. Podemos ofrecerle un plan de pagos "
            "a plazos: responda a este mensaje o llámenos para acordarlo.",
            "{company}: podemos ofrecerle un plan de pagos para {amount}. Llámenos. Responda BAJA para no recibir SMS.",
        ),
    },
    "agreement_confirmation": {
        "en": (
            "Agreement confirmation",
            "Your payment agreement - {company}",
            "Thank you for agreeing on a payment schedule with us. This message confirms the agreement "
            "for the invoices below; please keep it for your records.",
            None,
        ),
        "es": (
            "Confirmación de acuerdo",
            "Su acuerdo de pago - {company}",
            "Gracias por acordar un calendario de pagos con nosotros. Este mensaje confirma el acuerdo "
            "sobre las facturas siguientes; consérvelo para su control.",
            None,
        ),
    },
    "broken_agreement": {
        "en": (
            "Broken agreement",
            "Your payment agreement - {company}",
            "We have not received the instalment agreed for the invoices below. Please pay it within "
            "7 days or contact us, otherwise the agreement may be cancelled.",
            "{company}: the agreed instalment was not received. Please pay or call us. Reply STOP to opt out.",
        ),
        "es": (
            "Acuerdo incumplido",
            "Su acuerdo de pago - {company}",
            "No hemos recibido la cuota acordada para las facturas siguientes. Le rogamos que la abone en "
            "7 días o que nos contacte; de lo contrario, el acuerdo podría quedar sin efecto.",
            "{company}: no recibimos la cuota acordada. Pague o llámenos. Responda BAJA para no recibir SMS.",
        ),
    },
    "thank_you": {
        "en": (
            "Thank you for your payment",
            "Thank you - {company}",
            "We have received your payment. Thank you for your trust.",
            "{company}: we received your payment. Thank you! Reply STOP to opt out.",
        ),
        "es": (
            "Gracias por su pago",
            "Gracias - {company}",
            "Hemos recibido su pago. Gracias por su confianza.",
            "{company}: hemos recibido su pago. ¡Gracias! Responda BAJA para no recibir SMS.",
        ),
    },
}

LABELS = {
    "en": {
        "dear": "Dear",
        "invoice": "Invoice",
        "due": "Due date",
        "days": "Days overdue",
        "amount": "Amount due",
        "total": "Total due",
        "fee": "Collection fee",
        "interest": "Statutory late-payment interest",
        "compensation": "Fixed compensation",
        "pay": "You can see your invoices and pay online at",
        "portal": "your customer portal",
        "regards": "Kind regards,",
        "phone": "Phone",
        "email": "Email",
        "creditor": "This message is sent by {company}, your creditor, about the invoices listed above. "
        "If you believe you do not owe this amount, or have already paid it, please tell us and we will check it.",
        "miranda": "This is a communication from a debt collector. This is an attempt to collect a debt and any "
        "information obtained will be used for that purpose.",
        "optout": "If you prefer not to receive these messages by email, reply to this message and we will contact you by another channel.",
    },
    "es": {
        "dear": "Estimado/a",
        "invoice": "Factura",
        "due": "Vencimiento",
        "days": "Días de retraso",
        "amount": "Importe pendiente",
        "total": "Total pendiente",
        "fee": "Gastos de cobro",
        "interest": "Intereses legales de demora",
        "compensation": "Compensación fija",
        "pay": "Puede consultar sus facturas y pagar en línea en",
        "portal": "su portal de cliente",
        "regards": "Atentamente,",
        "phone": "Teléfono",
        "email": "Correo",
        "creditor": "Este mensaje lo envía {company}, su acreedor, sobre las facturas indicadas. "
        "Si considera que no debe este importe o ya lo ha pagado, indíquenoslo y lo revisaremos.",
        "miranda": "Esta comunicación procede de un gestor de cobros. Tiene por objeto el cobro de una deuda y "
        "la información obtenida se usará con ese fin.",
        "optout": "Si prefiere no recibir estos mensajes por correo electrónico, responda a este mensaje y le contactaremos por otro medio.",
    },
}

COMPANY = "{{ object.company_id.name }}"
AMOUNT = "{{ format_amount(object.amount_due, object.currency_id) }}"
PORTAL = "{{ object._portal_url() }}"
DISCLOSURE = {
    "en": "{{ 'Debt collector msg. ' if object.company_id.cobranza_actor_type != 'creditor' else '' }}",
    "es": "{{ 'Msj. de gestor de cobros. ' if object.company_id.cobranza_actor_type != 'creditor' else '' }}",
}


def body(lang, intro):
    L = LABELS[lang]
    company_out = "<t t-out=\"object.company_id.name or ''\">YourCompany</t>"
    return f"""<div>
<p data-cobranza-block="greeting">{L['dear']} <t t-out="object.partner_id.name or ''">Customer</t>,</p>
<p data-cobranza-block="message">{escape(intro)}</p>
<div data-cobranza-block="amount_due amount_breakdown contract_reference">
<table style="border-collapse: collapse; width: 100%; margin: 12px 0;">
    <thead>
        <tr style="border-bottom: 1px solid #999;">
            <th style="text-align: left; padding: 4px;">{L['invoice']}</th>
            <th style="text-align: left; padding: 4px;">{L['due']}</th>
            <th style="text-align: right; padding: 4px;">{L['days']}</th>
            <th style="text-align: right; padding: 4px;">{L['amount']}</th>
        </tr>
    </thead>
    <tbody>
        <tr t-foreach="object._invoices_sorted()" t-as="inv" style="border-bottom: 1px solid #ddd;">
            <td style="padding: 4px;" t-out="inv.name or ''">INV/2026/0001</td>
            <td style="padding: 4px;" t-out="format_date(inv.invoice_date_due)">01/01/2026</td>
            <td style="text-align: right; padding: 4px;" t-out="inv.cobranza_days_overdue">10</td>
            <td style="text-align: right; padding: 4px;" t-out="format_amount(inv.amount_residual, inv.currency_id)">$ 100.00</td>
        </tr>
    </tbody>
</table>
<p t-foreach="object._totals_by_currency()" t-as="total"><strong>{L['total']}: <t t-out="format_amount(total[1], total[0])">$ 100.00</t></strong></p>
</div>
<div data-cobranza-block="fees_interest">
<p t-if="object.fee_amount">{L['fee']}: <t t-out="format_amount(object.fee_amount, object.currency_id)">$ 5.00</t></p>
<p t-if="object.interest_amount">{L['interest']}: <t t-out="format_amount(object.interest_amount, object.currency_id)">$ 1.00</t></p>
<p t-if="object.compensation_amount">{L['compensation']}: <t t-out="format_amount(object.compensation_amount, object.currency_id)">$ 40.00</t></p>
</div>
<p data-cobranza-block="payment_terms payment_link">{L['pay']} <a t-att-href="object._portal_url()">{L['portal']}</a>.</p>
<p data-cobranza-block="mandatory_disclosure creditor_identity">{escape(L['creditor']).replace('{company}', company_out)}</p>
<p data-cobranza-block="mini_miranda debt_collector_disclosure" t-if="object.company_id.cobranza_actor_type != 'creditor'">{escape(L['miranda'])}</p>
<p data-cobranza-block="collector_identity collector_contact">{L['regards']}<br />
<t t-out="object.collector_id.name or object.company_id.name or ''">YourCompany</t><br />
<t t-out="object.company_id.name or ''">YourCompany</t><br />
<t t-if="object.company_id.phone">{L['phone']}: <t t-out="object.company_id.phone or ''">+1 555</t><br /></t>
<t t-if="object.company_id.email">{L['email']}: <t t-out="object.company_id.email or ''">billing@example.com</t></t></p>
<p data-cobranza-block="opt_out" style="font-size: 9pt; color: #666;">{escape(L['optout'])}</p>
</div>"""


NAME_PREFIX = {"en": "Collections", "es": "Cobranza"}


def sms_text(lang, sms):
    # Agencies and debt buyers must say who they are (US-MIRANDA).
    return DISCLOSURE[lang] + sms.format(company=COMPANY, amount=AMOUNT, portal=PORTAL)


def texts(code, lang):
    """{(model, xmlid, field): value} of stage ``code`` in ``lang``."""
    name, subject, intro, sms = STAGES[code][lang]
    mail = f"mail_template_cobranza_{code}"
    vals = {
        ("mail.template", mail, "name"): f"{NAME_PREFIX[lang]}: {name}",
        ("mail.template", mail, "subject"): subject.format(company=COMPANY),
        # As the data file carries it: the whitespace around the outer <div>
        # keeps Odoo's sanitizer from unwrapping it on save.
        ("mail.template", mail, "body_html"): f"\n{body(lang, intro)}\n        ",
    }
    if sms:
        sms_id = f"sms_template_cobranza_{code}"
        vals[("sms.template", sms_id, "name")] = f"{NAME_PREFIX[lang]}: SMS {name}"
        vals[("sms.template", sms_id, "body")] = sms_text(lang, sms)
    return vals


def translations():
    """[(model, xmlid, field, english, spanish)] of the whole set."""
    rows = []
    for code in STAGES:
        es = texts(code, "es")
        for key, en_value in texts(code, "en").items():
            rows.append((*key, en_value, es[key]))
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
