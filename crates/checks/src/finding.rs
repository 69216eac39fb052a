//! A finding: what a check found, where, and the stated and computed figures.

use crate::corrections::{Change, Correction};
use rust_decimal::Decimal;
use styr_domain::acknowledgement::Acknowledgement;
use styr_domain::number::format_swedish;
use styr_domain::{Location, Money};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
    /// An error or warning a reviewer has acknowledged: noted with who, when and why, and no
    /// longer an error.
    Acknowledged,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Acknowledged => "acknowledged",
        }
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Severity::Error => "fel",
            Severity::Warning => "varning",
            Severity::Info => "info",
            Severity::Acknowledged => "kvitterad",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable across runs: the kind of check, the file and what the finding is about (a row and
    /// a column, a claim's words and formula), never its position in the output.
    pub id: String,
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    /// What kind of check: `total`, `row`, `part`, `ref`, `frame`, `claim`, `status`.
    pub check: &'static str,
    pub message: String,
    /// The printed figure, in `unit`.
    pub stated: Option<Decimal>,
    /// The figure computed from the data, in `unit`.
    pub computed: Option<Decimal>,
    /// The unit of `stated` and `computed`: `tkr` for tables, the claim's unit for claims.
    pub unit: String,
    /// How many times the same finding occurs (the same claim written twice): reported once.
    pub occurrences: usize,
    /// Who acknowledged the finding, when and why (then `severity` is `Acknowledged`).
    pub acknowledgement: Option<Acknowledgement>,
    /// The figure expression the finding checked, as written in the package
    /// (`op.gemensamma.smohf@2021 == op.gemensamma.smohf@2020`): for `--format json` and the
    /// API. The message names the figures in words.
    pub formula: Option<String>,
}

impl Finding {
    pub fn new(severity: Severity, at: &Location, check: &'static str, message: String) -> Finding {
        Finding {
            id: format!("{check}:{}:{}", at.file, at.line),
            severity,
            file: at.file.clone(),
            line: at.line,
            check,
            message,
            stated: None,
            computed: None,
            unit: String::new(),
            occurrences: 1,
            acknowledgement: None,
            formula: None,
        }
    }

    /// The figure expression checked, as written in the package.
    pub fn formula(mut self, formula: impl Into<String>) -> Finding {
        self.formula = Some(formula.into());
        self
    }

    /// Names what the finding is about, within its check and file: the id becomes
    /// `check:file:subject`.
    pub fn about(self, subject: &str) -> Finding {
        let id = format!("{}:{}:{subject}", self.check, self.file);
        self.with_id(id)
    }

    /// The message with the stated and computed figures and how often it occurs: the text
    /// the report and the document's "Avstämning" print.
    pub fn describe(&self) -> String {
        let mut text = self.message.clone();
        match (self.stated, self.computed) {
            (Some(stated), Some(computed)) => text.push_str(&format!(
                " (angivet {}, beräknat {})",
                figure(stated, &self.unit),
                figure(computed, &self.unit)
            )),
            (Some(stated), None) => {
                text.push_str(&format!(" (angivet {})", figure(stated, &self.unit)))
            }
            _ => {}
        }
        if self.occurrences > 1 {
            text.push_str(&format!(" (står {} gånger)", self.occurrences));
        }
        if let Some(acknowledgement) = &self.acknowledgement {
            text.push_str(&format!(
                " — kvitterad av {} {}: {}",
                acknowledgement.by, acknowledgement.at, acknowledgement.reason
            ));
        }
        text
    }

    /// Where the finding is: `file:line`, or the file alone.
    pub fn place(&self) -> String {
        if self.line > 0 {
            format!("{}:{}", self.file, self.line)
        } else {
            self.file.clone()
        }
    }

    pub fn with_id(mut self, id: String) -> Finding {
        self.id = id;
        self
    }

    pub fn figures(
        mut self,
        stated: Option<Decimal>,
        computed: Option<Decimal>,
        unit: &str,
    ) -> Finding {
        self.stated = stated;
        self.computed = computed;
        self.unit = unit.to_owned();
        self
    }
}

/// A figure the Swedish way, with the decimals it carries ("28,4 mnkr", "−1 434 tkr").
pub fn figure(value: Decimal, unit: &str) -> String {
    let decimals = value.scale();
    format!("{} {unit}", format_swedish(value, decimals, ' '))
        .trim_end()
        .to_owned()
}

/// The findings as text for a terminal: one line each, then a count.
pub fn render_text(findings: &[Finding]) -> String {
    render_report(&crate::Report {
        findings: findings.to_vec(),
        corrections: Vec::new(),
    })
}

/// The report as text for a terminal: one line per finding with its id, each correction right
/// after the last finding it explains, then a count.
pub fn render_report(report: &crate::Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&format!(
            "{:<7} {}: {} [{}]\n",
            finding.severity.label_sv(),
            finding.place(),
            finding.describe(),
            finding.id
        ));
        for correction in report
            .corrections
            .iter()
            .filter(|c| c.explains.last() == Some(&finding.id))
        {
            out.push_str(&correction_text(correction));
        }
    }
    let count = |severity| {
        report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    };
    out.push_str(&format!(
        "{} fel, {} varningar, {} info",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    if count(Severity::Acknowledged) > 0 {
        out.push_str(&format!(", {} kvitterade", count(Severity::Acknowledged)));
    }
    if !report.corrections.is_empty() {
        let suggested = report
            .corrections
            .iter()
            .filter(|c| !c.alternatives.is_empty())
            .count();
        out.push_str(&format!(", {suggested} förslag till rättelse"));
    }
    out.push('\n');
    out
}

/// An amount in tkr as printed in the tables: "615 000".
fn amount(money: Money) -> String {
    figure(money.tkr(), "")
}

/// "en ändring av budget/finance.csv:22 kostnader 2020 från 615 000 till 620 000", or two.
pub fn changes_text(changes: &[Change]) -> String {
    let one = |change: &Change| {
        format!(
            "{}:{} {} från {} till {}",
            change.at.file,
            change.at.line,
            change.column,
            amount(change.from),
            amount(change.to)
        )
    };
    match changes {
        [change] => format!("en ändring av {}", one(change)),
        changes => format!(
            "{} ändringar: {}",
            number_word(changes.len()),
            changes.iter().map(one).collect::<Vec<_>>().join(" och ")
        ),
    }
}

fn number_word(count: usize) -> String {
    match count {
        2 => "två".to_owned(),
        3 => "tre".to_owned(),
        n => n.to_string(),
    }
}

/// The lines of a correction in the text report, indented under its findings.
fn correction_text(correction: &Correction) -> String {
    const INDENT: &str = "        ";
    let explained = correction.explains.len();
    match correction.alternatives.as_slice() {
        [] if correction.search_cut => format!(
            "{INDENT}→ ingen rättelse hittad för {explained} fel: sökningen nådde sin gräns\n"
        ),
        [] => {
            format!("{INDENT}→ ingen rättelse med högst två ändringar förklarar {explained} fel\n")
        }
        [changes] => format!(
            "{INDENT}→ {} förklarar {explained} fel\n",
            changes_text(changes)
        ),
        alternatives => {
            let total = alternatives.len() + correction.more_alternatives;
            let mut text =
                format!("{INDENT}→ {explained} fel förklaras lika enkelt på {total} sätt:\n");
            for changes in alternatives {
                text.push_str(&format!("{INDENT}    {}\n", changes_text(changes)));
            }
            if correction.more_alternatives > 0 {
                text.push_str(&format!(
                    "{INDENT}    … och {} till\n",
                    correction.more_alternatives
                ));
            }
            text
        }
    }
}
