//! Reading a package: files → DTOs → domain values, every problem collected with its place.

use crate::Diagnostic;
use crate::csv_table::{CsvTable, RowReader, parse_decimal};
use crate::files::Files;
use crate::text::decode_utf8;
use crate::toml_read::{self as dto, TomlReader};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use styr_domain::acknowledgement::Acknowledgement;
use styr_domain::activity::ActivityMeasures;
use styr_domain::assignment::{Assignment, AssignmentMention, AssignmentStatus, StatusReport};
use styr_domain::budget::{
    AmountRow, Budget, BudgetVersion, ExploitationBudget, ExploitationRow, FigureFormula,
    FinanceBudget, FinanceLine, FinanceRow, Frame, FrameCalculation, FrameChange,
    FrameChangeComponent, FrameLine, FrameLineKind, InvestmentBudget, InvestmentProject,
    InvestmentRow, Measure, OperatingTable, RowKind, VersionKind,
};
use styr_domain::claim::parse_claims;
use styr_domain::control::{
    ActionStatus, Audit, AuditAction, Control, InternalControl, Recommendation, Risk,
    RiskAssessment, RiskBand, RiskDecision, RiskScale,
};
use styr_domain::council::{
    AppropriationChange, AppropriationKind, BodyFrame, CentralItem, CompanyBudget, CompanyYear,
    CouncilBudget, CouncilYear, Elimination, FinancialGoal, FinancialGoalKind, GehJudgement,
    GehVerdict,
};
use styr_domain::document::{Narrative, Section, ShowBlockError};
use styr_domain::expr::parse_formula;
use styr_domain::followup::{
    FollowUpFigure, FollowUpPeriod, ForecastRules, PeriodKind, PeriodState, is_valid_date,
};
use styr_domain::goal::{
    Cadence, Direction, Goal, GoalArea, Indicator, IndicatorLevel, IndicatorSource, IndicatorValue,
    Priority, StartingPoint, ValueKind,
};
use styr_domain::kolada::{ComparisonMunicipality, KoladaSettings};
use styr_domain::ledger::{
    AccountRange, AccountRangeError, AccountRule, BudgetLineRef, BudgetProfile, LedgerMapping,
    ProjectMapping, RuleTarget, UnitMapping,
};
use styr_domain::org::{Body, BodyKind, CaseNumber, Decision, Municipality, OrgUnit};
use styr_domain::personnel::Personnel;
use styr_domain::plan::DocumentInfo;
use styr_domain::{Id, Location, Money, Month, Plan, Year};

pub const MANIFEST: &str = "styr.toml";
pub const GOALS: &str = "goals.toml";
pub const INDICATORS: &str = "indicators.csv";
pub const INDICATOR_VALUES: &str = "indicator_values.csv";
pub const ASSIGNMENTS: &str = "assignments.csv";
pub const MENTIONS: &str = "assignment_mentions.csv";
pub const STATUSES: &str = "assignment_status.csv";
pub const BUDGET: &str = "budget.toml";
pub const OPERATING_DIR: &str = "budget/operating/";
pub const INVESTMENT: &str = "budget/investment.csv";
/// The investment projects followed up over their whole life (optional).
pub const INVESTMENT_PROJECTS: &str = "budget/investment_projects.csv";
pub const EXPLOITATION: &str = "budget/exploitation.csv";
pub const FINANCE: &str = "budget/finance.csv";
pub const FINANCE_SUMMARY: &str = "budget/finance_summary.csv";
pub const FRAME_CALCULATION: &str = "budget/frame_calculation.csv";
pub const FOLLOWUP: &str = "followup.toml";
pub const CONTROL: &str = "control.toml";
pub const ACKNOWLEDGEMENTS: &str = "acknowledgements.toml";
pub const COUNCIL: &str = "council.toml";
pub const COMPANY: &str = "company.toml";
pub const DOCUMENT: &str = "document.toml";
pub const NARRATIVE_DIR: &str = "narrative/";
pub const LEDGER_DIR: &str = "ledger/";
pub const LEDGER_ACCOUNTS: &str = "ledger/accounts.csv";
pub const LEDGER_UNITS: &str = "ledger/units.csv";
pub const LEDGER_PROJECTS: &str = "ledger/projects.csv";
pub const LEDGER_PROFILES: &str = "ledger/profiles.csv";
/// The month columns of `ledger/profiles.csv`, January first.
pub const PROFILE_MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// The format version this reader understands.
pub const FORMAT: u32 = 1;

/// The columns of each CSV file, in the order they are written.
pub const INDICATOR_COLUMNS: [&str; 11] = [
    "id",
    "goal",
    "level",
    "name",
    "unit",
    "direction",
    "cadence",
    "source",
    "kolada_kpi",
    "footnote",
    "responsible",
];
pub const INDICATOR_VALUE_COLUMNS: [&str; 4] = ["indicator", "year", "kind", "value"];
pub const ASSIGNMENT_COLUMNS: [&str; 8] = [
    "id",
    "code",
    "title",
    "description",
    "given_by",
    "given_year",
    "responsible",
    "goal",
];
pub const MENTION_COLUMNS: [&str; 3] = ["assignment", "section", "label"];
pub const STATUS_COLUMNS: [&str; 4] = ["assignment", "period", "status", "comment"];
pub const OPERATING_COLUMNS: [&str; 5] = ["id", "name", "kind", "parent", "ref"];
pub const INVESTMENT_COLUMNS: [&str; 4] = ["id", "name", "kind", "tom"];
pub const INVESTMENT_PROJECT_COLUMNS: [&str; 6] = [
    "project",
    "decided_total",
    "decision",
    "outcome_until",
    "outcome",
    "forecast_total",
];
pub const EXPLOITATION_COLUMNS: [&str; 7] =
    ["id", "project", "name", "kind", "income", "cost", "net"];
pub const FINANCE_COLUMNS: [&str; 5] = ["id", "name", "kind", "group", "measure"];
pub const FINANCE_SUMMARY_COLUMNS: [&str; 3] = ["id", "name", "ref"];
pub const FRAME_CALCULATION_COLUMNS: [&str; 8] = [
    "id",
    "kind",
    "label",
    "percent",
    "volume",
    "unit_cost",
    "amount",
    "decision",
];
pub const LEDGER_ACCOUNT_COLUMNS: [&str; 5] = ["from", "to", "ansvar", "target", "note"];
pub const LEDGER_UNIT_COLUMNS: [&str; 3] = ["object", "unit", "name"];
pub const LEDGER_PROJECT_COLUMNS: [&str; 2] = ["object", "project"];
pub const PERSONNEL_HOURS: &str = "personal/timmar.csv";
pub const PERSONNEL_STAFF: &str = "personal/anstallda.csv";
pub const MEASURES: &str = "matt/matt.csv";
pub const MEASURE_BUDGET: &str = "matt/budget.csv";
pub const PERSONNEL_HOURS_COLUMNS: [&str; 8] = [
    "unit",
    "month",
    "gender",
    "age_group",
    "ordinarie_timmar",
    "sjuk_timmar",
    "langtid_timmar",
    "synthetic",
];
pub const PERSONNEL_STAFF_COLUMNS: [&str; 8] = [
    "unit",
    "month",
    "gender",
    "tillsvidare",
    "visstid",
    "arsarbetare",
    "avgangar",
    "synthetic",
];
pub const MEASURE_COLUMNS: [&str; 5] = ["id", "unit", "name", "unit_of_measure", "synthetic"];
pub const MEASURE_BUDGET_COLUMNS: [&str; 3] = ["measure", "period", "volume"];

pub(crate) struct Reader<'a> {
    pub(crate) files: &'a Files,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) used: BTreeSet<String>,
}

impl<'a> Reader<'a> {
    /// The text of a file; `None` (with a diagnostic when required) if absent or not UTF-8.
    fn text(&mut self, path: &str, required: bool) -> Option<&'a str> {
        self.used.insert(path.to_owned());
        let Some(bytes) = self.files.get(path) else {
            if required {
                self.diagnostics
                    .push(Diagnostic::new(path, 0, "", "filen saknas i paketet"));
            }
            return None;
        };
        match decode_utf8(path, bytes) {
            Ok(text) => Some(text),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn toml<T: for<'de> serde::Deserialize<'de>>(
        &mut self,
        path: &str,
        required: bool,
    ) -> Option<(T, &'a str)> {
        let text = self.text(path, required)?;
        match dto::parse(path, text) {
            Ok(value) => Some((value, text)),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    pub(crate) fn csv(
        &mut self,
        path: &str,
        required: bool,
        columns: &[&str],
        years: bool,
    ) -> Option<CsvTable> {
        self.csv_with_optional(path, required, columns, &[], years)
    }

    /// As `csv`, where the `optional` columns of `columns` may be left out of the file (columns
    /// added to the format later: a package written before still reads).
    pub(crate) fn csv_with_optional(
        &mut self,
        path: &str,
        required: bool,
        columns: &[&str],
        optional: &[&str],
        years: bool,
    ) -> Option<CsvTable> {
        let text = self.text(path, required)?;
        match CsvTable::parse(path, text) {
            Ok(table) => {
                let needed: Vec<&str> = columns
                    .iter()
                    .copied()
                    .filter(|c| !optional.contains(c))
                    .collect();
                let mut problems = table.require(&needed);
                problems.extend(table.unknown_columns(columns, years));
                if problems.is_empty() {
                    Some(table)
                } else {
                    self.diagnostics.extend(problems);
                    None
                }
            }
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// Runs `read_row` over every row of a table.
    pub(crate) fn rows<T>(
        &mut self,
        table: &CsvTable,
        mut read_row: impl FnMut(&mut RowReader) -> T,
    ) -> Vec<T> {
        table
            .rows
            .iter()
            .map(|row| {
                read_row(&mut RowReader {
                    table,
                    row,
                    diagnostics: &mut self.diagnostics,
                })
            })
            .collect()
    }
}

/// Reads a package from its files: the whole plan, or every problem found.
pub fn read_files(files: &Files) -> Result<Plan, Vec<Diagnostic>> {
    let mut reader = Reader {
        files,
        diagnostics: Vec::new(),
        used: BTreeSet::new(),
    };
    let manifest = read_manifest(&mut reader);
    let goals = read_goals(&mut reader);
    let (indicators, indicator_values) = read_indicators(&mut reader);
    let (assignments, mentions, statuses) = read_assignments(&mut reader);
    let budget = read_budget(&mut reader);
    let (periods, figures, forecast_rules) = read_followup(&mut reader);
    let control = read_control(&mut reader);
    let sections = read_document(&mut reader);
    let narratives = read_narratives(&mut reader);
    let ledger = read_ledger(&mut reader);
    let acknowledgements = read_acknowledgements(&mut reader);
    let council = read_council(&mut reader);
    let company = read_company(&mut reader);
    let personnel = read_personnel(&mut reader);
    let activity = read_activity(&mut reader);
    let statements = crate::statements::read(&mut reader);
    let municipality_id = manifest.as_ref().map(|m| m.0.id.clone());
    read_followup_reports(&mut reader, municipality_id.as_ref());
    for path in files.files.keys() {
        if !reader.used.contains(path) {
            reader.diagnostics.push(Diagnostic::new(
                path,
                0,
                "",
                "filen hör inte till paketformatet (se docs/plan-format.md)",
            ));
        }
    }
    let mut diagnostics = reader.diagnostics;
    let (
        Some((municipality, document, bodies, units, decisions, kolada)),
        Some(goals),
        Some(budget),
    ) = (manifest, goals, budget)
    else {
        diagnostics.sort();
        return Err(diagnostics);
    };
    let (starting_points, goal_areas, goal_list, priorities) = goals;
    let plan = Plan {
        municipality,
        document,
        bodies,
        units,
        decisions,
        starting_points,
        goal_areas,
        goals: goal_list,
        priorities,
        indicators,
        indicator_values,
        assignments,
        mentions,
        statuses,
        budget,
        periods,
        figures,
        forecast_rules,
        control,
        sections,
        narratives,
        ledger,
        acknowledgements,
        kolada,
        kolada_values: Vec::new(),
        council,
        company,
        personnel,
        activity,
        statements,
    };
    if diagnostics.is_empty() {
        for problem in plan.reference_problems() {
            diagnostics.push(Diagnostic::new(
                &problem.at.file,
                problem.at.line,
                &problem.field,
                problem.message,
            ));
        }
        check_sections(&plan, &mut diagnostics);
        check_text_claims(&plan, &mut diagnostics);
    }
    if diagnostics.is_empty() {
        Ok(plan)
    } else {
        diagnostics.sort();
        diagnostics.dedup();
        Err(diagnostics)
    }
}

type Manifest = (
    Municipality,
    DocumentInfo,
    Vec<Body>,
    Vec<OrgUnit>,
    Vec<Decision>,
    KoladaSettings,
);

fn read_manifest(reader: &mut Reader) -> Option<Manifest> {
    let (file, text) = reader.toml::<dto::ManifestFile>(MANIFEST, true)?;
    let mut toml = TomlReader::new(MANIFEST, text, &mut reader.diagnostics);
    if *file.format.get_ref() != FORMAT {
        let found = *file.format.get_ref();
        toml.error(
            &file.format,
            "format",
            format!("format {found} stöds inte; styr läser format {FORMAT}"),
        );
    }
    let code = &file.municipality.code;
    if code.get_ref().len() != 4 || !code.get_ref().bytes().all(|b| b.is_ascii_digit()) {
        toml.error(code, "code", "kommunkoden ska vara fyra siffror");
    }
    let municipality = Municipality {
        id: toml.id(&file.municipality.id, "id"),
        name: file.municipality.name.clone(),
        code: code.get_ref().clone(),
    };
    let document = DocumentInfo {
        title: file.document.title.get_ref().clone(),
        body: toml.id(&file.document.body, "body"),
        years: file.document.years.clone(),
        source: file.document.source.clone(),
        at: toml.at(&file.document.title),
    };
    let bodies = file
        .body
        .iter()
        .map(|body| Body {
            id: toml.id(&body.id, "id"),
            name: body.name.clone(),
            short: body.short.clone(),
            kind: toml.code(
                &body.kind,
                "kind",
                BodyKind::parse,
                &BodyKind::codes(),
                BodyKind::Other,
            ),
            parent: toml.optional_id(&body.parent, "parent"),
            note: body.note.clone(),
            ownership_percent: body.ownership_percent.as_ref().and_then(|percent| {
                let parsed = parse_decimal(percent.get_ref());
                if parsed.is_none() {
                    toml.error(
                        percent,
                        "ownership_percent",
                        format!(
                            "{:?} är ingen ägarandel i procent (skriv t.ex. \"100\")",
                            percent.get_ref()
                        ),
                    );
                }
                parsed
            }),
            at: toml.at(&body.id),
        })
        .collect();
    let units = file
        .unit
        .iter()
        .map(|unit| OrgUnit {
            id: toml.id(&unit.id, "id"),
            name: unit.name.clone(),
            short: unit.short.clone(),
            body: toml.id(&unit.body, "body"),
            parent: toml.optional_id(&unit.parent, "parent"),
            at: toml.at(&unit.id),
        })
        .collect();
    let decisions = file
        .decision
        .iter()
        .map(|decision| {
            if let Some(date) = &decision.date
                && !is_valid_date(date.get_ref())
            {
                toml.error(
                    date,
                    "date",
                    format!("{:?} är inte ett datum (ÅÅÅÅ-MM-DD)", date.get_ref()),
                );
            }
            let case = decision.case.as_ref().and_then(|case| {
                let parsed = CaseNumber::parse(case.get_ref());
                if parsed.is_none() {
                    toml.error(
                        case,
                        "case",
                        format!(
                            "{:?} är inte ett diarienummer (t.ex. KS 2020/243)",
                            case.get_ref()
                        ),
                    );
                }
                parsed
            });
            Decision {
                id: toml.id(&decision.id, "id"),
                body: toml.id(&decision.body, "body"),
                date: decision.date.as_ref().map(|d| d.get_ref().clone()),
                paragraph: decision.paragraph,
                case,
                title: decision.title.clone(),
                at: toml.at(&decision.id),
            }
        })
        .collect();
    let kolada = read_kolada(&file.kolada, &municipality, &mut toml);
    Some((municipality, document, bodies, units, decisions, kolada))
}

/// The `[kolada]` table: the comparison group, each member a four-digit code once and never the
/// municipality itself.
fn read_kolada(
    kolada: &Option<dto::KoladaDto>,
    municipality: &Municipality,
    toml: &mut TomlReader,
) -> KoladaSettings {
    let Some(kolada) = kolada else {
        return KoladaSettings::default();
    };
    let mut seen = BTreeSet::new();
    let comparison = kolada
        .comparison
        .iter()
        .map(|member| {
            let code = member.code.get_ref();
            if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
                toml.error(&member.code, "code", "kommunkoden ska vara fyra siffror");
            } else if *code == municipality.code {
                toml.error(
                    &member.code,
                    "code",
                    format!("{code} är kommunen själv, inte en jämförelsekommun"),
                );
            } else if !seen.insert(code.clone()) {
                toml.error(
                    &member.code,
                    "code",
                    format!("{code} står två gånger i jämförelsegruppen"),
                );
            }
            ComparisonMunicipality {
                code: code.clone(),
                name: member.name.clone(),
                at: toml.at(&member.code),
            }
        })
        .collect();
    KoladaSettings {
        comparison_name: kolada.comparison_name.clone(),
        comparison,
    }
}

type Goals = (Vec<StartingPoint>, Vec<GoalArea>, Vec<Goal>, Vec<Priority>);

fn read_goals(reader: &mut Reader) -> Option<Goals> {
    let (file, text) = reader.toml::<dto::GoalsFile>(GOALS, true)?;
    let mut toml = TomlReader::new(GOALS, text, &mut reader.diagnostics);
    let starting_points = file
        .starting_point
        .iter()
        .map(|point| StartingPoint {
            id: toml.id(&point.id, "id"),
            title: point.title.clone(),
            at: toml.at(&point.id),
        })
        .collect();
    let areas = file
        .goal_area
        .iter()
        .map(|area| GoalArea {
            id: toml.id(&area.id, "id"),
            name: area.name.clone(),
            description: area.description.clone(),
            at: toml.at(&area.id),
        })
        .collect();
    let goals = file
        .goal
        .iter()
        .map(|goal| Goal {
            id: toml.id(&goal.id, "id"),
            area: toml.id(&goal.area, "area"),
            number: goal.number,
            title: goal.title.clone(),
            description: goal.description.clone(),
            parent: toml.optional_id(&goal.parent, "parent"),
            at: toml.at(&goal.id),
        })
        .collect();
    let priorities = file
        .priority
        .iter()
        .map(|priority| Priority {
            id: toml.id(&priority.id, "id"),
            goal: toml.id(&priority.goal, "goal"),
            text: priority.text.clone(),
            at: toml.at(&priority.id),
        })
        .collect();
    Some((starting_points, areas, goals, priorities))
}

fn read_indicators(reader: &mut Reader) -> (Vec<Indicator>, Vec<IndicatorValue>) {
    let columns = INDICATOR_COLUMNS;
    let indicators =
        match reader.csv_with_optional(INDICATORS, false, &columns, &["responsible"], false) {
            Some(table) => reader.rows(&table, |row| Indicator {
                id: row.id("id"),
                goal: row.id("goal"),
                level: row.code(
                    "level",
                    IndicatorLevel::parse,
                    &IndicatorLevel::codes(),
                    IndicatorLevel::Council,
                ),
                name: row.text("name"),
                unit: row.optional_text("unit"),
                direction: row.optional_code("direction", Direction::parse, &Direction::codes()),
                cadence: row.optional_code("cadence", Cadence::parse, &Cadence::codes()),
                source: row.optional_code(
                    "source",
                    IndicatorSource::parse,
                    &IndicatorSource::codes(),
                ),
                kolada_kpi: row.optional_text("kolada_kpi"),
                footnote: row.optional_text("footnote"),
                responsible: row.optional_id("responsible"),
                at: row.at(),
            }),
            None => Vec::new(),
        };
    let columns = INDICATOR_VALUE_COLUMNS;
    let values = match reader.csv(INDICATOR_VALUES, false, &columns, false) {
        Some(table) => {
            let mut seen = BTreeSet::new();
            reader.rows(&table, |row| {
                let value = IndicatorValue {
                    indicator: row.id("indicator"),
                    year: row.year("year"),
                    kind: row.code(
                        "kind",
                        ValueKind::parse,
                        &ValueKind::codes(),
                        ValueKind::Outcome,
                    ),
                    value: row.decimal("value"),
                    at: row.at(),
                };
                if !seen.insert((value.indicator.clone(), value.year, value.kind)) {
                    row.error(
                        "year",
                        format!(
                            "{} {} {} finns redan",
                            value.indicator,
                            value.kind.code(),
                            value.year
                        ),
                    );
                }
                value
            })
        }
        None => Vec::new(),
    };
    (indicators, values)
}

type Assignments = (Vec<Assignment>, Vec<AssignmentMention>, Vec<StatusReport>);

fn read_assignments(reader: &mut Reader) -> Assignments {
    let columns = ASSIGNMENT_COLUMNS;
    // `goal` was added with the goal cascade (issue 20): a package written before still reads.
    let assignments = match reader.csv_with_optional(ASSIGNMENTS, false, &columns, &["goal"], false)
    {
        Some(table) => reader.rows(&table, |row| {
            let responsible = row.id_list("responsible");
            if responsible.is_empty() {
                row.error("responsible", "minst ett ansvarigt organ krävs");
            }
            Assignment {
                id: row.id("id"),
                code: row.optional_text("code"),
                title: row.text("title"),
                description: row.optional_text("description"),
                given_by: row.optional_id("given_by"),
                given_year: row.optional_year("given_year"),
                responsible,
                goal: row.optional_id("goal"),
                at: row.at(),
            }
        }),
        None => Vec::new(),
    };
    let columns = MENTION_COLUMNS;
    let mentions = match reader.csv(MENTIONS, false, &columns, false) {
        Some(table) => reader.rows(&table, |row| AssignmentMention {
            assignment: row.id("assignment"),
            section: row.id("section"),
            label: row.text("label"),
            at: row.at(),
        }),
        None => Vec::new(),
    };
    let columns = STATUS_COLUMNS;
    let statuses = match reader.csv(STATUSES, false, &columns, false) {
        Some(table) => {
            let mut seen = BTreeSet::new();
            reader.rows(&table, |row| {
                let report = StatusReport {
                    assignment: row.id("assignment"),
                    period: row.id("period"),
                    status: row.code(
                        "status",
                        AssignmentStatus::parse,
                        &AssignmentStatus::codes(),
                        AssignmentStatus::Unknown,
                    ),
                    comment: row.optional_text("comment"),
                    at: row.at(),
                };
                if !seen.insert((report.assignment.clone(), report.period.clone())) {
                    row.error(
                        "period",
                        format!(
                            "status för {} i {} finns redan",
                            report.assignment, report.period
                        ),
                    );
                }
                report
            })
        }
        None => Vec::new(),
    };
    (assignments, mentions, statuses)
}

fn formula(row: &mut RowReader, column: &str) -> Option<FigureFormula> {
    let text = row.optional_text(column)?;
    match parse_formula(&text) {
        Ok(formula) => Some(FigureFormula { text, formula }),
        Err(error) => {
            row.error(column, error.to_string());
            None
        }
    }
}

fn year_amounts(row: &mut RowReader, years: &[(usize, Year)]) -> BTreeMap<Year, Money> {
    let mut amounts = BTreeMap::new();
    for &(index, year) in years {
        let value = row.cell_at(index).to_owned();
        if let Some(money) = row.tkr_value(&year.to_string(), &value) {
            amounts.insert(year, money);
        }
    }
    amounts
}

fn read_amount_rows(
    reader: &mut Reader,
    path: &str,
    columns: &[&str],
) -> Option<(Vec<Year>, Vec<AmountRow>)> {
    let table = reader.csv(path, true, columns, true)?;
    let years = table.year_columns();
    let has = |column: &str| table.headers.iter().any(|h| h == column);
    let (has_kind, has_parent) = (has("kind"), has("parent"));
    let rows = reader.rows(&table, |row| {
        let kind = if has_kind {
            row.code("kind", RowKind::parse, &RowKind::codes(), RowKind::Line)
        } else {
            RowKind::Line
        };
        let parent = if has_parent {
            row.optional_id("parent")
        } else {
            None
        };
        if kind == RowKind::Part && parent.is_none() {
            row.error("parent", "en del (part) måste ange sin rad i parent");
        }
        AmountRow {
            id: row.id("id"),
            name: row.text("name"),
            kind,
            parent,
            reference: formula(row, "ref"),
            amounts: year_amounts(row, &years),
            at: row.at(),
        }
    });
    Some((years.into_iter().map(|(_, y)| y).collect(), rows))
}

fn read_budget(reader: &mut Reader) -> Option<Budget> {
    let Some((file, text)) = reader.toml::<dto::BudgetFile>(BUDGET, true) else {
        // The tables cannot be read without their definitions; don't call them strays.
        let tables = reader
            .files
            .files
            .keys()
            .filter(|path| path.starts_with("budget/"));
        reader.used.extend(tables.cloned());
        return None;
    };
    let mut toml = TomlReader::new(BUDGET, text, &mut reader.diagnostics);
    let version = BudgetVersion {
        id: toml.id(&file.version.id, "id"),
        kind: toml.code(
            &file.version.kind,
            "kind",
            VersionKind::parse,
            &VersionKind::codes(),
            VersionKind::Proposal,
        ),
        name: file.version.name.clone(),
        decision: toml.optional_id(&file.version.decision, "decision"),
        based_on: toml.optional_id(&file.version.based_on, "based_on"),
        at: toml.at(&file.version.id),
    };
    if version.kind != VersionKind::Proposal && version.decision.is_none() {
        toml.error(
            &file.version.kind,
            "decision",
            "en beslutad eller justerad version måste ange sitt beslut",
        );
    }
    let money = |toml: &mut TomlReader, at: &toml::Spanned<String>, field: &str, tkr: i64| {
        Money::from_tkr(tkr).unwrap_or_else(|| {
            toml.error(at, field, "beloppet är för stort");
            Money::ZERO
        })
    };
    let frames: Vec<Frame> = file
        .frame
        .iter()
        .map(|frame| Frame {
            year: *frame.year.get_ref(),
            amount: Money::from_tkr(frame.amount).unwrap_or_else(|| {
                toml.error(&frame.year, "amount", "beloppet är för stort");
                Money::ZERO
            }),
            decision: toml.optional_id(&frame.decision, "decision"),
            at: toml.at(&frame.year),
        })
        .collect();
    let table_defs: Vec<(Id, String, bool, Location)> = file
        .operating_table
        .iter()
        .map(|table| {
            toml.unit_tkr(&table.unit);
            (
                toml.id(&table.id, "id"),
                table.title.clone(),
                table.summary,
                toml.at(&table.id),
            )
        })
        .collect();
    // The investment, exploitation and finance budgets are optional (a council's or a
    // company's plan has none): absent, each is its empty default.
    let investment_head = file.investment.as_ref().map(|investment| {
        toml.unit_tkr(&investment.unit);
        (
            toml.optional_id(&investment.decision, "decision"),
            toml.at(&investment.title),
        )
    });
    let exploitation_at = file.exploitation.as_ref().map(|exploitation| {
        toml.unit_tkr(&exploitation.unit);
        toml.at(&exploitation.title)
    });
    let finance_at = file.finance.as_ref().map(|finance| {
        toml.unit_tkr(&finance.unit);
        toml.at(&finance.title)
    });
    let frame_change = file.frame_change.as_ref().map(|change| FrameChange {
        from_label: change.from_label.get_ref().clone(),
        to_year: change.to_year,
        stated: money(&mut toml, &change.from_label, "stated", change.stated),
        components: change
            .component
            .iter()
            .map(|component| FrameChangeComponent {
                id: toml.id(&component.id, "id"),
                label: component.label.clone(),
                amount: money(&mut toml, &component.id, "amount", component.amount),
                reference: component.reference.as_ref().and_then(|text| {
                    match parse_formula(text.get_ref()) {
                        Ok(formula) => Some(FigureFormula {
                            text: text.get_ref().clone(),
                            formula,
                        }),
                        Err(error) => {
                            toml.error(text, "ref", error.to_string());
                            None
                        }
                    }
                }),
                at: toml.at(&component.id),
            })
            .collect(),
        at: toml.at(&change.from_label),
    });
    let calculation_head = file
        .frame_calculation
        .as_ref()
        .map(|calc| FrameCalculation {
            year: *calc.year.get_ref(),
            base_label: calc.base_label.clone(),
            base_version: toml.optional_id(&calc.base_version, "base_version"),
            base_amount: toml.tkr(&calc.base_amount, "base_amount"),
            decision: toml.optional_id(&calc.decision, "decision"),
            synthetic: calc.synthetic,
            lines: Vec::new(),
            at: toml.at(&calc.year),
        });
    let frame_calculation = match calculation_head {
        Some(head) => Some(read_frame_calculation(reader, head)),
        None => {
            if reader.files.files.contains_key(FRAME_CALCULATION) {
                reader.used.insert(FRAME_CALCULATION.to_owned());
                reader.diagnostics.push(Diagnostic::new(
                    FRAME_CALCULATION,
                    0,
                    "",
                    "ramberäkningens rader kräver [frame_calculation] i budget.toml",
                ));
            }
            None
        }
    };

    let mut operating = Vec::new();
    let mut declared = BTreeSet::new();
    for (id, title, summary, at) in table_defs {
        let path = format!("{OPERATING_DIR}{id}.csv");
        declared.insert(path.clone());
        let (years, rows) = read_amount_rows(reader, &path, &OPERATING_COLUMNS).unwrap_or_default();
        operating.push(OperatingTable {
            id,
            title,
            summary,
            years,
            rows,
            at,
        });
    }
    let undeclared: Vec<String> = reader
        .files
        .files
        .keys()
        .filter(|path| path.starts_with(OPERATING_DIR) && !declared.contains(*path))
        .cloned()
        .collect();
    for path in undeclared {
        reader.used.insert(path.clone());
        reader.diagnostics.push(Diagnostic::new(
            &path,
            0,
            "",
            "tabellen finns inte som [[operating_table]] i budget.toml",
        ));
    }

    let investment = match (&file.investment, investment_head) {
        (Some(dto), Some((decision, at))) => read_investment(reader, dto, decision, at),
        _ => InvestmentBudget::default(),
    };
    let exploitation = match (&file.exploitation, exploitation_at) {
        (Some(dto), Some(at)) => read_exploitation(reader, dto, at),
        _ => ExploitationBudget::default(),
    };
    let finance = match (&file.finance, finance_at) {
        (Some(dto), Some(at)) => read_finance(reader, dto, at),
        _ => FinanceBudget::default(),
    };
    Some(Budget {
        version,
        frames,
        operating,
        investment,
        exploitation,
        finance,
        frame_change,
        frame_calculation,
    })
}

/// The lines of a frame calculation: each kind needs its own columns and refuses the others,
/// so a cell that would be silently ignored is an error at its field.
fn read_frame_calculation(reader: &mut Reader, mut calc: FrameCalculation) -> FrameCalculation {
    let Some(table) = reader.csv(FRAME_CALCULATION, true, &FRAME_CALCULATION_COLUMNS, false) else {
        return calc;
    };
    calc.lines = reader.rows(&table, |row| {
        let known = row
            .optional_text("kind")
            .and_then(|code| FrameLineKind::parse(&code))
            .is_some();
        let kind = row.code(
            "kind",
            FrameLineKind::parse,
            &FrameLineKind::codes(),
            FrameLineKind::Other,
        );
        let line = FrameLine {
            id: row.id("id"),
            kind,
            label: row.text("label"),
            percent: optional_decimal(row, "percent"),
            volume: optional_decimal(row, "volume"),
            unit_cost: optional_decimal(row, "unit_cost"),
            amount: row.tkr("amount"),
            decision: row.optional_id("decision"),
            at: row.at(),
        };
        let filled = |column: &str| !row.optional_text(column).unwrap_or_default().is_empty();
        let (needed, refused): (&[&str], &[&str]) = match kind {
            FrameLineKind::PriceWage => (&["percent"], &["volume", "unit_cost"]),
            FrameLineKind::Demography => (&["volume", "unit_cost"], &["percent"]),
            _ => (&["amount"], &["percent", "volume", "unit_cost"]),
        };
        if !known {
            // Which columns it needs depends on the kind: the kind's error is enough.
            return line;
        }
        let kind_word = kind.label_sv().to_lowercase();
        let missing: Vec<&str> = needed.iter().copied().filter(|c| !filled(c)).collect();
        let extra: Vec<&str> = refused.iter().copied().filter(|c| filled(c)).collect();
        for column in missing {
            row.error(
                column,
                format!("värde saknas: en rad av slaget {kind_word} beräknas med {column}"),
            );
        }
        for column in extra {
            row.error(
                column,
                format!("en rad av slaget {kind_word} har inget {column}; lämna cellen tom"),
            );
        }
        if kind == FrameLineKind::Efficiency && line.amount.is_some_and(|a| a < Money::ZERO) {
            row.error(
                "amount",
                "en effektivisering anges som ett positivt belopp (det dras av från ramen)",
            );
        }
        line
    });
    calc
}

/// An exact decimal with a dot, or missing when the cell is empty.
fn optional_decimal(row: &mut RowReader, column: &str) -> Option<Decimal> {
    row.optional_text(column)?;
    Some(row.decimal(column))
}

fn read_investment(
    reader: &mut Reader,
    file: &dto::InvestmentDto,
    decision: Option<Id>,
    at: Location,
) -> InvestmentBudget {
    let mut budget = InvestmentBudget {
        title: file.title.get_ref().clone(),
        budget_year: file.budget_year,
        decision,
        years: Vec::new(),
        rows: Vec::new(),
        projects: Vec::new(),
        at,
    };
    if let Some(table) = reader.csv(INVESTMENT, true, &INVESTMENT_COLUMNS, true) {
        let years = table.year_columns();
        budget.rows = reader.rows(&table, |row| InvestmentRow {
            id: row.id("id"),
            name: row.text("name"),
            kind: row.code("kind", RowKind::parse, &RowKind::codes(), RowKind::Line),
            until: row.tkr("tom"),
            amounts: year_amounts(row, &years),
            at: row.at(),
        });
        budget.years = years.into_iter().map(|(_, y)| y).collect();
    }
    if let Some(table) = reader.csv(
        INVESTMENT_PROJECTS,
        false,
        &INVESTMENT_PROJECT_COLUMNS,
        false,
    ) {
        let lines: Vec<Id> = budget.lines().map(|row| row.id.clone()).collect();
        let budget_year = budget.budget_year;
        let mut seen: Vec<Id> = Vec::new();
        budget.projects = reader.rows(&table, |row| {
            let project = row.id("project");
            // Without the investment table's lines (a broken investment.csv is named
            // already) there is nothing to check against.
            if !lines.is_empty() && !lines.contains(&project) {
                row.error(
                    "project",
                    format!("{project} är inget projekt i investeringsbudgeten ({INVESTMENT})"),
                );
            } else if seen.contains(&project) {
                row.error("project", format!("projektet {project} finns redan"));
            }
            seen.push(project.clone());
            let decided_total = if row.optional_text("decided_total").is_none() {
                row.error("decided_total", "beslutad totalutgift saknas");
                Money::ZERO
            } else {
                row.tkr("decided_total").unwrap_or(Money::ZERO)
            };
            let outcome_until = row.optional_year("outcome_until");
            let outcome = row.tkr("outcome");
            if outcome.is_some() != outcome_until.is_some() {
                row.error(
                    "outcome_until",
                    "utfall (outcome) och året det gäller t.o.m. (outcome_until) anges tillsammans",
                );
            } else if outcome_until.is_some_and(|year| year >= budget_year) {
                row.error(
                    "outcome_until",
                    format!("utfall före budgetåret {budget_year} anges, inte senare år"),
                );
            }
            InvestmentProject {
                project,
                decided_total,
                decision: row.optional_id("decision"),
                outcome_until,
                outcome,
                forecast_total: row.tkr("forecast_total"),
                at: row.at(),
            }
        });
    }
    budget
}

fn read_exploitation(
    reader: &mut Reader,
    file: &dto::ExploitationDto,
    at: Location,
) -> ExploitationBudget {
    let columns = EXPLOITATION_COLUMNS;
    let rows = match reader.csv(EXPLOITATION, true, &columns, false) {
        Some(table) => reader.rows(&table, |row| ExploitationRow {
            id: row.id("id"),
            project: row.optional_text("project").unwrap_or_default(),
            name: row.text("name"),
            kind: row.code("kind", RowKind::parse, &RowKind::codes(), RowKind::Line),
            income: row.tkr("income"),
            cost: row.tkr("cost"),
            net: row.tkr("net"),
            at: row.at(),
        }),
        None => Vec::new(),
    };
    ExploitationBudget {
        title: file.title.get_ref().clone(),
        year: file.year,
        rows,
        at,
    }
}

fn read_finance(reader: &mut Reader, file: &dto::FinanceDto, at: Location) -> FinanceBudget {
    let mut budget = FinanceBudget {
        title: file.title.get_ref().clone(),
        summary_title: file.summary_title.clone(),
        years: Vec::new(),
        rows: Vec::new(),
        summary_years: Vec::new(),
        summary: Vec::new(),
        at,
    };
    let columns = FINANCE_COLUMNS;
    if let Some(table) = reader.csv(FINANCE, true, &columns, true) {
        let years = table.year_columns();
        let lines = reader.rows(&table, |row| {
            let id = row.id("id");
            let name = row.text("name");
            let kind = row.code("kind", RowKind::parse, &RowKind::codes(), RowKind::Line);
            let group = row.optional_id("group");
            let measure = row.code("measure", Measure::parse, "income, cost, net", Measure::Net);
            let line = FinanceLine {
                measure,
                amounts: year_amounts(row, &years),
                at: row.at(),
            };
            (id, name, kind, group, line)
        });
        let mut rows: Vec<FinanceRow> = Vec::new();
        for (id, name, kind, group, line) in lines {
            match rows.last_mut() {
                Some(last) if last.id == id => {
                    let same = last.name == name && last.kind == kind && last.group == group;
                    if !same {
                        reader.diagnostics.push(Diagnostic::new(
                            FINANCE,
                            line.at.line,
                            "name",
                            format!("raderna för {id} måste ha samma name, kind och group"),
                        ));
                    }
                    if last.line(line.measure).is_some() {
                        reader.diagnostics.push(Diagnostic::new(
                            FINANCE,
                            line.at.line,
                            "measure",
                            format!("{id} har redan {}", line.measure.code()),
                        ));
                    }
                    last.lines.push(line);
                }
                _ => {
                    if rows.iter().any(|row| row.id == id) {
                        reader.diagnostics.push(Diagnostic::new(
                            FINANCE,
                            line.at.line,
                            "id",
                            format!("raden {id} finns redan (en rads mått ska stå i följd)"),
                        ));
                    }
                    rows.push(FinanceRow {
                        id,
                        name,
                        kind,
                        group,
                        lines: vec![line],
                    });
                }
            }
        }
        budget.rows = rows;
        budget.years = years.into_iter().map(|(_, y)| y).collect();
    }
    if let Some((years, rows)) = read_amount_rows(reader, FINANCE_SUMMARY, &FINANCE_SUMMARY_COLUMNS)
    {
        budget.summary_years = years;
        budget.summary = rows;
    }
    budget
}

/// acknowledgements.toml (optional): every field required and not blank, a finding once.
fn read_acknowledgements(reader: &mut Reader) -> Vec<Acknowledgement> {
    let Some((file, text)) = reader.toml::<dto::AcknowledgementsFile>(ACKNOWLEDGEMENTS, false)
    else {
        return Vec::new();
    };
    let mut toml = TomlReader::new(ACKNOWLEDGEMENTS, text, &mut reader.diagnostics);
    let mut seen = BTreeSet::new();
    file.acknowledgement
        .iter()
        .map(|given| {
            for (field, value) in [
                ("finding", &given.finding),
                ("reason", &given.reason),
                ("by", &given.by),
                ("at", &given.at),
            ] {
                if value.get_ref().trim().is_empty() {
                    toml.error(value, field, "får inte vara tom");
                }
            }
            if !seen.insert(given.finding.get_ref().clone()) {
                toml.error(
                    &given.finding,
                    "finding",
                    format!("fyndet {} är redan kvitterat", given.finding.get_ref()),
                );
            }
            Acknowledgement {
                finding: given.finding.get_ref().clone(),
                reason: given.reason.get_ref().clone(),
                by: given.by.get_ref().clone(),
                at: given.at.get_ref().clone(),
                location: toml.at(&given.finding),
            }
        })
        .collect()
}

/// council.toml (optional): KF's budget.
fn read_council(reader: &mut Reader) -> Option<CouncilBudget> {
    let (file, text) = reader.toml::<dto::CouncilFile>(COUNCIL, false)?;
    let mut toml = TomlReader::new(COUNCIL, text, &mut reader.diagnostics);
    let years = file
        .year
        .iter()
        .map(|year| CouncilYear {
            year: *year.year.get_ref(),
            tax_rate: parse_decimal(year.tax_rate.get_ref())
                .filter(|rate| *rate > Decimal::ZERO && *rate < Decimal::ONE_HUNDRED)
                .unwrap_or_else(|| {
                    toml.error(
                        &year.tax_rate,
                        "tax_rate",
                        format!(
                            "{:?} är ingen skattesats i kronor per 100 kronor (skriv t.ex. \"19.88\")",
                            year.tax_rate.get_ref()
                        ),
                    );
                    Decimal::ZERO
                }),
            tax_revenue: toml.tkr(&year.tax_revenue, "tax_revenue"),
            grants: toml.tkr(&year.grants, "grants"),
            financial_net: toml.tkr(&year.financial_net, "financial_net"),
            result: toml.tkr(&year.result, "result"),
            at: toml.at(&year.year),
        })
        .collect();
    let frames = file
        .body_frame
        .iter()
        .map(|frame| BodyFrame {
            body: toml.id(&frame.body, "body"),
            year: *frame.year.get_ref(),
            amount: toml.tkr(&frame.amount, "amount"),
            decision: toml.optional_id(&frame.decision, "decision"),
            at: toml.at(&frame.body),
        })
        .collect();
    let central_items = file
        .central_item
        .iter()
        .map(|item| CentralItem {
            id: toml.id(&item.id, "id"),
            name: item.name.clone(),
            year: *item.year.get_ref(),
            amount: toml.tkr(&item.amount, "amount"),
            at: toml.at(&item.id),
        })
        .collect();
    let eliminations = file
        .elimination
        .iter()
        .map(|item| Elimination {
            id: toml.id(&item.id, "id"),
            name: item.name.clone(),
            year: *item.year.get_ref(),
            amount: toml.tkr(&item.amount, "amount"),
            at: toml.at(&item.id),
        })
        .collect();
    let financial_goal = file.financial_goal.as_ref().map(|goal| FinancialGoal {
        kind: FinancialGoalKind::Result,
        text: goal.text.clone(),
        share: Some(
            parse_decimal(goal.result_share.get_ref())
                .filter(|share| *share >= Decimal::ZERO && *share < Decimal::ONE_HUNDRED)
                .unwrap_or_else(|| {
                    toml.error(
                        &goal.result_share,
                        "result_share",
                        format!(
                            "{:?} är ingen andel i procent av skatteintäkter och generella \
                         statsbidrag (skriv t.ex. \"2.0\")",
                            goal.result_share.get_ref()
                        ),
                    );
                    Decimal::ZERO
                }),
        ),
        at: toml.at(&goal.result_share),
    });
    let mut financial_goals: Vec<FinancialGoal> = financial_goal.into_iter().collect();
    for goal in &file.geh_goal {
        let Some(kind) = FinancialGoalKind::parse(goal.kind.get_ref()) else {
            toml.error(
                &goal.kind,
                "kind",
                format!(
                    "{:?} är inte en av {}",
                    goal.kind.get_ref(),
                    FinancialGoalKind::codes()
                ),
            );
            continue;
        };
        if kind == FinancialGoalKind::Result {
            toml.error(
                &goal.kind,
                "kind",
                "resultatmålet anges i [financial_goal] result_share, inte som [[geh_goal]]",
            );
            continue;
        }
        if financial_goals.iter().any(|g| g.kind == kind) {
            toml.error(
                &goal.kind,
                "kind",
                format!("målet {:?} finns redan: ett mål av varje slag", kind.code()),
            );
            continue;
        }
        let share = match &goal.share {
            Some(share) if kind.needs_share() => Some(
                parse_decimal(share.get_ref())
                    .filter(|s| *s >= Decimal::ZERO && *s <= Decimal::from(1000))
                    .unwrap_or_else(|| {
                        toml.error(
                            share,
                            "share",
                            format!(
                                "{:?} är ingen andel i procent (skriv t.ex. \"100\")",
                                share.get_ref()
                            ),
                        );
                        Decimal::ZERO
                    }),
            ),
            Some(share) => {
                toml.error(
                    share,
                    "share",
                    "målet soliditet_ej_sjunkande har ingen andel",
                );
                None
            }
            None if kind.needs_share() => {
                toml.error(
                    &goal.kind,
                    "share",
                    format!("målet {:?} behöver en andel i procent (share)", kind.code()),
                );
                Some(Decimal::ZERO)
            }
            None => None,
        };
        financial_goals.push(FinancialGoal {
            kind,
            share,
            text: goal.text.clone(),
            at: toml.at(&goal.kind),
        });
    }
    let mut geh_judgements: Vec<GehJudgement> = Vec::new();
    for judgement in &file.geh_judgement {
        let Some(period) = toml.month(&judgement.period, "period") else {
            continue;
        };
        if geh_judgements.iter().any(|j| j.period == period) {
            toml.error(
                &judgement.period,
                "period",
                format!("bedömningen för {period} finns redan"),
            );
            continue;
        }
        geh_judgements.push(GehJudgement {
            period,
            verdict: toml.code(
                &judgement.verdict,
                "verdict",
                GehVerdict::parse,
                &GehVerdict::codes(),
                GehVerdict::NotMet,
            ),
            text: judgement.text.clone(),
            at: toml.at(&judgement.period),
        });
    }
    let appropriation_changes = file
        .appropriation_change
        .iter()
        .map(|change| {
            if !is_valid_date(change.date.get_ref()) {
                toml.error(
                    &change.date,
                    "date",
                    format!("{:?} är inget datum (ÅÅÅÅ-MM-DD)", change.date.get_ref()),
                );
            } else if !change
                .date
                .get_ref()
                .starts_with(&format!("{}-", change.year.get_ref()))
            {
                toml.error(
                    &change.date,
                    "date",
                    format!(
                        "beslutet {} ligger inte i året {}",
                        change.date.get_ref(),
                        change.year.get_ref()
                    ),
                );
            }
            AppropriationChange {
                body: toml.id(&change.body, "body"),
                year: *change.year.get_ref(),
                amount: toml.tkr(&change.amount, "amount"),
                kind: toml.code(
                    &change.kind,
                    "kind",
                    AppropriationKind::parse,
                    &AppropriationKind::codes(),
                    AppropriationKind::Other,
                ),
                decision: toml.id(&change.decision, "decision"),
                date: change.date.get_ref().clone(),
                text: change.text.clone(),
                at: toml.at(&change.body),
            }
        })
        .collect();
    Some(CouncilBudget {
        synthetic: file.synthetic,
        decision: toml.optional_id(&file.decision, "decision"),
        years,
        frames,
        central_items,
        eliminations,
        financial_goals,
        geh_judgements,
        appropriation_changes,
        at: file
            .decision
            .as_ref()
            .map_or(Location::new(COUNCIL, 1), |decision| toml.at(decision)),
    })
}

/// company.toml (optional): a company's own budget.
fn read_company(reader: &mut Reader) -> Option<CompanyBudget> {
    let (file, text) = reader.toml::<dto::CompanyFile>(COMPANY, false)?;
    let mut toml = TomlReader::new(COMPANY, text, &mut reader.diagnostics);
    let years = file
        .year
        .iter()
        .map(|year| CompanyYear {
            year: *year.year.get_ref(),
            result_before_tax: toml.tkr(&year.result_before_tax, "result_before_tax"),
            investments: toml.tkr(&year.investments, "investments"),
            at: toml.at(&year.year),
        })
        .collect();
    Some(CompanyBudget {
        synthetic: file.synthetic,
        decision: toml.optional_id(&file.decision, "decision"),
        years,
        at: file
            .decision
            .as_ref()
            .map_or(Location::new(COMPANY, 1), |decision| toml.at(decision)),
    })
}

fn read_followup(reader: &mut Reader) -> (Vec<FollowUpPeriod>, Vec<FollowUpFigure>, ForecastRules) {
    let Some((file, text)) = reader.toml::<dto::FollowUpFile>(FOLLOWUP, false) else {
        return (Vec::new(), Vec::new(), ForecastRules::default());
    };
    let mut toml = TomlReader::new(FOLLOWUP, text, &mut reader.diagnostics);
    let periods = file
        .period
        .iter()
        .map(|period| {
            // A refused month is a diagnostic; the placeholder never leaves the reader.
            let month = toml
                .month(&period.month, "month")
                .unwrap_or(Month::new(1970, 1).expect("a month"));
            FollowUpPeriod {
                id: toml.id(&period.id, "id"),
                month,
                kind: toml.code(
                    &period.kind,
                    "kind",
                    PeriodKind::parse,
                    &PeriodKind::codes(),
                    PeriodKind::Monthly,
                ),
                title: period.title.clone(),
                deadline: period.deadline.as_ref().map(|deadline| {
                    if !is_valid_date(deadline.get_ref()) {
                        toml.error(
                            deadline,
                            "deadline",
                            format!("{:?} är inte ett datum (ÅÅÅÅ-MM-DD)", deadline.get_ref()),
                        );
                    }
                    deadline.get_ref().clone()
                }),
                state: period.state.as_ref().map_or(PeriodState::Open, |state| {
                    toml.code(
                        state,
                        "state",
                        PeriodState::parse,
                        &PeriodState::codes(),
                        PeriodState::Open,
                    )
                }),
                synthetic: period.synthetic,
                at: toml.at(&period.id),
            }
        })
        .collect();
    let mut rules = ForecastRules::default();
    if let Some(given) = &file.rules {
        if let Some(percent) = &given.forecast_explanation_percent {
            match parse_decimal(percent.get_ref()) {
                Some(value) if value >= rust_decimal::Decimal::ZERO => rules.percent = value,
                _ => toml.error(
                    percent,
                    "forecast_explanation_percent",
                    format!(
                        "{:?} är inte en procentsats (skriv t.ex. \"1\")",
                        percent.get_ref()
                    ),
                ),
            }
        }
        if let Some(tkr) = &given.forecast_explanation_tkr {
            match Money::from_tkr(*tkr.get_ref()).filter(|m| *m >= Money::ZERO) {
                Some(amount) => rules.amount = amount,
                None => toml.error(
                    tkr,
                    "forecast_explanation_tkr",
                    format!("{} är inte ett belopp i tkr", tkr.get_ref()),
                ),
            }
        }
    }
    let figures = file
        .figure
        .iter()
        .map(|figure| FollowUpFigure {
            id: toml.id(&figure.id, "id"),
            period: toml.id(&figure.period, "period"),
            label: figure.label.clone(),
            value: parse_decimal(figure.value.get_ref()).unwrap_or_else(|| {
                toml.error(
                    &figure.value,
                    "value",
                    format!(
                        "{:?} är inte ett tal (skriv t.ex. \"217.0\")",
                        figure.value.get_ref()
                    ),
                );
                Default::default()
            }),
            unit: figure.unit.clone(),
            computed: figure.computed.as_ref().and_then(|text| {
                match styr_domain::expr::parse_formula(text.get_ref()) {
                    Ok(formula @ styr_domain::expr::Formula::Value(_)) => Some(FigureFormula {
                        text: text.get_ref().clone(),
                        formula,
                    }),
                    Ok(_) => {
                        toml.error(text, "computed", "en jämförelse är inget värde");
                        None
                    }
                    Err(error) => {
                        toml.error(text, "computed", error.to_string());
                        None
                    }
                }
            }),
            at: toml.at(&figure.id),
        })
        .collect();
    (periods, figures, rules)
}

fn read_control(reader: &mut Reader) -> InternalControl {
    let Some((file, text)) = reader.toml::<dto::ControlFile>(CONTROL, false) else {
        return InternalControl::default();
    };
    let mut toml = TomlReader::new(CONTROL, text, &mut reader.diagnostics);
    let scale = file.scale.as_ref().map(|dto| {
        let scale = RiskScale {
            likelihood: *dto.likelihood.get_ref(),
            consequence: *dto.consequence.get_ref(),
            bands: dto
                .band
                .iter()
                .map(|band| RiskBand {
                    min_score: *band.min_score.get_ref(),
                    label: band.label.clone(),
                    colour: band.colour.get_ref().clone(),
                })
                .collect(),
        };
        for (field, message) in scale.problems() {
            match field {
                // Each colour at its own line.
                "colour" => {}
                "consequence" => toml.error(&dto.consequence, field, message),
                "band" => match dto.band.first() {
                    Some(band) => toml.error(&band.min_score, field, message),
                    None => toml.error(&dto.likelihood, field, message),
                },
                _ => toml.error(&dto.likelihood, field, message),
            }
        }
        for (band, dto_band) in scale.bands.iter().zip(&dto.band) {
            if let Some(message) = band.colour_problem() {
                toml.error(&dto_band.colour, "colour", message);
            }
        }
        scale
    });
    let size = scale.clone().unwrap_or_default();
    let date = |toml: &mut TomlReader, value: &Option<toml::Spanned<String>>, field: &str| {
        value.as_ref().map(|v| {
            if !is_valid_date(v.get_ref()) {
                toml.error(
                    v,
                    field,
                    format!("{:?} är inte ett datum (ÅÅÅÅ-MM-DD)", v.get_ref()),
                );
            }
            v.get_ref().clone()
        })
    };
    let risks = file
        .risk
        .iter()
        .map(|risk| Risk {
            id: toml.id(&risk.id, "id"),
            title: risk.title.clone(),
            description: risk.description.clone(),
            process: risk.process.clone(),
            owner: toml.optional_id(&risk.owner, "owner"),
            decision: risk.decision.as_ref().map(|decision| {
                toml.code(
                    decision,
                    "decision",
                    RiskDecision::parse,
                    &RiskDecision::codes(),
                    RiskDecision::Control,
                )
            }),
            assessments: {
                let mut years = Vec::new();
                risk.assessment
                    .iter()
                    .map(|assessment| {
                        for (value, field, max) in [
                            (&assessment.likelihood, "likelihood", size.likelihood),
                            (&assessment.consequence, "consequence", size.consequence),
                        ] {
                            if !(1..=max).contains(value.get_ref()) {
                                toml.error(value, field, format!("ska vara 1–{max}"));
                            }
                        }
                        let year = *assessment.year.get_ref();
                        if years.contains(&year) || years.last().is_some_and(|last| *last > year) {
                            toml.error(
                                &assessment.year,
                                "year",
                                "en bedömning per år, äldst först",
                            );
                        }
                        years.push(year);
                        RiskAssessment {
                            year,
                            likelihood: *assessment.likelihood.get_ref(),
                            consequence: *assessment.consequence.get_ref(),
                        }
                    })
                    .collect()
            },
            at: toml.at(&risk.id),
        })
        .collect();
    let controls = file
        .control
        .iter()
        .map(|control| Control {
            id: toml.id(&control.id, "id"),
            risk: toml.optional_id(&control.risk, "risk"),
            title: control.title.clone(),
            checks: control.checks.clone(),
            method: control.method.clone(),
            frequency: control.frequency.clone(),
            responsible: toml.optional_id(&control.responsible, "responsible"),
            year: control.year,
            periods: control
                .periods
                .iter()
                .filter_map(|period| toml.month(period, "periods"))
                .collect(),
            decision: toml.optional_id(&control.decision, "decision"),
            at: toml.at(&control.id),
        })
        .collect();
    let audits = file
        .audit
        .iter()
        .map(|audit| Audit {
            id: toml.id(&audit.id, "id"),
            title: audit.title.clone(),
            case: audit.case.as_ref().and_then(|case| {
                let parsed = CaseNumber::parse(case.get_ref());
                if parsed.is_none() {
                    toml.error(
                        case,
                        "case",
                        format!(
                            "{:?} är inte ett diarienummer (t.ex. KS 2020/243)",
                            case.get_ref()
                        ),
                    );
                }
                parsed
            }),
            year: audit.year,
            date: date(&mut toml, &audit.date, "date"),
            auditor: audit.auditor.clone(),
            received_by: toml.optional_id(&audit.received_by, "received_by"),
            note: audit.note.clone(),
            recommendations: audit
                .recommendation
                .iter()
                .map(|recommendation| Recommendation {
                    id: toml.id(&recommendation.id, "id"),
                    text: recommendation.text.clone(),
                    actions: recommendation
                        .action
                        .iter()
                        .map(|action| {
                            let status = toml.code(
                                &action.status,
                                "status",
                                ActionStatus::parse,
                                &ActionStatus::codes(),
                                ActionStatus::NotStarted,
                            );
                            if status == ActionStatus::ClosedWithoutAction
                                && action.reason.as_deref().is_none_or(|r| r.trim().is_empty())
                            {
                                toml.error(
                                    &action.status,
                                    "reason",
                                    "avslutad utan åtgärd kräver ett skäl (reason)",
                                );
                            }
                            AuditAction {
                                id: toml.id(&action.id, "id"),
                                text: action.text.clone(),
                                owner: toml.optional_id(&action.owner, "owner"),
                                due: date(&mut toml, &action.due, "due"),
                                status,
                                evidence: action.evidence.clone(),
                                reason: action.reason.clone(),
                            }
                        })
                        .collect(),
                })
                .collect(),
            at: toml.at(&audit.id),
        })
        .collect();
    InternalControl {
        scale,
        risks,
        controls,
        audits,
        synthetic: file.synthetic,
    }
}

fn read_document(reader: &mut Reader) -> Vec<Section> {
    let Some((file, text)) = reader.toml::<dto::DocumentFile>(DOCUMENT, true) else {
        return Vec::new();
    };
    let mut toml = TomlReader::new(DOCUMENT, text, &mut reader.diagnostics);
    file.section
        .iter()
        .map(|section| {
            if !(1..=4).contains(section.level.get_ref()) {
                toml.error(&section.level, "level", "nivån ska vara 1–4");
            }
            Section {
                id: toml.id(&section.id, "id"),
                title: section.title.clone(),
                level: *section.level.get_ref(),
                file: section.file.as_ref().map(|f| f.get_ref().clone()),
                show: section
                    .show
                    .iter()
                    .filter_map(|name| {
                        name.get_ref()
                            .parse()
                            .map_err(|error: ShowBlockError| {
                                toml.error(name, "show", error.to_string())
                            })
                            .ok()
                    })
                    .collect(),
                at: toml.at(&section.id),
            }
        })
        .collect()
}

fn read_narratives(reader: &mut Reader) -> Vec<Narrative> {
    let paths: Vec<String> = reader
        .files
        .files
        .keys()
        .filter(|path| {
            (path.starts_with(NARRATIVE_DIR) && path.ends_with(".md"))
                || path.starts_with(styr_domain::statutory::STATUTORY_DIR)
        })
        .cloned()
        .collect();
    let mut narratives = Vec::new();
    for path in paths {
        // The förvaltningsberättelse's texts: one per period and R15 heading, by its path.
        if let Some(Err(message)) = styr_domain::statutory::parse_text_path(&path) {
            // Read (so it is not also "not part of the format"), refused for its path.
            let _ = reader.text(&path, true);
            reader
                .diagnostics
                .push(Diagnostic::new(&path, 0, "", message));
            continue;
        }
        let Some(text) = reader.text(&path, true) else {
            continue;
        };
        let (claims, problems) = parse_claims(&path, text);
        for problem in problems {
            reader.diagnostics.push(Diagnostic::new(
                &path,
                problem.at.line,
                &format!("kolumn {}", problem.column),
                problem.message,
            ));
        }
        narratives.push(Narrative {
            file: path,
            text: text.to_owned(),
            claims,
        });
    }
    narratives
}

/// Claim markup in the plan's other texts (goals, assignments, statuses, risks …) must read
/// like the narrative's: a text that cannot be checked is refused, not printed as markup.
fn check_text_claims(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) {
    for text in styr_domain::claim::plan_texts(plan) {
        let (_, problems) = styr_domain::claim::text_claims(&text);
        for problem in problems {
            diagnostics.push(Diagnostic::new(
                &problem.at.file,
                problem.at.line,
                &format!("{}, kolumn {}", text.field, problem.column),
                problem.message,
            ));
        }
    }
}

/// Every section's narrative file must exist; every narrative file must belong to a section.
fn check_sections(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) {
    let files: BTreeSet<&str> = plan.narratives.iter().map(|n| n.file.as_str()).collect();
    let mut referenced = BTreeSet::new();
    for section in &plan.sections {
        if let Some(file) = &section.file {
            referenced.insert(file.as_str());
            if !files.contains(file.as_str()) {
                diagnostics.push(Diagnostic::new(
                    DOCUMENT,
                    section.at.line,
                    "file",
                    format!("filen {file} finns inte"),
                ));
            }
        }
    }
    for file in files
        .difference(&referenced)
        .filter(|file| !file.starts_with(styr_domain::statutory::STATUTORY_DIR))
    {
        diagnostics.push(Diagnostic::new(
            file,
            0,
            "",
            "texten hör inte till något avsnitt i document.toml",
        ));
    }
}

/// Whether a file is a ledger export kept beside the mapping (`ledger/*.se`, `ledger/*.si`):
/// not part of the plan, not read here and not written back; `styr actuals import` reads it.
/// The folder of follow-up report files (`styr followup import`), checked when a package is
/// read but not part of the plan: reports are imported into the database, with their history.
pub const FOLLOWUP_DIR: &str = "followup/";

/// Whether a path of a package is in its folder of follow-up report files: inputs for
/// `styr followup import`, like the ledger exports beside the mapping, and not written back by
/// `styr export`.
pub fn is_followup_file(path: &str) -> bool {
    path.strip_prefix(FOLLOWUP_DIR)
        .is_some_and(|name| !name.contains('/'))
}

/// Checks the follow-up report files of a package with the one reader of that format, and that
/// they are the package's municipality's. Their README is documentation.
fn read_followup_reports(reader: &mut Reader, municipality: Option<&Id>) {
    let paths: Vec<String> = reader
        .files
        .files
        .keys()
        .filter(|path| is_followup_file(path))
        .cloned()
        .collect();
    for path in paths {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with("/readme.md") {
            reader.used.insert(path);
            continue;
        }
        if !lower.ends_with(".csv") {
            continue;
        }
        match crate::read_followup_csv(&path, &reader.files.files[&path]) {
            Ok(rows) => {
                for row in rows {
                    if municipality.is_some_and(|m| *m != row.municipality) {
                        reader.diagnostics.push(Diagnostic::new(
                            &path,
                            row.line,
                            "municipality",
                            format!("raden gäller kommunen {}", row.municipality),
                        ));
                    }
                }
            }
            Err(diagnostics) => reader.diagnostics.extend(diagnostics),
        }
        reader.used.insert(path);
    }
}

/// `matt/utfall*.csv`: measure outcomes kept beside the package for `styr measures import`;
/// follow-up data, not part of the plan.
pub fn is_measure_outcome_file(path: &str) -> bool {
    path.strip_prefix("matt/utfall")
        .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".csv"))
}

pub fn is_ledger_export(path: &str) -> bool {
    let Some(name) = path.strip_prefix(LEDGER_DIR) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    !name.contains('/') && (lower.ends_with(".se") || lower.ends_with(".si"))
}

/// Reads the optional mapping from the ledger to the plan (`ledger/*.csv`).
fn read_ledger(reader: &mut Reader) -> LedgerMapping {
    let exports: Vec<String> = reader
        .files
        .files
        .keys()
        .filter(|path| is_ledger_export(path))
        .cloned()
        .collect();
    reader.used.extend(exports);
    let outcomes: Vec<String> = reader
        .files
        .files
        .keys()
        .filter(|path| is_measure_outcome_file(path))
        .cloned()
        .collect();
    reader.used.extend(outcomes);
    let mut mapping = LedgerMapping::default();
    let columns = LEDGER_ACCOUNT_COLUMNS;
    if let Some(table) = reader.csv(LEDGER_ACCOUNTS, false, &columns, false) {
        let rules = reader.rows(&table, |row| {
            let from = row.text("from");
            let to = row.text("to");
            let accounts = AccountRange::parse(&from, &to).map_err(|error| {
                // A bad number names its own column; an empty range is the `to` that is too low.
                let field = match &error {
                    AccountRangeError::NotDigits(text) if *text == from => "from",
                    AccountRangeError::NotDigits(_) | AccountRangeError::Empty { .. } => "to",
                };
                row.error(field, error.to_string());
            });
            let ansvar: Vec<String> = row
                .optional_text("ansvar")
                .unwrap_or_default()
                .split(';')
                .filter(|part| !part.is_empty())
                .map(str::to_owned)
                .collect();
            let target_text = row.text("target");
            let target = RuleTarget::parse(&target_text);
            if target.is_none() && !target_text.trim().is_empty() {
                row.error(
                    "target",
                    format!(
                        "{target_text:?} är inte op.TABELL.RAD, inv, expl, fin.RAD eller exclude"
                    ),
                );
            }
            let note = row.optional_text("note");
            let at = row.at();
            match (accounts, target) {
                (Ok(accounts), Some(target)) => Some(AccountRule {
                    accounts,
                    ansvar,
                    target,
                    note,
                    at,
                }),
                _ => None,
            }
        });
        mapping.rules = rules.into_iter().flatten().collect();
    }
    if let Some(table) = reader.csv(LEDGER_UNITS, false, &LEDGER_UNIT_COLUMNS, false) {
        mapping.units = reader.rows(&table, |row| UnitMapping {
            object: row.text("object"),
            unit: row.id("unit"),
            name: row.optional_text("name"),
            at: row.at(),
        });
    }
    if let Some(table) = reader.csv(LEDGER_PROJECTS, false, &LEDGER_PROJECT_COLUMNS, false) {
        mapping.projects = reader.rows(&table, |row| ProjectMapping {
            object: row.text("object"),
            project: row.id("project"),
            at: row.at(),
        });
    }
    let mut columns = vec!["line"];
    columns.extend(PROFILE_MONTHS);
    if let Some(table) = reader.csv(LEDGER_PROFILES, false, &columns, false) {
        let profiles = reader.rows(&table, |row| {
            let text = row.text("line");
            let line = BudgetLineRef::parse(&text);
            if line.is_none() && !text.trim().is_empty() {
                row.error(
                    "line",
                    format!("{text:?} är inte op.TABELL.RAD eller inv.PROJEKT"),
                );
            }
            let mut weights = [0_i64; 12];
            for (weight, month) in weights.iter_mut().zip(PROFILE_MONTHS) {
                let value = row.text(month);
                match value.parse::<i64>() {
                    Ok(number)
                        if (0..=1_000_000_000).contains(&number) && !value.starts_with('+') =>
                    {
                        *weight = number
                    }
                    _ if value.is_empty() => {}
                    _ => row.error(
                        month,
                        format!("{value:?} är inte en vikt (ett heltal 0 eller större)"),
                    ),
                }
            }
            if weights.iter().all(|w| *w == 0) {
                row.error("jan", "minst en månad måste ha en vikt över 0");
            }
            let at = row.at();
            line.map(|line| BudgetProfile { line, weights, at })
        });
        mapping.profiles = profiles.into_iter().flatten().collect();
    }
    mapping
}

/// `ja`/`true` or empty: whether a row is marked synthetic.
fn synthetic_cell(row: &mut RowReader) -> bool {
    match row.optional_text("synthetic").as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            row.error("synthetic", format!("{other:?} är inte true eller false"));
            false
        }
    }
}

fn month_cell(row: &mut RowReader, column: &str) -> Option<Month> {
    let text = row.text(column);
    match text.parse::<Month>() {
        Ok(month) => Some(month),
        Err(error) => {
            if !text.trim().is_empty() {
                row.error(column, error.to_string());
            }
            None
        }
    }
}

/// A number of hours: an exact decimal with a dot, not negative.
fn hours_cell(row: &mut RowReader, column: &str) -> Decimal {
    let value = row.decimal(column);
    if value.is_sign_negative() && !value.is_zero() {
        row.error(column, format!("{value} timmar är negativt"));
    }
    value
}

fn count_cell(row: &mut RowReader, column: &str) -> u32 {
    let text = row.text(column);
    match text.parse::<u32>() {
        Ok(n) if !text.starts_with('+') => n,
        _ => {
            if !text.trim().is_empty() {
                row.error(
                    column,
                    format!("{text:?} är inte ett antal (ett heltal 0 eller större)"),
                );
            }
            0
        }
    }
}

/// `personal/timmar.csv` and `personal/anstallda.csv` (docs/plan-format.md).
fn read_personnel(reader: &mut Reader) -> Personnel {
    use styr_domain::personnel::{AgeGroup, Gender, HoursRow, StaffRow};
    let mut personnel = Personnel::default();
    let columns = PERSONNEL_HOURS_COLUMNS;
    if let Some(table) =
        reader.csv_with_optional(PERSONNEL_HOURS, false, &columns, &["synthetic"], false)
    {
        let rows = reader.rows(&table, |row| {
            let unit = row.id("unit");
            let month = month_cell(row, "month");
            let gender = row.code("gender", Gender::parse, &Gender::codes(), Gender::Woman);
            let age = row.code(
                "age_group",
                AgeGroup::parse,
                &AgeGroup::codes(),
                AgeGroup::UpTo29,
            );
            let working = hours_cell(row, "ordinarie_timmar");
            let sick = hours_cell(row, "sjuk_timmar");
            let long_term = hours_cell(row, "langtid_timmar");
            let synthetic = synthetic_cell(row);
            let at = row.at();
            month.map(|month| HoursRow {
                unit,
                month,
                gender,
                age,
                working,
                sick,
                long_term,
                synthetic,
                at,
            })
        });
        personnel.hours = rows.into_iter().flatten().collect();
    }
    let columns = PERSONNEL_STAFF_COLUMNS;
    if let Some(table) =
        reader.csv_with_optional(PERSONNEL_STAFF, false, &columns, &["synthetic"], false)
    {
        let rows = reader.rows(&table, |row| {
            let unit = row.id("unit");
            let month = month_cell(row, "month");
            let gender = row.code("gender", Gender::parse, &Gender::codes(), Gender::Woman);
            let permanent = count_cell(row, "tillsvidare");
            let temporary = count_cell(row, "visstid");
            let full_time_equivalents = hours_cell(row, "arsarbetare");
            let leavers = count_cell(row, "avgangar");
            let synthetic = synthetic_cell(row);
            let at = row.at();
            month.map(|month| StaffRow {
                unit,
                month,
                gender,
                permanent,
                temporary,
                full_time_equivalents,
                leavers,
                synthetic,
                at,
            })
        });
        personnel.staff = rows.into_iter().flatten().collect();
    }
    personnel
}

/// `matt/matt.csv` and `matt/budget.csv` (docs/plan-format.md).
fn read_activity(reader: &mut Reader) -> ActivityMeasures {
    use styr_domain::activity::{ActivityMeasure, BudgetPeriod, MeasureBudget};
    let mut activity = ActivityMeasures::default();
    if let Some(table) =
        reader.csv_with_optional(MEASURES, false, &MEASURE_COLUMNS, &["synthetic"], false)
    {
        activity.measures = reader.rows(&table, |row| ActivityMeasure {
            id: row.id("id"),
            unit: row.id("unit"),
            name: row.text("name"),
            unit_of_measure: row.text("unit_of_measure"),
            synthetic: synthetic_cell(row),
            at: row.at(),
        });
    }
    if let Some(table) = reader.csv(MEASURE_BUDGET, false, &MEASURE_BUDGET_COLUMNS, false) {
        let rows = reader.rows(&table, |row| {
            let measure = row.id("measure");
            let text = row.text("period");
            let period = BudgetPeriod::parse(&text);
            if period.is_none() && !text.trim().is_empty() {
                row.error("period", format!("{text:?} är inte ÅÅÅÅ-MM eller ÅÅÅÅ"));
            }
            let volume = row.decimal("volume");
            let at = row.at();
            period.map(|period| MeasureBudget {
                measure,
                period,
                volume,
                at,
            })
        });
        activity.budget = rows.into_iter().flatten().collect();
    }
    activity
}
