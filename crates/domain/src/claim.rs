//! Claims: figures stated in narrative text, checked against the data.
//!
//! In Markdown a claim is written `[ca 268 mnkr]{= 0 - exp.cost}`: the bracketed text is printed
//! as it stands, and its number, unit and hedge word ("ca", "drygt") are read from it. `{?}`
//! marks a figure that the data cannot confirm; it is kept and reported, never dropped.
//!
//! A figure measured from a named budget version carries it as its base:
//! `[28,4 mnkr]{= op.s@2021 - op.s@2020; bas = "justerad budget 2020"}`. When the plan does not
//! hold that version, the claim cannot be verified; the printed figure is kept and the figure
//! computed from the columns the plan has is only reported beside it.

use crate::budget::{BudgetVersion, FigureFormula};
use crate::expr::{BinaryOp, Expr, Formula, Function, YearSelector, parse_formula};
use crate::number::{StatedNumber, parse_swedish, round_half_away};
use crate::plan::{Quantity, QuantityUnit};
use crate::{Location, code_enum};
use rust_decimal::Decimal;

code_enum!(
    /// The unit a claim is printed in.
    ClaimUnit { Mnkr => "mnkr", Tkr => "tkr", Kr => "kr", Percent => "%" }
);

code_enum!(
    /// How exactly the text states its figure.
    Hedge {
        /// No hedge: the figure is rounded to the printed decimals.
        Exact => "exact",
        /// ca, cirka, omkring, runt: within one unit of the last printed digit.
        About => "about",
        /// drygt: at least the printed figure, less than one unit above.
        JustOver => "just_over",
        /// knappt, nästan: at most the printed figure, less than one unit below.
        JustUnder => "just_under",
    }
);

/// What a claim says about the data.
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimCheck {
    Formula(FigureFormula),
    /// `{?}`: not checkable against the data held.
    Unverifiable,
}

/// A figure stated in narrative text.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The printed text inside the brackets.
    pub text: String,
    pub stated: Option<StatedNumber>,
    pub unit: Option<ClaimUnit>,
    pub hedge: Hedge,
    pub check: ClaimCheck,
    /// `bas = …`: the budget version the figure is measured from, as written (a version id or
    /// a label such as "justerad budget 2020"); `None` when the claim names none.
    pub base: Option<String>,
    pub at: Location,
}

impl Claim {
    /// The base the claim names when the plan's data does not hold it: the plan holds one
    /// budget version, matched by its id or its name (case and surrounding space ignored).
    pub fn missing_base(&self, version: &BudgetVersion) -> Option<&str> {
        missing_base(version, self.base.as_deref()?)
    }
}

/// `Some(base)` when a figure is measured from a base (a budget version named as printed,
/// "justerad budget 2020") that is not the version the plan holds: claims in the text and
/// the frame change's parts alike.
pub fn missing_base<'a>(version: &BudgetVersion, base: &'a str) -> Option<&'a str> {
    let wanted = base.trim().to_lowercase();
    let held = [version.id.as_str(), version.name.as_str()]
        .iter()
        .any(|name| name.trim().to_lowercase() == wanted);
    (!held).then_some(base)
}

/// A text of the plan outside the narrative (a goal's description, a priority, an assignment,
/// a status comment, a risk, an audit, a decision) that may hold claims like the narrative's.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanText<'a> {
    /// The record the text belongs to: its file and line.
    pub at: &'a Location,
    /// Which record and field, in Swedish: "mål mal1, beskrivning".
    pub field: String,
    pub text: &'a str,
}

/// Every text of the plan, outside the narrative, that claim markup can stand in.
pub fn plan_texts(plan: &crate::Plan) -> Vec<PlanText<'_>> {
    let mut out: Vec<PlanText<'_>> = Vec::new();
    for area in &plan.goal_areas {
        if let Some(text) = &area.description {
            out.push(PlanText {
                at: &area.at,
                field: format!("målområde {}, beskrivning", area.id),
                text,
            });
        }
    }
    for goal in &plan.goals {
        if let Some(text) = &goal.description {
            out.push(PlanText {
                at: &goal.at,
                field: format!("mål {}, beskrivning", goal.id),
                text,
            });
        }
    }
    for priority in &plan.priorities {
        out.push(PlanText {
            at: &priority.at,
            field: format!("prioritering {}", priority.id),
            text: &priority.text,
        });
    }
    for assignment in &plan.assignments {
        out.push(PlanText {
            at: &assignment.at,
            field: format!("uppdrag {}, rubrik", assignment.id),
            text: &assignment.title,
        });
        if let Some(text) = &assignment.description {
            out.push(PlanText {
                at: &assignment.at,
                field: format!("uppdrag {}, beskrivning", assignment.id),
                text,
            });
        }
    }
    for mention in &plan.mentions {
        out.push(PlanText {
            at: &mention.at,
            field: format!(
                "uppdrag {} i avsnittet {}, text",
                mention.assignment, mention.section
            ),
            text: &mention.label,
        });
    }
    for status in &plan.statuses {
        if let Some(text) = &status.comment {
            out.push(PlanText {
                at: &status.at,
                field: format!("status {} {}, kommentar", status.assignment, status.period),
                text,
            });
        }
    }
    for risk in &plan.control.risks {
        if let Some(text) = &risk.description {
            out.push(PlanText {
                at: &risk.at,
                field: format!("risk {}, beskrivning", risk.id),
                text,
            });
        }
    }
    for audit in &plan.control.audits {
        if let Some(text) = &audit.note {
            out.push(PlanText {
                at: &audit.at,
                field: format!("granskning {}, anteckning", audit.id),
                text,
            });
        }
        for recommendation in &audit.recommendations {
            out.push(PlanText {
                at: &audit.at,
                field: format!(
                    "granskning {}, rekommendation {}",
                    audit.id, recommendation.id
                ),
                text: &recommendation.text,
            });
        }
    }
    for decision in &plan.decisions {
        out.push(PlanText {
            at: &decision.at,
            field: format!("beslut {}, rubrik", decision.id),
            text: &decision.title,
        });
    }
    out
}

/// The claims of a plan text, placed at its record; problems likewise.
pub fn text_claims(text: &PlanText<'_>) -> (Vec<Claim>, Vec<ClaimProblem>) {
    let (mut claims, mut problems) = parse_claims(&text.at.file, text.text);
    for claim in &mut claims {
        claim.at = text.at.clone();
    }
    for problem in &mut problems {
        problem.at = text.at.clone();
    }
    (claims, problems)
}

/// A claim markup that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimProblem {
    pub at: Location,
    pub column: usize,
    pub message: String,
}

const HEDGES: &[(&str, Hedge)] = &[
    ("ca", Hedge::About),
    ("cirka", Hedge::About),
    ("omkring", Hedge::About),
    ("runt", Hedge::About),
    ("drygt", Hedge::JustOver),
    ("knappt", Hedge::JustUnder),
    ("nästan", Hedge::JustUnder),
];

/// Reads the claims of a Markdown text. Problems are collected; the rest is still read.
pub fn parse_claims(file: &str, text: &str) -> (Vec<Claim>, Vec<ClaimProblem>) {
    let mut claims = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let at = Location::new(file, u32::try_from(index + 1).unwrap_or(u32::MAX));
        let mut search_from = 0;
        while let Some(found) = line[search_from..].find("]{") {
            let close = search_from + found;
            let Some(open) = line[..close].rfind('[') else {
                problems.push(problem(&at, close, "'{' efter ']' utan '[' före"));
                break;
            };
            let Some(attr_len) = line[close + 2..].find('}') else {
                problems.push(problem(&at, close, "påstående saknar '}'"));
                break;
            };
            let attribute = line[close + 2..close + 2 + attr_len].trim();
            let printed = &line[open + 1..close];
            match read_claim(printed, attribute) {
                Ok((stated, unit, hedge, check, base)) => claims.push(Claim {
                    text: printed.to_owned(),
                    stated,
                    unit,
                    hedge,
                    check,
                    base,
                    at: at.clone(),
                }),
                Err(message) => problems.push(problem(&at, open, &message)),
            }
            search_from = close + 3 + attr_len;
        }
    }
    (claims, problems)
}

fn problem(at: &Location, byte_offset: usize, message: &str) -> ClaimProblem {
    ClaimProblem {
        at: at.clone(),
        column: byte_offset + 1,
        message: message.to_owned(),
    }
}

type ReadClaim = (
    Option<StatedNumber>,
    Option<ClaimUnit>,
    Hedge,
    ClaimCheck,
    Option<String>,
);

fn read_claim(printed: &str, attribute: &str) -> Result<ReadClaim, String> {
    let (attribute, base) = match attribute.split_once(';') {
        Some((check, option)) => (check.trim(), Some(read_base(option)?)),
        None => (attribute, None),
    };
    let (stated, after_number) = find_number(printed);
    let unit = after_number.and_then(|rest| read_unit(&printed[rest..]));
    let hedge = printed
        .split(|c: char| !c.is_alphabetic())
        .find_map(|word| {
            let lower = word.to_lowercase();
            HEDGES.iter().find(|(w, _)| *w == lower).map(|(_, h)| *h)
        })
        .unwrap_or(Hedge::Exact);
    let check = if attribute == "?" {
        ClaimCheck::Unverifiable
    } else if let Some(expression) = attribute.strip_prefix('=') {
        let expression = expression.trim();
        let formula = parse_formula(expression).map_err(|e| e.to_string())?;
        if stated.is_none() && matches!(formula, crate::expr::Formula::Value(_)) {
            return Err(format!(
                "påståendet {printed:?} har inget tal: uttrycket måste vara en jämförelse"
            ));
        }
        ClaimCheck::Formula(FigureFormula {
            text: expression.to_owned(),
            formula,
        })
    } else {
        return Err(format!(
            "påstående {{{attribute}}}: väntade {{= UTTRYCK}} eller {{?}}"
        ));
    };
    if base.is_some() && check == ClaimCheck::Unverifiable {
        return Err("påstående {?}: en bas kan bara anges för {= UTTRYCK}".to_owned());
    }
    Ok((stated, unit, hedge, check, base))
}

/// `bas = "justerad budget 2020"` or `bas = version_id`.
fn read_base(option: &str) -> Result<String, String> {
    let expected = || format!("{option:?}: väntade bas = \"VERSION\" eller bas = versions-id");
    let (key, value) = option.split_once('=').ok_or_else(expected)?;
    if key.trim() != "bas" {
        return Err(expected());
    }
    let value = value.trim();
    let name = match value.strip_prefix('"') {
        Some(quoted) => quoted.strip_suffix('"').ok_or_else(expected)?,
        None if value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') =>
        {
            value
        }
        None => return Err(expected()),
    };
    if name.trim().is_empty() || name.contains('"') {
        return Err(expected());
    }
    Ok(name.to_owned())
}

/// How a check names the columns a claim with a missing base is computed against instead:
/// "kolumnen Budget 2020" when the base names a year the expression reads, else every year
/// column the expression reads ("kolumnerna Budget 2020 och Budget 2021"), or "data".
pub fn columns_instead_of(base: &str, formula: &Formula) -> String {
    let mut years: Vec<i32> = match formula {
        Formula::Value(expr) => expr.refs(),
        Formula::Compare(left, _, right) => {
            let mut refs = left.refs();
            refs.extend(right.refs());
            refs
        }
    }
    .into_iter()
    .filter_map(|r| match r.year {
        Some(YearSelector::Year(year)) => Some(year),
        _ => None,
    })
    .collect();
    years.sort_unstable();
    years.dedup();
    let base_year = base
        .split(|c: char| !c.is_ascii_digit())
        .filter(|word| word.len() == 4)
        .filter_map(|word| word.parse::<i32>().ok())
        .next_back();
    match (base_year, years.as_slice()) {
        (Some(year), _) if years.contains(&year) => format!("kolumnen Budget {year}"),
        (_, []) => "data".to_owned(),
        (_, [year]) => format!("kolumnen Budget {year}"),
        (_, [first @ .., last]) => format!(
            "kolumnerna {} och Budget {last}",
            first
                .iter()
                .map(|y| format!("Budget {y}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// "förändringen" for an expression that measures a change (a difference or `pct_change`),
/// else "värdet".
pub fn figure_word(expr: &Expr) -> &'static str {
    match expr {
        Expr::Binary(_, BinaryOp::Sub, _) | Expr::Call(Function::PctChange, ..) => "förändringen",
        _ => "värdet",
    }
}

/// The note on a claim whose base the data lacks, the same in `styr check` and the document:
/// "kan inte verifieras: justerad budget 2020 finns inte i data; mot kolumnen Budget 2020 blir
/// förändringen 17,0 mnkr". `outcome` is what the expression gives against those columns
/// ("blir förändringen 17,0 mnkr").
pub fn missing_base_note(base: &str, formula: &Formula, outcome: &str) -> String {
    format!(
        "kan inte verifieras: {base} finns inte i data; mot {} {outcome}",
        columns_instead_of(base, formula)
    )
}

/// Swedish number words a count is written with ("fyra av uppdragen", "Ett uppdrag").
const NUMBER_WORDS: &[(&str, i64)] = &[
    ("noll", 0),
    ("en", 1),
    ("ett", 1),
    ("två", 2),
    ("tre", 3),
    ("fyra", 4),
    ("fem", 5),
    ("sex", 6),
    ("sju", 7),
    ("åtta", 8),
    ("nio", 9),
    ("tio", 10),
    ("elva", 11),
    ("tolv", 12),
];

/// Finds the first Swedish number in the text: returns it and the byte offset after it. A
/// text without digits may state a count in words ("fyra"); the words stay as printed.
fn find_number(text: &str) -> (Option<StatedNumber>, Option<usize>) {
    match number_span(text) {
        Some((start, end)) => (parse_swedish(&text[start..end]), Some(end)),
        None => {
            let mut offset = 0;
            for word in text.split_inclusive(|c: char| !c.is_alphabetic()) {
                let bare = word.trim_end_matches(|c: char| !c.is_alphabetic());
                let lower = bare.to_lowercase();
                if let Some(&(_, value)) = NUMBER_WORDS.iter().find(|(w, _)| *w == lower) {
                    let number = StatedNumber {
                        value: Decimal::from(value),
                        decimals: 0,
                    };
                    return (Some(number), Some(offset + bare.len()));
                }
                offset += word.len();
            }
            (None, None)
        }
    }
}

/// The byte range of the first Swedish number in a text, with its sign: digits grouped by
/// single spaces, an optional decimal comma. Renderers replace exactly this range.
pub fn number_span(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let first_digit = bytes.iter().position(u8::is_ascii_digit)?;
    let mut start = first_digit;
    let before = text[..first_digit].trim_end();
    if let Some(stripped) = before
        .strip_suffix('−')
        .or_else(|| before.strip_suffix('-'))
    {
        start = stripped.len();
    }
    let mut end = first_digit;
    while end < bytes.len() {
        if bytes[end].is_ascii_digit() {
            end += 1;
        } else if bytes[end] == b' '
            && bytes.len() >= end + 4
            && bytes[end + 1..end + 4].iter().all(u8::is_ascii_digit)
            && bytes.get(end + 4).is_none_or(|b| !b.is_ascii_digit())
        {
            end += 4;
        } else if bytes[end] == b',' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end += 1;
        } else {
            break;
        }
    }
    Some((start, end))
}

/// A computed quantity in the unit a claim is printed in (tkr → mnkr divides by 1 000);
/// `None` when the units do not fit (a claim in mnkr about a percentage).
pub fn in_claim_unit(quantity: &Quantity, unit: Option<ClaimUnit>) -> Option<Decimal> {
    match (unit, &quantity.unit) {
        (Some(ClaimUnit::Mnkr), QuantityUnit::Tkr) => Some(quantity.value / Decimal::ONE_THOUSAND),
        (Some(ClaimUnit::Tkr), QuantityUnit::Tkr) => Some(quantity.value),
        (Some(ClaimUnit::Kr), QuantityUnit::Tkr) => Some(quantity.value * Decimal::ONE_THOUSAND),
        (Some(ClaimUnit::Percent), QuantityUnit::Percent) => Some(quantity.value),
        (_, QuantityUnit::Plain) | (None, _) => Some(quantity.value),
        (Some(_), _) => None,
    }
}

/// Whether a computed value supports a printed number, given the hedge word and the number of
/// decimals printed: the one rule that `check` tests and the renderer marks by.
pub fn supports(stated: Decimal, decimals: u32, hedge: Hedge, computed: Decimal) -> bool {
    let unit = Decimal::new(1, decimals);
    match hedge {
        Hedge::Exact => round_half_away(computed, decimals) == stated,
        Hedge::About => (computed - stated).abs() < unit,
        Hedge::JustOver => computed >= stated && computed < stated + unit,
        Hedge::JustUnder => computed <= stated && computed > stated - unit,
    }
}

fn read_unit(rest: &str) -> Option<ClaimUnit> {
    let word = rest.split_whitespace().next()?;
    let word = word.trim_end_matches(['.', ',', ')']);
    match word {
        "mnkr" | "miljoner" => Some(ClaimUnit::Mnkr),
        "tkr" => Some(ClaimUnit::Tkr),
        "kr" | "kronor" => Some(ClaimUnit::Kr),
        "procent" | "%" => Some(ClaimUnit::Percent),
        _ if word.starts_with('%') => Some(ClaimUnit::Percent),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_number_unit_hedge_and_formula() {
        let (claims, problems) = parse_claims(
            "n.md",
            "Kostnad om [ca 268 mnkr]{= 0 - exp.cost} och [1 000 tkr]{?}.",
        );
        assert_eq!(problems, vec![]);
        assert_eq!(claims.len(), 2);
        assert_eq!(claims[0].stated.unwrap().value, Decimal::from(268));
        assert_eq!(claims[0].unit, Some(ClaimUnit::Mnkr));
        assert_eq!(claims[0].hedge, Hedge::About);
        assert_eq!(claims[1].stated.unwrap().value, Decimal::from(1000));
        assert_eq!(claims[1].check, ClaimCheck::Unverifiable);
    }

    #[test]
    fn reads_percent_and_decimals() {
        let (claims, _) = parse_claims(
            "n.md",
            "en [ökning med 2,0 procent]{= pct_change(op.a.b@2020, op.a.b@2021)}",
        );
        let stated = claims[0].stated.unwrap();
        assert_eq!((stated.value, stated.decimals), (Decimal::new(20, 1), 1));
        assert_eq!(claims[0].unit, Some(ClaimUnit::Percent));
    }

    #[test]
    fn a_count_in_words_is_a_number() {
        let (claims, problems) = parse_claims(
            "n.md",
            "[fyra]{= count.goals} av dem och [Ett uppdrag]{?} men [tolvan]{?} och [entre]{?}",
        );
        assert_eq!(problems, vec![]);
        let stated: Vec<Option<Decimal>> =
            claims.iter().map(|c| c.stated.map(|s| s.value)).collect();
        assert_eq!(
            stated,
            vec![Some(Decimal::from(4)), Some(Decimal::ONE), None, None]
        );
    }

    #[test]
    fn comparison_without_number() {
        let (claims, problems) =
            parse_claims("n.md", "är [oförändrad]{= op.g.m@2021 == op.g.m@2020} 2021");
        assert_eq!(problems, vec![]);
        assert_eq!(claims[0].stated, None);
    }

    #[test]
    fn problems_name_line_and_column() {
        let text = "rad ett\nen [siffra]{= op.a@2021}\n[12 st]{= op.@2021}\n[1]{x}";
        let (claims, problems) = parse_claims("n.md", text);
        assert_eq!(claims.len(), 0);
        let places: Vec<(u32, usize)> = problems.iter().map(|p| (p.at.line, p.column)).collect();
        assert_eq!(places, vec![(2, 4), (3, 1), (4, 1)]);
    }

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn exact_rounds_to_printed_decimals() {
        assert!(supports(dec("60.2"), 1, Hedge::Exact, dec("60.166")));
        assert!(!supports(dec("2.0"), 1, Hedge::Exact, dec("1.85")));
        assert!(supports(dec("1.9"), 1, Hedge::Exact, dec("1.85")));
    }

    #[test]
    fn about_allows_less_than_one_unit_of_last_digit() {
        assert!(supports(dec("14"), 0, Hedge::About, dec("13.825")));
        assert!(!supports(dec("268"), 0, Hedge::About, dec("253.9")));
        assert!(!supports(dec("2"), 0, Hedge::About, dec("1.0")));
        assert!(supports(dec("2.2"), 1, Hedge::About, dec("2.21")));
    }

    #[test]
    fn just_over_and_under() {
        assert!(supports(dec("14"), 0, Hedge::JustOver, dec("14.3")));
        assert!(!supports(dec("14"), 0, Hedge::JustOver, dec("13.9")));
        assert!(supports(dec("800"), 0, Hedge::JustUnder, dec("799.5")));
        assert!(!supports(dec("800"), 0, Hedge::JustUnder, dec("800.5")));
    }

    #[test]
    fn markdown_links_are_not_claims() {
        let (claims, problems) = parse_claims("n.md", "se [sidan](https://x.se) {not}");
        assert_eq!((claims.len(), problems.len()), (0, 0));
    }

    #[test]
    fn reads_a_base_quoted_or_as_an_id() {
        let text = "[28,4 mnkr]{= op.s@2021 - op.s@2020; bas = \"justerad budget 2020\"} och \
                    [1 tkr]{= op.s@2021 ;bas=ks_2021_proposal} och [2 tkr]{= op.s@2021}";
        let (claims, problems) = parse_claims("n.md", text);
        assert_eq!(problems, vec![]);
        let bases: Vec<Option<&str>> = claims.iter().map(|c| c.base.as_deref()).collect();
        assert_eq!(
            bases,
            vec![Some("justerad budget 2020"), Some("ks_2021_proposal"), None]
        );
    }

    #[test]
    fn a_bad_base_is_a_problem() {
        for attribute in [
            "= op.s@2021; bas = justerad budget",
            "= op.s@2021; bas = \"\"",
            "= op.s@2021; base = \"x\"",
            "= op.s@2021; bas = \"x",
            "?; bas = \"x\"",
        ] {
            let (claims, problems) = parse_claims("n.md", &format!("[1 tkr]{{{attribute}}}"));
            assert_eq!((claims.len(), problems.len()), (0, 1), "{attribute}");
        }
    }

    fn version() -> BudgetVersion {
        BudgetVersion {
            id: crate::Id::parse("ks_2021_proposal").unwrap(),
            kind: crate::budget::VersionKind::Proposal,
            name: "Kommunstyrelsens förslag 2021".to_owned(),
            decision: None,
            based_on: None,
            at: Location::new("budget.toml", 3),
        }
    }

    #[test]
    fn a_base_is_held_when_it_names_the_plans_version() {
        let text = "[1 tkr]{= 1; bas = ks_2021_proposal} [1 tkr]{= 1; bas = \"KOMMUNSTYRELSENS förslag 2021 \"} \
                    [1 tkr]{= 1; bas = \"justerad budget 2020\"} [1 tkr]{= 1}";
        let (claims, _) = parse_claims("n.md", text);
        let missing: Vec<Option<&str>> =
            claims.iter().map(|c| c.missing_base(&version())).collect();
        assert_eq!(
            missing,
            vec![None, None, Some("justerad budget 2020"), None]
        );
    }

    #[test]
    fn names_the_columns_used_instead_of_the_base() {
        let formula = |text: &str| parse_formula(text).unwrap();
        let change = formula("op.s@2021 - op.s@2020");
        assert_eq!(
            columns_instead_of("justerad budget 2020", &change),
            "kolumnen Budget 2020"
        );
        assert_eq!(
            columns_instead_of("tilläggsbudgeten", &change),
            "kolumnerna Budget 2020 och Budget 2021"
        );
        assert_eq!(columns_instead_of("x", &formula("exp.net")), "data");
        let Formula::Value(expr) = change else {
            panic!()
        };
        assert_eq!(figure_word(&expr), "förändringen");
        assert_eq!(
            missing_base_note(
                "justerad budget 2020",
                &formula("op.s@2021 - op.s@2020"),
                "blir förändringen 18,4 mnkr"
            ),
            "kan inte verifieras: justerad budget 2020 finns inte i data; mot kolumnen Budget 2020 blir förändringen 18,4 mnkr"
        );
    }
}
