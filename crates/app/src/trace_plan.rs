//! Where the figures of the plan's other tables come from (`styr_docgen::trace` names them):
//!
//! - the exploitation budget and the finance administration: a net → its income and cost, a
//!   total → the rows it sums, a stated figure → its check and the checker's finding
//!   ([`App::trace_exploitation_cell`], [`App::trace_finance_cell`]); the finance summary is an
//!   amount table like an operating one ([`App::trace_finance_summary_cell`]);
//! - the ramförändring: the stated change → its parts, a part → the figures it states
//!   ([`App::trace_frame_change`]);
//! - the ramberäkning: the base, each line → what it is computed from (percent × base, volume ×
//!   unit cost, a typed amount) and its decision, the frame → the base and the lines and the
//!   decision that set it ([`App::trace_frame_calculation`]);
//! - an indicator's outcome, target and comparison of a year → the indicator (unit, direction,
//!   source, Kolada KPI), the stored value and where it is written, Kolada's values, and the
//!   outcomes reported in the follow-up ([`App::trace_indicator`]).
//!
//! As every trace: the public follows those of a decided plan only (a proposal is not found),
//! and sees the follow-up's reports of closed periods only, without who reported them.

use crate::trace::{
    CellTrace, TracedFigure, TracedRow, amount_cell_trace, figure_path, money_of_tkr, not_found,
    place, quantity_text, selector_of,
};
use crate::{Actor, App, AppError, Role};
use rust_decimal::Decimal;
use styr_checks::Finding;
use styr_docgen::trace::{self as paths, FramePart, IndicatorFigure};
use styr_domain::budget::{FrameLineKind, Measure, RowKind};
use styr_domain::expr::{Expr, Formula};
use styr_domain::followup::{EntryKind, ReportEntry};
use styr_domain::goal::{Direction, IndicatorLevel, IndicatorSource, ValueKind};
use styr_domain::ledger::Month;
use styr_domain::{Id, Money, Plan, Year, kolada};

/// How a figure of the plan's other tables is made.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureSource {
    /// The sum of the rows listed, made as `rule` says in words (a total's lines, a net's
    /// income and cost, a frame's base and lines).
    Rows {
        rule: String,
        rows: Vec<TracedRow>,
        sum: Option<Money>,
    },
    /// A figure that states another figure of the plan (`ref`): the expression in words, what
    /// it gives, and each figure it names.
    Reference {
        described: String,
        computed: Option<Money>,
        figures: Vec<TracedFigure>,
    },
    /// A line of the ramberäkning computed from its own columns: `how` in words, each factor,
    /// and the result rounded to whole tkr (with the line's sign).
    Computed {
        how: String,
        factors: Vec<TracedFigure>,
        computed: Option<Money>,
    },
    /// A figure as printed, with nothing to compute it from.
    Printed,
}

/// The trace of a figure of the exploitation budget, the finance administration, the
/// ramförändring or the ramberäkning.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureTrace {
    pub version: Id,
    pub version_name: String,
    pub decided: bool,
    pub table: String,
    pub row: String,
    /// The column: a measure, a year, or both.
    pub column: String,
    /// The figure as printed (the plan's own); `None` when the plan prints none.
    pub stated: Option<Money>,
    pub source: FigureSource,
    /// The decision the figure rests on, by its printed reference.
    pub decision: Option<String>,
    /// What else to follow: the same figure elsewhere in the plan (a part of the ramförändring
    /// and the line of the ramberäkning it is, the stated frame and the computed one).
    pub related: Vec<TracedRow>,
    /// A remark on the figure (where a base comes from).
    pub note: Option<String>,
    /// Where the figure is written: the plan package's file and line.
    pub place: String,
    /// The checker's findings about this figure (none: it agrees).
    pub findings: Vec<Finding>,
}

impl FigureTrace {
    /// The figure the document shows: the printed one, else the computed one.
    pub fn shown(&self) -> Option<Money> {
        self.stated.or(self.computed())
    }

    /// What the figure computes to, where it is computed.
    pub fn computed(&self) -> Option<Money> {
        match &self.source {
            FigureSource::Rows { sum, .. } => *sum,
            FigureSource::Reference { computed, .. } | FigureSource::Computed { computed, .. } => {
                *computed
            }
            FigureSource::Printed => None,
        }
    }

    /// Whether the printed figure and the computed one disagree (both kept, both shown).
    pub fn differs(&self) -> bool {
        matches!((self.stated, self.computed()), (Some(s), Some(c)) if s != c)
    }
}

/// Which value of an indicator a trace is about, with what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorTrace {
    pub version: Id,
    pub version_name: String,
    pub decided: bool,
    pub indicator: Id,
    pub name: String,
    /// "Mål 2: …".
    pub goal: String,
    pub level: IndicatorLevel,
    pub unit: Option<String>,
    pub direction: Option<Direction>,
    pub source: Option<IndicatorSource>,
    pub kolada_kpi: Option<String>,
    pub footnote: Option<String>,
    /// The body that answers for the indicator, by name.
    pub responsible: Option<String>,
    pub figure: IndicatorFigure,
    pub year: Year,
    /// The value the document shows (for a comparison: the group's mean).
    pub value: Option<Decimal>,
    /// Where the value comes from: the package's file and line, or Kolada.
    pub origin: String,
    /// Kolada's own value of the municipality for the year, where the indicator has a KPI.
    pub kolada: Option<KoladaFigure>,
    /// The comparison group's values of the year (a comparison only).
    pub members: Vec<KoladaFigure>,
    /// The outcomes of the year reported in the follow-up (an outcome only).
    pub reported: Vec<ReportedOutcome>,
    /// Where the indicator is written.
    pub place: String,
}

/// One value stored from Kolada.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KoladaFigure {
    /// The municipality's name (or its code when the plan does not name it).
    pub municipality: String,
    pub code: String,
    pub value: Option<Decimal>,
    pub source: String,
    pub retrieved: String,
}

/// An outcome of the indicator reported in the follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedOutcome {
    pub period: Month,
    pub value: Decimal,
    pub measured_on: Option<String>,
    pub source: Option<String>,
    /// Who reported it (display name); `None` for the public.
    pub by: Option<String>,
    /// When, UTC.
    pub at: String,
}

fn measure_word(measure: Measure) -> &'static str {
    match measure {
        Measure::Income => "intäkter",
        Measure::Cost => "kostnader",
        Measure::Net => "nettoresultat",
    }
}

/// The checker's findings of `plan` whose ids are among `ids`.
fn findings_of(plan: &Plan, ids: &[String]) -> Vec<Finding> {
    styr_checks::check_plan(plan)
        .into_iter()
        .filter(|f| ids.contains(&f.id))
        .collect()
}

/// The traces of the figures an expression names.
fn traced_figures(plan: &Plan, formula: &Formula) -> Vec<TracedFigure> {
    formula
        .refs()
        .into_iter()
        .map(|figure| TracedFigure {
            reference: figure.to_string(),
            described: plan.describe_ref(figure),
            value: plan
                .evaluate(&Expr::Ref(figure.clone()))
                .ok()
                .map(|q| quantity_text(&q)),
            path: figure_path(plan, figure),
        })
        .collect()
}

fn decision_of(plan: &Plan, id: Option<&Id>) -> Option<String> {
    id.map(|id| styr_docgen::compose::decision_text(plan, Some(id)))
}

fn tkr_figure(label: &str, amount: Money, path: Option<String>) -> TracedFigure {
    TracedFigure {
        reference: String::new(),
        described: label.to_owned(),
        value: Some(format!("{} tkr", styr_docgen::format::tkr(amount))),
        path,
    }
}

fn number_figure(label: &str, value: Decimal, unit: &str) -> TracedFigure {
    TracedFigure {
        reference: String::new(),
        described: label.to_owned(),
        value: Some(
            format!("{} {unit}", styr_docgen::format::decimal_as_written(value))
                .trim_end()
                .to_owned(),
        ),
        path: None,
    }
}

impl App {
    /// Where a figure of the exploitation budget comes from: a total's projects, a net's
    /// income and cost, an income or a cost as printed.
    pub async fn trace_exploitation_cell(
        &self,
        actor: &Actor,
        version: &str,
        row: &str,
        measure: Measure,
    ) -> Result<FigureTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let exploitation = &plan.budget.exploitation;
        let amount_row = exploitation
            .rows
            .iter()
            .find(|r| r.id.as_str() == row)
            .ok_or_else(|| not_found(format!("raden {row} finns inte i {}", exploitation.title)))?;
        let version_id = &plan.budget.version.id;
        let traced = |r: &styr_domain::budget::ExploitationRow, measure: Measure| TracedRow {
            label: if r.name.is_empty() {
                r.project.clone()
            } else {
                format!("{} {}", r.project, r.name).trim().to_owned()
            },
            amount: r.get(measure),
            path: Some(paths::plan_exploitation(version_id, &r.id, measure)),
        };
        let source = match (amount_row.kind, measure) {
            (RowKind::Total, _) => FigureSource::Rows {
                rule: format!(
                    "Summan av projektens {} (raderna nedan)",
                    measure_word(measure)
                ),
                rows: exploitation
                    .rows
                    .iter()
                    .filter(|r| r.kind == RowKind::Line && r.get(measure).is_some())
                    .map(|r| traced(r, measure))
                    .collect(),
                sum: exploitation.sum(measure),
            },
            (_, Measure::Net) if amount_row.income.is_some() || amount_row.cost.is_some() => {
                FigureSource::Rows {
                    rule: "Intäkter + kostnader (kostnader är negativa)".to_owned(),
                    rows: [Measure::Income, Measure::Cost]
                        .into_iter()
                        .map(|m| TracedRow {
                            label: m.label_sv().to_owned(),
                            ..traced(amount_row, m)
                        })
                        .collect(),
                    sum: amount_row
                        .income
                        .zip(amount_row.cost)
                        .map(|(income, cost)| income + cost),
                }
            }
            _ => FigureSource::Printed,
        };
        let stated = amount_row.get(measure);
        let file = &amount_row.at.file;
        let findings = findings_of(
            &plan,
            &[
                format!("row:{file}:{}", amount_row.id),
                format!("total:{file}:{}:{}", amount_row.id, measure.code()),
            ],
        );
        let trace = FigureTrace {
            version: version_id.clone(),
            version_name: plan.budget.version.name.clone(),
            decided: plan.budget.version.kind.is_public(),
            table: exploitation.title.clone(),
            row: traced(amount_row, measure).label,
            column: capitalised(measure_word(measure)),
            stated,
            source,
            decision: None,
            related: Vec::new(),
            note: None,
            place: place(&amount_row.at),
            findings,
        };
        Ok(trace)
    }

    /// Where a figure of the finance administration comes from: a group's total → its lines,
    /// a net → the row's income and cost, an income or a cost as printed.
    pub async fn trace_finance_cell(
        &self,
        actor: &Actor,
        version: &str,
        row: &str,
        measure: Measure,
        year: Year,
    ) -> Result<FigureTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let finance = &plan.budget.finance;
        let finance_row = finance
            .row(row)
            .ok_or_else(|| not_found(format!("raden {row} finns inte i {}", finance.title)))?;
        let line = finance_row.line(measure).ok_or_else(|| {
            not_found(format!(
                "{} har ingen rad för {}",
                finance_row.name,
                measure_word(measure)
            ))
        })?;
        if !finance.years.contains(&year) {
            return Err(not_found(format!(
                "{} har ingen kolumn {year}",
                finance.title
            )));
        }
        let version_id = &plan.budget.version.id;
        let traced =
            |r: &styr_domain::budget::FinanceRow, measure: Measure, label: String| TracedRow {
                label,
                amount: r.amount(measure, year),
                path: Some(paths::plan_finance(version_id, &r.id, measure, year)),
            };
        let has = |measure| finance_row.amount(measure, year).is_some();
        let source = match (&finance_row.kind, &finance_row.group, measure) {
            (RowKind::Total, Some(group), _) => FigureSource::Rows {
                rule: format!(
                    "Summan av gruppens rader, {} {year}",
                    measure.label_sv().to_lowercase()
                ),
                rows: finance
                    .rows
                    .iter()
                    .filter(|r| r.kind == RowKind::Line && r.group.as_ref() == Some(group))
                    .filter(|r| r.amount(measure, year).is_some())
                    .map(|r| traced(r, measure, r.name.clone()))
                    .collect(),
                sum: finance.group_sum(group, measure, year),
            },
            (_, _, Measure::Net) if has(Measure::Income) && has(Measure::Cost) => {
                FigureSource::Rows {
                    rule: format!("Intäkter + kostnader {year}"),
                    rows: [Measure::Income, Measure::Cost]
                        .into_iter()
                        .map(|m| traced(finance_row, m, m.label_sv().to_owned()))
                        .collect(),
                    sum: finance_row
                        .amount(Measure::Income, year)
                        .zip(finance_row.amount(Measure::Cost, year))
                        .map(|(income, cost)| income + cost),
                }
            }
            _ => FigureSource::Printed,
        };
        let stated = line.amounts.get(&year).copied();
        let net_file = finance_row
            .line(Measure::Net)
            .map_or(line.at.file.as_str(), |l| l.at.file.as_str());
        let findings = findings_of(
            &plan,
            &[
                format!("row:{net_file}:{}:{year}", finance_row.id),
                format!(
                    "total:{}:{}:{}:{year}",
                    line.at.file,
                    finance_row.id,
                    measure.code()
                ),
                format!("total:{}:{}", line.at.file, finance_row.id),
            ],
        );
        let trace = FigureTrace {
            version: version_id.clone(),
            version_name: plan.budget.version.name.clone(),
            decided: plan.budget.version.kind.is_public(),
            table: finance.title.clone(),
            row: finance_row.name.clone(),
            column: format!("{} {year}", measure.label_sv()),
            stated,
            source,
            decision: None,
            related: Vec::new(),
            note: None,
            place: place(&line.at),
            findings,
        };
        Ok(trace)
    }

    /// Where a figure of the finance summary comes from: as a figure of an operating table.
    pub async fn trace_finance_summary_cell(
        &self,
        actor: &Actor,
        version: &str,
        row: &str,
        year: Year,
    ) -> Result<CellTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let finance = &plan.budget.finance;
        let amount_row = finance
            .summary
            .iter()
            .find(|r| r.id.as_str() == row)
            .ok_or_else(|| {
                not_found(format!(
                    "raden {row} finns inte i {}",
                    finance.summary_title
                ))
            })?;
        if !finance.summary_years.contains(&year) {
            return Err(not_found(format!(
                "{} har ingen kolumn {year}",
                finance.summary_title
            )));
        }
        let path = |row: &Id| paths::plan_finance_summary(&plan.budget.version.id, row, year);
        Ok(amount_cell_trace(
            &plan,
            &finance.summary_title,
            &finance.summary,
            amount_row,
            year,
            path,
        ))
    }

    /// Where a figure of the ramförändring comes from: the stated change → its parts (and the
    /// ramberäkning's change of the same year), a part → the figures its reference names.
    pub async fn trace_frame_change(
        &self,
        actor: &Actor,
        version: &str,
        component: Option<&str>,
    ) -> Result<FigureTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let change = plan
            .budget
            .frame_change
            .as_ref()
            .ok_or_else(|| not_found("planen har ingen ramförändring".to_owned()))?;
        let version_id = &plan.budget.version.id;
        let calc = plan
            .budget
            .frame_calculation
            .as_ref()
            .filter(|c| c.year == change.to_year);
        let table = format!("Ramförändring {}", change.to_year);
        let total_row = TracedRow {
            label: format!(
                "Ramförändring från {} till {}",
                change.from_label, change.to_year
            ),
            amount: Some(change.stated),
            path: Some(paths::plan_frame_change(version_id, None)),
        };
        let trace = match component {
            None => {
                let mut related = Vec::new();
                if let Some(calc) = calc {
                    related.push(TracedRow {
                        label: format!("Förändringen enligt ramberäkningen {}", calc.year),
                        amount: calc.change(),
                        path: Some(paths::plan_frame_calculation(
                            version_id,
                            &FramePart::Change,
                        )),
                    });
                }
                let mut ids = vec![format!(
                    "frame:{}:ramforandring:{}",
                    change.at.file, change.to_year
                )];
                if let Some(calc) = calc {
                    ids.push(format!("calc:{}:{}:change", change.at.file, calc.year));
                }
                FigureTrace {
                    version: version_id.clone(),
                    version_name: plan.budget.version.name.clone(),
                    decided: plan.budget.version.kind.is_public(),
                    table,
                    row: total_row.label.clone(),
                    column: "Belopp".to_owned(),
                    stated: Some(change.stated),
                    source: FigureSource::Rows {
                        rule: "Summan av delarna".to_owned(),
                        rows: change
                            .components
                            .iter()
                            .map(|c| TracedRow {
                                label: c.label.clone(),
                                amount: Some(c.amount),
                                path: Some(paths::plan_frame_change(version_id, Some(&c.id))),
                            })
                            .collect(),
                        sum: Some(change.components.iter().map(|c| c.amount).sum()),
                    },
                    decision: None,
                    related,
                    note: None,
                    place: place(&change.at),
                    findings: findings_of(&plan, &ids),
                }
            }
            Some(id) => {
                let part = change
                    .components
                    .iter()
                    .find(|c| c.id.as_str() == id)
                    .ok_or_else(|| not_found(format!("delen {id} finns inte i ramförändringen")))?;
                let source = match part.reference.as_ref().map(|r| &r.formula) {
                    Some(formula @ Formula::Value(expr)) => FigureSource::Reference {
                        described: plan.describe_expr(expr),
                        computed: plan.evaluate(expr).ok().and_then(|q| money_of_tkr(q.value)),
                        figures: traced_figures(&plan, formula),
                    },
                    _ => FigureSource::Printed,
                };
                let mut related = vec![total_row];
                if let Some(line) = calc.and_then(|c| c.lines.iter().find(|l| l.id == part.id)) {
                    related.push(TracedRow {
                        label: format!("Samma del i ramberäkningen: {}", line.label),
                        amount: calc.and_then(|c| line.effect(c.base_amount)),
                        path: Some(paths::plan_frame_calculation(
                            version_id,
                            &FramePart::Line(line.id.clone()),
                        )),
                    });
                }
                FigureTrace {
                    version: version_id.clone(),
                    version_name: plan.budget.version.name.clone(),
                    decided: plan.budget.version.kind.is_public(),
                    table,
                    row: part.label.clone(),
                    column: "Belopp".to_owned(),
                    stated: Some(part.amount),
                    source,
                    decision: None,
                    related,
                    note: None,
                    place: place(&part.at),
                    findings: findings_of(
                        &plan,
                        &[format!("ref:{}:ramforandring:{}", part.at.file, part.id)],
                    ),
                }
            }
        };
        Ok(trace)
    }

    /// Where a figure of the ramberäkning comes from: the base as stated, a line from its
    /// factors (or as typed) with its decision, the frame from the base and the lines with the
    /// decision that set it, the change from the lines, the budget's stated frame against the
    /// computed one.
    pub async fn trace_frame_calculation(
        &self,
        actor: &Actor,
        version: &str,
        part: &FramePart,
    ) -> Result<FigureTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let calc = plan
            .budget
            .frame_calculation
            .as_ref()
            .ok_or_else(|| not_found("planen har ingen ramberäkning".to_owned()))?;
        let version_id = &plan.budget.version.id;
        let year = calc.year;
        let base = calc.base_amount;
        // The checker's findings of the calculation are about `YEAR:WHAT`, at the file of the
        // line, the frame or the calculation.
        let findings = |about: &str| {
            let suffix = format!(":{year}:{about}");
            styr_checks::check_plan(&plan)
                .into_iter()
                .filter(|f| f.check == "calc" && f.id.ends_with(&suffix))
                .collect::<Vec<_>>()
        };
        let path = |part: FramePart| Some(paths::plan_frame_calculation(version_id, &part));
        let base_row = TracedRow {
            label: capitalised(&calc.base_label),
            amount: Some(base),
            path: path(FramePart::Base),
        };
        let line_rows: Vec<TracedRow> = calc
            .computed_lines()
            .into_iter()
            .map(|computed| TracedRow {
                label: computed.line.label.clone(),
                amount: computed.effect,
                path: path(FramePart::Line(computed.line.id.clone())),
            })
            .collect();
        let stated_change = plan
            .budget
            .frame_change
            .as_ref()
            .filter(|c| c.to_year == year);
        let mut trace = FigureTrace {
            version: version_id.clone(),
            version_name: plan.budget.version.name.clone(),
            decided: plan.budget.version.kind.is_public(),
            table: format!("Ramberäkning {year}"),
            row: String::new(),
            column: "Belopp".to_owned(),
            stated: None,
            source: FigureSource::Printed,
            decision: None,
            related: Vec::new(),
            note: None,
            place: place(&calc.at),
            findings: Vec::new(),
        };
        match part {
            FramePart::Base => {
                trace.row = base_row.label.clone();
                trace.stated = Some(base);
                trace.note = calc.base_version.as_ref().map(|v| {
                    if v == version_id {
                        format!("Grundbeloppet är ramen i den här versionen ({v}).")
                    } else {
                        format!(
                            "Grundbeloppet är ramen i versionen {v}, som inte finns i planen: \
                             beloppet står som det är angivet."
                        )
                    }
                });
                trace.findings = findings("base");
            }
            FramePart::Line(id) => {
                let line =
                    calc.lines.iter().find(|l| &l.id == id).ok_or_else(|| {
                        not_found(format!("raden {id} finns inte i ramberäkningen"))
                    })?;
                let sign = |m: Money| {
                    if line.kind == FrameLineKind::Efficiency {
                        -m
                    } else {
                        m
                    }
                };
                trace.row = line.label.clone();
                trace.column = line.kind.label_sv().to_owned();
                trace.stated = line.amount.map(sign);
                trace.decision = decision_of(&plan, line.decision.as_ref());
                trace.place = place(&line.at);
                trace.source = match (line.kind, line.percent, line.volume, line.unit_cost) {
                    (FrameLineKind::PriceWage, percent, _, _) => FigureSource::Computed {
                        how: "procent × grundbeloppet, avrundat till hela tkr".to_owned(),
                        factors: [
                            percent.map(|p| number_figure("Procent", p, "%")),
                            Some(tkr_figure(&base_row.label, base, base_row.path.clone())),
                        ]
                        .into_iter()
                        .flatten()
                        .collect(),
                        computed: line.effect(base),
                    },
                    (FrameLineKind::Demography, _, volume, cost) => FigureSource::Computed {
                        how: "volym × styckkostnad, avrundat till hela tkr".to_owned(),
                        factors: [
                            volume.map(|v| number_figure("Volym", v, "")),
                            cost.map(|c| number_figure("Styckkostnad", c, "tkr")),
                        ]
                        .into_iter()
                        .flatten()
                        .collect(),
                        computed: line.effect(base),
                    },
                    _ => FigureSource::Printed,
                };
                if line.kind == FrameLineKind::Efficiency {
                    trace.note = Some(
                        "En effektivisering anges som ett positivt belopp och dras från ramen."
                            .to_owned(),
                    );
                }
                trace.related = vec![TracedRow {
                    label: format!("Ram {year}"),
                    amount: calc.computed_frame(),
                    path: path(FramePart::Frame),
                }];
                if let Some(change) = stated_change
                    && let Some(component) = change.components.iter().find(|c| c.id == line.id)
                {
                    trace.related.push(TracedRow {
                        label: format!("Samma del i ramförändringen: {}", component.label),
                        amount: Some(component.amount),
                        path: Some(paths::plan_frame_change(version_id, Some(&component.id))),
                    });
                }
                trace.findings = findings(line.id.as_str());
            }
            FramePart::Frame => {
                trace.row = format!("Ram {year}");
                trace.decision = decision_of(&plan, calc.decision.as_ref());
                let mut rows = vec![base_row];
                rows.extend(line_rows);
                trace.source = FigureSource::Rows {
                    rule: format!("{} + raderna", capitalised(&calc.base_label)),
                    rows,
                    sum: calc.computed_frame(),
                };
                if let Some(frame) = plan.budget.frame(year) {
                    trace.related.push(TracedRow {
                        label: format!("Ram {year} enligt budgeten"),
                        amount: Some(frame.amount),
                        path: path(FramePart::Stated),
                    });
                }
                trace.findings = findings("frame");
            }
            FramePart::Change => {
                trace.row = format!("Förändring från {}", calc.base_label);
                trace.stated = stated_change.map(|c| c.stated);
                trace.source = FigureSource::Rows {
                    rule: format!("Raderna: ram {year} − {}", calc.base_label),
                    rows: line_rows,
                    sum: calc.change(),
                };
                if stated_change.is_some() {
                    trace.related.push(TracedRow {
                        label: format!("Ramförändring {year}"),
                        amount: trace.stated,
                        path: Some(paths::plan_frame_change(version_id, None)),
                    });
                }
                trace.findings = findings("change");
            }
            FramePart::Stated => {
                let frame = plan
                    .budget
                    .frame(year)
                    .ok_or_else(|| not_found(format!("budgeten anger ingen ram för {year}")))?;
                trace.row = format!("Ram {year} enligt budgeten");
                trace.stated = Some(frame.amount);
                trace.decision = decision_of(&plan, frame.decision.as_ref());
                trace.place = place(&frame.at);
                trace.source = FigureSource::Rows {
                    rule: "Ramen enligt ramberäkningen".to_owned(),
                    rows: vec![TracedRow {
                        label: format!("Ram {year} enligt ramberäkningen"),
                        amount: calc.computed_frame(),
                        path: path(FramePart::Frame),
                    }],
                    sum: calc.computed_frame(),
                };
                trace.findings = findings("frame");
            }
        }
        Ok(trace)
    }

    /// Where a value of an indicator comes from: the indicator (unit, direction, source,
    /// Kolada KPI), the stored value and where it is written, Kolada's values, and, for an
    /// outcome, what the follow-up reported for the year (who and when for a logged-in user).
    pub async fn trace_indicator(
        &self,
        actor: &Actor,
        version: &str,
        indicator: &str,
        figure: IndicatorFigure,
        year: Year,
    ) -> Result<IndicatorTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let found = plan
            .indicators
            .iter()
            .find(|i| i.id.as_str() == indicator)
            .ok_or_else(|| not_found(format!("indikatorn {indicator} finns inte i planen")))?;
        let stored = |kind: ValueKind| {
            plan.indicator_values
                .iter()
                .find(|v| v.indicator == found.id && v.kind == kind && v.year == year)
        };
        let name_of = |code: &str| {
            if code == plan.municipality.code {
                plan.municipality.name.clone()
            } else {
                plan.kolada
                    .comparison
                    .iter()
                    .find(|m| m.code == code)
                    .map_or_else(|| code.to_owned(), |m| m.name.clone())
            }
        };
        let kolada_of = |kpi: &str, code: &str| {
            plan.kolada_values
                .iter()
                .find(|v| {
                    v.kpi == kpi
                        && v.municipality == code
                        && v.year == year
                        && v.gender == kolada::Gender::Total
                })
                .map(|v| KoladaFigure {
                    municipality: name_of(code),
                    code: code.to_owned(),
                    value: v.value,
                    source: v.source.clone(),
                    retrieved: v.retrieved.clone(),
                })
        };
        let kpi = found.kolada_kpi.as_deref();
        let own = kpi.and_then(|kpi| kolada_of(kpi, &plan.municipality.code));
        let kolada_origin = |k: &KoladaFigure| {
            format!(
                "Kolada, nyckeltal {}, {} ({}), hämtat {} ({})",
                kpi.unwrap_or_default(),
                k.municipality,
                k.code,
                k.retrieved,
                k.source
            )
        };
        let mut members = Vec::new();
        let (value, origin) = match figure {
            IndicatorFigure::Outcome => match (stored(ValueKind::Outcome), &own) {
                (Some(v), _) => (Some(v.value), place(&v.at)),
                // The document shows Kolada's outcome for a year the plan has none of.
                (None, Some(k)) if k.value.is_some() => (k.value, kolada_origin(k)),
                _ => return Err(not_found(format!("{} har inget utfall {year}", found.name))),
            },
            IndicatorFigure::Target => match stored(ValueKind::Target) {
                Some(v) => (Some(v.value), place(&v.at)),
                None => return Err(not_found(format!("{} har inget mål {year}", found.name))),
            },
            IndicatorFigure::Comparison => {
                let kpi = kpi.ok_or_else(|| {
                    not_found(format!("{} har inget nyckeltal i Kolada", found.name))
                })?;
                members = plan
                    .kolada
                    .comparison
                    .iter()
                    .filter_map(|m| kolada_of(kpi, &m.code))
                    .filter(|k| k.value.is_some())
                    .collect();
                let codes: Vec<&str> = plan
                    .kolada
                    .comparison
                    .iter()
                    .map(|m| m.code.as_str())
                    .collect();
                let mean = kolada::group_mean(&plan.kolada_values, kpi, &codes)
                    .into_iter()
                    .find(|(y, _)| *y == year)
                    .map(|(_, v)| v)
                    .ok_or_else(|| {
                        not_found(format!("jämförelsegruppen har inga värden {year}"))
                    })?;
                (
                    Some(mean),
                    format!(
                        "Kolada, nyckeltal {kpi}: ovägt medelvärde av de jämförelsekommuner som \
                         har ett värde {year}, avrundat till en decimal"
                    ),
                )
            }
        };
        let mut reported = Vec::new();
        if figure == IndicatorFigure::Outcome {
            let filter = styr_store::EntryFilter {
                kind: Some(EntryKind::Outcome),
                subject: Some(found.id.to_string()),
                ..styr_store::EntryFilter::default()
            };
            let (_, entries) = self
                .reports(actor, &selector_of(actor, version), &filter)
                .await?;
            let names = self.user_names(actor).await?;
            for entry in entries {
                if entry.report.period.year() != year {
                    continue;
                }
                if let ReportEntry::Outcome {
                    value,
                    measured_on,
                    source,
                    ..
                } = &entry.report.entry
                {
                    reported.push(ReportedOutcome {
                        period: entry.report.period,
                        value: *value,
                        measured_on: measured_on.clone(),
                        source: source.clone(),
                        by: (actor.role != Role::Public)
                            .then(|| crate::users::display_name(&names, &entry.reported_by)),
                        at: entry.reported_at.clone(),
                    });
                }
            }
        }
        let goal = plan.goals.iter().find(|g| g.id == found.goal).map_or_else(
            || found.goal.to_string(),
            |g| format!("Mål {}: {}", g.number, g.title),
        );
        Ok(IndicatorTrace {
            version: plan.budget.version.id.clone(),
            version_name: plan.budget.version.name.clone(),
            decided: plan.budget.version.kind.is_public(),
            indicator: found.id.clone(),
            name: found.name.clone(),
            goal,
            level: found.level,
            unit: found.unit.clone(),
            direction: found.direction,
            source: found.source,
            kolada_kpi: found.kolada_kpi.clone(),
            footnote: found.footnote.clone(),
            responsible: found.responsible.as_ref().map(|id| {
                plan.body(id)
                    .map_or_else(|| id.to_string(), |b| b.name.clone())
            }),
            figure,
            year,
            value,
            origin,
            kolada: own,
            members,
            reported,
            place: place(&found.at),
        })
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
