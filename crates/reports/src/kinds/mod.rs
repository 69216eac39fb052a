//! The kinds of period report (the delårsrapport, the annual report …), each described once:
//! its name on the command line and in addresses, its Swedish name, which periods of the
//! follow-up calendar it is made for, its title and which sections it has. The CLI's
//! `render --report`, the web's document list and addresses, `App::render_period_report` and
//! the document (`docgen::compose_period_report`) all read this table and match on no kind.
//!
//! A new kind is a module of its own here with one `KIND` constant, named once in
//! [`REPORT_KINDS`].

use styr_domain::Year;
use styr_domain::followup::{FollowUpPeriod, PeriodKind};

mod annual;
mod interim;

/// Every kind of period report, in the order the CLI's help lists them.
pub const REPORT_KINDS: &[ReportKind] = &[interim::KIND, annual::KIND];

/// One kind of period report; two are the same kind when their slugs are.
#[derive(Debug, Clone, Copy)]
pub struct ReportKind {
    /// Its name on the command line (`styr render --report delarsrapport`): lower-case ASCII.
    pub slug: &'static str,
    /// Its Swedish name in running text ("delårsrapport").
    pub name_sv: &'static str,
    /// One line for the CLI's help, Swedish.
    pub help_sv: &'static str,
    /// The periods of the calendar it is made for.
    pub period: PeriodKind,
    /// The document's title and subtitle for a period of the year.
    pub title: fn(&FollowUpPeriod, Year) -> (String, Option<String>),
    /// The document's sections, in printed order.
    pub sections: &'static [ReportSection],
}

impl PartialEq for ReportKind {
    fn eq(&self, other: &ReportKind) -> bool {
        self.slug == other.slug
    }
}

impl Eq for ReportKind {}

/// A section of a period report's document; `docgen` builds each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSection {
    /// "Kräver uppmärksamhet".
    Attention,
    /// Budget vs actual and forecasts.
    Economy,
    /// The assignments' status.
    Assignments,
    /// The goal areas' goals, indicators and assessments.
    Goals,
    /// The internal control up to the period.
    InternalControl,
    /// The appendix of missing reports (only when some are missing).
    Missing,
}

/// Every section, in the order of the delårsrapport and the annual report.
pub const ALL_SECTIONS: &[ReportSection] = &[
    ReportSection::Attention,
    ReportSection::Economy,
    ReportSection::Assignments,
    ReportSection::Goals,
    ReportSection::InternalControl,
    ReportSection::Missing,
];

impl ReportKind {
    /// The kind named `slug` on the command line or in an address.
    pub fn by_slug(slug: &str) -> Option<&'static ReportKind> {
        REPORT_KINDS.iter().find(|kind| kind.slug == slug)
    }

    /// The kind of report made for a period of `period`'s kind; `None`: no report is made
    /// for such periods (the monthly closings).
    pub fn for_period(period: PeriodKind) -> Option<&'static ReportKind> {
        REPORT_KINDS.iter().find(|kind| kind.period == period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_period_kinds_are_unique_and_slugs_are_plain() {
        for (i, kind) in REPORT_KINDS.iter().enumerate() {
            assert!(
                kind.slug.bytes().all(|b| b.is_ascii_lowercase()),
                "{}",
                kind.slug
            );
            for other in &REPORT_KINDS[i + 1..] {
                assert_ne!(kind.slug, other.slug);
                assert_ne!(
                    kind.period, other.period,
                    "{} and {}",
                    kind.slug, other.slug
                );
            }
            assert_eq!(ReportKind::by_slug(kind.slug), Some(kind));
            assert_eq!(ReportKind::for_period(kind.period), Some(kind));
        }
        assert_eq!(ReportKind::for_period(PeriodKind::Monthly), None);
        assert_eq!(ReportKind::by_slug("manadsrapport"), None);
    }
}
