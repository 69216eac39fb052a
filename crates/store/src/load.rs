//! Loading a plan back: every table read in the stored order inside one read transaction (one
//! snapshot, so a concurrent import is seen wholly or not at all) and assembled into a
//! [`Plan`] equal to the one imported.
//!
//! Locations are not stored: loaded values have empty ones, except narrative claims, which are
//! read again from the stored text (with their file and line). Figure expressions are parsed
//! again from their text. Nothing is checked beyond what it takes to build valid domain values:
//! a value that cannot be one is reported as `StoreError::Corrupt`.

use crate::connect::Backend;
use crate::row::Cells;
use crate::{PlanKey, StoreError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe};
use std::collections::{BTreeMap, HashMap};
use styr_domain::acknowledgement::Acknowledgement;
use styr_domain::activity::{ActivityMeasure, ActivityMeasures, BudgetPeriod, MeasureBudget};
use styr_domain::assignment::{Assignment, AssignmentMention, AssignmentStatus, StatusReport};
use styr_domain::budget::{
    AmountRow, Budget, BudgetVersion, ExploitationBudget, ExploitationRow, FinanceBudget,
    FinanceLine, FinanceRow, Frame, FrameCalculation, FrameChange, FrameChangeComponent, FrameLine,
    FrameLineKind, InvestmentBudget, InvestmentProject, InvestmentRow, Measure, OperatingTable,
    RowKind, VersionKind,
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
use styr_domain::document::{Narrative, Section};
use styr_domain::followup::{FollowUpFigure, ForecastRules};
use styr_domain::goal::{
    Cadence, Direction, Goal, GoalArea, Indicator, IndicatorLevel, IndicatorSource, IndicatorValue,
    Priority, StartingPoint, ValueKind,
};
use styr_domain::kolada::{ComparisonMunicipality, KoladaSettings};
use styr_domain::ledger::{
    AccountRange, AccountRule, BudgetLineRef, BudgetProfile, LedgerMapping, ProjectMapping,
    RuleTarget, UnitMapping,
};
use styr_domain::org::{Body, BodyKind, CaseNumber, Decision, Municipality, OrgUnit};
use styr_domain::personnel::{AgeGroup, Gender, HoursRow, Personnel, StaffRow};
use styr_domain::plan::DocumentInfo;
use styr_domain::statements::{
    AccountTag, BalanceItem, BalanceItemKind, LineBudget, StatementMapping, StatementRule,
};
use styr_domain::{Id, Location, Money, Plan, Year};

/// Every stored plan's key, by municipality and then in import order.
pub async fn plans(pool: &AnyPool) -> Result<Vec<PlanKey>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.municipality, p.document_body, p.version, p.version_kind, p.imported_at, \
         (SELECT MIN(y.year) FROM plan_years y WHERE y.municipality = p.municipality AND \
         y.version = p.version AND y.list = 'document') AS first_year \
         FROM plans p ORDER BY p.municipality, p.import_seq",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "plans",
            };
            Ok(PlanKey {
                municipality: cells.text("municipality")?,
                body: cells.text("document_body")?,
                year: cells.opt_int("first_year")?.unwrap_or_default(),
                version: cells.text("version")?,
                kind: cells.text("version_kind")?,
                imported_at: cells.text("imported_at")?,
            })
        })
        .collect()
}

/// One snapshot for all the reads of a plan. SQLite in WAL mode has one per read transaction;
/// PostgreSQL's default (read committed) takes one per statement.
async fn snapshot(
    pool: &AnyPool,
    backend: Backend,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
    Ok(match backend {
        Backend::Sqlite => pool.begin().await?,
        Backend::Postgres => {
            pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .await?
        }
    })
}

/// Loads a plan; see `Store::load_plan`.
pub async fn load_plan(
    pool: &AnyPool,
    backend: Backend,
    municipality: Option<&str>,
    body: Option<&str>,
    version: Option<&str>,
) -> Result<Plan, StoreError> {
    let mut transaction = snapshot(pool, backend).await?;
    let mut reader = PlanReader::of(&mut transaction, municipality, body, version).await?;
    let plan = reader.plan().await?;
    transaction.commit().await?;
    of_body(body, &plan.budget.version.id, &plan.document.body)?;
    Ok(plan)
}

/// What a drill-down needs of a stored plan (`Store::load_plan_ledger`): whose plan it is, its
/// version's kind (who may see it), its budget lines' labels and its ledger mapping. Read in a
/// handful of queries where the whole plan takes some seventy; [`PlanLedger::of`] takes the same
/// from a loaded plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLedger {
    pub municipality: Id,
    pub body: Id,
    pub version: Id,
    pub kind: VersionKind,
    /// Every budget line a ledger row can map to, with its name, in the plan's order: the rows
    /// of the operating tables that are not summaries, then the investment budget's lines.
    pub lines: Vec<(BudgetLineRef, String)>,
    pub ledger: LedgerMapping,
}

impl PlanLedger {
    /// The same as `Store::load_plan_ledger` reads, from a whole plan.
    pub fn of(plan: &Plan) -> PlanLedger {
        PlanLedger {
            municipality: plan.municipality.id.clone(),
            body: plan.document.body.clone(),
            version: plan.budget.version.id.clone(),
            kind: plan.budget.version.kind,
            lines: budget_lines(&plan.budget.operating, plan.budget.investment.lines()),
            ledger: plan.ledger.clone(),
        }
    }

    /// A budget line's name, when the plan has the line.
    pub fn label(&self, line: &BudgetLineRef) -> Option<&str> {
        self.lines
            .iter()
            .find(|(l, _)| l == line)
            .map(|(_, name)| name.as_str())
    }
}

/// The lines of operating tables (their summaries left out) and investment lines, named.
fn budget_lines<'a>(
    operating: &[OperatingTable],
    investment: impl Iterator<Item = &'a InvestmentRow>,
) -> Vec<(BudgetLineRef, String)> {
    let operating = operating
        .iter()
        .filter(|table| !table.summary)
        .flat_map(|table| {
            table.rows.iter().map(|row| {
                let line = BudgetLineRef::Operating {
                    table: table.id.clone(),
                    line: row.id.clone(),
                };
                (line, row.name.clone())
            })
        });
    let investment = investment.map(|row| {
        let line = BudgetLineRef::Investment {
            project: row.id.clone(),
        };
        (line, row.name.clone())
    });
    operating.chain(investment).collect()
}

/// Loads what a drill-down needs of a plan; see `Store::load_plan_ledger`.
pub async fn load_plan_ledger(
    pool: &AnyPool,
    backend: Backend,
    municipality: Option<&str>,
    body: Option<&str>,
    version: Option<&str>,
) -> Result<PlanLedger, StoreError> {
    let mut transaction = snapshot(pool, backend).await?;
    let mut reader = PlanReader::of(&mut transaction, municipality, body, version).await?;
    let plan = reader.plan_ledger().await?;
    transaction.commit().await?;
    of_body(body, &plan.version, &plan.body)?;
    Ok(plan)
}

/// Refuses a version that is not the plan of the body asked for.
fn of_body(body: Option<&str>, version: &Id, plan_body: &Id) -> Result<(), StoreError> {
    match body.filter(|body| *body != plan_body.as_str()) {
        Some(body) => Err(StoreError::NotFound(format!(
            "budgetversionen {version} är organet {plan_body}s plan, inte organet {body}s"
        ))),
        None => Ok(()),
    }
}

async fn only_municipality(connection: &mut AnyConnection) -> Result<String, StoreError> {
    let rows = sqlx::query("SELECT DISTINCT municipality FROM plans ORDER BY municipality")
        .fetch_all(connection)
        .await?;
    let mut municipalities = rows
        .iter()
        .map(|row| {
            Cells {
                row,
                table: "plans",
            }
            .text("municipality")
        })
        .collect::<Result<Vec<String>, StoreError>>()?;
    match municipalities.len() {
        0 => Err(StoreError::NotFound(
            "databasen har inga planer: importera en plan först".to_owned(),
        )),
        1 => Ok(municipalities.remove(0)),
        _ => Err(StoreError::AmbiguousMunicipality(municipalities)),
    }
}

/// The one body with plans in a municipality: with several, the caller must name one.
async fn only_body(
    connection: &mut AnyConnection,
    municipality: &str,
) -> Result<String, StoreError> {
    let rows = sqlx::query(
        "SELECT DISTINCT document_body FROM plans WHERE municipality = $1 ORDER BY document_body",
    )
    .bind(municipality)
    .fetch_all(connection)
    .await?;
    let mut bodies = rows
        .iter()
        .map(|row| {
            Cells {
                row,
                table: "plans",
            }
            .text("document_body")
        })
        .collect::<Result<Vec<String>, StoreError>>()?;
    match bodies.len() {
        0 => Err(StoreError::NotFound(format!(
            "databasen har inga planer för kommunen {municipality}"
        ))),
        1 => Ok(bodies.remove(0)),
        _ => Err(StoreError::AmbiguousBody {
            municipality: municipality.to_owned(),
            bodies,
        }),
    }
}

/// The most recently imported version of a body's plan.
async fn latest_version(
    connection: &mut AnyConnection,
    municipality: &str,
    body: &str,
) -> Result<String, StoreError> {
    let row = sqlx::query(
        "SELECT version FROM plans WHERE municipality = $1 AND document_body = $2 \
         ORDER BY import_seq DESC LIMIT 1",
    )
    .bind(municipality)
    .bind(body)
    .fetch_optional(connection)
    .await?;
    match row {
        Some(row) => Cells {
            row: &row,
            table: "plans",
        }
        .text("version"),
        None => Err(StoreError::NotFound(format!(
            "databasen har ingen plan för organet {body} i kommunen {municipality}"
        ))),
    }
}

/// The rows of one plan, table by table.
struct PlanReader<'c> {
    connection: &'c mut AnyConnection,
    municipality: String,
    version: String,
}

/// An element read from a row of a table.
trait FromCells: Sized {
    fn from_cells(cells: &Cells<'_>) -> Result<Self, StoreError>;
}

impl<'c> PlanReader<'c> {
    /// A reader of the plan a selector names: the version given, else the body's latest, of
    /// the municipality given, else the only one (and the only body when none is named).
    async fn of(
        connection: &'c mut AnyConnection,
        municipality: Option<&str>,
        body: Option<&str>,
        version: Option<&str>,
    ) -> Result<PlanReader<'c>, StoreError> {
        let municipality = match municipality {
            Some(municipality) => municipality.to_owned(),
            None => only_municipality(&mut *connection).await?,
        };
        let version = match (version, body) {
            (Some(version), _) => version.to_owned(),
            (None, Some(body)) => latest_version(&mut *connection, &municipality, body).await?,
            (None, None) => {
                let body = only_body(&mut *connection, &municipality).await?;
                latest_version(&mut *connection, &municipality, &body).await?
            }
        };
        Ok(PlanReader {
            connection,
            municipality,
            version,
        })
    }

    /// The plan's [`PlanLedger`]: its head, its tables' rows (without amounts), its investment
    /// rows and its ledger mapping.
    async fn plan_ledger(&mut self) -> Result<PlanLedger, StoreError> {
        let head = self.head().await?;
        let head = Cells {
            row: &head,
            table: "plans",
        };
        let mut rows = self
            .grouped(
                "operating_rows",
                "table_id, position",
                |c| c.text("table_id"),
                AmountRow::from_cells,
            )
            .await?;
        let mut tables: Vec<OperatingTable> = self.list("operating_tables").await?;
        for table in &mut tables {
            table.rows = rows.remove(table.id.as_str()).unwrap_or_default();
        }
        let investment: Vec<InvestmentRow> = self.list("investment_rows").await?;
        let lines = investment.iter().filter(|row| row.kind == RowKind::Line);
        Ok(PlanLedger {
            municipality: head.id("municipality")?,
            body: head.id("document_body")?,
            version: head.id("version")?,
            kind: head.code("version_kind", VersionKind::parse)?,
            lines: budget_lines(&tables, lines),
            ledger: self.ledger_mapping().await?,
        })
    }

    /// The plan's row of `plans`.
    async fn head(&mut self) -> Result<AnyRow, StoreError> {
        let mut rows = self.rows("plans", "version").await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound(format!(
                "planen {}/{} finns inte i databasen",
                self.municipality, self.version
            )));
        }
        Ok(rows.swap_remove(0))
    }

    async fn rows(
        &mut self,
        table: &'static str,
        order: &'static str,
    ) -> Result<Vec<AnyRow>, StoreError> {
        // Built from constant table and column names only.
        let sql = format!(
            "SELECT * FROM {table} WHERE municipality = $1 AND version = $2 ORDER BY {order}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&self.municipality)
            .bind(&self.version)
            .fetch_all(&mut *self.connection)
            .await?;
        Ok(rows)
    }

    /// Every element of a list table, in printed order.
    async fn list<T: FromCells>(&mut self, table: &'static str) -> Result<Vec<T>, StoreError> {
        let rows = self.rows(table, "position").await?;
        rows.iter()
            .map(|row| T::from_cells(&Cells { row, table }))
            .collect()
    }

    /// Rows of a child table grouped by their owner's key (`key` builds it from the row),
    /// each group in the order of `order`.
    async fn grouped<K, T>(
        &mut self,
        table: &'static str,
        order: &'static str,
        key: fn(&Cells<'_>) -> Result<K, StoreError>,
        value: fn(&Cells<'_>) -> Result<T, StoreError>,
    ) -> Result<HashMap<K, Vec<T>>, StoreError>
    where
        K: std::hash::Hash + Eq,
    {
        let rows = self.rows(table, order).await?;
        let mut groups: HashMap<K, Vec<T>> = HashMap::new();
        for row in &rows {
            let cells = Cells { row, table };
            groups.entry(key(&cells)?).or_default().push(value(&cells)?);
        }
        Ok(groups)
    }

    /// Amounts per year of a table of amounts, by owner key.
    async fn amounts<K>(
        &mut self,
        table: &'static str,
        order: &'static str,
        key: fn(&Cells<'_>) -> Result<K, StoreError>,
    ) -> Result<HashMap<K, BTreeMap<Year, Money>>, StoreError>
    where
        K: std::hash::Hash + Eq,
    {
        let groups = self.grouped(table, order, key, year_amount).await?;
        Ok(groups
            .into_iter()
            .map(|(key, amounts)| (key, amounts.into_iter().collect()))
            .collect())
    }

    async fn plan(&mut self) -> Result<Plan, StoreError> {
        let head = self.head().await?;
        let head = Cells {
            row: &head,
            table: "plans",
        };
        let mut years = self
            .grouped(
                "plan_years",
                "list, position",
                |c| c.text("list"),
                |c| c.small("year"),
            )
            .await?;
        let mut take_years = |list: &str| years.remove(list).unwrap_or_default();
        let municipality = Municipality {
            id: head.id("municipality")?,
            name: head.text("municipality_name")?,
            code: head.text("municipality_code")?,
        };
        let document = DocumentInfo {
            title: head.text("document_title")?,
            body: head.id("document_body")?,
            years: take_years("document"),
            source: head.opt_text("document_source")?,
            at: Location::default(),
        };
        let investment_years = take_years("investment");
        let finance_years = take_years("finance");
        let summary_years = take_years("finance_summary");
        let assignments = self.assignments().await?;
        let periods = crate::followup::periods(
            &mut *self.connection,
            crate::Owner {
                municipality: municipality.id.as_str(),
                body: document.body.as_str(),
            },
        )
        .await?;
        let budget = self
            .budget(&head, investment_years, finance_years, summary_years)
            .await?;
        let control = InternalControl {
            scale: self.risk_scale().await?,
            risks: self.risks().await?,
            controls: self.controls().await?,
            audits: self.audits().await?,
            synthetic: head.flag("control_synthetic")?,
        };
        Ok(Plan {
            municipality,
            document,
            bodies: self.list("bodies").await?,
            units: self.list("units").await?,
            decisions: self.list("decisions").await?,
            starting_points: self.list("starting_points").await?,
            goal_areas: self.list("goal_areas").await?,
            goals: self.list("goals").await?,
            priorities: self.list("priorities").await?,
            indicators: self.list("indicators").await?,
            indicator_values: self.list("indicator_values").await?,
            assignments,
            mentions: self.list("assignment_mentions").await?,
            statuses: self.list("assignment_statuses").await?,
            budget,
            periods,
            figures: self.list("followup_figures").await?,
            forecast_rules: ForecastRules {
                percent: head.decimal("forecast_explanation_percent")?,
                amount: head.money("forecast_explanation_ore")?,
            },
            control,
            sections: self.sections().await?,
            narratives: self.list("narratives").await?,
            ledger: self.ledger_mapping().await?,
            acknowledgements: self.list("acknowledgements").await?,
            kolada: KoladaSettings {
                comparison_name: head.opt_text("kolada_comparison_name")?,
                comparison: self.list("kolada_comparison").await?,
            },
            kolada_values: Vec::new(),
            council: self.council().await?,
            company: self.company().await?,
            personnel: Personnel {
                hours: self.list("personnel_hours").await?,
                staff: self.list("personnel_staff").await?,
            },
            activity: ActivityMeasures {
                measures: self.list("activity_measures").await?,
                budget: self.list("activity_budget").await?,
            },
            statements: self.statements().await?,
        })
    }

    /// KF's budget, when the plan has one (migration 0017).
    async fn council(&mut self) -> Result<Option<CouncilBudget>, StoreError> {
        let rows = self.rows("councils", "version").await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let head = Cells {
            row,
            table: "councils",
        };
        let goals: Vec<FinancialGoal> = self.list("council_geh_goals").await?;
        Ok(Some(CouncilBudget {
            synthetic: head.flag("synthetic")?,
            decision: head.opt_id("decision")?,
            years: self.list("council_years").await?,
            frames: self.list("council_frames").await?,
            central_items: self.list("council_items").await?,
            eliminations: self.list("council_eliminations").await?,
            financial_goals: if goals.is_empty() {
                // A plan stored before migration 0024: its result goal only.
                head.opt_decimal("financial_goal_share")?
                    .map(|share| FinancialGoal {
                        kind: FinancialGoalKind::Result,
                        share: Some(share),
                        text: None,
                        at: Location::default(),
                    })
                    .into_iter()
                    .collect()
            } else {
                goals
            },
            geh_judgements: self.list("council_geh_judgements").await?,
            appropriation_changes: self.list("council_appropriation_changes").await?,
            at: Location::default(),
        }))
    }

    /// A company's own budget, when the plan has one (migration 0017).
    async fn company(&mut self) -> Result<Option<CompanyBudget>, StoreError> {
        let rows = self.rows("companies", "version").await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let head = Cells {
            row,
            table: "companies",
        };
        Ok(Some(CompanyBudget {
            synthetic: head.flag("synthetic")?,
            decision: head.opt_id("decision")?,
            years: self.list("company_years").await?,
            at: Location::default(),
        }))
    }

    /// KF's Kommun-Bas mapping and what goes with it (migration 0023).
    async fn statements(&mut self) -> Result<StatementMapping, StoreError> {
        Ok(StatementMapping {
            rules: self.list("statement_rules").await?,
            budget: self.list("statement_budget").await?,
            balance_items: self.list("balance_requirement_items").await?,
        })
    }

    async fn ledger_mapping(&mut self) -> Result<LedgerMapping, StoreError> {
        let mut profiles: Vec<BudgetProfile> = Vec::new();
        for row in &self.rows("ledger_profiles", "position, month").await? {
            let cells = Cells {
                row,
                table: "ledger_profiles",
            };
            let position: usize = cells.small("position")?;
            let month: usize = cells.small("month")?;
            let weight = cells.int("weight")?;
            if position == profiles.len() {
                profiles.push(BudgetProfile {
                    line: cells.code("line", BudgetLineRef::parse)?,
                    weights: [0; 12],
                    at: Location::default(),
                });
            }
            let slot = profiles
                .get_mut(position)
                .and_then(|profile| profile.weights.get_mut(month.wrapping_sub(1)));
            match slot {
                Some(slot) => *slot = weight,
                None => {
                    return Err(StoreError::Corrupt(format!(
                        "ledger_profiles: position {position} månad {month} passar inte"
                    )));
                }
            }
        }
        Ok(LedgerMapping {
            rules: self.list("ledger_rules").await?,
            units: self.list("ledger_units").await?,
            projects: self.list("ledger_projects").await?,
            profiles,
        })
    }

    async fn assignments(&mut self) -> Result<Vec<Assignment>, StoreError> {
        let mut responsible = self
            .grouped(
                "assignment_responsible",
                "assignment, position",
                |c| c.text("assignment"),
                |c| c.id("body"),
            )
            .await?;
        let mut assignments: Vec<Assignment> = self.list("assignments").await?;
        for assignment in &mut assignments {
            assignment.responsible = responsible
                .remove(assignment.id.as_str())
                .unwrap_or_default();
        }
        Ok(assignments)
    }

    async fn budget(
        &mut self,
        head: &Cells<'_>,
        investment_years: Vec<Year>,
        finance_years: Vec<Year>,
        summary_years: Vec<Year>,
    ) -> Result<Budget, StoreError> {
        let version = BudgetVersion {
            id: head.id("version")?,
            kind: head.code("version_kind", VersionKind::parse)?,
            name: head.text("version_name")?,
            decision: head.opt_id("version_decision")?,
            based_on: head.opt_id("version_based_on")?,
            at: Location::default(),
        };
        let mut investment_amounts = self
            .amounts("investment_amounts", "row_id, year", |c| c.text("row_id"))
            .await?;
        let mut investment_rows: Vec<InvestmentRow> = self.list("investment_rows").await?;
        for row in &mut investment_rows {
            row.amounts = investment_amounts
                .remove(row.id.as_str())
                .unwrap_or_default();
        }
        let investment = InvestmentBudget {
            title: head.text("investment_title")?,
            budget_year: head.small("investment_budget_year")?,
            decision: head.opt_id("investment_decision")?,
            years: investment_years,
            rows: investment_rows,
            projects: self.list("investment_projects").await?,
            at: Location::default(),
        };
        let exploitation = ExploitationBudget {
            title: head.text("exploitation_title")?,
            year: head.small("exploitation_year")?,
            rows: self.list("exploitation_rows").await?,
            at: Location::default(),
        };
        let mut summary_amounts = self
            .amounts("finance_summary_amounts", "row_id, year", |c| {
                c.text("row_id")
            })
            .await?;
        let mut summary: Vec<AmountRow> = self.list("finance_summary_rows").await?;
        for row in &mut summary {
            row.amounts = summary_amounts.remove(row.id.as_str()).unwrap_or_default();
        }
        let finance = FinanceBudget {
            title: head.text("finance_title")?,
            summary_title: head.text("finance_summary_title")?,
            years: finance_years,
            rows: self.finance_rows().await?,
            summary_years,
            summary,
            at: Location::default(),
        };
        let frame_change = if head.flag("has_frame_change")? {
            Some(FrameChange {
                from_label: head.text("frame_change_from_label")?,
                to_year: head.small("frame_change_to_year")?,
                stated: head.money("frame_change_stated_ore")?,
                components: self.list("frame_change_components").await?,
                at: Location::default(),
            })
        } else {
            None
        };
        let frame_calculation = self.frame_calculation().await?;
        Ok(Budget {
            version,
            frames: self.list("frames").await?,
            operating: self.operating_tables().await?,
            investment,
            exploitation,
            finance,
            frame_change,
            frame_calculation,
        })
    }

    /// The ramberäkning, when the plan has one (migration 0022).
    async fn frame_calculation(&mut self) -> Result<Option<FrameCalculation>, StoreError> {
        let rows = self.rows("frame_calculations", "version").await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let head = Cells {
            row,
            table: "frame_calculations",
        };
        Ok(Some(FrameCalculation {
            year: head.small("year")?,
            base_label: head.text("base_label")?,
            base_version: head.opt_id("base_version")?,
            base_amount: head.money("base_amount_ore")?,
            decision: head.opt_id("decision")?,
            synthetic: head.flag("synthetic")?,
            lines: self.list("frame_calculation_lines").await?,
            at: Location::default(),
        }))
    }

    async fn operating_tables(&mut self) -> Result<Vec<OperatingTable>, StoreError> {
        let mut years = self
            .grouped(
                "operating_table_years",
                "table_id, position",
                |c| c.text("table_id"),
                |c| c.small("year"),
            )
            .await?;
        let mut rows = self
            .grouped(
                "operating_rows",
                "table_id, position",
                |c| c.text("table_id"),
                AmountRow::from_cells,
            )
            .await?;
        let mut amounts = self
            .amounts("operating_amounts", "table_id, row_id, year", |c| {
                Ok((c.text("table_id")?, c.text("row_id")?))
            })
            .await?;
        let mut tables: Vec<OperatingTable> = self.list("operating_tables").await?;
        for table in &mut tables {
            let id = table.id.as_str().to_owned();
            table.years = years.remove(&id).unwrap_or_default();
            table.rows = rows.remove(&id).unwrap_or_default();
            for row in &mut table.rows {
                let key = (id.clone(), row.id.as_str().to_owned());
                row.amounts = amounts.remove(&key).unwrap_or_default();
            }
        }
        Ok(tables)
    }

    async fn finance_rows(&mut self) -> Result<Vec<FinanceRow>, StoreError> {
        let mut amounts = self
            .amounts(
                "finance_amounts",
                "row_position, line_position, year",
                |c| Ok((c.int("row_position")?, c.int("line_position")?)),
            )
            .await?;
        let mut lines = self
            .grouped(
                "finance_lines",
                "row_position, position",
                |c| c.int("row_position"),
                |c| {
                    Ok((
                        c.int("position")?,
                        FinanceLine {
                            measure: c.code("measure", Measure::parse)?,
                            amounts: BTreeMap::new(),
                            at: Location::default(),
                        },
                    ))
                },
            )
            .await?;
        let rows = self.rows("finance_rows", "position").await?;
        let mut finance_rows = Vec::with_capacity(rows.len());
        for row in &rows {
            let cells = Cells {
                row,
                table: "finance_rows",
            };
            let position = cells.int("position")?;
            let row_lines = lines.remove(&position).unwrap_or_default();
            finance_rows.push(FinanceRow {
                id: cells.id("id")?,
                name: cells.text("name")?,
                kind: cells.code("kind", RowKind::parse)?,
                group: cells.opt_id("group_id")?,
                lines: row_lines
                    .into_iter()
                    .map(|(line_position, mut line)| {
                        line.amounts = amounts
                            .remove(&(position, line_position))
                            .unwrap_or_default();
                        line
                    })
                    .collect(),
            });
        }
        Ok(finance_rows)
    }

    async fn risk_scale(&mut self) -> Result<Option<RiskScale>, StoreError> {
        let rows = self.rows("risk_scales", "municipality").await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let c = Cells {
            row,
            table: "risk_scales",
        };
        let bands = self.rows("risk_bands", "position").await?;
        Ok(Some(RiskScale {
            likelihood: c.small("likelihood")?,
            consequence: c.small("consequence")?,
            bands: bands
                .iter()
                .map(|row| {
                    let c = Cells {
                        row,
                        table: "risk_bands",
                    };
                    Ok(RiskBand {
                        min_score: c.small("min_score")?,
                        label: c.text("label")?,
                        colour: c.text("colour")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        }))
    }

    async fn risks(&mut self) -> Result<Vec<Risk>, StoreError> {
        let mut assessments = self
            .grouped(
                "risk_assessments",
                "risk, position",
                |c| c.text("risk"),
                |c| {
                    Ok(RiskAssessment {
                        year: c.small("year")?,
                        likelihood: c.small("likelihood")?,
                        consequence: c.small("consequence")?,
                    })
                },
            )
            .await?;
        let mut risks: Vec<Risk> = self.list("risks").await?;
        for risk in &mut risks {
            risk.assessments = assessments.remove(risk.id.as_str()).unwrap_or_default();
        }
        Ok(risks)
    }

    async fn controls(&mut self) -> Result<Vec<Control>, StoreError> {
        let mut periods = self
            .grouped(
                "control_periods",
                "control, position",
                |c| c.text("control"),
                |c| c.month("month"),
            )
            .await?;
        let mut controls: Vec<Control> = self.list("controls").await?;
        for control in &mut controls {
            control.periods = periods.remove(control.id.as_str()).unwrap_or_default();
        }
        Ok(controls)
    }

    async fn audits(&mut self) -> Result<Vec<Audit>, StoreError> {
        let mut actions = self
            .grouped(
                "audit_actions",
                "audit, recommendation, position",
                |c| Ok((c.text("audit")?, c.text("recommendation")?)),
                |c| {
                    Ok(AuditAction {
                        id: c.id("id")?,
                        text: c.text("content")?,
                        owner: c.opt_id("owner")?,
                        due: c.opt_text("due")?,
                        status: c.code("status", ActionStatus::parse)?,
                        evidence: c.opt_text("evidence")?,
                        reason: c.opt_text("reason")?,
                    })
                },
            )
            .await?;
        let mut recommendations = self
            .grouped(
                "audit_recommendations",
                "audit, position",
                |c| c.text("audit"),
                |c| {
                    Ok(Recommendation {
                        id: c.id("id")?,
                        text: c.text("content")?,
                        actions: Vec::new(),
                    })
                },
            )
            .await?;
        let mut audits: Vec<Audit> = self.list("audits").await?;
        for audit in &mut audits {
            audit.recommendations = recommendations
                .remove(audit.id.as_str())
                .unwrap_or_default();
            for recommendation in &mut audit.recommendations {
                recommendation.actions = actions
                    .remove(&(audit.id.to_string(), recommendation.id.to_string()))
                    .unwrap_or_default();
            }
        }
        Ok(audits)
    }

    async fn sections(&mut self) -> Result<Vec<Section>, StoreError> {
        let mut show = self
            .grouped(
                "section_show",
                "section, position",
                |c| c.text("section"),
                |c| c.parsed("block"),
            )
            .await?;
        let mut sections: Vec<Section> = self.list("sections").await?;
        for section in &mut sections {
            section.show = show.remove(section.id.as_str()).unwrap_or_default();
        }
        Ok(sections)
    }
}

fn year_amount(cells: &Cells<'_>) -> Result<(Year, Money), StoreError> {
    Ok((cells.small("year")?, cells.money("amount_ore")?))
}

fn case_number(cells: &Cells<'_>, column: &str) -> Result<Option<CaseNumber>, StoreError> {
    cells
        .opt_text(column)?
        .map(|text| {
            CaseNumber::parse(&text).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "{}.{column}: {text:?} är inget diarienummer",
                    cells.table
                ))
            })
        })
        .transpose()
}

impl FromCells for Body {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Body {
            id: c.id("id")?,
            name: c.text("name")?,
            short: c.opt_text("short")?,
            kind: c.code("kind", BodyKind::parse)?,
            parent: c.opt_id("parent")?,
            note: c.opt_text("note")?,
            ownership_percent: c.opt_decimal("ownership_percent")?,
            at: Location::default(),
        })
    }
}

impl FromCells for OrgUnit {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(OrgUnit {
            id: c.id("id")?,
            name: c.text("name")?,
            short: c.opt_text("short")?,
            body: c.id("body")?,
            parent: c.opt_id("parent")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Decision {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Decision {
            id: c.id("id")?,
            body: c.id("body")?,
            date: c.opt_text("decision_date")?,
            paragraph: c.opt_small("paragraph")?,
            case: case_number(c, "case_number")?,
            title: c.text("title")?,
            at: Location::default(),
        })
    }
}

impl FromCells for StartingPoint {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(StartingPoint {
            id: c.id("id")?,
            title: c.text("title")?,
            at: Location::default(),
        })
    }
}

impl FromCells for GoalArea {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(GoalArea {
            id: c.id("id")?,
            name: c.text("name")?,
            description: c.opt_text("description")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Goal {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Goal {
            id: c.id("id")?,
            area: c.id("area")?,
            number: c.small("number")?,
            title: c.text("title")?,
            description: c.opt_text("description")?,
            parent: c.opt_id("parent")?,
            at: Location::default(),
        })
    }
}

impl FromCells for CouncilYear {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(CouncilYear {
            year: c.small("year")?,
            tax_rate: c.decimal("tax_rate")?,
            tax_revenue: c.money("tax_revenue_ore")?,
            grants: c.money("grants_ore")?,
            financial_net: c.money("financial_net_ore")?,
            result: c.money("result_ore")?,
            at: Location::default(),
        })
    }
}

impl FromCells for FinancialGoal {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(FinancialGoal {
            kind: c.code("kind", FinancialGoalKind::parse)?,
            share: c.opt_decimal("share")?,
            text: c.opt_text("text")?,
            at: Location::default(),
        })
    }
}

impl FromCells for GehJudgement {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(GehJudgement {
            period: c.month("period")?,
            verdict: c.code("verdict", GehVerdict::parse)?,
            text: c.text("text")?,
            at: Location::default(),
        })
    }
}

impl FromCells for AppropriationChange {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(AppropriationChange {
            body: c.id("body")?,
            year: c.small("year")?,
            amount: c.money("amount_ore")?,
            kind: c.code("kind", AppropriationKind::parse)?,
            decision: c.id("decision")?,
            date: c.text("decided_on")?,
            text: c.text("text")?,
            at: Location::default(),
        })
    }
}

impl FromCells for InvestmentProject {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(InvestmentProject {
            project: c.id("project")?,
            decided_total: c.money("decided_total_ore")?,
            decision: c.opt_id("decision")?,
            outcome_until: c.opt_small("outcome_until")?,
            outcome: c.opt_money("outcome_ore")?,
            forecast_total: c.opt_money("forecast_total_ore")?,
            at: Location::default(),
        })
    }
}

impl FromCells for BodyFrame {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(BodyFrame {
            body: c.id("body")?,
            year: c.small("year")?,
            amount: c.money("amount_ore")?,
            decision: c.opt_id("decision")?,
            at: Location::default(),
        })
    }
}

impl FromCells for CentralItem {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(CentralItem {
            id: c.id("id")?,
            name: c.text("name")?,
            year: c.small("year")?,
            amount: c.money("amount_ore")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Elimination {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Elimination {
            id: c.id("id")?,
            name: c.text("name")?,
            year: c.small("year")?,
            amount: c.money("amount_ore")?,
            at: Location::default(),
        })
    }
}

impl FromCells for CompanyYear {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(CompanyYear {
            year: c.small("year")?,
            result_before_tax: c.money("result_before_tax_ore")?,
            investments: c.money("investments_ore")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Priority {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Priority {
            id: c.id("id")?,
            goal: c.id("goal")?,
            text: c.text("content")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Indicator {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Indicator {
            id: c.id("id")?,
            goal: c.id("goal")?,
            level: c.code("level", IndicatorLevel::parse)?,
            name: c.text("name")?,
            unit: c.opt_text("unit")?,
            direction: c.opt_code("direction", Direction::parse)?,
            cadence: c.opt_code("cadence", Cadence::parse)?,
            source: c.opt_code("source", IndicatorSource::parse)?,
            kolada_kpi: c.opt_text("kolada_kpi")?,
            footnote: c.opt_text("footnote")?,
            responsible: c.opt_id("responsible")?,
            at: Location::default(),
        })
    }
}

impl FromCells for ComparisonMunicipality {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(ComparisonMunicipality {
            code: c.text("code")?,
            name: c.text("name")?,
            at: Location::default(),
        })
    }
}

impl FromCells for HoursRow {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(HoursRow {
            unit: c.id("unit")?,
            month: c.month("month")?,
            gender: c.code("gender", Gender::parse)?,
            age: c.code("age_group", AgeGroup::parse)?,
            working: c.decimal("working_hours")?,
            sick: c.decimal("sick_hours")?,
            long_term: c.decimal("long_term_hours")?,
            synthetic: c.flag("synthetic")?,
            at: Location::default(),
        })
    }
}

impl FromCells for StaffRow {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(StaffRow {
            unit: c.id("unit")?,
            month: c.month("month")?,
            gender: c.code("gender", Gender::parse)?,
            permanent: c.small("permanent")?,
            temporary: c.small("temporary")?,
            full_time_equivalents: c.decimal("full_time_equivalents")?,
            leavers: c.small("leavers")?,
            synthetic: c.flag("synthetic")?,
            at: Location::default(),
        })
    }
}

impl FromCells for ActivityMeasure {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(ActivityMeasure {
            id: c.id("id")?,
            unit: c.id("unit")?,
            name: c.text("name")?,
            unit_of_measure: c.text("unit_of_measure")?,
            synthetic: c.flag("synthetic")?,
            at: Location::default(),
        })
    }
}

impl FromCells for MeasureBudget {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(MeasureBudget {
            measure: c.id("measure")?,
            period: c.code("period", BudgetPeriod::parse)?,
            volume: c.decimal("volume")?,
            at: Location::default(),
        })
    }
}

impl FromCells for IndicatorValue {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(IndicatorValue {
            indicator: c.id("indicator")?,
            year: c.small("year")?,
            kind: c.code("kind", ValueKind::parse)?,
            value: c.decimal("value")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Assignment {
    /// Without its responsible bodies, which are another table.
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Assignment {
            id: c.id("id")?,
            code: c.opt_text("code")?,
            title: c.text("title")?,
            description: c.opt_text("description")?,
            given_by: c.opt_id("given_by")?,
            given_year: c.opt_small("given_year")?,
            responsible: Vec::new(),
            goal: c.opt_id("goal")?,
            at: Location::default(),
        })
    }
}

impl FromCells for AssignmentMention {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(AssignmentMention {
            assignment: c.id("assignment")?,
            section: c.id("section")?,
            label: c.text("label")?,
            at: Location::default(),
        })
    }
}

impl FromCells for StatusReport {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(StatusReport {
            assignment: c.id("assignment")?,
            period: c.id("period")?,
            status: c.code("status", AssignmentStatus::parse)?,
            comment: c.opt_text("comment")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Frame {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Frame {
            year: c.small("year")?,
            amount: c.money("amount_ore")?,
            decision: c.opt_id("decision")?,
            at: Location::default(),
        })
    }
}

impl FromCells for OperatingTable {
    /// Without its years and rows, which are other tables.
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(OperatingTable {
            id: c.id("id")?,
            title: c.text("title")?,
            summary: c.flag("summary")?,
            years: Vec::new(),
            rows: Vec::new(),
            at: Location::default(),
        })
    }
}

impl FromCells for AmountRow {
    /// Without its amounts, which are another table.
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(AmountRow {
            id: c.id("id")?,
            name: c.text("name")?,
            kind: c.code("kind", RowKind::parse)?,
            parent: c.opt_id("parent")?,
            reference: c.opt_formula("reference")?,
            amounts: BTreeMap::new(),
            at: Location::default(),
        })
    }
}

impl FromCells for InvestmentRow {
    /// Without its amounts, which are another table.
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(InvestmentRow {
            id: c.id("id")?,
            name: c.text("name")?,
            kind: c.code("kind", RowKind::parse)?,
            until: c.opt_money("until_ore")?,
            amounts: BTreeMap::new(),
            at: Location::default(),
        })
    }
}

impl FromCells for ExploitationRow {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(ExploitationRow {
            id: c.id("id")?,
            project: c.text("project")?,
            name: c.text("name")?,
            kind: c.code("kind", RowKind::parse)?,
            income: c.opt_money("income_ore")?,
            cost: c.opt_money("cost_ore")?,
            net: c.opt_money("net_ore")?,
            at: Location::default(),
        })
    }
}

impl FromCells for FrameLine {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(FrameLine {
            id: c.id("id")?,
            kind: c.code("kind", FrameLineKind::parse)?,
            label: c.text("label")?,
            percent: c.opt_decimal("percent")?,
            volume: c.opt_decimal("volume")?,
            unit_cost: c.opt_decimal("unit_cost")?,
            amount: c.opt_money("amount_ore")?,
            decision: c.opt_id("decision")?,
            at: Location::default(),
        })
    }
}

impl FromCells for FrameChangeComponent {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(FrameChangeComponent {
            id: c.id("id")?,
            label: c.text("label")?,
            amount: c.money("amount_ore")?,
            reference: c.opt_formula("reference")?,
            at: Location::default(),
        })
    }
}

impl FromCells for FollowUpFigure {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(FollowUpFigure {
            id: c.id("id")?,
            period: c.id("period")?,
            label: c.text("label")?,
            value: c.decimal("value")?,
            unit: c.text("unit")?,
            computed: c.opt_formula("computed")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Risk {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Risk {
            id: c.id("id")?,
            title: c.text("title")?,
            description: c.opt_text("description")?,
            process: c.opt_text("process")?,
            owner: c.opt_id("owner")?,
            decision: c.opt_code("decision", RiskDecision::parse)?,
            assessments: Vec::new(),
            at: Location::default(),
        })
    }
}

impl FromCells for Control {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Control {
            id: c.id("id")?,
            risk: c.opt_id("risk")?,
            title: c.text("title")?,
            checks: c.opt_text("checks")?,
            method: c.opt_text("method")?,
            frequency: c.opt_text("frequency")?,
            responsible: c.opt_id("responsible")?,
            year: c.opt_small("year")?,
            periods: Vec::new(),
            decision: c.opt_id("decision")?,
            at: Location::default(),
        })
    }
}

impl FromCells for Audit {
    /// Without its recommendations, which are another table.
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Audit {
            id: c.id("id")?,
            title: c.text("title")?,
            case: case_number(c, "case_number")?,
            year: c.opt_small("year")?,
            date: c.opt_text("report_date")?,
            auditor: c.opt_text("auditor")?,
            received_by: c.opt_id("received_by")?,
            note: c.opt_text("note")?,
            recommendations: Vec::new(),
            at: Location::default(),
        })
    }
}

impl FromCells for Section {
    /// Without its `show` list, which is another table.
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Section {
            id: c.id("id")?,
            title: c.text("title")?,
            level: c.small("level")?,
            file: c.opt_text("file")?,
            show: Vec::new(),
            at: Location::default(),
        })
    }
}

impl FromCells for Acknowledgement {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(Acknowledgement {
            finding: c.text("finding")?,
            reason: c.text("reason")?,
            by: c.text("acknowledged_by")?,
            at: c.text("acknowledged_at")?,
            location: Location::default(),
        })
    }
}

impl FromCells for Narrative {
    /// The claims are read again from the text, as the package reader reads them.
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        let file = c.text("file")?;
        let text = c.text("content")?;
        let (claims, _problems) = parse_claims(&file, &text);
        Ok(Narrative { file, text, claims })
    }
}

impl FromCells for AccountRule {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        let (from, to) = (c.text("account_from")?, c.text("account_to")?);
        let accounts = AccountRange::parse(&from, &to)
            .map_err(|error| StoreError::Corrupt(format!("ledger_rules.account_from: {error}")))?;
        let ansvar = c.text("ansvar")?;
        Ok(AccountRule {
            accounts,
            ansvar: ansvar
                .split(';')
                .filter(|part| !part.is_empty())
                .map(str::to_owned)
                .collect(),
            target: c.code("target", RuleTarget::parse)?,
            note: c.opt_text("note")?,
            at: Location::default(),
        })
    }
}

impl FromCells for StatementRule {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        let (from, to) = (c.text("account_from")?, c.text("account_to")?);
        let accounts = AccountRange::parse(&from, &to).map_err(|error| {
            StoreError::Corrupt(format!("statement_rules.account_from: {error}"))
        })?;
        let line = c.text("line")?;
        if !styr_domain::statements::line(&line).is_some_and(|l| l.is_mapped()) {
            return Err(StoreError::Corrupt(format!(
                "statement_rules.line: {line:?} är ingen rad"
            )));
        }
        let tag = match c.opt_text("tag")? {
            Some(tag) => Some(
                AccountTag::parse(&tag)
                    .ok_or_else(|| StoreError::Corrupt(format!("statement_rules.tag: {tag:?}")))?,
            ),
            None => None,
        };
        Ok(StatementRule {
            accounts,
            line,
            tag,
            note: c.opt_text("note")?,
            at: Location::default(),
        })
    }
}

impl FromCells for LineBudget {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(LineBudget {
            line: c.text("line")?,
            year: c.small("year")?,
            amount: c.money("amount_ore")?,
            at: Location::default(),
        })
    }
}

impl FromCells for BalanceItem {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(BalanceItem {
            year: c.small("year")?,
            kind: c.code("item", BalanceItemKind::parse)?,
            amount: c.money("amount_ore")?,
            note: c.opt_text("note")?,
            at: Location::default(),
        })
    }
}

impl FromCells for UnitMapping {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(UnitMapping {
            object: c.text("object")?,
            unit: c.id("unit")?,
            name: c.opt_text("name")?,
            at: Location::default(),
        })
    }
}

impl FromCells for ProjectMapping {
    fn from_cells(c: &Cells<'_>) -> Result<Self, StoreError> {
        Ok(ProjectMapping {
            object: c.text("object")?,
            project: c.id("project")?,
            at: Location::default(),
        })
    }
}
