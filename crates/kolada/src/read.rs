//! The reader of Kolada data responses (v2 and v3).

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use styr_domain::Year;
use styr_domain::kolada::{Gender, KoladaValue};

/// A problem in a response: file, line, field (a JSON path such as `values[2].period`), message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: u32,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.field, self.message
        )
    }
}

/// Where the values came from, stored with each of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retrieval {
    /// The file or the URL.
    pub source: String,
    /// ISO date (YYYY-MM-DD).
    pub retrieved: String,
}

/// A value with the place it was read from, so that a use case that refuses it can say where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadValue {
    pub file: String,
    pub line: u32,
    /// The JSON path of its entry (`values[3].values[1]`).
    pub field: String,
    /// The JSON path of the data object it belongs to (`values[3]`).
    pub object: String,
    /// The lines of the object's `kpi` and `municipality` keys.
    pub kpi_line: u32,
    pub municipality_line: u32,
    pub value: KoladaValue,
}

/// One response: its values and the link to the next page, when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub values: Vec<ReadValue>,
    /// `next_page` (v2) or `next_url` (v3).
    pub next: Option<String>,
    /// The line of the next-page key, for a diagnostic about it.
    next_line: u32,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    values: Option<Vec<&'a RawValue>>,
    next_page: Option<String>,
    next_url: Option<String>,
}

#[derive(Deserialize)]
struct DataObject<'a> {
    kpi: Option<String>,
    municipality: Option<String>,
    ou: Option<String>,
    #[serde(borrow)]
    period: Option<&'a RawValue>,
    #[serde(borrow)]
    values: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct GenderValue<'a> {
    gender: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
    #[serde(default)]
    isdeleted: Option<bool>,
}

/// Line numbers of byte offsets in one text.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The 1-based line where `part` (a slice of the text) begins.
    fn of(&self, part: &str) -> u32 {
        let offset = (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let line = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// The line of the first occurrence of `needle`, or 1.
    fn find(&self, needle: &str) -> u32 {
        self.find_in(self.text, needle).unwrap_or(1)
    }

    /// The line of the first occurrence of `needle` inside `part` (a slice of the text).
    fn find_in(&self, part: &str, needle: &str) -> Option<u32> {
        part.find(needle).map(|offset| self.of(&part[offset..]))
    }
}

struct PageReader<'a> {
    file: &'a str,
    lines: Lines<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl PageReader<'_> {
    fn error(&mut self, line: u32, field: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            field: field.into(),
            message: message.into(),
        });
    }
}

/// A year from `2023` or `"2023"`.
fn year(raw: &RawValue) -> Option<Year> {
    let text = raw.get().trim().trim_matches('"');
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// An exact decimal from a JSON number's text (`21.88749`, `1e2`, `null` → missing).
fn number(raw: &RawValue) -> Result<Option<Decimal>, String> {
    let text = raw.get().trim();
    if text == "null" {
        return Ok(None);
    }
    if text.starts_with('"') {
        return Err(format!("{text} är text, inte ett tal"));
    }
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map(|d| Some(d.normalize()))
        .map_err(|_| format!("{text} är inte ett tal"))
}

/// Reads one response. `file` names it in diagnostics.
pub fn read_page(file: &str, bytes: &[u8], retrieval: &Retrieval) -> Result<Page, Vec<Diagnostic>> {
    let fail = |line: u32, field: &str, message: String| {
        Err(vec![Diagnostic {
            file: file.to_owned(),
            line,
            field: field.to_owned(),
            message,
        }])
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
        Err(error) => {
            let line = bytes[..error.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return fail(
                u32::try_from(line).unwrap_or(u32::MAX),
                "fil",
                "filen är inte UTF-8 (Kolada svarar i UTF-8)".to_owned(),
            );
        }
    };
    let envelope: Envelope = match serde_json::from_str(text) {
        Ok(envelope) => envelope,
        Err(error) => {
            return fail(
                u32::try_from(error.line()).unwrap_or(u32::MAX),
                "json",
                format!("inte ett svar från Kolada: {error}"),
            );
        }
    };
    let mut reader = PageReader {
        file,
        lines: Lines::new(text),
        diagnostics: Vec::new(),
    };
    let Some(objects) = envelope.values else {
        return fail(
            1,
            "values",
            "svaret saknar \"values\": inte ett dataanrop till Kolada".to_owned(),
        );
    };
    let mut values = Vec::new();
    for (index, raw) in objects.iter().enumerate() {
        let line = reader.lines.of(raw.get());
        let path = format!("values[{index}]");
        let object: DataObject = match serde_json::from_str(raw.get()) {
            Ok(object) => object,
            Err(error) => {
                reader.error(line, path, format!("inte ett dataobjekt: {error}"));
                continue;
            }
        };
        if object.ou.is_some() {
            reader.error(
                line,
                format!("{path}.ou"),
                "värden per organisatorisk enhet (oudata) stöds inte; hämta per kommun",
            );
            continue;
        }
        let Some(kpi) = object.kpi.filter(|k| !k.trim().is_empty()) else {
            reader.error(line, format!("{path}.kpi"), "nyckeltalets id saknas");
            continue;
        };
        let Some(municipality) = object.municipality.filter(|m| !m.trim().is_empty()) else {
            reader.error(line, format!("{path}.municipality"), "kommunkoden saknas");
            continue;
        };
        let Some(period) = object.period else {
            reader.error(line, format!("{path}.period"), "året saknas");
            continue;
        };
        let kpi_line = reader.lines.find_in(raw.get(), "\"kpi\"").unwrap_or(line);
        let municipality_line = reader
            .lines
            .find_in(raw.get(), "\"municipality\"")
            .unwrap_or(line);
        let Some(year) = year(period) else {
            let at = reader.lines.of(period.get());
            reader.error(
                at,
                format!("{path}.period"),
                format!("{} är inte ett år (ÅÅÅÅ)", period.get()),
            );
            continue;
        };
        for (split, raw_value) in object.values.unwrap_or_default().iter().enumerate() {
            let line = reader.lines.of(raw_value.get());
            let path = format!("{path}.values[{split}]");
            let entry: GenderValue = match serde_json::from_str(raw_value.get()) {
                Ok(entry) => entry,
                Err(error) => {
                    reader.error(line, path, format!("inte ett värde: {error}"));
                    continue;
                }
            };
            let gender = match entry.gender.as_deref().map(Gender::parse) {
                Some(Some(gender)) => gender,
                Some(None) | None => {
                    reader.error(
                        line,
                        format!("{path}.gender"),
                        format!(
                            "{:?} är inte ett kön i Kolada ({})",
                            entry.gender.unwrap_or_default(),
                            Gender::codes()
                        ),
                    );
                    continue;
                }
            };
            let value = match entry.value.map(number).transpose() {
                Ok(value) => value.flatten(),
                Err(message) => {
                    reader.error(line, format!("{path}.value"), message);
                    continue;
                }
            };
            let deleted = entry.isdeleted == Some(true);
            values.push(ReadValue {
                file: file.to_owned(),
                line,
                field: path,
                object: format!("values[{index}]"),
                kpi_line,
                municipality_line,
                value: KoladaValue {
                    kpi: kpi.clone(),
                    municipality: municipality.clone(),
                    year,
                    gender,
                    value: if deleted { None } else { value },
                    status: entry.status.unwrap_or_default(),
                    source: retrieval.source.clone(),
                    retrieved: retrieval.retrieved.clone(),
                },
            });
        }
    }
    let mut seen: HashMap<(String, String, Year, Gender), u32> = HashMap::new();
    for read_value in &values {
        let (line, path, value) = (read_value.line, &read_value.field, &read_value.value);
        let key = (
            value.kpi.clone(),
            value.municipality.clone(),
            value.year,
            value.gender,
        );
        if let Some(first) = seen.insert(key, line) {
            reader.error(
                line,
                path.clone(),
                format!(
                    "{} {} {} {} står redan på rad {first}",
                    value.kpi,
                    value.municipality,
                    value.year,
                    value.gender.code()
                ),
            );
        }
    }
    if !reader.diagnostics.is_empty() {
        return Err(reader.diagnostics);
    }
    let (next, key) = match (envelope.next_page, envelope.next_url) {
        (Some(next), _) if !next.is_empty() => (Some(next), "\"next_page\""),
        (_, Some(next)) if !next.is_empty() => (Some(next), "\"next_url\""),
        _ => (None, ""),
    };
    Ok(Page {
        values,
        next_line: if next.is_some() {
            reader.lines.find(key)
        } else {
            0
        },
        next,
    })
}

/// Reads the pages of one or more answers (`(file name, bytes, retrieval)` each), all or
/// nothing: the values of every page, or every problem of every page. A page's next page must
/// be among them: when every page links to another, the last one is missing.
pub fn read_pages(
    pages: &[(String, Vec<u8>, Retrieval)],
) -> Result<Vec<ReadValue>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut read = Vec::new();
    for (file, bytes, retrieval) in pages {
        match read_page(file, bytes, retrieval) {
            Ok(page) => read.push((file, page)),
            Err(found) => diagnostics.extend(found),
        }
    }
    if diagnostics.is_empty() && !read.is_empty() && read.iter().all(|(_, p)| p.next.is_some()) {
        // Every page points further: whichever is last, its next page was not given.
        for (file, page) in &read {
            diagnostics.push(Diagnostic {
                file: (*file).clone(),
                line: page.next_line,
                field: "next_page".to_owned(),
                message: format!(
                    "svaret fortsätter på nästa sida ({}) och alla sidor finns inte med; ge alla sidor eller hämta med styr kolada fetch",
                    page.next.as_deref().unwrap_or_default()
                ),
            });
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut values: Vec<ReadValue> = Vec::new();
    let mut seen: HashMap<(String, String, Year, Gender), &str> = HashMap::new();
    for (file, page) in &read {
        for read_value in &page.values {
            let value = &read_value.value;
            let key = (
                value.kpi.clone(),
                value.municipality.clone(),
                value.year,
                value.gender,
            );
            if let Some(first) = seen.insert(key, file.as_str()) {
                diagnostics.push(Diagnostic {
                    file: (*file).clone(),
                    line: read_value.line,
                    field: read_value.field.clone(),
                    message: format!(
                        "{} {} {} {} finns också i {first}: samma sida två gånger?",
                        value.kpi,
                        value.municipality,
                        value.year,
                        value.gender.code()
                    ),
                });
            }
            values.push(read_value.clone());
        }
    }
    if diagnostics.is_empty() {
        Ok(values)
    } else {
        Err(diagnostics)
    }
}
