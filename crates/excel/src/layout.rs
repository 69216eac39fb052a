//! The one description of how a plan package's tables look in a workbook: which file becomes
//! which sheet, the Swedish column headings, the Swedish words for coded values, and where a
//! sheet's rows start. The writer and the reader both use it, so the two cannot drift apart.

use styr_domain::assignment::AssignmentStatus;
use styr_domain::budget::FrameLineKind;

/// 0-based row of the title; the heading row follows it.
pub const TITLE_ROW: u32 = 0;
/// 0-based row of the column headings (line 1 of the package's CSV file).
pub const HEADER_ROW: u32 = 1;
/// The sheet that says what a workbook is (a plan or a unit's report) and where it came from.
pub const INFO_SHEET: &str = "Om arbetsboken";
/// The heading of a column that keeps a stated figure beside the computed one: `Angiven 2020`.
pub const STATED_PREFIX: &str = "Angiven ";

/// The package files that a plan workbook holds, each as one sheet: `(file, sheet)`, in the
/// order the sheets are written. Operating tables come first, one sheet each.
pub fn table_sheets(operating: &[(String, bool)]) -> Vec<(String, String)> {
    let mut sheets: Vec<(String, String)> = operating
        .iter()
        .map(|(id, summary)| {
            let sheet = if *summary {
                "Sammanställning".to_owned()
            } else {
                truncate_sheet_name(&format!("Drift {id}"))
            };
            (format!("budget/operating/{id}.csv"), sheet)
        })
        .collect();
    for (file, sheet) in [
        ("budget/investment.csv", "Investeringar"),
        ("budget/investment_projects.csv", "Investeringsprojekt"),
        ("budget/exploitation.csv", "Exploatering"),
        ("budget/finance.csv", "Finansförvaltning"),
        ("budget/finance_summary.csv", "Finans sammanställning"),
        ("budget/frame_calculation.csv", "Ramberäkning"),
        ("indicators.csv", "Indikatorer"),
        ("indicator_values.csv", "Indikatorvärden"),
        ("assignments.csv", "Uppdrag"),
        ("assignment_status.csv", "Uppdragsstatus"),
    ] {
        sheets.push((file.to_owned(), sheet.to_owned()));
    }
    sheets
}

/// Excel allows 31 characters in a sheet name.
fn truncate_sheet_name(name: &str) -> String {
    name.chars().take(31).collect()
}

/// Every CSV column the workbook gives a Swedish heading, with that heading: one table for
/// writing a heading and for reading it back.
const HEADINGS: &[(&str, &str)] = &[
    ("id", "Id"),
    ("name", "Namn"),
    ("kind", "Typ"),
    ("parent", "Del av"),
    ("ref", "Referens"),
    ("tom", "Budget tom"),
    ("project", "Projekt"),
    ("income", "Intäkter"),
    ("cost", "Kostnader"),
    ("net", "Netto"),
    ("group", "Grupp"),
    ("measure", "Mått"),
    ("goal", "Mål"),
    ("level", "Nivå"),
    ("unit", "Enhet"),
    ("direction", "Riktning"),
    ("cadence", "Mätintervall"),
    ("source", "Källa"),
    ("kolada_kpi", "Kolada-KPI"),
    ("footnote", "Fotnot"),
    ("responsible", "Ansvarig"),
    ("indicator", "Indikator"),
    ("year", "År"),
    ("value", "Värde"),
    ("code", "Kod"),
    ("title", "Titel"),
    ("description", "Beskrivning"),
    ("given_by", "Givet genom beslut"),
    ("given_year", "Givet år"),
    ("assignment", "Uppdrag"),
    ("period", "Period"),
    ("status", "Status"),
    ("comment", "Kommentar"),
    ("label", "Benämning"),
    ("percent", "Procent"),
    ("volume", "Volym"),
    ("unit_cost", "Styckkostnad (tkr)"),
    ("amount", "Belopp"),
    ("decision", "Beslut"),
    ("decided_total", "Beslutad totalutgift"),
    ("outcome_until", "Utfall t.o.m. år"),
    ("outcome", "Utfall"),
    ("forecast_total", "Beräknad totalutgift"),
];

/// The Swedish heading of a CSV column (four-digit years stay as they are).
pub fn heading(column: &str) -> String {
    HEADINGS
        .iter()
        .find(|(known, _)| *known == column)
        .map_or(column, |(_, heading)| heading)
        .to_owned()
}

/// The CSV column of a heading: the inverse of [`heading`]; the CSV name itself is accepted too.
pub fn column_of_heading(heading_text: &str) -> String {
    let trimmed = heading_text.trim();
    HEADINGS
        .iter()
        .find(|(_, heading)| *heading == trimmed)
        .map_or(trimmed, |(column, _)| column)
        .to_owned()
}

/// The Swedish words for the coded values of a column in a file: `(code, word)`.
pub fn value_words(file: &str, column: &str) -> Vec<(&'static str, &'static str)> {
    match (file, column) {
        ("indicator_values.csv", "kind") => vec![("outcome", "utfall"), ("target", "målvärde")],
        ("budget/frame_calculation.csv", "kind") => FrameLineKind::ALL
            .iter()
            .map(|kind| (kind.code(), kind.label_sv()))
            .collect(),
        (file, "kind") if file.starts_with("budget/") => {
            vec![("line", "rad"), ("total", "summa"), ("part", "del")]
        }
        ("budget/finance.csv", "measure") => vec![
            ("income", "intäkter"),
            ("cost", "kostnader"),
            ("net", "netto"),
        ],
        ("assignment_status.csv", "status") => AssignmentStatus::ALL
            .iter()
            .map(|status| (status.code(), status.label_sv()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a CSV column holds amounts in tkr (written with the tkr number format). The frame
/// calculation's percent, volume and unit cost are exact decimals kept as text (a spreadsheet
/// number would drop the trailing zero of `2.0`).
pub fn is_amount_column(file: &str, column: &str) -> bool {
    file.starts_with("budget/")
        && (is_year(column) || matches!(column, "tom" | "income" | "cost" | "net" | "amount"))
}

/// Whether a CSV column holds a number a spreadsheet should see as a number.
pub fn is_number_column(file: &str, column: &str) -> bool {
    is_amount_column(file, column)
        || matches!(
            (file, column),
            ("indicator_values.csv", "year" | "value") | ("assignments.csv", "given_year")
        )
}

pub fn is_year(column: &str) -> bool {
    column.len() == 4 && column.bytes().all(|b| b.is_ascii_digit())
}

/// The spreadsheet name of a 0-based column: 0 → A, 26 → AA.
pub fn column_letters(column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// `Sheet!C7` for a 0-based row and column.
pub fn cell_name(sheet: &str, row: u32, column: u32) -> String {
    format!("{sheet}!{}{}", column_letters(column), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(cell_name("Drift ksf", 6, 2), "Drift ksf!C7");
    }

    #[test]
    fn headings_read_back_to_their_columns() {
        for (column, _) in HEADINGS {
            assert_eq!(column_of_heading(&heading(column)), *column);
        }
        assert_eq!(column_of_heading("2021"), "2021");
    }
}
