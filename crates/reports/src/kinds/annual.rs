//! The annual report (verksamhetsberättelse) of the annual period (December).

use super::{ALL_SECTIONS, ReportKind};
use styr_domain::Year;
use styr_domain::followup::{FollowUpPeriod, PeriodKind};

pub const KIND: ReportKind = ReportKind {
    slug: "arsredovisning",
    name_sv: "årsredovisning",
    help_sv: "årsredovisningen (verksamhetsberättelsen) för årets sista period",
    period: PeriodKind::Annual,
    title,
    sections: ALL_SECTIONS,
};

/// "Verksamhetsberättelse 2021", with the period's title under it.
fn title(period: &FollowUpPeriod, year: Year) -> (String, Option<String>) {
    (
        format!("Verksamhetsberättelse {year}"),
        Some(period.title.clone()),
    )
}
