//! The plan workbook: every table of a plan package as a sheet, with sums as formulas, the
//! stated figure beside the computed one where they differ, Swedish headings and number
//! formats, frozen headings and fitted columns; and, from the database, the forecasts and the
//! budget vs actual of each period as report sheets (not read back).

use crate::ExcelError;
use crate::grid::{Grid, SumCell, computed_values, sheet_row, sum_cells};
use crate::layout::{
    HEADER_ROW, INFO_SHEET, STATED_PREFIX, TITLE_ROW, column_letters, heading, is_amount_column,
    is_number_column, table_sheets, value_words,
};
use rust_xlsxwriter::{Format, FormatBorder, Formula, Workbook, Worksheet};
use std::collections::BTreeMap;
use styr_domain::Plan;
use styr_domain::followup::{ReportEntry, ReportedEntry};
use styr_reports::{BudgetVsActual, RowKind};

/// The number format of amounts in tkr: a digit group separator (shown as a space in a Swedish
/// Excel or LibreOffice: the format code's `,` is the locale's separator) and no decimals.
pub const TKR_FORMAT: &str = "#,##0";

/// What a plan workbook holds besides the plan: the report sheets, from the database.
#[derive(Debug, Default)]
pub struct Reports<'a> {
    /// The current forecast reports, every period.
    pub forecasts: &'a [ReportedEntry],
    /// Budget vs actual, one per period with ledger data.
    pub economy: &'a [BudgetVsActual],
}

pub(crate) struct Styles {
    pub title: Format,
    pub heading: Format,
    pub amount: Format,
    pub amount_sum: Format,
    pub stated: Format,
    pub decimal: Format,
}

impl Styles {
    pub fn new() -> Styles {
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            heading: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap(),
            amount: Format::new().set_num_format(TKR_FORMAT),
            amount_sum: Format::new().set_num_format(TKR_FORMAT).set_bold(),
            stated: Format::new()
                .set_num_format(TKR_FORMAT)
                .set_italic()
                .set_font_color("#9C0006"),
            decimal: Format::new().set_num_format("General"),
        }
    }
}

/// Writes the plan workbook.
pub fn write_plan_workbook(plan: &Plan, reports: &Reports<'_>) -> Result<Vec<u8>, ExcelError> {
    let files = styr_package::write_files(plan);
    let operating: Vec<(String, bool)> = plan
        .budget
        .operating
        .iter()
        .map(|table| (table.id.to_string(), table.summary))
        .collect();
    let sheets = table_sheets(&operating);
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    {
        let info = workbook.add_worksheet();
        info.set_name(INFO_SHEET)?;
        let mut pairs = vec![
            ("Typ".to_owned(), "plan".to_owned()),
            ("Kommun".to_owned(), plan.municipality.id.to_string()),
            (
                "Budgetversion".to_owned(),
                plan.budget.version.id.to_string(),
            ),
        ];
        pairs.push(("Blad".to_owned(), "Fil".to_owned()));
        pairs.extend(
            sheets
                .iter()
                .map(|(file, sheet)| (sheet.clone(), file.clone())),
        );
        write_info(info, &styles, &info_title(plan), &pairs)?;
    }
    for (file, sheet) in &sheets {
        let Some(bytes) = files.get(file) else {
            continue;
        };
        let grid = Grid::parse(bytes).map_err(|message| ExcelError::Package {
            file: file.clone(),
            message,
        })?;
        let title = sheet_title(plan, file);
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet)?;
        write_table(worksheet, &styles, file, &title, &grid)?;
    }
    if !reports.forecasts.is_empty() {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name("Prognoser")?;
        write_forecasts(worksheet, &styles, plan, reports.forecasts)?;
    }
    if !reports.economy.is_empty() {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name("Budget mot utfall")?;
        write_economy(worksheet, &styles, reports.economy)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn info_title(plan: &Plan) -> String {
    format!("{} — {}", plan.municipality.name, plan.budget.version.name)
}

pub(crate) fn write_info(
    worksheet: &mut Worksheet,
    styles: &Styles,
    title: &str,
    pairs: &[(String, String)],
) -> Result<(), ExcelError> {
    worksheet.write_string_with_format(TITLE_ROW, 0, title, &styles.title)?;
    for (index, (key, value)) in pairs.iter().enumerate() {
        let row = HEADER_ROW + 1 + index as u32;
        worksheet.write_string_with_format(row, 0, key, &styles.heading)?;
        worksheet.write_string(row, 1, value)?;
    }
    worksheet.set_column_width(0, 28)?;
    worksheet.set_column_width(1, 40)?;
    Ok(())
}

fn sheet_title(plan: &Plan, file: &str) -> String {
    let budget = &plan.budget;
    if let Some(id) = file
        .strip_prefix("budget/operating/")
        .and_then(|f| f.strip_suffix(".csv"))
        && let Some(table) = budget.operating.iter().find(|t| t.id.as_str() == id)
    {
        return table.title.clone();
    }
    match file {
        "budget/investment.csv" => budget.investment.title.clone(),
        "budget/investment_projects.csv" => {
            "Investeringsprojekt: beslutad totalutgift, utfall och beräknad totalutgift".to_owned()
        }
        "budget/exploitation.csv" => budget.exploitation.title.clone(),
        "budget/finance.csv" => budget.finance.title.clone(),
        "budget/finance_summary.csv" => budget.finance.summary_title.clone(),
        "indicators.csv" => "Indikatorer".to_owned(),
        "indicator_values.csv" => "Indikatorernas utfall och målvärden".to_owned(),
        "assignments.csv" => "Uppdrag".to_owned(),
        "assignment_status.csv" => "Uppdragens status per uppföljningsperiod".to_owned(),
        other => other.to_owned(),
    }
}

/// A formula adding up cells: `=E3+F3` for a net, `=SUM(F3:F11,F14)` for a total (runs of
/// rows in one column as ranges, so that a row inserted inside a range is counted).
fn formula_text(sum: &SumCell) -> String {
    let name = |(row, column): (usize, usize)| {
        format!("{}{}", column_letters(column as u32), sheet_row(row) + 1)
    };
    if sum.net && sum.terms.len() == 2 {
        return format!("={}+{}", name(sum.terms[0]), name(sum.terms[1]));
    }
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < sum.terms.len() {
        let start = sum.terms[index];
        let mut end = start;
        while index + 1 < sum.terms.len()
            && sum.terms[index + 1].1 == start.1
            && sum.terms[index + 1].0 == end.0 + 1
        {
            index += 1;
            end = sum.terms[index];
        }
        parts.push(if end == start {
            name(start)
        } else {
            format!("{}:{}", name(start), name(end))
        });
        index += 1;
    }
    if parts.is_empty() {
        return "=0".to_owned();
    }
    format!("=SUM({})", parts.join(","))
}

fn write_table(
    worksheet: &mut Worksheet,
    styles: &Styles,
    file: &str,
    title: &str,
    grid: &Grid,
) -> Result<(), ExcelError> {
    let sums = sum_cells(file, grid);
    let values = computed_values(grid, &sums);
    // The stated figures that differ from their computed sums, by column.
    let mut differing: BTreeMap<usize, Vec<(usize, i64)>> = BTreeMap::new();
    let mut computed_of: BTreeMap<(usize, usize), (String, Option<i64>)> = BTreeMap::new();
    for sum in &sums {
        let value = values.get(&(sum.row, sum.column)).copied().flatten();
        let stated = grid.cell(sum.row, sum.column).trim().parse::<i64>().ok();
        if let (Some(value), Some(stated)) = (value, stated)
            && value != stated
        {
            differing
                .entry(sum.column)
                .or_default()
                .push((sum.row, stated));
        }
        computed_of.insert((sum.row, sum.column), (formula_text(sum), value));
    }
    worksheet.write_string_with_format(TITLE_ROW, 0, title, &styles.title)?;
    let mut widths: Vec<usize> = Vec::new();
    let mut widen = |column: usize, text: &str| {
        if widths.len() <= column {
            widths.resize(column + 1, 6);
        }
        widths[column] = widths[column].max(text.chars().count().min(60));
    };
    for (column, name) in grid.header.iter().enumerate() {
        let text = heading(name);
        worksheet.write_string_with_format(HEADER_ROW, column as u16, &text, &styles.heading)?;
        widen(column, &text);
    }
    let stated_columns: Vec<(usize, usize)> = differing
        .keys()
        .enumerate()
        .map(|(offset, &column)| (column, grid.header.len() + offset))
        .collect();
    for &(column, at) in &stated_columns {
        let text = format!("{STATED_PREFIX}{}", heading(&grid.header[column]));
        worksheet.write_string_with_format(HEADER_ROW, at as u16, &text, &styles.heading)?;
        widen(at, &text);
    }
    for (data_row, row) in grid.rows.iter().enumerate() {
        let sheet_row = sheet_row(data_row);
        for (column, text) in row.iter().enumerate() {
            let name = grid.header.get(column).map(String::as_str).unwrap_or("");
            if let Some((formula, value)) = computed_of.get(&(data_row, column)) {
                let mut formula = Formula::new(formula);
                if let Some(value) = value {
                    formula = formula.set_result(value.to_string());
                }
                worksheet.write_formula_with_format(
                    sheet_row,
                    column as u16,
                    formula,
                    &styles.amount_sum,
                )?;
                widen(column, &group_digits(text));
                continue;
            }
            if text.is_empty() {
                continue;
            }
            write_value(
                worksheet,
                styles,
                file,
                name,
                sheet_row,
                column as u16,
                text,
            )?;
            widen(column, &group_digits(text));
        }
    }
    for &(column, at) in &stated_columns {
        for &(data_row, stated) in &differing[&column] {
            worksheet.write_number_with_format(
                sheet_row(data_row),
                at as u16,
                stated as f64,
                &styles.stated,
            )?;
        }
    }
    for (column, width) in widths.iter().enumerate() {
        worksheet.set_column_width(column as u16, (*width as f64) * 1.1 + 2.0)?;
    }
    worksheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(())
}

/// "1 000" for the width estimate of an amount.
fn group_digits(text: &str) -> String {
    let digits = text.trim_start_matches('-').len();
    let groups = digits.saturating_sub(1) / 3;
    format!("{text}{}", " ".repeat(groups))
}

/// One cell of a package table: a Swedish word for a code, a number where the column holds
/// numbers (amounts in tkr), text otherwise (a value that is not a number stays text, so that
/// the reader reports it where it stands).
fn write_value(
    worksheet: &mut Worksheet,
    styles: &Styles,
    file: &str,
    column: &str,
    row: u32,
    at: u16,
    text: &str,
) -> Result<(), ExcelError> {
    if let Some((_, word)) = value_words(file, column)
        .into_iter()
        .find(|(code, _)| *code == text)
    {
        worksheet.write_string(row, at, word)?;
        return Ok(());
    }
    if is_number_column(file, column)
        && let Some(number) = exact_f64(text)
    {
        let format = if is_amount_column(file, column) {
            &styles.amount
        } else {
            &styles.decimal
        };
        worksheet.write_number_with_format(row, at, number, format)?;
        return Ok(());
    }
    worksheet.write_string(row, at, text)?;
    Ok(())
}

/// A decimal as the spreadsheet's number, only when the number reads back as the same text: a
/// spreadsheet number is a binary double that keeps 15 significant digits and no trailing
/// zeros, so `82.0` (printed with one decimal) stays text and keeps its precision.
pub(crate) fn exact_f64(text: &str) -> Option<f64> {
    let text = text.trim();
    let number: f64 = text.parse().ok()?;
    (crate::read::number_text(number) == text).then_some(number)
}

fn money_cell(
    worksheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    column: u16,
    money: Option<styr_domain::Money>,
) -> Result<(), ExcelError> {
    if let Some(money) = money
        && let Ok(number) = money.tkr().to_string().parse::<f64>()
    {
        worksheet.write_number_with_format(row, column, number, &styles.amount)?;
    }
    Ok(())
}

fn headings(
    worksheet: &mut Worksheet,
    styles: &Styles,
    title: &str,
    headings: &[(&str, f64)],
) -> Result<(), ExcelError> {
    worksheet.write_string_with_format(TITLE_ROW, 0, title, &styles.title)?;
    for (column, (text, width)) in headings.iter().enumerate() {
        worksheet.write_string_with_format(HEADER_ROW, column as u16, *text, &styles.heading)?;
        worksheet.set_column_width(column as u16, *width)?;
    }
    worksheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(())
}

fn write_forecasts(
    worksheet: &mut Worksheet,
    styles: &Styles,
    plan: &Plan,
    forecasts: &[ReportedEntry],
) -> Result<(), ExcelError> {
    let synthetic = |month: styr_domain::ledger::Month| {
        plan.periods.iter().any(|p| p.synthetic && p.month == month)
    };
    headings(
        worksheet,
        styles,
        "Prognoser för helåret per uppföljningsperiod (tkr)",
        &[
            ("Period", 10.0),
            ("Budgetrad", 34.0),
            ("Prognos", 12.0),
            ("Kommentar", 50.0),
            ("Åtgärdsplan", 50.0),
            ("Rapporterad av", 16.0),
            ("Tidpunkt", 24.0),
            (SYNTHETIC_COLUMN, 14.0),
        ],
    )?;
    let mut row = HEADER_ROW + 1;
    for entry in forecasts {
        let ReportEntry::Forecast {
            line,
            amount,
            comment,
            action_plan,
        } = &entry.report.entry
        else {
            continue;
        };
        worksheet.write_string(row, 0, entry.report.period.to_string())?;
        worksheet.write_string(row, 1, line.to_string())?;
        money_cell(worksheet, styles, row, 2, Some(*amount))?;
        worksheet.write_string(row, 3, comment.as_deref().unwrap_or(""))?;
        worksheet.write_string(row, 4, action_plan.as_deref().unwrap_or(""))?;
        worksheet.write_string(row, 5, &entry.reported_by)?;
        worksheet.write_string(row, 6, &entry.reported_at)?;
        if synthetic(entry.report.period) {
            worksheet.write_string(row, 7, "ja")?;
        }
        row += 1;
    }
    Ok(())
}

/// The column that says "ja" on a row of a period the package marks as synthetic example data
/// (`FollowUpPeriod::synthetic`).
pub const SYNTHETIC_COLUMN: &str = "Syntetiska exempeldata";

/// Where a row's forecast comes from, in the words of the sheet.
fn forecast_origin(row: &styr_reports::ReportRow) -> &'static str {
    use styr_reports::ForecastMethod;
    match (
        row.forecast.map(|(method, _)| method),
        row.forecast_computed,
    ) {
        (None, _) => "",
        (Some(ForecastMethod::LineSum), false) => "summa av lämnade prognoser",
        (Some(ForecastMethod::LineSum), true) => "summa, delvis beräknad",
        (Some(ForecastMethod::Manual), _) => "lämnad",
        (Some(_), _) => "beräknad",
    }
}

fn write_economy(
    worksheet: &mut Worksheet,
    styles: &Styles,
    economy: &[BudgetVsActual],
) -> Result<(), ExcelError> {
    headings(
        worksheet,
        styles,
        "Budget mot utfall per period (tkr)",
        &[
            ("Period", 10.0),
            ("Rad", 48.0),
            ("Budget år", 12.0),
            ("Budget ack", 12.0),
            ("Utfall ack", 12.0),
            ("Avvikelse", 12.0),
            ("Prognos manuell", 14.0),
            ("Prognos", 12.0),
            ("Avvikelse prognos", 14.0),
            ("Prognosens ursprung", 24.0),
            (SYNTHETIC_COLUMN, 14.0),
        ],
    )?;
    let mut row = HEADER_ROW + 1;
    for report in economy {
        for line in &report.rows {
            let indent = match line.kind {
                RowKind::Line | RowKind::Project => "  ",
                RowKind::Unit => "    ",
                RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal => "",
            };
            worksheet.write_string(row, 0, report.period.to_string())?;
            worksheet.write_string(row, 1, format!("{indent}{}", line.label))?;
            let budget = line.cell.budget();
            money_cell(worksheet, styles, row, 2, budget.map(|b| b.annual))?;
            money_cell(worksheet, styles, row, 3, budget.map(|b| b.to_date))?;
            money_cell(
                worksheet,
                styles,
                row,
                4,
                line.cell.actual().map(|a| a.to_date),
            )?;
            money_cell(
                worksheet,
                styles,
                row,
                5,
                line.cell.comparison().map(|c| c.deviation),
            )?;
            money_cell(worksheet, styles, row, 6, line.manual_forecast)?;
            money_cell(worksheet, styles, row, 7, line.forecast.map(|(_, m)| m))?;
            money_cell(worksheet, styles, row, 8, line.forecast_deviation)?;
            worksheet.write_string(row, 9, forecast_origin(line))?;
            if report.synthetic {
                worksheet.write_string(row, 10, "ja")?;
            }
            row += 1;
        }
    }
    Ok(())
}
