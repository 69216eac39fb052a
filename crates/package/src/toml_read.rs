//! The TOML files of a package as they are written, before they become domain values.
//!
//! Unknown keys are errors (`deny_unknown_fields`): a misspelt key must not silently drop data.
//! Ids and codes are `Spanned` so that a problem with them names its line.

use crate::Diagnostic;
use crate::csv_table::placeholder_id;
use crate::text::LineIndex;
use serde::Deserialize;
use styr_domain::{Id, Location, Money, Month, MonthError};
use toml::Spanned;

pub type S = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    pub format: Spanned<u32>,
    pub municipality: MunicipalityDto,
    pub document: DocumentDto,
    #[serde(default)]
    pub body: Vec<BodyDto>,
    #[serde(default)]
    pub unit: Vec<UnitDto>,
    #[serde(default)]
    pub decision: Vec<DecisionDto>,
    pub kolada: Option<KoladaDto>,
}

/// `[kolada]`: the comparison group of the indicator charts.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KoladaDto {
    pub comparison_name: Option<String>,
    #[serde(default)]
    pub comparison: Vec<ComparisonDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonDto {
    pub code: S,
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityDto {
    pub id: S,
    pub name: String,
    pub code: S,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDto {
    pub title: S,
    pub body: S,
    pub years: Vec<i32>,
    pub source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyDto {
    pub id: S,
    pub name: String,
    pub short: Option<String>,
    pub kind: S,
    pub parent: Option<S>,
    pub note: Option<String>,
    /// A company's ägarandel in percent, as a decimal string ("100", "50.5").
    pub ownership_percent: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDto {
    pub id: S,
    pub name: String,
    pub short: Option<String>,
    pub body: S,
    pub parent: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionDto {
    pub id: S,
    pub body: S,
    pub date: Option<S>,
    pub paragraph: Option<u32>,
    pub case: Option<S>,
    pub title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalsFile {
    #[serde(default)]
    pub starting_point: Vec<StartingPointDto>,
    #[serde(default)]
    pub goal_area: Vec<GoalAreaDto>,
    #[serde(default)]
    pub goal: Vec<GoalDto>,
    #[serde(default)]
    pub priority: Vec<PriorityDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartingPointDto {
    pub id: S,
    pub title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalAreaDto {
    pub id: S,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalDto {
    pub id: S,
    pub area: S,
    pub number: u32,
    pub title: String,
    pub description: Option<String>,
    /// The KF goal this goal breaks down.
    pub parent: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityDto {
    pub id: S,
    pub goal: S,
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    pub version: VersionDto,
    #[serde(default)]
    pub frame: Vec<FrameDto>,
    #[serde(default)]
    pub operating_table: Vec<OperatingTableDto>,
    pub investment: Option<InvestmentDto>,
    pub exploitation: Option<ExploitationDto>,
    pub finance: Option<FinanceDto>,
    pub frame_change: Option<FrameChangeDto>,
    pub frame_calculation: Option<FrameCalculationDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionDto {
    pub id: S,
    pub kind: S,
    pub name: String,
    pub decision: Option<S>,
    pub based_on: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameDto {
    pub year: Spanned<i32>,
    pub amount: i64,
    pub decision: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatingTableDto {
    pub id: S,
    pub title: String,
    pub unit: S,
    #[serde(default)]
    pub summary: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvestmentDto {
    pub title: Spanned<String>,
    pub unit: S,
    pub budget_year: i32,
    pub decision: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExploitationDto {
    pub title: Spanned<String>,
    pub unit: S,
    pub year: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinanceDto {
    pub title: Spanned<String>,
    pub unit: S,
    pub summary_title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameChangeDto {
    pub from_label: Spanned<String>,
    pub to_year: i32,
    pub stated: i64,
    #[serde(default)]
    pub component: Vec<ComponentDto>,
}

/// `[frame_calculation]`: the ramberäkning's base; its lines are `budget/frame_calculation.csv`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameCalculationDto {
    pub year: Spanned<i32>,
    pub base_label: String,
    pub base_version: Option<S>,
    pub base_amount: Spanned<i64>,
    pub decision: Option<S>,
    #[serde(default)]
    pub synthetic: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentDto {
    pub id: S,
    pub label: String,
    pub amount: i64,
    #[serde(rename = "ref")]
    pub reference: Option<S>,
}

/// council.toml: KF's budget (a council's plan only).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilFile {
    #[serde(default)]
    pub synthetic: bool,
    pub decision: Option<S>,
    #[serde(default)]
    pub year: Vec<CouncilYearDto>,
    #[serde(default)]
    pub body_frame: Vec<BodyFrameDto>,
    #[serde(default)]
    pub central_item: Vec<CentralItemDto>,
    /// Same shape as a central item: id, name, year, amount.
    #[serde(default)]
    pub elimination: Vec<CentralItemDto>,
    pub financial_goal: Option<FinancialGoalDto>,
    /// KF's other goals for god ekonomisk hushållning (the result goal is `[financial_goal]`).
    #[serde(default)]
    pub geh_goal: Vec<GehGoalDto>,
    #[serde(default)]
    pub geh_judgement: Vec<GehJudgementDto>,
    #[serde(default)]
    pub appropriation_change: Vec<AppropriationChangeDto>,
}

/// `[financial_goal]`: the least result, a share of skatteintäkter and generella statsbidrag.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancialGoalDto {
    /// Percent as a decimal string ("2.0").
    pub result_share: S,
    /// KF's wording of the goal.
    pub text: Option<String>,
}

/// `[[geh_goal]]`: one of KF's goals for god ekonomisk hushållning other than the result goal.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GehGoalDto {
    pub kind: S,
    /// Percent as a decimal string ("100"); not for `soliditet_ej_sjunkande`.
    pub share: Option<S>,
    pub text: Option<String>,
}

/// `[[geh_judgement]]`: KF's overall judgement of god ekonomisk hushållning for a period.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GehJudgementDto {
    pub period: S,
    pub verdict: S,
    pub text: String,
}

/// `[[appropriation_change]]`: a decision of KF during the year changing a body's frame.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppropriationChangeDto {
    pub body: S,
    pub year: Spanned<i32>,
    /// Tkr, positive raises the frame.
    pub amount: Spanned<i64>,
    pub kind: S,
    pub decision: S,
    /// `YYYY-MM-DD`.
    pub date: S,
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilYearDto {
    pub year: Spanned<i32>,
    /// Kronor per 100 kronor, as a decimal string ("19.88").
    pub tax_rate: S,
    pub tax_revenue: Spanned<i64>,
    pub grants: Spanned<i64>,
    pub financial_net: Spanned<i64>,
    pub result: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyFrameDto {
    pub body: S,
    pub year: Spanned<i32>,
    pub amount: Spanned<i64>,
    pub decision: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CentralItemDto {
    pub id: S,
    pub name: String,
    pub year: Spanned<i32>,
    pub amount: Spanned<i64>,
}

/// company.toml: a company's own budget (a company's plan only).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyFile {
    #[serde(default)]
    pub synthetic: bool,
    pub decision: Option<S>,
    #[serde(default)]
    pub year: Vec<CompanyYearDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyYearDto {
    pub year: Spanned<i32>,
    pub result_before_tax: Spanned<i64>,
    pub investments: Spanned<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FollowUpFile {
    #[serde(default)]
    pub period: Vec<PeriodDto>,
    #[serde(default)]
    pub figure: Vec<FigureDto>,
    pub rules: Option<RulesDto>,
}

/// acknowledgements.toml: findings of `styr check` a reviewer has acknowledged.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementsFile {
    #[serde(default)]
    pub acknowledgement: Vec<AcknowledgementDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementDto {
    pub finding: S,
    pub reason: S,
    pub by: S,
    pub at: S,
}

/// `[rules]` of followup.toml: when a forecast needs an explanation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesDto {
    /// Percent of the line's budget, as a decimal string ("1", "0.5").
    pub forecast_explanation_percent: Option<S>,
    /// Whole tkr.
    pub forecast_explanation_tkr: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodDto {
    pub id: S,
    pub month: S,
    pub kind: S,
    pub title: String,
    pub deadline: Option<S>,
    pub state: Option<S>,
    /// The period's reports in this package are synthetic example data.
    #[serde(default)]
    pub synthetic: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureDto {
    pub id: S,
    pub period: S,
    pub label: String,
    pub value: S,
    pub unit: String,
    #[serde(default)]
    pub computed: Option<S>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ControlFile {
    /// The file's data is synthetic example data, not the municipality's own.
    #[serde(default)]
    pub synthetic: bool,
    pub scale: Option<ScaleDto>,
    #[serde(default)]
    pub risk: Vec<RiskDto>,
    #[serde(default)]
    pub control: Vec<ControlDto>,
    #[serde(default)]
    pub audit: Vec<AuditDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleDto {
    pub likelihood: Spanned<u8>,
    pub consequence: Spanned<u8>,
    #[serde(default)]
    pub band: Vec<BandDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandDto {
    pub min_score: Spanned<u16>,
    pub label: String,
    pub colour: S,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskDto {
    pub id: S,
    pub title: String,
    pub description: Option<String>,
    pub process: Option<String>,
    pub owner: Option<S>,
    pub decision: Option<S>,
    #[serde(default)]
    pub assessment: Vec<RiskAssessmentDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskAssessmentDto {
    pub year: Spanned<i32>,
    pub likelihood: Spanned<u8>,
    pub consequence: Spanned<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlDto {
    pub id: S,
    pub risk: Option<S>,
    pub title: String,
    pub checks: Option<String>,
    pub method: Option<String>,
    pub frequency: Option<String>,
    pub responsible: Option<S>,
    pub year: Option<i32>,
    #[serde(default)]
    pub periods: Vec<S>,
    pub decision: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditDto {
    pub id: S,
    pub title: String,
    pub case: Option<S>,
    pub year: Option<i32>,
    pub date: Option<S>,
    pub auditor: Option<String>,
    pub received_by: Option<S>,
    pub note: Option<String>,
    #[serde(default)]
    pub recommendation: Vec<RecommendationDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationDto {
    pub id: S,
    pub text: String,
    #[serde(default)]
    pub action: Vec<ActionDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDto {
    pub id: S,
    pub text: String,
    pub owner: Option<S>,
    pub due: Option<S>,
    pub status: S,
    pub evidence: Option<String>,
    pub reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentFile {
    #[serde(default)]
    pub section: Vec<SectionDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDto {
    pub id: S,
    pub title: String,
    pub level: Spanned<u8>,
    pub file: Option<S>,
    #[serde(default)]
    pub show: Vec<S>,
}

/// Parses a TOML file into its DTO, turning a syntax or shape error into a diagnostic.
pub fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|error| {
        let line = error
            .span()
            .map_or(0, |span| LineIndex::new(text).line(span.start));
        let message = error.message().trim().to_owned();
        Diagnostic::new(file, line, "", format!("ogiltig TOML: {message}"))
    })
}

/// Conversion context for one TOML file: line numbers and collected diagnostics.
pub struct TomlReader<'a> {
    pub file: &'a str,
    index: LineIndex,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> TomlReader<'a> {
    pub fn new(file: &'a str, text: &str, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        TomlReader {
            file,
            index: LineIndex::new(text),
            diagnostics,
        }
    }

    pub fn at<T>(&self, spanned: &Spanned<T>) -> Location {
        Location::new(self.file, self.index.line(spanned.span().start))
    }

    pub fn error<T>(&mut self, spanned: &Spanned<T>, field: &str, message: impl Into<String>) {
        let line = self.index.line(spanned.span().start);
        self.diagnostics
            .push(Diagnostic::new(self.file, line, field, message));
    }

    pub fn id(&mut self, spanned: &S, field: &str) -> Id {
        Id::parse(spanned.get_ref()).unwrap_or_else(|error| {
            self.error(spanned, field, error.to_string());
            placeholder_id()
        })
    }

    /// A month `YYYY-MM`, or the one month error at the value's line.
    pub fn month(&mut self, spanned: &S, field: &str) -> Option<Month> {
        spanned
            .get_ref()
            .parse()
            .map_err(|error: MonthError| self.error(spanned, field, error.to_string()))
            .ok()
    }

    pub fn optional_id(&mut self, spanned: &Option<S>, field: &str) -> Option<Id> {
        spanned.as_ref().map(|s| self.id(s, field))
    }

    pub fn code<T: Copy>(
        &mut self,
        spanned: &S,
        field: &str,
        parse: fn(&str) -> Option<T>,
        codes: &str,
        fallback: T,
    ) -> T {
        parse(spanned.get_ref()).unwrap_or_else(|| {
            let value = spanned.get_ref().clone();
            self.error(spanned, field, format!("{value:?} är inte en av {codes}"));
            fallback
        })
    }

    /// Whole tkr as money, or the error at the value's line.
    pub fn tkr(&mut self, spanned: &Spanned<i64>, field: &str) -> Money {
        Money::from_tkr(*spanned.get_ref()).unwrap_or_else(|| {
            self.error(spanned, field, "beloppet är för stort");
            Money::ZERO
        })
    }

    /// Format 1 knows one unit for budget tables.
    pub fn unit_tkr(&mut self, spanned: &S) {
        if spanned.get_ref() != "tkr" {
            let value = spanned.get_ref().clone();
            self.error(
                spanned,
                "unit",
                format!("enheten {value:?} stöds inte; använd tkr"),
            );
        }
    }
}
