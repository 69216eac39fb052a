//! The report workbook: what one unit reports for one period (its assignments' status, its
//! indicators' outcomes, its goals' assessments, its budget lines' forecasts, its controls'
//! results and its audit actions' progress), filled in
//! offline and read back as the follow-up file that `styr followup import` takes, so that it
//! goes through the same use case and rules as the web form. Which lines a unit gets is the
//! app's decision ([`ReportLines`]); this module only lays them out and reads them back.

use crate::ExcelError;
use crate::layout::{HEADER_ROW, INFO_SHEET, TITLE_ROW};
use crate::read::{Book, CellProblem, Locations, Sheet, WorkbookKind};
use crate::write::{Styles, TKR_FORMAT, exact_f64, write_info};
use rust_decimal::Decimal;
use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet};
use std::collections::BTreeMap;
use styr_domain::Money;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::followup::{GoalAssessment, SYNTHETIC_FOLLOWUP_NOTE};
use styr_package::FOLLOWUP_COLUMNS;

/// An assignment to report a status for, with the current report if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssignmentLine {
    pub id: String,
    pub code: String,
    pub title: String,
    pub status: Option<AssignmentStatus>,
    pub comment: Option<String>,
}

/// An indicator to report an outcome for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorLine {
    pub id: String,
    pub name: String,
    pub unit: String,
    /// The target of the period's year.
    pub target: Option<Decimal>,
    pub outcome: Option<Decimal>,
    pub source: Option<String>,
    pub measured_on: Option<String>,
    pub comment: Option<String>,
}

/// A goal to assess.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoalLine {
    pub id: String,
    pub title: String,
    pub assessment: Option<GoalAssessment>,
    pub motivation: Option<String>,
}

/// A budget line to forecast.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ForecastLine {
    /// `op.TABLE.LINE`.
    pub line: String,
    pub name: String,
    /// The line's annual budget for the period's year.
    pub budget: Option<Money>,
    pub forecast: Option<Money>,
    pub comment: Option<String>,
    pub action_plan: Option<String>,
}

/// A control of the internal control plan due in the period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ControlLine {
    pub id: String,
    pub title: String,
    pub result: Option<ControlResult>,
    pub light: Option<TrafficLight>,
    pub finding: Option<String>,
    pub action: Option<String>,
}

/// An open action on an audit recommendation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionLine {
    pub id: String,
    pub text: String,
    pub status: Option<ActionStatus>,
    pub evidence: Option<String>,
    pub comment: Option<String>,
}

/// What one unit reports for one period, with what is already reported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportLines {
    pub assignments: Vec<AssignmentLine>,
    pub indicators: Vec<IndicatorLine>,
    pub goals: Vec<GoalLine>,
    pub forecasts: Vec<ForecastLine>,
    pub controls: Vec<ControlLine>,
    pub actions: Vec<ActionLine>,
}

/// The report workbook's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTemplate {
    pub title: String,
    pub municipality: String,
    pub version: String,
    /// `YYYY-MM`.
    pub period: String,
    pub unit: String,
    pub lines: ReportLines,
    /// The package marks the period's reports as synthetic example data: the info sheet and
    /// every sheet's title say so.
    pub synthetic: bool,
}

const ASSIGNMENTS: &str = "Uppdrag";
const INDICATORS: &str = "Indikatorer";
const GOALS: &str = "Målbedömning";
const FORECASTS: &str = "Prognoser";
const CONTROLS: &str = "Kontroller";
const ACTIONS: &str = "Åtgärder";

/// The file name the report's rows are checked under; problems are located in the workbook.
pub const REPORT_FILE: &str = "rapport";

/// A report sheet: its name, the follow-up kind of its rows, and (follow-up column, heading)
/// per sheet column (an empty follow-up column is shown, not read).
type SheetColumns = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

/// How each sheet's columns feed the follow-up file: (sheet, kind, [(follow-up column, heading)]).
/// The first column is always the subject's id.
fn sheet_columns() -> [SheetColumns; 6] {
    [
        (
            ASSIGNMENTS,
            "status",
            vec![
                ("subject", "Id"),
                ("", "Kod"),
                ("", "Titel"),
                ("value", "Status"),
                ("comment", "Kommentar"),
            ],
        ),
        (
            INDICATORS,
            "utfall",
            vec![
                ("subject", "Id"),
                ("", "Namn"),
                ("", "Enhet"),
                ("", "Målvärde"),
                ("value", "Utfall"),
                ("source", "Källa"),
                ("date", "Datum"),
                ("comment", "Kommentar"),
            ],
        ),
        (
            GOALS,
            "bedömning",
            vec![
                ("subject", "Id"),
                ("", "Mål"),
                ("value", "Bedömning"),
                ("comment", "Motivering"),
            ],
        ),
        (
            FORECASTS,
            "prognos",
            vec![
                ("subject", "Budgetrad"),
                ("", "Namn"),
                ("", "Budget (tkr)"),
                ("value", "Prognos (tkr)"),
                ("comment", "Kommentar"),
                ("action_plan", "Åtgärdsplan"),
            ],
        ),
        (
            CONTROLS,
            "kontroll",
            vec![
                ("subject", "Id"),
                ("", "Kontroll"),
                ("value", "Resultat"),
                ("light", "Trafikljus"),
                ("comment", "Iakttagelse"),
                ("action_plan", "Åtgärd"),
            ],
        ),
        (
            ACTIONS,
            "åtgärd",
            vec![
                ("subject", "Id"),
                ("", "Åtgärd"),
                ("value", "Status"),
                ("source", "Underlag"),
                ("comment", "Kommentar"),
            ],
        ),
    ]
}

/// Writes the report workbook.
pub fn write_report_template(template: &ReportTemplate) -> Result<Vec<u8>, ExcelError> {
    let styles = Styles::new();
    let input = Format::new().set_background_color("#FFF2CC");
    let input_amount = Format::new()
        .set_background_color("#FFF2CC")
        .set_num_format(TKR_FORMAT);
    let amount = Format::new().set_num_format(TKR_FORMAT);
    let mut workbook = Workbook::new();
    {
        let info = workbook.add_worksheet();
        info.set_name(INFO_SHEET)?;
        let pairs: Vec<(String, String)> = [
            ("Typ", "rapport"),
            ("Kommun", template.municipality.as_str()),
            ("Budgetversion", template.version.as_str()),
            ("Period", template.period.as_str()),
            ("Enhet", template.unit.as_str()),
        ]
        .into_iter()
        .chain(
            template
                .synthetic
                .then_some(("Syntetiska exempeldata", SYNTHETIC_FOLLOWUP_NOTE)),
        )
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        write_info(info, &styles, &template.title, &pairs)?;
        info.write_string(
            HEADER_ROW + 8,
            0,
            "Fyll i de gula cellerna och läs in arbetsboken med: styr excel import FIL.xlsx",
        )?;
    }
    let columns = sheet_columns();
    let lines = &template.lines;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    for (sheet, _, headings) in &columns {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(*sheet)?;
        write_headings(worksheet, &styles, sheet, template, headings)?;
        let mut row = HEADER_ROW + 1;
        match *sheet {
            ASSIGNMENTS => {
                for line in &lines.assignments {
                    worksheet.write_string(row, 0, &line.id)?;
                    worksheet.write_string(row, 1, &line.code)?;
                    worksheet.write_string(row, 2, &line.title)?;
                    let status = line.status.map(|s| s.label_sv()).unwrap_or("");
                    worksheet.write_string_with_format(row, 3, status, &input)?;
                    worksheet.write_string_with_format(row, 4, text(&line.comment), &input)?;
                    row += 1;
                }
                let words: Vec<&str> = AssignmentStatus::ALL
                    .iter()
                    .filter(|s| **s != AssignmentStatus::Unknown)
                    .map(|s| s.label_sv())
                    .collect();
                drop_down(worksheet, row, 3, &words)?;
            }
            INDICATORS => {
                for line in &lines.indicators {
                    worksheet.write_string(row, 0, &line.id)?;
                    worksheet.write_string(row, 1, &line.name)?;
                    worksheet.write_string(row, 2, &line.unit)?;
                    decimal_cell(worksheet, row, 3, line.target, None)?;
                    decimal_cell(worksheet, row, 4, line.outcome, Some(&input))?;
                    worksheet.write_string_with_format(row, 5, text(&line.source), &input)?;
                    worksheet.write_string_with_format(row, 6, text(&line.measured_on), &input)?;
                    worksheet.write_string_with_format(row, 7, text(&line.comment), &input)?;
                    row += 1;
                }
            }
            GOALS => {
                for line in &lines.goals {
                    worksheet.write_string(row, 0, &line.id)?;
                    worksheet.write_string(row, 1, &line.title)?;
                    let assessment = line.assessment.map(|a| a.label_sv()).unwrap_or("");
                    worksheet.write_string_with_format(row, 2, assessment, &input)?;
                    worksheet.write_string_with_format(row, 3, text(&line.motivation), &input)?;
                    row += 1;
                }
                let words: Vec<&str> = GoalAssessment::ALL.iter().map(|a| a.label_sv()).collect();
                drop_down(worksheet, row, 2, &words)?;
            }
            CONTROLS => {
                for line in &lines.controls {
                    worksheet.write_string(row, 0, &line.id)?;
                    worksheet.write_string(row, 1, &line.title)?;
                    let result = line.result.map(|r| r.label_sv()).unwrap_or("");
                    worksheet.write_string_with_format(row, 2, result, &input)?;
                    let light = line.light.map(|l| l.label_sv()).unwrap_or("");
                    worksheet.write_string_with_format(row, 3, light, &input)?;
                    worksheet.write_string_with_format(row, 4, text(&line.finding), &input)?;
                    worksheet.write_string_with_format(row, 5, text(&line.action), &input)?;
                    row += 1;
                }
                let words: Vec<&str> = ControlResult::ALL.iter().map(|r| r.label_sv()).collect();
                drop_down(worksheet, row, 2, &words)?;
                let lights: Vec<&str> = TrafficLight::ALL.iter().map(|l| l.label_sv()).collect();
                drop_down(worksheet, row, 3, &lights)?;
            }
            ACTIONS => {
                for line in &lines.actions {
                    worksheet.write_string(row, 0, &line.id)?;
                    worksheet.write_string(row, 1, &line.text)?;
                    let status = line.status.map(|s| s.label_sv()).unwrap_or("");
                    worksheet.write_string_with_format(row, 2, status, &input)?;
                    worksheet.write_string_with_format(row, 3, text(&line.evidence), &input)?;
                    worksheet.write_string_with_format(row, 4, text(&line.comment), &input)?;
                    row += 1;
                }
                let words: Vec<&str> = ActionStatus::ALL.iter().map(|s| s.label_sv()).collect();
                drop_down(worksheet, row, 2, &words)?;
            }
            _ => {
                for line in &lines.forecasts {
                    worksheet.write_string(row, 0, &line.line)?;
                    worksheet.write_string(row, 1, &line.name)?;
                    money_cell(worksheet, row, 2, line.budget, &amount)?;
                    money_cell(worksheet, row, 3, line.forecast, &input_amount)?;
                    if line.forecast.is_none() {
                        worksheet.write_blank(row, 3, &input_amount)?;
                    }
                    worksheet.write_string_with_format(row, 4, text(&line.comment), &input)?;
                    worksheet.write_string_with_format(row, 5, text(&line.action_plan), &input)?;
                    row += 1;
                }
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}

fn write_headings(
    worksheet: &mut Worksheet,
    styles: &Styles,
    sheet: &str,
    template: &ReportTemplate,
    headings: &[(&str, &str)],
) -> Result<(), ExcelError> {
    let title = match template.synthetic {
        true => format!(
            "{sheet} per {} – {SYNTHETIC_FOLLOWUP_NOTE}",
            template.period
        ),
        false => format!("{sheet} per {}", template.period),
    };
    worksheet.write_string_with_format(TITLE_ROW, 0, title, &styles.title)?;
    for (column, (_, heading)) in headings.iter().enumerate() {
        worksheet.write_string_with_format(HEADER_ROW, column as u16, *heading, &styles.heading)?;
        let width = match *heading {
            "Kommentar" | "Motivering" | "Åtgärdsplan" | "Titel" | "Mål" | "Namn" | "Kontroll"
            | "Åtgärd" | "Iakttagelse" | "Underlag" => 48.0,
            "Budgetrad" => 30.0,
            _ => 14.0,
        };
        worksheet.set_column_width(column as u16, width)?;
    }
    worksheet.set_freeze_panes(HEADER_ROW + 1, 1)?;
    Ok(())
}

/// A drop-down list of the Swedish words on a column's rows.
fn drop_down(
    worksheet: &mut Worksheet,
    end_row: u32,
    column: u16,
    words: &[&str],
) -> Result<(), ExcelError> {
    if end_row <= HEADER_ROW + 1 {
        return Ok(());
    }
    let validation = DataValidation::new()
        .allow_list_strings(words)?
        .set_error_title("Ogiltigt värde")?
        .set_error_message(format!("Välj ett av: {}", words.join(", ")))?;
    worksheet.add_data_validation(HEADER_ROW + 1, column, end_row - 1, column, &validation)?;
    Ok(())
}

fn decimal_cell(
    worksheet: &mut Worksheet,
    row: u32,
    column: u16,
    value: Option<Decimal>,
    format: Option<&Format>,
) -> Result<(), ExcelError> {
    let number = value.and_then(|v| exact_f64(&v.normalize().to_string()));
    match (number, format) {
        (Some(number), Some(format)) => {
            worksheet.write_number_with_format(row, column, number, format)?;
        }
        (Some(number), None) => {
            worksheet.write_number(row, column, number)?;
        }
        (None, Some(format)) => {
            worksheet.write_blank(row, column, format)?;
        }
        (None, None) => {}
    }
    Ok(())
}

fn money_cell(
    worksheet: &mut Worksheet,
    row: u32,
    column: u16,
    money: Option<Money>,
    format: &Format,
) -> Result<(), ExcelError> {
    if let Some(number) = money.and_then(|m| exact_f64(&m.tkr().normalize().to_string())) {
        worksheet.write_number_with_format(row, column, number, format)?;
    }
    Ok(())
}

/// A report workbook as the follow-up file (CSV text with [`FOLLOWUP_COLUMNS`]), with where
/// each line came from. A row whose value and comment are both empty reports nothing.
pub fn read_report(book: &mut Book) -> Result<(String, Locations), ExcelError> {
    let WorkbookKind::Report { period, .. } = book.info.kind.clone() else {
        return Err(ExcelError::WrongKind("en rapport".to_owned()));
    };
    let municipality = book.info.municipality.clone();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let write_error = |e: csv::Error| ExcelError::Package {
        file: REPORT_FILE.to_owned(),
        message: e.to_string(),
    };
    writer.write_record(FOLLOWUP_COLUMNS).map_err(write_error)?;
    let mut locations = Locations::default();
    let mut problems: Vec<CellProblem> = Vec::new();
    for (sheet_name, kind, headings) in sheet_columns() {
        let Some(sheet) = book.sheet(sheet_name)? else {
            continue;
        };
        let columns: BTreeMap<String, u32> = headings
            .iter()
            .enumerate()
            .filter(|(_, (field, _))| !field.is_empty())
            .map(|(index, (field, _))| ((*field).to_owned(), index as u32))
            .collect();
        for row in HEADER_ROW + 1..=sheet.last_row() {
            let mut values: BTreeMap<&str, String> = BTreeMap::new();
            for (field, &column) in &columns {
                match cell(&sheet, row, column) {
                    Ok(text) => {
                        values.insert(field.as_str(), text);
                    }
                    Err(problem) => problems.push(CellProblem {
                        field: headings[column as usize].1.to_owned(),
                        ..problem
                    }),
                }
            }
            let filled = |field: &str| values.get(field).is_some_and(|v| !v.is_empty());
            if !filled("value") && !filled("comment") && !filled("action_plan") {
                continue;
            }
            let get = |field: &str| values.get(field).cloned().unwrap_or_default();
            let record = FOLLOWUP_COLUMNS.map(|column| match column {
                "municipality" => municipality.clone(),
                "period" => period.clone(),
                "kind" => kind.to_owned(),
                other => get(other),
            });
            writer.write_record(&record).map_err(write_error)?;
            locations.add_report_line(sheet_name, row, columns.clone(), &headings);
        }
    }
    if !problems.is_empty() {
        return Err(ExcelError::Cells(problems));
    }
    let bytes = writer.into_inner().map_err(|e| ExcelError::Package {
        file: REPORT_FILE.to_owned(),
        message: e.to_string(),
    })?;
    Ok((String::from_utf8(bytes).unwrap_or_default(), locations))
}

fn cell(sheet: &Sheet, row: u32, column: u32) -> Result<String, CellProblem> {
    sheet.text(row, column)
}
