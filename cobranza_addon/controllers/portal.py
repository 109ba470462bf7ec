from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

#: What a customer sees of their plans: drafts stay internal.
PORTAL_STATES = ("active", "completed", "broken")


class CobranzaPortal(CustomerPortal):
    def _cobranza_plan_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [
            ("partner_id", "child_of", partner.ids),
            ("state", "in", PORTAL_STATES),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "cobranza_plan_count" in counters:
            Plan = request.env["cobranza.payment.plan"]
            values["cobranza_plan_count"] = (
                Plan.search_count(self._cobranza_plan_domain())
                if Plan.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/payment_plans", "/my/payment_plans/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_payment_plans(self, page=1, **kw):
        Plan = request.env["cobranza.payment.plan"]
        domain = self._cobranza_plan_domain()
        count = Plan.search_count(domain) if Plan.has_access("read") else 0
        pager = portal_pager(
            url="/my/payment_plans", total=count, page=page, step=self._items_per_page
        )
        plans = (
            Plan.search(
                domain,
                order="id desc",
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if count
            else Plan
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "plans": plans,
                "page_name": "cobranza_payment_plan",
                "pager": pager,
                "default_url": "/my/payment_plans",
            }
        )
        return request.render("cobranza_addon.portal_my_payment_plans", values)

    @http.route(
        ["/my/payment_plans/<int:plan_id>"], type="http", auth="public", website=True
    )
    def portal_my_payment_plan(
        self, plan_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            plan_sudo = self._document_check_access(
                "cobranza.payment.plan", plan_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if plan_sudo.state not in PORTAL_STATES:
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=plan_sudo,
                report_type=report_type,
                report_ref="cobranza_addon.action_report_cobranza_payment_plan",
                download=download,
            )
        values = self._get_page_view_values(
            plan_sudo,
            access_token,
            {
                "plan": plan_sudo,
                "page_name": "cobranza_payment_plan",
                "pay_url": plan_sudo._portal_pay_url(),
            },
            "my_payment_plans_history",
            False,
        )
        return request.render("cobranza_addon.portal_my_payment_plan", values)
