//! The statutory reports of the whole municipality (issue 22): the förvaltningsberättelse's
//! headings by RKR's recommendation R15 (and LKBR 11 kap.), which of them R17 asks of a
//! delårsrapport, and where a heading's authored text lives in KF's plan package:
//! `forvaltningsberattelse/<YYYY-MM>/<slug>.md`, one Markdown text per heading and period,
//! read as a [`Narrative`](crate::document::Narrative) of the plan (so it is stored, edited in
//! the browser and its claims checked like every other text).

use crate::Month;

/// The folder of the förvaltningsberättelse's texts in KF's package.
pub const STATUTORY_DIR: &str = "forvaltningsberattelse/";

/// A heading of the förvaltningsberättelse, in R15's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum R15Heading {
    /// Översikt över verksamhetens utveckling (flerårsöversikt; R15 leaves it optional).
    Overview,
    /// Den kommunala koncernen: only where the municipality has companies.
    Koncern,
    /// Viktiga förhållanden för resultat och ekonomisk ställning.
    ImportantConditions,
    /// Händelser av väsentlig betydelse.
    SignificantEvents,
    /// Styrning och uppföljning av den kommunala verksamheten.
    Governance,
    /// God ekonomisk hushållning och ekonomisk ställning.
    SoundFinances,
    /// Balanskravsresultat.
    BalanceRequirement,
    /// Väsentliga personalförhållanden.
    Personnel,
    /// Förväntad utveckling.
    ExpectedDevelopment,
    /// Privata utförare (uppföljning av verksamhet som privata utförare bedriver, KL 10 kap.).
    PrivateProviders,
}

impl R15Heading {
    /// Every heading, in printed order.
    pub const ALL: [R15Heading; 10] = [
        R15Heading::Overview,
        R15Heading::Koncern,
        R15Heading::ImportantConditions,
        R15Heading::SignificantEvents,
        R15Heading::Governance,
        R15Heading::SoundFinances,
        R15Heading::BalanceRequirement,
        R15Heading::Personnel,
        R15Heading::ExpectedDevelopment,
        R15Heading::PrivateProviders,
    ];

    /// The file name (without `.md`) and the document's anchor: lower-case ASCII and `-`.
    pub fn slug(self) -> &'static str {
        match self {
            R15Heading::Overview => "oversikt",
            R15Heading::Koncern => "kommunala-koncernen",
            R15Heading::ImportantConditions => "viktiga-forhallanden",
            R15Heading::SignificantEvents => "vasentliga-handelser",
            R15Heading::Governance => "styrning-och-uppfoljning",
            R15Heading::SoundFinances => "god-ekonomisk-hushallning",
            R15Heading::BalanceRequirement => "balanskravsresultat",
            R15Heading::Personnel => "personalforhallanden",
            R15Heading::ExpectedDevelopment => "forvantad-utveckling",
            R15Heading::PrivateProviders => "privata-utforare",
        }
    }

    /// The heading as printed.
    pub fn title_sv(self) -> &'static str {
        match self {
            R15Heading::Overview => "Översikt över verksamhetens utveckling",
            R15Heading::Koncern => "Den kommunala koncernen",
            R15Heading::ImportantConditions => {
                "Viktiga förhållanden för resultat och ekonomisk ställning"
            }
            R15Heading::SignificantEvents => "Händelser av väsentlig betydelse",
            R15Heading::Governance => "Styrning och uppföljning av den kommunala verksamheten",
            R15Heading::SoundFinances => "God ekonomisk hushållning och ekonomisk ställning",
            R15Heading::BalanceRequirement => "Balanskravsresultat",
            R15Heading::Personnel => "Väsentliga personalförhållanden",
            R15Heading::ExpectedDevelopment => "Förväntad utveckling",
            R15Heading::PrivateProviders => "Privata utförare",
        }
    }

    pub fn by_slug(slug: &str) -> Option<R15Heading> {
        R15Heading::ALL.into_iter().find(|h| h.slug() == slug)
    }

    /// Whether the annual report must have the heading (a text, or "Ej skriven"): every
    /// heading but the optional overview and, without companies, the koncern.
    pub fn required_in_annual(self, has_companies: bool) -> bool {
        match self {
            R15Heading::Overview => false,
            R15Heading::Koncern => has_companies,
            _ => true,
        }
    }

    /// Whether R17 asks the delårsrapport for the heading (its förenklade
    /// förvaltningsberättelse: väsentliga händelser, förväntad utveckling, and god ekonomisk
    /// hushållning and the balanskrav as a forecast for the year).
    pub fn required_in_interim(self) -> bool {
        matches!(
            self,
            R15Heading::SignificantEvents
                | R15Heading::SoundFinances
                | R15Heading::BalanceRequirement
                | R15Heading::ExpectedDevelopment
        )
    }
}

/// The package path of a heading's text for a period.
pub fn text_path(period: Month, heading: R15Heading) -> String {
    format!("{STATUTORY_DIR}{period}/{}.md", heading.slug())
}

/// Reads a package path under [`STATUTORY_DIR`]: `None` when the path is not there, else the
/// period and heading it names, or why it names none (Swedish, for the reader's diagnostic).
pub fn parse_text_path(path: &str) -> Option<Result<(Month, R15Heading), String>> {
    let rest = path.strip_prefix(STATUTORY_DIR)?;
    Some((|| {
        let (period, file) = rest.split_once('/').ok_or_else(|| {
            format!(
                "en text i förvaltningsberättelsen ligger i en mapp per period: {STATUTORY_DIR}ÅÅÅÅ-MM/rubrik.md"
            )
        })?;
        let month = Month::parse(period).ok_or_else(|| {
            format!("mappen {period:?} är ingen period (väntade ÅÅÅÅ-MM, t.ex. 2021-12)")
        })?;
        let slug = file
            .strip_suffix(".md")
            .ok_or_else(|| format!("{file:?} är ingen Markdown-fil (väntade rubrik.md)"))?;
        let heading = R15Heading::by_slug(slug).ok_or_else(|| {
            let known: Vec<&str> = R15Heading::ALL.iter().map(|h| h.slug()).collect();
            format!(
                "{slug:?} är ingen rubrik i förvaltningsberättelsen (RKR R15); kända: {}",
                known.join(", ")
            )
        })?;
        Ok((month, heading))
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_and_bad_paths_say_why() {
        let month = Month::parse("2021-08").unwrap();
        for heading in R15Heading::ALL {
            let path = text_path(month, heading);
            assert_eq!(parse_text_path(&path), Some(Ok((month, heading))));
            assert!(
                heading
                    .slug()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
        }
        assert_eq!(parse_text_path("narrative/x.md"), None);
        let error = parse_text_path("forvaltningsberattelse/2021-08/okand.md")
            .unwrap()
            .unwrap_err();
        assert!(error.contains("okand") && error.contains("R15"), "{error}");
        assert!(
            parse_text_path("forvaltningsberattelse/2021-13/oversikt.md")
                .unwrap()
                .is_err()
        );
        assert!(
            parse_text_path("forvaltningsberattelse/oversikt.md")
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn r17_asks_four_headings_and_r15_leaves_the_overview_optional() {
        let interim: Vec<_> = R15Heading::ALL
            .into_iter()
            .filter(|h| h.required_in_interim())
            .collect();
        assert_eq!(interim.len(), 4);
        assert!(!R15Heading::Overview.required_in_annual(true));
        assert!(!R15Heading::Koncern.required_in_annual(false));
        assert!(R15Heading::Koncern.required_in_annual(true));
    }
}
