/** @odoo-module **/
import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {formatFloat} from "@web/core/utils/numbers";
import {formatMonetary} from "@web/views/fields/formatters";
import {Layout} from "@web/search/layout";
import {useSetupAction} from "@web/search/action_hook";

/**
 * Collections > Dashboard: the KPIs of a period, aging by customer,
 * collector, stage and segment, recovery after each level, collector
 * performance and the 12-month trend. Every figure comes from
 * cobranza.kpi.dashboard.get_dashboard_data and drills down to invoices.
 */
export class CobranzaKpiDashboard extends Component {
  static template = "cobranza_addon.KpiDashboard";
  static components = {Layout};
  static props = ["*"];

  setup() {
    this.orm = useService("orm");
    this.actionService = useService("action");
    // Filters and tabs survive a drill-down and the way back (breadcrumbs),
    // and may come from the action's context (cobranza_filters).
    const saved = this.props.state || {};
    const context = (this.props.action && this.props.action.context) || {};
    this.state = useState({
      data: null,
      filters: {...(context.cobranza_filters || {}), ...(saved.filters || {})},
      agingTab: saved.agingTab || "collector",
      recoveryTab: saved.recoveryTab || "level",
      loading: true,
    });
    useSetupAction({
      getLocalState: () => ({
        filters: {...this.state.filters},
        agingTab: this.state.agingTab,
        recoveryTab: this.state.recoveryTab,
      }),
    });
    onWillStart(() => this.load());
  }

  async load() {
    this.state.loading = true;
    this.state.data = await this.orm.call(
      "cobranza.kpi.dashboard",
      "get_dashboard_data",
      [this.state.filters]
    );
    this.state.filters = {...this.state.data.filters};
    if (this.state.agingTab === "customer") {
      await this.loadCustomers();
    }
    this.state.loading = false;
  }

  async loadCustomers() {
    this.state.data.aging.customer = await this.orm.call(
      "cobranza.kpi.dashboard",
      "get_top_customers",
      [this.state.filters]
    );
  }

  async setAgingTab(tab) {
    this.state.agingTab = tab;
    if (tab === "customer" && !this.state.data.aging.customer) {
      await this.loadCustomers();
    }
  }

  setLive(live) {
    this.state.filters.live = live;
    this.load();
  }

  get display() {
    return {controlPanel: {}};
  }

  money(value) {
    if (value === null || value === undefined) {
      return _t("n/a");
    }
    return formatMonetary(value, {currencyId: this.state.data.currency_id});
  }

  /** A figure in the user's language ("88,10 %" in Spanish), or "n/a". */
  number(value, suffix = "") {
    if (value === null || value === undefined) {
      return _t("n/a");
    }
    return formatFloat(value, {digits: [false, 2]}) + suffix;
  }

  percent(value) {
    return this.number(value, "\u00a0%");
  }

  days(value) {
    return this.number(value, "\u00a0" + _t("d"));
  }

  shortDate(isoDate) {
    return isoDate ? formatDate(deserializeDate(isoDate)) : "";
  }

  monthLabel(isoDate) {
    return deserializeDate(isoDate).toFormat("LLL yy");
  }

  get tiles() {
    const k = this.state.data.kpis;
    return [
      {
        label: _t("Receivables"),
        value: this.money(k.ar),
        drill: {kind: "open"},
        // open credits are not aged: say what they take off the total
        sub: k.credits
          ? {
              label: _t("Unapplied credits"),
              value: this.money(k.credits),
              drill: {kind: "open", bucket: "credit"},
            }
          : null,
      },
      {label: _t("Overdue"), value: this.money(k.overdue_ar), drill: {kind: "overdue"}},
      {
        label: _t("Overdue share"),
        value: this.percent(k.percent_overdue),
        drill: {kind: "overdue"},
      },
      {
        label: _t("Average age of debt"),
        value: this.days(k.average_age),
        drill: {kind: "overdue"},
      },
      {
        label: _t("Credit sales"),
        value: this.money(k.credit_sales),
        drill: {kind: "sales"},
      },
      {label: _t("DSO"), value: this.days(k.dso), drill: {kind: "open"}},
      {
        label: _t("DSO (count-back)"),
        value: this.days(k.dso_countback),
        drill: {kind: "open"},
      },
      {
        label: _t("Best possible DSO"),
        value: this.days(k.best_dso),
        drill: {kind: "current"},
      },
      {
        label: _t("Average days delinquent"),
        value: this.days(k.add),
        drill: {kind: "overdue"},
      },
      {
        label: _t("Collection effectiveness"),
        value: this.percent(k.cei),
        drill: {kind: "open"},
      },
      {label: _t("Promises kept"), value: this.percent(k.promise_kept_rate)},
      {label: _t("Plan compliance"), value: this.percent(k.plan_compliance)},
    ];
  }

  get agingTabs() {
    return [
      ["collector", _t("Collector")],
      ["customer", _t("Customer")],
      ["stage", _t("Stage")],
      ["segment", _t("Segment")],
    ];
  }

  get recoveryTabs() {
    return [
      ["level", _t("Level")],
      ["channel", _t("Channel")],
      ["stage", _t("Stage")],
    ];
  }

  get agingTotals() {
    // what customers owe, by bucket (open credits are not aged)
    const k = this.state.data.kpis;
    const total = Object.values(k.aging).reduce((a, b) => a + Math.max(b, 0), 0);
    return this.state.data.buckets
      .filter((b) => b.key in k.aging)
      .map((b) => ({
        ...b,
        amount: k.aging[b.key],
        width: total ? (100 * Math.max(k.aging[b.key], 0)) / total : 0,
      }));
  }

  get trendMax() {
    return Math.max(1, ...this.state.data.trend.map((t) => t.owed || 0));
  }

  onFilter(name, ev) {
    let value = ev.target.value;
    if (["collector_id", "segment_id"].includes(name)) {
      value = value ? parseInt(value) : false;
    }
    if (name === "company_ids") {
      value = value ? [parseInt(value)] : [];
    }
    this.state.filters[name] = value;
    this.load();
  }

  setPreset(preset) {
    const today = luxon.DateTime.local();
    let from = today.minus({days: 89});
    let to = today;
    if (preset === "month") {
      from = today.startOf("month");
    } else if (preset === "last_month") {
      from = today.minus({months: 1}).startOf("month");
      to = from.endOf("month");
    } else if (preset === "quarter") {
      from = today.startOf("quarter");
    } else if (preset === "year") {
      from = today.startOf("year");
    }
    this.state.filters.date_from = from.toISODate();
    this.state.filters.date_to = to.toISODate();
    this.load();
  }

  async openDeliveries(channel, state) {
    const action = await this.orm.call(
      "cobranza.kpi.dashboard",
      "action_open_deliveries",
      [this.state.filters, channel, state]
    );
    this.actionService.doAction(action);
  }

  async drill(drill) {
    if (!drill) {
      return;
    }
    const action = await this.orm.call(
      "cobranza.kpi.dashboard",
      "action_open_invoices",
      [this.state.filters, drill]
    );
    this.actionService.doAction(action);
  }

  drillRow(tab, row, bucket) {
    const dim = {
      customer: "partner_id",
      collector: "collector_id",
      stage: "stage_id",
      segment: "segment_id",
    }[tab];
    const drill = {kind: "open", [dim]: row.id};
    if (bucket) {
      drill.bucket = bucket;
    }
    this.drill(drill);
  }

  async print() {
    const action = await this.orm.call("cobranza.kpi.dashboard", "action_print", [
      this.state.filters,
    ]);
    this.actionService.doAction(action);
  }

  async backfill() {
    await this.orm.call("cobranza.kpi.snapshot", "action_backfill", []);
    this.load();
  }

  openAction(xmlid) {
    this.actionService.doAction(xmlid);
  }
}

registry.category("actions").add("cobranza_kpi_dashboard", CobranzaKpiDashboard);
