//! A finding: what a check found, where, and the stated and computed figures.

use rust_decimal::Decimal;
use styr_domain::Location;
use styr_domain::number::format_swedish;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    fn label_sv(self) -> &'static str {
        match self {
            Severity::Error => "fel",
            Severity::Warning => "varning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
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
}

impl Finding {
    pub fn new(severity: Severity, at: &Location, check: &'static str, message: String) -> Finding {
        Finding {
            severity,
            file: at.file.clone(),
            line: at.line,
            check,
            message,
            stated: None,
            computed: None,
            unit: String::new(),
        }
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
    let mut out = String::new();
    for finding in findings {
        let place = if finding.line > 0 {
            format!("{}:{}", finding.file, finding.line)
        } else {
            finding.file.clone()
        };
        out.push_str(&format!(
            "{:<7} {place}: {}",
            finding.severity.label_sv(),
            finding.message
        ));
        match (finding.stated, finding.computed) {
            (Some(stated), Some(computed)) => out.push_str(&format!(
                " (angivet {}, beräknat {})",
                figure(stated, &finding.unit),
                figure(computed, &finding.unit)
            )),
            (Some(stated), None) => {
                out.push_str(&format!(" (angivet {})", figure(stated, &finding.unit)))
            }
            _ => {}
        }
        out.push('\n');
    }
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    out.push_str(&format!(
        "{} fel, {} varningar, {} info\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    out
}
