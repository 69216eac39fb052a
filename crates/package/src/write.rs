//! Writing a plan as package files, deterministically: the same plan always gives the same
//! bytes, so that export → import → export is byte-identical. TOML comments of a hand-written
//! package are not data and are not kept.

use crate::files::Files;
use crate::read::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use styr_domain::budget::{
    AmountRow, ExploitationBudget, FigureFormula, FinanceBudget, FrameCalculation, InvestmentBudget,
};
use styr_domain::council::{CompanyBudget, CouncilBudget, FinancialGoalKind};
use styr_domain::followup::{ForecastRules, PeriodState};
use styr_domain::{Id, Money, Plan, Year};

/// A TOML document being written, key by key.
#[derive(Default)]
struct TomlOut(String);

impl TomlOut {
    fn table(&mut self, header: &str) {
        if !self.0.is_empty() {
            self.0.push('\n');
        }
        let _ = writeln!(self.0, "{header}");
    }

    fn str(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.0, "{key} = {}", toml::Value::String(value.to_owned()));
    }

    fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.str(key, value);
        }
    }

    fn int(&mut self, key: &str, value: impl Into<i64>) {
        let _ = writeln!(self.0, "{key} = {}", value.into());
    }

    fn opt_int(&mut self, key: &str, value: Option<impl Into<i64>>) {
        if let Some(value) = value {
            self.int(key, value);
        }
    }

    fn raw(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.0, "{key} = {value}");
    }
}

/// Budget amounts are whole tkr by construction; the exact value otherwise.
fn tkr(money: Money) -> String {
    styr_domain::number::plain_money(money, styr_domain::number::MoneyUnit::Tkr)
}

fn opt_tkr(money: Option<Money>) -> String {
    money.map(tkr).unwrap_or_default()
}

fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let write_all = |writer: &mut csv::Writer<Vec<u8>>| -> csv::Result<()> {
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
        Ok(())
    };
    write_all(&mut writer).expect("writing CSV to memory cannot fail");
    let bytes = writer.into_inner().expect("flushed");
    String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

fn header(columns: &[&str], years: &[Year]) -> Vec<String> {
    columns
        .iter()
        .map(|c| (*c).to_owned())
        .chain(years.iter().map(Year::to_string))
        .collect()
}

fn year_cells(amounts: &BTreeMap<Year, Money>, years: &[Year]) -> impl Iterator<Item = String> {
    years.iter().map(|year| opt_tkr(amounts.get(year).copied()))
}

fn opt(value: Option<&str>) -> String {
    value.unwrap_or_default().to_owned()
}

fn formula_text(formula: &Option<FigureFormula>) -> String {
    formula.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

fn amount_rows_csv(columns: &[&str], years: &[Year], rows: &[AmountRow]) -> String {
    let with_kind = columns.contains(&"kind");
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut cells = vec![row.id.to_string(), row.name.clone()];
            if with_kind {
                cells.push(row.kind.code().to_owned());
                cells.push(
                    row.parent
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                );
            }
            cells.push(formula_text(&row.reference));
            cells.extend(year_cells(&row.amounts, years));
            cells
        })
        .collect();
    csv_text(&header(columns, years), &body)
}

/// The files of a package holding the plan.
pub fn write_files(plan: &Plan) -> Files {
    let mut files = Files::default();
    files.insert(MANIFEST, manifest(plan));
    files.insert(GOALS, goals(plan));
    write_indicators(plan, &mut files);
    write_assignments(plan, &mut files);
    write_budget(plan, &mut files);
    files.insert(FOLLOWUP, followup(plan));
    if let Some(council) = &plan.council {
        files.insert(COUNCIL, council_toml(council));
    }
    if let Some(company) = &plan.company {
        files.insert(COMPANY, company_toml(company));
    }
    files.insert(CONTROL, control(plan));
    if !plan.acknowledgements.is_empty() {
        files.insert(ACKNOWLEDGEMENTS, acknowledgements(plan));
    }
    files.insert(DOCUMENT, document(plan));
    for narrative in &plan.narratives {
        files.insert(&narrative.file, narrative.text.clone());
    }
    write_ledger(plan, &mut files);
    write_personnel(plan, &mut files);
    write_statements(plan, &mut files);
    files
}

fn synthetic_text(synthetic: bool) -> String {
    if synthetic {
        "true".into()
    } else {
        String::new()
    }
}

/// Personnel hours and headcount, and the measures: each file only when it has rows.
fn write_personnel(plan: &Plan, files: &mut Files) {
    let personnel = &plan.personnel;
    if !personnel.hours.is_empty() {
        let rows: Vec<Vec<String>> = personnel
            .hours
            .iter()
            .map(|r| {
                vec![
                    r.unit.to_string(),
                    r.month.to_string(),
                    r.gender.code().to_owned(),
                    r.age.code().to_owned(),
                    r.working.to_string(),
                    r.sick.to_string(),
                    r.long_term.to_string(),
                    synthetic_text(r.synthetic),
                ]
            })
            .collect();
        let columns = PERSONNEL_HOURS_COLUMNS;
        files.insert(PERSONNEL_HOURS, csv_text(&header(&columns, &[]), &rows));
    }
    if !personnel.staff.is_empty() {
        let rows: Vec<Vec<String>> = personnel
            .staff
            .iter()
            .map(|r| {
                vec![
                    r.unit.to_string(),
                    r.month.to_string(),
                    r.gender.code().to_owned(),
                    r.permanent.to_string(),
                    r.temporary.to_string(),
                    r.full_time_equivalents.to_string(),
                    r.leavers.to_string(),
                    synthetic_text(r.synthetic),
                ]
            })
            .collect();
        let columns = PERSONNEL_STAFF_COLUMNS;
        files.insert(PERSONNEL_STAFF, csv_text(&header(&columns, &[]), &rows));
    }
    let activity = &plan.activity;
    if !activity.measures.is_empty() {
        let rows: Vec<Vec<String>> = activity
            .measures
            .iter()
            .map(|m| {
                vec![
                    m.id.to_string(),
                    m.unit.to_string(),
                    m.name.clone(),
                    m.unit_of_measure.clone(),
                    synthetic_text(m.synthetic),
                ]
            })
            .collect();
        files.insert(MEASURES, csv_text(&header(&MEASURE_COLUMNS, &[]), &rows));
    }
    if !activity.budget.is_empty() {
        let rows: Vec<Vec<String>> = activity
            .budget
            .iter()
            .map(|b| {
                vec![
                    b.measure.to_string(),
                    b.period.to_string(),
                    b.volume.to_string(),
                ]
            })
            .collect();
        let columns = MEASURE_BUDGET_COLUMNS;
        files.insert(MEASURE_BUDGET, csv_text(&header(&columns, &[]), &rows));
    }
}

/// The ledger mapping: each file only when it has rows (absent means none).
/// The `redovisning/` files (issue 22), each only when it has rows.
fn write_statements(plan: &Plan, files: &mut Files) {
    use crate::statements::{
        BALANCE_COLUMNS, BALANCE_REQUIREMENT, BUDGET, BUDGET_COLUMNS, KOMMUNBAS, KOMMUNBAS_COLUMNS,
    };
    let mapping = &plan.statements;
    if !mapping.rules.is_empty() {
        let rows: Vec<Vec<String>> = mapping
            .rules
            .iter()
            .map(|rule| {
                vec![
                    rule.accounts.from().to_owned(),
                    rule.accounts.to().to_owned(),
                    rule.line.clone(),
                    rule.tag.map(|t| t.code().to_owned()).unwrap_or_default(),
                    opt(rule.note.as_deref()),
                ]
            })
            .collect();
        files.insert(KOMMUNBAS, csv_text(&header(&KOMMUNBAS_COLUMNS, &[]), &rows));
    }
    if !mapping.budget.is_empty() {
        let rows: Vec<Vec<String>> = mapping
            .budget
            .iter()
            .map(|b| vec![b.line.clone(), b.year.to_string(), tkr(b.amount)])
            .collect();
        files.insert(BUDGET, csv_text(&header(&BUDGET_COLUMNS, &[]), &rows));
    }
    if !mapping.balance_items.is_empty() {
        let rows: Vec<Vec<String>> = mapping
            .balance_items
            .iter()
            .map(|item| {
                vec![
                    item.year.to_string(),
                    item.kind.code().to_owned(),
                    tkr(item.amount),
                    opt(item.note.as_deref()),
                ]
            })
            .collect();
        files.insert(
            BALANCE_REQUIREMENT,
            csv_text(&header(&BALANCE_COLUMNS, &[]), &rows),
        );
    }
}

fn write_ledger(plan: &Plan, files: &mut Files) {
    let ledger = &plan.ledger;
    if !ledger.rules.is_empty() {
        let rows: Vec<Vec<String>> = ledger
            .rules
            .iter()
            .map(|rule| {
                vec![
                    rule.accounts.from().to_owned(),
                    rule.accounts.to().to_owned(),
                    rule.ansvar.join(";"),
                    rule.target.to_string(),
                    opt(rule.note.as_deref()),
                ]
            })
            .collect();
        let columns = LEDGER_ACCOUNT_COLUMNS;
        files.insert(LEDGER_ACCOUNTS, csv_text(&header(&columns, &[]), &rows));
    }
    if !ledger.units.is_empty() {
        let rows: Vec<Vec<String>> = ledger
            .units
            .iter()
            .map(|unit| {
                vec![
                    unit.object.clone(),
                    unit.unit.to_string(),
                    opt(unit.name.as_deref()),
                ]
            })
            .collect();
        let columns = LEDGER_UNIT_COLUMNS;
        files.insert(LEDGER_UNITS, csv_text(&header(&columns, &[]), &rows));
    }
    if !ledger.projects.is_empty() {
        let rows: Vec<Vec<String>> = ledger
            .projects
            .iter()
            .map(|project| vec![project.object.clone(), project.project.to_string()])
            .collect();
        let columns = LEDGER_PROJECT_COLUMNS;
        files.insert(LEDGER_PROJECTS, csv_text(&header(&columns, &[]), &rows));
    }
    if !ledger.profiles.is_empty() {
        let rows: Vec<Vec<String>> = ledger
            .profiles
            .iter()
            .map(|profile| {
                let mut cells = vec![profile.line.to_string()];
                cells.extend(profile.weights.iter().map(ToString::to_string));
                cells
            })
            .collect();
        let mut columns = vec!["line"];
        columns.extend(PROFILE_MONTHS);
        files.insert(LEDGER_PROFILES, csv_text(&header(&columns, &[]), &rows));
    }
}

fn manifest(plan: &Plan) -> String {
    let mut out = TomlOut::default();
    out.int("format", FORMAT);
    out.table("[municipality]");
    out.str("id", plan.municipality.id.as_str());
    out.str("name", &plan.municipality.name);
    out.str("code", &plan.municipality.code);
    let document = &plan.document;
    out.table("[document]");
    out.str("title", &document.title);
    out.str("body", document.body.as_str());
    let years: Vec<String> = document.years.iter().map(ToString::to_string).collect();
    out.raw("years", &format!("[{}]", years.join(", ")));
    out.opt_str("source", document.source.as_deref());
    for body in &plan.bodies {
        out.table("[[body]]");
        out.str("id", body.id.as_str());
        out.str("name", &body.name);
        out.opt_str("short", body.short.as_deref());
        out.str("kind", body.kind.code());
        out.opt_str("parent", body.parent.as_ref().map(|p| p.as_str()));
        out.opt_str("note", body.note.as_deref());
        out.opt_str(
            "ownership_percent",
            body.ownership_percent.map(|p| p.to_string()).as_deref(),
        );
    }
    for unit in &plan.units {
        out.table("[[unit]]");
        out.str("id", unit.id.as_str());
        out.str("name", &unit.name);
        out.opt_str("short", unit.short.as_deref());
        out.str("body", unit.body.as_str());
        out.opt_str("parent", unit.parent.as_ref().map(|p| p.as_str()));
    }
    for decision in &plan.decisions {
        out.table("[[decision]]");
        out.str("id", decision.id.as_str());
        out.str("body", decision.body.as_str());
        out.opt_str("date", decision.date.as_deref());
        out.opt_int("paragraph", decision.paragraph);
        out.opt_str(
            "case",
            decision.case.as_ref().map(ToString::to_string).as_deref(),
        );
        out.str("title", &decision.title);
    }
    let kolada = &plan.kolada;
    if kolada.comparison_name.is_some() || !kolada.comparison.is_empty() {
        out.table("[kolada]");
        out.opt_str("comparison_name", kolada.comparison_name.as_deref());
        for member in &kolada.comparison {
            out.table("[[kolada.comparison]]");
            out.str("code", &member.code);
            out.str("name", &member.name);
        }
    }
    out.0
}

fn goals(plan: &Plan) -> String {
    let mut out = TomlOut::default();
    for point in &plan.starting_points {
        out.table("[[starting_point]]");
        out.str("id", point.id.as_str());
        out.str("title", &point.title);
    }
    for area in &plan.goal_areas {
        out.table("[[goal_area]]");
        out.str("id", area.id.as_str());
        out.str("name", &area.name);
        out.opt_str("description", area.description.as_deref());
    }
    for goal in &plan.goals {
        out.table("[[goal]]");
        out.str("id", goal.id.as_str());
        out.str("area", goal.area.as_str());
        out.int("number", goal.number);
        out.str("title", &goal.title);
        out.opt_str("description", goal.description.as_deref());
        out.opt_str("parent", goal.parent.as_ref().map(|p| p.as_str()));
    }
    for priority in &plan.priorities {
        out.table("[[priority]]");
        out.str("id", priority.id.as_str());
        out.str("goal", priority.goal.as_str());
        out.str("text", &priority.text);
    }
    out.0
}

fn write_indicators(plan: &Plan, files: &mut Files) {
    let columns = INDICATOR_COLUMNS;
    let rows: Vec<Vec<String>> = plan
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.id.to_string(),
                i.goal.to_string(),
                i.level.code().to_owned(),
                i.name.clone(),
                opt(i.unit.as_deref()),
                opt(i.direction.map(|d| d.code())),
                opt(i.cadence.map(|c| c.code())),
                opt(i.source.map(|s| s.code())),
                opt(i.kolada_kpi.as_deref()),
                opt(i.footnote.as_deref()),
                opt(i.responsible.as_ref().map(Id::as_str)),
            ]
        })
        .collect();
    files.insert(INDICATORS, csv_text(&header(&columns, &[]), &rows));
    let rows: Vec<Vec<String>> = plan
        .indicator_values
        .iter()
        .map(|v| {
            vec![
                v.indicator.to_string(),
                v.year.to_string(),
                v.kind.code().to_owned(),
                v.value.to_string(),
            ]
        })
        .collect();
    files.insert(
        INDICATOR_VALUES,
        csv_text(&header(&INDICATOR_VALUE_COLUMNS, &[]), &rows),
    );
}

fn write_assignments(plan: &Plan, files: &mut Files) {
    let columns = ASSIGNMENT_COLUMNS;
    let rows: Vec<Vec<String>> = plan
        .assignments
        .iter()
        .map(|a| {
            vec![
                a.id.to_string(),
                opt(a.code.as_deref()),
                a.title.clone(),
                opt(a.description.as_deref()),
                a.given_by
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                a.given_year.map(|y| y.to_string()).unwrap_or_default(),
                a.responsible
                    .iter()
                    .map(|b| b.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                opt(a.goal.as_ref().map(Id::as_str)),
            ]
        })
        .collect();
    files.insert(ASSIGNMENTS, csv_text(&header(&columns, &[]), &rows));
    let rows: Vec<Vec<String>> = plan
        .mentions
        .iter()
        .map(|m| {
            vec![
                m.assignment.to_string(),
                m.section.to_string(),
                m.label.clone(),
            ]
        })
        .collect();
    files.insert(MENTIONS, csv_text(&header(&MENTION_COLUMNS, &[]), &rows));
    let rows: Vec<Vec<String>> = plan
        .statuses
        .iter()
        .map(|s| {
            vec![
                s.assignment.to_string(),
                s.period.to_string(),
                s.status.code().to_owned(),
                opt(s.comment.as_deref()),
            ]
        })
        .collect();
    files.insert(STATUSES, csv_text(&header(&STATUS_COLUMNS, &[]), &rows));
}

fn write_budget(plan: &Plan, files: &mut Files) {
    let budget = &plan.budget;
    let mut out = TomlOut::default();
    out.table("[version]");
    out.str("id", budget.version.id.as_str());
    out.str("kind", budget.version.kind.code());
    out.str("name", &budget.version.name);
    out.opt_str(
        "decision",
        budget.version.decision.as_ref().map(|d| d.as_str()),
    );
    out.opt_str(
        "based_on",
        budget.version.based_on.as_ref().map(|d| d.as_str()),
    );
    for frame in &budget.frames {
        out.table("[[frame]]");
        out.int("year", frame.year);
        out.raw("amount", &tkr(frame.amount));
        out.opt_str("decision", frame.decision.as_ref().map(|d| d.as_str()));
    }
    for table in &budget.operating {
        out.table("[[operating_table]]");
        out.str("id", table.id.as_str());
        out.str("title", &table.title);
        out.str("unit", "tkr");
        out.raw("summary", if table.summary { "true" } else { "false" });
    }
    let investment = &budget.investment;
    if !investment.is_absent() {
        out.table("[investment]");
        out.str("title", &investment.title);
        out.str("unit", "tkr");
        out.int("budget_year", investment.budget_year);
        out.opt_str("decision", investment.decision.as_ref().map(|d| d.as_str()));
    }
    if !budget.exploitation.is_absent() {
        out.table("[exploitation]");
        out.str("title", &budget.exploitation.title);
        out.str("unit", "tkr");
        out.int("year", budget.exploitation.year);
    }
    if !budget.finance.is_absent() {
        out.table("[finance]");
        out.str("title", &budget.finance.title);
        out.str("unit", "tkr");
        out.str("summary_title", &budget.finance.summary_title);
    }
    if let Some(change) = &budget.frame_change {
        out.table("[frame_change]");
        out.str("from_label", &change.from_label);
        out.int("to_year", change.to_year);
        out.raw("stated", &tkr(change.stated));
        for component in &change.components {
            out.table("[[frame_change.component]]");
            out.str("id", component.id.as_str());
            out.str("label", &component.label);
            out.raw("amount", &tkr(component.amount));
            out.opt_str("ref", component.reference.as_ref().map(|f| f.text.as_str()));
        }
    }
    if let Some(calc) = &budget.frame_calculation {
        out.table("[frame_calculation]");
        out.int("year", calc.year);
        out.str("base_label", &calc.base_label);
        out.opt_str(
            "base_version",
            calc.base_version.as_ref().map(|d| d.as_str()),
        );
        out.raw("base_amount", &tkr(calc.base_amount));
        out.opt_str("decision", calc.decision.as_ref().map(|d| d.as_str()));
        if calc.synthetic {
            out.raw("synthetic", "true");
        }
    }
    files.insert(BUDGET, out.0);

    if let Some(calc) = &budget.frame_calculation {
        write_frame_calculation(calc, files);
    }
    for table in &budget.operating {
        let path = format!("{OPERATING_DIR}{}.csv", table.id);
        let text = amount_rows_csv(&OPERATING_COLUMNS, &table.years, &table.rows);
        files.insert(&path, text);
    }
    if !investment.is_absent() {
        write_investment(investment, files);
    }
    if !budget.exploitation.is_absent() {
        write_exploitation(&budget.exploitation, files);
    }
    if !budget.finance.is_absent() {
        write_finance(&budget.finance, files);
    }
}

fn write_investment(investment: &InvestmentBudget, files: &mut Files) {
    let rows: Vec<Vec<String>> = investment
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.id.to_string(),
                row.name.clone(),
                row.kind.code().to_owned(),
                opt_tkr(row.until),
            ];
            cells.extend(year_cells(&row.amounts, &investment.years));
            cells
        })
        .collect();
    files.insert(
        INVESTMENT,
        csv_text(&header(&INVESTMENT_COLUMNS, &investment.years), &rows),
    );
    if !investment.projects.is_empty() {
        let rows: Vec<Vec<String>> = investment
            .projects
            .iter()
            .map(|project| {
                vec![
                    project.project.to_string(),
                    tkr(project.decided_total),
                    project
                        .decision
                        .as_ref()
                        .map(Id::to_string)
                        .unwrap_or_default(),
                    project
                        .outcome_until
                        .map(|year| year.to_string())
                        .unwrap_or_default(),
                    opt_tkr(project.outcome),
                    opt_tkr(project.forecast_total),
                ]
            })
            .collect();
        files.insert(
            INVESTMENT_PROJECTS,
            csv_text(&header(&INVESTMENT_PROJECT_COLUMNS, &[]), &rows),
        );
    }
}

fn write_frame_calculation(calc: &FrameCalculation, files: &mut Files) {
    let decimal =
        |value: Option<rust_decimal::Decimal>| value.map(|d| d.to_string()).unwrap_or_default();
    let rows: Vec<Vec<String>> = calc
        .lines
        .iter()
        .map(|line| {
            vec![
                line.id.to_string(),
                line.kind.code().to_owned(),
                line.label.clone(),
                decimal(line.percent),
                decimal(line.volume),
                decimal(line.unit_cost),
                opt_tkr(line.amount),
                line.decision
                    .as_ref()
                    .map(Id::to_string)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let columns = FRAME_CALCULATION_COLUMNS;
    files.insert(FRAME_CALCULATION, csv_text(&header(&columns, &[]), &rows));
}

fn write_exploitation(exploitation: &ExploitationBudget, files: &mut Files) {
    let rows: Vec<Vec<String>> = exploitation
        .rows
        .iter()
        .map(|row| {
            vec![
                row.id.to_string(),
                row.project.clone(),
                row.name.clone(),
                row.kind.code().to_owned(),
                opt_tkr(row.income),
                opt_tkr(row.cost),
                opt_tkr(row.net),
            ]
        })
        .collect();
    let columns = EXPLOITATION_COLUMNS;
    files.insert(EXPLOITATION, csv_text(&header(&columns, &[]), &rows));
}

fn write_finance(finance: &FinanceBudget, files: &mut Files) {
    let mut rows = Vec::new();
    for row in &finance.rows {
        for line in &row.lines {
            let mut cells = vec![
                row.id.to_string(),
                row.name.clone(),
                row.kind.code().to_owned(),
                row.group
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                line.measure.code().to_owned(),
            ];
            cells.extend(year_cells(&line.amounts, &finance.years));
            rows.push(cells);
        }
    }
    let columns = FINANCE_COLUMNS;
    files.insert(FINANCE, csv_text(&header(&columns, &finance.years), &rows));
    let text = amount_rows_csv(
        &FINANCE_SUMMARY_COLUMNS,
        &finance.summary_years,
        &finance.summary,
    );
    files.insert(FINANCE_SUMMARY, text);
}

fn council_toml(council: &CouncilBudget) -> String {
    let mut out = TomlOut::default();
    if council.synthetic {
        out.raw("synthetic", "true");
    }
    out.opt_str("decision", council.decision.as_ref().map(|d| d.as_str()));
    if let Some(goal) = council.result_goal() {
        out.table("[financial_goal]");
        out.str("result_share", &goal.share_or_zero().to_string());
        out.opt_str("text", goal.text.as_deref());
    }
    for goal in council
        .financial_goals
        .iter()
        .filter(|goal| goal.kind != FinancialGoalKind::Result)
    {
        out.table("[[geh_goal]]");
        out.str("kind", goal.kind.code());
        out.opt_str("share", goal.share.map(|s| s.to_string()).as_deref());
        out.opt_str("text", goal.text.as_deref());
    }
    for judgement in &council.geh_judgements {
        out.table("[[geh_judgement]]");
        out.str("period", &judgement.period.to_string());
        out.str("verdict", judgement.verdict.code());
        out.str("text", &judgement.text);
    }
    for year in &council.years {
        out.table("[[year]]");
        out.int("year", year.year);
        out.str("tax_rate", &year.tax_rate.to_string());
        out.raw("tax_revenue", &tkr(year.tax_revenue));
        out.raw("grants", &tkr(year.grants));
        out.raw("financial_net", &tkr(year.financial_net));
        out.raw("result", &tkr(year.result));
    }
    for frame in &council.frames {
        out.table("[[body_frame]]");
        out.str("body", frame.body.as_str());
        out.int("year", frame.year);
        out.raw("amount", &tkr(frame.amount));
        out.opt_str("decision", frame.decision.as_ref().map(|d| d.as_str()));
    }
    for item in &council.central_items {
        out.table("[[central_item]]");
        out.str("id", item.id.as_str());
        out.str("name", &item.name);
        out.int("year", item.year);
        out.raw("amount", &tkr(item.amount));
    }
    for elimination in &council.eliminations {
        out.table("[[elimination]]");
        out.str("id", elimination.id.as_str());
        out.str("name", &elimination.name);
        out.int("year", elimination.year);
        out.raw("amount", &tkr(elimination.amount));
    }
    for change in &council.appropriation_changes {
        out.table("[[appropriation_change]]");
        out.str("body", change.body.as_str());
        out.int("year", change.year);
        out.raw("amount", &tkr(change.amount));
        out.str("kind", change.kind.code());
        out.str("decision", change.decision.as_str());
        out.str("date", &change.date);
        out.str("text", &change.text);
    }
    out.0
}

fn company_toml(company: &CompanyBudget) -> String {
    let mut out = TomlOut::default();
    if company.synthetic {
        out.raw("synthetic", "true");
    }
    out.opt_str("decision", company.decision.as_ref().map(|d| d.as_str()));
    for year in &company.years {
        out.table("[[year]]");
        out.int("year", year.year);
        out.raw("result_before_tax", &tkr(year.result_before_tax));
        out.raw("investments", &tkr(year.investments));
    }
    out.0
}

fn followup(plan: &Plan) -> String {
    let mut out = TomlOut::default();
    if plan.forecast_rules != ForecastRules::default() {
        out.table("[rules]");
        out.str(
            "forecast_explanation_percent",
            &plan.forecast_rules.percent.to_string(),
        );
        out.opt_int(
            "forecast_explanation_tkr",
            plan.forecast_rules.amount.whole_tkr(),
        );
    }
    for period in &plan.periods {
        out.table("[[period]]");
        out.str("id", period.id.as_str());
        out.str("month", &period.month.to_string());
        out.str("kind", period.kind.code());
        out.str("title", &period.title);
        out.opt_str("deadline", period.deadline.as_deref());
        if period.state != PeriodState::Open {
            out.str("state", period.state.code());
        }
        if period.synthetic {
            out.raw("synthetic", "true");
        }
    }
    for figure in &plan.figures {
        out.table("[[figure]]");
        out.str("id", figure.id.as_str());
        out.str("period", figure.period.as_str());
        out.str("label", &figure.label);
        out.str("value", &figure.value.to_string());
        out.str("unit", &figure.unit);
        out.opt_str(
            "computed",
            figure.computed.as_ref().map(|c| c.text.as_str()),
        );
    }
    out.0
}

fn acknowledgements(plan: &Plan) -> String {
    let mut out = TomlOut::default();
    for acknowledgement in &plan.acknowledgements {
        out.table("[[acknowledgement]]");
        out.str("finding", &acknowledgement.finding);
        out.str("reason", &acknowledgement.reason);
        out.str("by", &acknowledgement.by);
        out.str("at", &acknowledgement.at);
    }
    out.0
}

fn control(plan: &Plan) -> String {
    let mut out = TomlOut::default();
    if plan.control.synthetic {
        out.raw("synthetic", "true");
    }
    if let Some(scale) = &plan.control.scale {
        out.table("[scale]");
        out.int("likelihood", scale.likelihood);
        out.int("consequence", scale.consequence);
        for band in &scale.bands {
            out.table("[[scale.band]]");
            out.int("min_score", band.min_score);
            out.str("label", &band.label);
            out.str("colour", &band.colour);
        }
    }
    for risk in &plan.control.risks {
        out.table("[[risk]]");
        out.str("id", risk.id.as_str());
        out.str("title", &risk.title);
        out.opt_str("description", risk.description.as_deref());
        out.opt_str("process", risk.process.as_deref());
        out.opt_str("owner", risk.owner.as_ref().map(|o| o.as_str()));
        out.opt_str("decision", risk.decision.map(|d| d.code()));
        for assessment in &risk.assessments {
            out.table("[[risk.assessment]]");
            out.int("year", assessment.year);
            out.int("likelihood", assessment.likelihood);
            out.int("consequence", assessment.consequence);
        }
    }
    for control in &plan.control.controls {
        out.table("[[control]]");
        out.str("id", control.id.as_str());
        out.opt_str("risk", control.risk.as_ref().map(|r| r.as_str()));
        out.str("title", &control.title);
        out.opt_str("checks", control.checks.as_deref());
        out.opt_str("method", control.method.as_deref());
        out.opt_str("frequency", control.frequency.as_deref());
        out.opt_str(
            "responsible",
            control.responsible.as_ref().map(|r| r.as_str()),
        );
        out.opt_int("year", control.year);
        if !control.periods.is_empty() {
            let periods: Vec<String> = control
                .periods
                .iter()
                .map(|p| toml::Value::String(p.to_string()).to_string())
                .collect();
            out.raw("periods", &format!("[{}]", periods.join(", ")));
        }
        out.opt_str("decision", control.decision.as_ref().map(|d| d.as_str()));
    }
    for audit in &plan.control.audits {
        out.table("[[audit]]");
        out.str("id", audit.id.as_str());
        out.str("title", &audit.title);
        out.opt_str(
            "case",
            audit.case.as_ref().map(ToString::to_string).as_deref(),
        );
        out.opt_int("year", audit.year);
        out.opt_str("date", audit.date.as_deref());
        out.opt_str("auditor", audit.auditor.as_deref());
        out.opt_str(
            "received_by",
            audit.received_by.as_ref().map(|d| d.as_str()),
        );
        out.opt_str("note", audit.note.as_deref());
        for recommendation in &audit.recommendations {
            out.table("[[audit.recommendation]]");
            out.str("id", recommendation.id.as_str());
            out.str("text", &recommendation.text);
            for action in &recommendation.actions {
                out.table("[[audit.recommendation.action]]");
                out.str("id", action.id.as_str());
                out.str("text", &action.text);
                out.opt_str("owner", action.owner.as_ref().map(|o| o.as_str()));
                out.opt_str("due", action.due.as_deref());
                out.str("status", action.status.code());
                out.opt_str("evidence", action.evidence.as_deref());
                out.opt_str("reason", action.reason.as_deref());
            }
        }
    }
    out.0
}

fn document(plan: &Plan) -> String {
    let mut out = TomlOut::default();
    for section in &plan.sections {
        out.table("[[section]]");
        out.str("id", section.id.as_str());
        out.str("title", &section.title);
        out.int("level", section.level);
        out.opt_str("file", section.file.as_deref());
        if !section.show.is_empty() {
            let show: Vec<String> = section
                .show
                .iter()
                .map(|s| toml::Value::String(s.to_string()).to_string())
                .collect();
            out.raw("show", &format!("[{}]", show.join(", ")));
        }
    }
    out.0
}
