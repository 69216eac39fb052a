//! Figure expressions in words, for readers: `op.gemensamma.smohf@2021` is "SMOHF 2021",
//! `pct_change(a, b)` is "förändringen i procent från a till b". Documents and the
//! reconciliation speak this way; the expressions themselves stay in the package, in
//! `styr check --format json` and in the API.

use crate::assignment::AssignmentStatus;
use crate::budget::{Measure, RowKind};
use crate::expr::{BinaryOp, Comparison, Expr, FigureRef, Formula, Function, YearSelector};
use crate::goal::ValueKind;
use crate::number::format_swedish;
use crate::plan::Plan;

impl Plan {
    /// One reference in words: the row or figure's name as printed and its year. An unknown
    /// reference is given as written (a package error the reader reports elsewhere).
    pub fn describe_ref(&self, figure: &FigureRef) -> String {
        let path: Vec<&str> = figure.path.iter().map(String::as_str).collect();
        let year = match figure.year {
            Some(YearSelector::Year(year)) => format!(" {year}"),
            Some(YearSelector::Until) => " budget tom".to_owned(),
            None => String::new(),
        };
        let budget = &self.budget;
        let lower = |measure: &str| Measure::parse(measure).map(|m| m.label_sv().to_lowercase());
        let found: Option<String> =
            match path.as_slice() {
                ["frame"] => Some(format!("ramen{year}")),
                ["op", table] => budget
                    .operating_table(table)
                    .map(|t| format!("summan av {}{year}", t.title)),
                ["op", table, line] => budget
                    .operating_table(table)
                    .and_then(|t| t.row(line))
                    .map(|row| format!("{}{year}", row.name)),
                ["inv"] => Some(format!("investeringarna{year}")),
                ["inv", project] => budget
                    .investment
                    .rows
                    .iter()
                    .find(|r| r.id.as_str() == *project)
                    .map(|r| format!("{}{year}", r.name)),
                ["exp", measure] => lower(measure).map(|m| format!("exploateringens {m}")),
                ["exp", row, measure] => budget
                    .exploitation
                    .rows
                    .iter()
                    .find(|r| r.id.as_str() == *row)
                    .zip(lower(measure))
                    .map(|(r, m)| {
                        let name = if r.name.is_empty() {
                            &r.project
                        } else {
                            &r.name
                        };
                        format!("{name}, {m}")
                    }),
                ["fin", row, measure] => {
                    budget.finance.row(row).zip(lower(measure)).map(|(r, m)| {
                        match (&r.kind, measure) {
                            (RowKind::Total, _) | (_, &"net") => format!("{}{year}", r.name),
                            _ => format!("{}, {m}{year}", r.name),
                        }
                    })
                }
                ["ind", indicator, kind] => self
                    .indicators
                    .iter()
                    .find(|i| i.id.as_str() == *indicator)
                    .map(|i| {
                        let kind = match ValueKind::parse(kind) {
                            Some(ValueKind::Target) => "målvärde",
                            _ => "utfall",
                        };
                        format!("{}, {kind}{year}", i.name)
                    }),
                ["count", what @ ..] => Some(self.describe_count(what, &year)),
                ["personal", code, unit, span @ ..] => {
                    let what = crate::personnel::SickFigure::parse(code)
                        .map(|f| f.label_sv().to_owned())
                        .unwrap_or_else(|| (*code).to_owned());
                    let unit = self
                        .units
                        .iter()
                        .find(|u| u.id.as_str() == *unit)
                        .map_or_else(|| "alla enheter".to_owned(), |u| u.name.clone());
                    let at_year = match figure.year {
                        Some(crate::expr::YearSelector::Year(y)) => Some(y),
                        _ => None,
                    };
                    let when = crate::personnel::Span::of_ref(span.first().copied(), at_year)
                        .map_or_else(String::new, |s| format!(" {}", s.label_sv()));
                    Some(format!("{what}, {unit}{when} (beräknad ur timmar)"))
                }
                ["fu", id] => self
                    .figures
                    .iter()
                    .find(|f| f.id.as_str() == *id)
                    .map(|f| f.label.clone()),
                _ => None,
            };
        found.unwrap_or_else(|| figure.to_string())
    }

    fn describe_count(&self, what: &[&str], year: &str) -> String {
        let period = |id: &str| {
            self.periods
                .iter()
                .find(|p| p.id.as_str() == id)
                .map_or_else(|| format!("perioden {id}"), |p| p.title.clone())
        };
        match what {
            ["assignments"] => "antalet uppdrag".to_owned(),
            ["assignments", body] => {
                let body = self
                    .bodies
                    .iter()
                    .find(|b| b.id.as_str() == *body)
                    .map_or_else(|| (*body).to_owned(), |b| b.label().to_owned());
                format!("antalet uppdrag till {body}")
            }
            ["goals"] => "antalet mål".to_owned(),
            ["goals", _] => "antalet mål i målområdet".to_owned(),
            ["priorities", goal] => {
                let number = self
                    .goals
                    .iter()
                    .find(|g| g.id.as_str() == *goal)
                    .map_or_else(|| (*goal).to_owned(), |g| g.number.to_string());
                format!("antalet prioriteringar för mål {number}")
            }
            ["statuses", id] => format!("antalet uppdrag med status i {}", period(id)),
            ["statuses", id, code] => {
                let status = AssignmentStatus::parse(code)
                    .map_or_else(|| (*code).to_owned(), |s| s.label_sv().to_owned());
                format!("antalet uppdrag med status {status} i {}", period(id))
            }
            ["indicators", "on_target", ..] => {
                format!("antalet indikatorer som når målvärdet{year}")
            }
            _ => format!("count.{}", what.join(".")),
        }
    }

    /// An expression in words: references by name, numbers the Swedish way, `−` and `+`.
    pub fn describe_expr(&self, expr: &Expr) -> String {
        match expr {
            Expr::Number(value) => format_swedish(*value, value.scale(), '\u{a0}'),
            Expr::Ref(figure) => self.describe_ref(figure),
            Expr::Negate(inner) => format!("−({})", self.describe_expr(inner)),
            Expr::Binary(left, op, right) => {
                let sign = match op {
                    BinaryOp::Add => "+",
                    BinaryOp::Sub => "−",
                };
                let right = match right.as_ref() {
                    Expr::Binary(..) => format!("({})", self.describe_expr(right)),
                    _ => self.describe_expr(right),
                };
                format!("{} {sign} {right}", self.describe_expr(left))
            }
            Expr::Call(Function::PctChange, from, to) => format!(
                "förändringen i procent från {} till {}",
                self.describe_expr(from),
                self.describe_expr(to)
            ),
            Expr::Call(Function::SharePct, part, whole) => format!(
                "{} i procent av {}",
                self.describe_expr(part),
                self.describe_expr(whole)
            ),
        }
    }

    /// A formula in words; a comparison reads "a är lika med b", "a är minst b" …
    pub fn describe_formula(&self, formula: &Formula) -> String {
        match formula {
            Formula::Value(expr) => self.describe_expr(expr),
            Formula::Compare(left, comparison, right) => format!(
                "{} {} {}",
                self.describe_expr(left),
                comparison_words(*comparison),
                self.describe_expr(right)
            ),
        }
    }
}

/// A comparison in words: "är lika med", "är minst" …
pub fn comparison_words(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::Eq => "är lika med",
        Comparison::Ne => "skiljer sig från",
        Comparison::Lt => "är mindre än",
        Comparison::Gt => "är större än",
        Comparison::Le => "är högst",
        Comparison::Ge => "är minst",
    }
}

/// A comparison that does not hold, in words: "är inte lika med", "är större än" …
pub fn comparison_words_negated(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::Eq => "är inte lika med",
        Comparison::Ne => "är lika med",
        Comparison::Lt => "är inte mindre än",
        Comparison::Gt => "är inte större än",
        Comparison::Le => "är större än",
        Comparison::Ge => "är mindre än",
    }
}
