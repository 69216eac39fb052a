//! The document: its outline of sections and their narrative text.

use crate::claim::Claim;
use crate::{Id, Location};
use std::fmt;
use std::str::FromStr;

/// A section of the document, in printed order.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: Id,
    pub title: String,
    /// 1 = chapter, 2 = section, 3 = subsection.
    pub level: u8,
    /// The narrative file, relative to the package root.
    pub file: Option<String>,
    /// Data blocks shown after the text (`op.fortroende`, `inv`, `goal.mal1` …).
    pub show: Vec<ShowBlock>,
    pub at: Location,
}

/// A narrative file: Markdown text, kept verbatim, and the claims marked up in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrative {
    pub file: String,
    pub text: String,
    pub claims: Vec<Claim>,
}

/// A data block a section shows after (or, placed by `{{NAME}}`, inside) its text: written
/// `op.<table>`, `inv`, `goal.<id>` … in `document.toml`'s `show`, read once by the package
/// reader (an unknown name is refused there, with its file, line and field) and stored as that
/// text. Whether the named table, goal or section exists is the document's question.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ShowBlock {
    /// `op.<table>`: an operating-budget table.
    Operating(Id),
    /// `inv`: the investment budget.
    Investment,
    /// `exp`: the exploitation budget.
    Exploitation,
    /// `fin`: the finance budget.
    Finance,
    /// `fin_summary`: the finance budget's summary table.
    FinanceSummary,
    /// `frame_change`: the change of the frame.
    FrameChange,
    /// `frame_calculation`: the ramberäkning, its table and chart.
    FrameCalculation,
    /// `goal.<id>`: a goal with its indicators and priorities.
    Goal(Id),
    /// `priorities.<id>`: a goal's priorities alone.
    Priorities(Id),
    /// `assignments.<section>`: the assignments a section mentions.
    Assignments(Id),
    /// `audits`: the auditors' reports.
    Audits,
    /// `risks`: the risk matrix and register.
    Risks,
    /// `controls`: the internal control plan.
    Controls,
    /// `org`: the organisation chart.
    Org,
}

/// The names a `show` list may hold, as the refusal lists them (`<…>` stands for an id).
pub const SHOW_BLOCK_NAMES: &[&str] = &[
    "op.<tabell>",
    "inv",
    "exp",
    "fin",
    "fin_summary",
    "frame_change",
    "frame_calculation",
    "goal.<mål>",
    "priorities.<mål>",
    "assignments.<avsnitt>",
    "audits",
    "risks",
    "controls",
    "org",
];

/// A name in `show` that is no block. Its message is the only one the reader gives.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("blocket {text:?} är okänt (kända block: {})", SHOW_BLOCK_NAMES.join(", "))]
pub struct ShowBlockError {
    pub text: String,
}

impl FromStr for ShowBlock {
    type Err = ShowBlockError;

    fn from_str(text: &str) -> Result<ShowBlock, ShowBlockError> {
        let error = || ShowBlockError {
            text: text.to_owned(),
        };
        let with_id =
            |make: fn(Id) -> ShowBlock, id: &str| Id::parse(id).map(make).map_err(|_| error());
        match text.split_once('.') {
            Some(("op", id)) => with_id(ShowBlock::Operating, id),
            Some(("goal", id)) => with_id(ShowBlock::Goal, id),
            Some(("priorities", id)) => with_id(ShowBlock::Priorities, id),
            Some(("assignments", id)) => with_id(ShowBlock::Assignments, id),
            Some(_) => Err(error()),
            None => match text {
                "inv" => Ok(ShowBlock::Investment),
                "exp" => Ok(ShowBlock::Exploitation),
                "fin" => Ok(ShowBlock::Finance),
                "fin_summary" => Ok(ShowBlock::FinanceSummary),
                "frame_change" => Ok(ShowBlock::FrameChange),
                "frame_calculation" => Ok(ShowBlock::FrameCalculation),
                "audits" => Ok(ShowBlock::Audits),
                "risks" => Ok(ShowBlock::Risks),
                "controls" => Ok(ShowBlock::Controls),
                "org" => Ok(ShowBlock::Org),
                _ => Err(error()),
            },
        }
    }
}

impl fmt::Display for ShowBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShowBlock::Operating(id) => write!(f, "op.{id}"),
            ShowBlock::Investment => f.write_str("inv"),
            ShowBlock::Exploitation => f.write_str("exp"),
            ShowBlock::Finance => f.write_str("fin"),
            ShowBlock::FinanceSummary => f.write_str("fin_summary"),
            ShowBlock::FrameChange => f.write_str("frame_change"),
            ShowBlock::FrameCalculation => f.write_str("frame_calculation"),
            ShowBlock::Goal(id) => write!(f, "goal.{id}"),
            ShowBlock::Priorities(id) => write!(f, "priorities.{id}"),
            ShowBlock::Assignments(id) => write!(f, "assignments.{id}"),
            ShowBlock::Audits => f.write_str("audits"),
            ShowBlock::Risks => f.write_str("risks"),
            ShowBlock::Controls => f.write_str("controls"),
            ShowBlock::Org => f.write_str("org"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_blocks_read_and_print_as_written() {
        let id = |text: &str| Id::parse(text).unwrap();
        for (text, block) in [
            ("op.fortroende", ShowBlock::Operating(id("fortroende"))),
            ("inv", ShowBlock::Investment),
            ("exp", ShowBlock::Exploitation),
            ("fin", ShowBlock::Finance),
            ("fin_summary", ShowBlock::FinanceSummary),
            ("frame_change", ShowBlock::FrameChange),
            ("frame_calculation", ShowBlock::FrameCalculation),
            ("goal.mal1", ShowBlock::Goal(id("mal1"))),
            ("priorities.mal2", ShowBlock::Priorities(id("mal2"))),
            (
                "assignments.planera_leda",
                ShowBlock::Assignments(id("planera_leda")),
            ),
            ("audits", ShowBlock::Audits),
            ("risks", ShowBlock::Risks),
            ("controls", ShowBlock::Controls),
            ("org", ShowBlock::Org),
        ] {
            assert_eq!(text.parse::<ShowBlock>(), Ok(block.clone()), "{text}");
            assert_eq!(block.to_string(), text);
        }
    }

    #[test]
    fn refused_blocks_list_the_known_ones() {
        for text in [
            "",
            "op",
            "op.",
            "op.KSF",
            "op.a.b",
            "inv.x",
            "Inv",
            "goal",
            "goal.",
            "mal1",
            "tabell",
            "risk",
            " inv",
            "inv ",
            "assignments",
            "org.ks",
            "controls.2021",
        ] {
            let error = text.parse::<ShowBlock>().unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "blocket {text:?} är okänt (kända block: op.<tabell>, inv, exp, fin, \
                     fin_summary, frame_change, frame_calculation, goal.<mål>, priorities.<mål>, \
                     assignments.<avsnitt>, audits, risks, controls, org)"
                ),
                "{text}"
            );
        }
    }
}
