//! The budget process: the states of a body's proposal, the one rule of who moves it from which
//! state to which, and the milestones of the budget calendar.
//!
//! A body's proposal moves utkast → inlämnad → (återremitterad → inlämnad …) → KS-förslag →
//! beslutad. Who may make a move is said here by the capacity the mover acts in
//! ([`Capacity`]); which capacities a person has (their role, their body) is the use cases'.

use crate::budget::VersionKind;
use std::fmt;

/// Where a body's budget proposal is in the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProposalState {
    /// Being written by the body.
    Utkast,
    /// Submitted to the board's administration: read-only for the writer.
    Inlamnad,
    /// Returned (återremitterad) with a comment: the writer edits it again.
    Aterremitterad,
    /// KS's proposal to KF.
    KsForslag,
    /// Decided by KF: the version is decided and never changed in place.
    Beslutad,
}

impl ProposalState {
    pub const ALL: [ProposalState; 5] = [
        ProposalState::Utkast,
        ProposalState::Inlamnad,
        ProposalState::Aterremitterad,
        ProposalState::KsForslag,
        ProposalState::Beslutad,
    ];

    /// The code stored and used by the API.
    pub fn code(self) -> &'static str {
        match self {
            ProposalState::Utkast => "utkast",
            ProposalState::Inlamnad => "inlamnad",
            ProposalState::Aterremitterad => "aterremitterad",
            ProposalState::KsForslag => "ks_forslag",
            ProposalState::Beslutad => "beslutad",
        }
    }

    pub fn parse(code: &str) -> Option<ProposalState> {
        ProposalState::ALL
            .into_iter()
            .find(|state| state.code() == code || state.label_sv() == code)
    }

    /// The Swedish word.
    pub fn label_sv(self) -> &'static str {
        match self {
            ProposalState::Utkast => "utkast",
            ProposalState::Inlamnad => "inlämnad",
            ProposalState::Aterremitterad => "återremitterad",
            ProposalState::KsForslag => "KS-förslag",
            ProposalState::Beslutad => "beslutad",
        }
    }

    /// The state of a plan whose process has recorded nothing: a decided version is beslutad,
    /// any other (a proposal, an adjusted version not yet decided) an utkast.
    pub fn initial(kind: VersionKind) -> ProposalState {
        match kind {
            VersionKind::Decided => ProposalState::Beslutad,
            VersionKind::Proposal | VersionKind::Adjusted => ProposalState::Utkast,
        }
    }

    /// Whether the body's writer may edit the proposal: while it is a draft.
    pub fn writer_may_edit(self) -> bool {
        matches!(self, ProposalState::Utkast | ProposalState::Aterremitterad)
    }

    /// Whether the body has handed in its proposal (for the calendar's inlämning).
    pub fn submitted(self) -> bool {
        !matches!(self, ProposalState::Utkast | ProposalState::Aterremitterad)
    }

    /// The move from this state to `to`, if the process has one.
    pub fn transition(self, to: ProposalState) -> Option<Transition> {
        use ProposalState::*;
        match (self, to) {
            (Utkast | Aterremitterad, Inlamnad) => Some(Transition::Submit),
            (Inlamnad, Aterremitterad) => Some(Transition::Return),
            (Inlamnad, KsForslag) => Some(Transition::ProposeKs),
            (KsForslag, Beslutad) => Some(Transition::Decide),
            _ => None,
        }
    }

    /// The moves the process has from this state.
    pub fn transitions(self) -> Vec<Transition> {
        ProposalState::ALL
            .into_iter()
            .filter_map(|to| self.transition(to))
            .collect()
    }
}

impl fmt::Display for ProposalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_sv())
    }
}

/// In what capacity someone acts on a body's proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capacity {
    /// Writes the body's proposal (the body's writer; the administration may write any).
    Writer,
    /// The budget strategist at the board's administration.
    Strategist,
    /// The KS/KF secretary, who records the decisions.
    Secretary,
}

/// A move of a proposal from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Transition {
    /// utkast | återremitterad → inlämnad.
    Submit,
    /// inlämnad → återremitterad, with a comment saying why.
    Return,
    /// inlämnad → KS-förslag ("KS föreslår").
    ProposeKs,
    /// KS-förslag → beslutad, by a decision of the plan.
    Decide,
}

impl Transition {
    pub const ALL: [Transition; 4] = [
        Transition::Submit,
        Transition::Return,
        Transition::ProposeKs,
        Transition::Decide,
    ];

    /// The code used by forms, the API and the CLI.
    pub fn code(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::Return => "return",
            Transition::ProposeKs => "propose",
            Transition::Decide => "decide",
        }
    }

    pub fn parse(code: &str) -> Option<Transition> {
        Transition::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The state the move leads to.
    pub fn to(self) -> ProposalState {
        match self {
            Transition::Submit => ProposalState::Inlamnad,
            Transition::Return => ProposalState::Aterremitterad,
            Transition::ProposeKs => ProposalState::KsForslag,
            Transition::Decide => ProposalState::Beslutad,
        }
    }

    /// The Swedish name of the move, as a button says it.
    pub fn label_sv(self) -> &'static str {
        match self {
            Transition::Submit => "Lämna in",
            Transition::Return => "Återremittera",
            Transition::ProposeKs => "KS föreslår",
            Transition::Decide => "KF beslutar",
        }
    }

    /// Who may make the move: the one rule of the process.
    pub fn by(self) -> &'static [Capacity] {
        match self {
            Transition::Submit => &[Capacity::Writer, Capacity::Strategist],
            Transition::Return => &[Capacity::Strategist],
            Transition::ProposeKs => &[Capacity::Strategist, Capacity::Secretary],
            Transition::Decide => &[Capacity::Secretary],
        }
    }

    /// Whether someone acting in these capacities may make the move.
    pub fn allowed_for(self, capacities: &[Capacity]) -> bool {
        self.by().iter().any(|c| capacities.contains(c))
    }

    /// A return says why: its comment is required.
    pub fn needs_comment(self) -> bool {
        self == Transition::Return
    }

    /// KF's decision names a decision of the plan.
    pub fn needs_decision(self) -> bool {
        self == Transition::Decide
    }
}

/// A date of the budget calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Milestone {
    /// KF's planeringsdirektiv (the preliminary frames).
    Planeringsdirektiv,
    /// The last day for the bodies to hand in their proposals.
    Inlamning,
    /// Budgetberedning with hearings.
    Beredning,
    /// KS's proposal.
    Ks,
    /// KF's decision.
    Kf,
}

impl Milestone {
    pub const ALL: [Milestone; 5] = [
        Milestone::Planeringsdirektiv,
        Milestone::Inlamning,
        Milestone::Beredning,
        Milestone::Ks,
        Milestone::Kf,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Milestone::Planeringsdirektiv => "planeringsdirektiv",
            Milestone::Inlamning => "inlamning",
            Milestone::Beredning => "beredning",
            Milestone::Ks => "ks",
            Milestone::Kf => "kf",
        }
    }

    /// Reads a code or the Swedish word, in any case.
    pub fn parse(text: &str) -> Option<Milestone> {
        let text = text.trim().to_lowercase();
        Milestone::ALL
            .into_iter()
            .find(|m| m.code() == text || m.label_sv().to_lowercase() == text)
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Milestone::Planeringsdirektiv => "Planeringsdirektiv",
            Milestone::Inlamning => "Inlämning",
            Milestone::Beredning => "Budgetberedning",
            Milestone::Ks => "KS",
            Milestone::Kf => "KF",
        }
    }
}

/// Whether `text` is a date `YYYY-MM-DD` that exists.
pub fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    text[..4].bytes().all(|b| b.is_ascii_digit()) && (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Capacity::*;
    use ProposalState::*;

    /// Every pair of states: exactly the process's four moves exist, each by its capacities.
    #[test]
    fn every_pair_of_states() {
        let expected: &[(ProposalState, ProposalState, Transition, &[Capacity])] = &[
            (Utkast, Inlamnad, Transition::Submit, &[Writer, Strategist]),
            (
                Aterremitterad,
                Inlamnad,
                Transition::Submit,
                &[Writer, Strategist],
            ),
            (Inlamnad, Aterremitterad, Transition::Return, &[Strategist]),
            (
                Inlamnad,
                KsForslag,
                Transition::ProposeKs,
                &[Strategist, Secretary],
            ),
            (KsForslag, Beslutad, Transition::Decide, &[Secretary]),
        ];
        let mut moves = 0;
        for from in ProposalState::ALL {
            for to in ProposalState::ALL {
                let found = expected.iter().find(|(f, t, _, _)| *f == from && *t == to);
                match (from.transition(to), found) {
                    (Some(transition), Some((_, _, want, by))) => {
                        moves += 1;
                        assert_eq!(transition, *want, "{from} → {to}");
                        assert_eq!(transition.to(), to);
                        for capacity in [Writer, Strategist, Secretary] {
                            assert_eq!(
                                transition.allowed_for(&[capacity]),
                                by.contains(&capacity),
                                "{from} → {to} by {capacity:?}"
                            );
                        }
                        assert!(!transition.allowed_for(&[]));
                    }
                    (None, None) => {}
                    (got, want) => panic!("{from} → {to}: {got:?}, expected {want:?}"),
                }
            }
        }
        assert_eq!(moves, 5);
    }

    #[test]
    fn the_writer_edits_drafts_only() {
        let editable: Vec<_> = ProposalState::ALL
            .into_iter()
            .filter(|s| s.writer_may_edit())
            .collect();
        assert_eq!(editable, [Utkast, Aterremitterad]);
        assert!(
            ProposalState::ALL
                .iter()
                .all(|s| s.submitted() != s.writer_may_edit())
        );
    }

    #[test]
    fn a_plan_without_history_starts_from_its_kind() {
        assert_eq!(ProposalState::initial(VersionKind::Proposal), Utkast);
        assert_eq!(ProposalState::initial(VersionKind::Adjusted), Utkast);
        assert_eq!(ProposalState::initial(VersionKind::Decided), Beslutad);
    }

    #[test]
    fn only_a_return_needs_a_comment_and_only_a_decision_a_decision() {
        for t in Transition::ALL {
            assert_eq!(t.needs_comment(), t == Transition::Return);
            assert_eq!(t.needs_decision(), t == Transition::Decide);
            assert_eq!(Transition::parse(t.code()), Some(t));
        }
    }

    #[test]
    fn codes_and_labels_read_back() {
        for s in ProposalState::ALL {
            assert_eq!(ProposalState::parse(s.code()), Some(s));
            assert_eq!(ProposalState::parse(s.label_sv()), Some(s));
        }
        for m in Milestone::ALL {
            assert_eq!(Milestone::parse(m.code()), Some(m));
            assert_eq!(Milestone::parse(m.label_sv()), Some(m));
        }
        assert_eq!(Milestone::parse("inlämning"), Some(Milestone::Inlamning));
        assert_eq!(Milestone::parse("budget"), None);
    }

    #[test]
    fn dates() {
        assert!(is_date("2020-09-30"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2021-02-29"));
        assert!(!is_date("2020-9-30"));
        assert!(!is_date("2020-13-01"));
        assert!(!is_date("2020-00-10"));
        assert!(!is_date("abcd-01-01"));
    }
}
