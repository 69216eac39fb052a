//! Governance: the municipality, its political bodies, administrations and decisions.

use crate::{Id, Location};
use rust_decimal::Decimal;

/// Declares a closed set of values with the code that files and the database use for each.
#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The accepted codes, for error messages.
            pub fn codes() -> String {
                [$($code),+].join(", ")
            }
        }
    };
}

/// The municipality (kommun) whose plan this is.
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    pub id: Id,
    pub name: String,
    /// SCB's four-digit municipality code ("0136" for Haninge).
    pub code: String,
}

code_enum!(
    /// What kind of political body an organ is.
    BodyKind {
        /// Kommunfullmäktige.
        Council => "council",
        /// Kommunstyrelsen.
        Executive => "executive",
        /// A nämnd.
        Board => "board",
        /// A gemensam nämnd shared with other municipalities.
        JointBoard => "joint_board",
        /// A råd: an advisory body (pensionärsråd, funktionshinderråd).
        AdvisoryCouncil => "council_advisory",
        /// A kommunalförbund or samordningsförbund.
        Federation => "federation",
        /// A member organisation (SKR, Storsthlm).
        Association => "association",
        /// Revisionen.
        Audit => "audit",
        Other => "other",
        /// A municipal company (kommunalt bolag): owned in part or whole, with its own budget.
        Company => "company",
    }
);

impl BodyKind {
    /// The kind in Swedish, lower case ("nämnd", "bolag").
    pub fn label_sv(self) -> &'static str {
        match self {
            BodyKind::Council => "fullmäktige",
            BodyKind::Executive => "styrelse",
            BodyKind::Board => "nämnd",
            BodyKind::JointBoard => "gemensam nämnd",
            BodyKind::AdvisoryCouncil => "råd",
            BodyKind::Federation => "förbund",
            BodyKind::Association => "organisation",
            BodyKind::Audit => "revision",
            BodyKind::Other => "annat organ",
            BodyKind::Company => "bolag",
        }
    }
}

/// A political body (organ): KF, KS, a nämnd, a råd, a förbund.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub id: Id,
    pub name: String,
    pub short: Option<String>,
    pub kind: BodyKind,
    pub parent: Option<Id>,
    pub note: Option<String>,
    /// The municipality's share of a company (ägarandel), in percent, exact: required for a
    /// body of kind `Company`, absent for every other kind.
    pub ownership_percent: Option<Decimal>,
    pub at: Location,
}

impl Body {
    /// The name used in references: the short name where there is one.
    pub fn label(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

/// An administration (förvaltning) or one of its units.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgUnit {
    pub id: Id,
    pub name: String,
    pub short: Option<String>,
    pub body: Id,
    pub parent: Option<Id>,
    pub at: Location,
}

/// A decision of a body, e.g. KF 2020-11-09 § 185.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: Id,
    pub body: Id,
    /// ISO date, when printed.
    pub date: Option<String>,
    pub paragraph: Option<u32>,
    pub case: Option<CaseNumber>,
    pub title: String,
    pub at: Location,
}

impl Decision {
    /// The printed reference: "KF 2020-11-09 § 185"; `body_label` is the body's short name.
    pub fn reference(&self, body_label: &str) -> String {
        let mut text = body_label.to_owned();
        if let Some(date) = &self.date {
            text.push(' ');
            text.push_str(date);
        }
        if let Some(paragraph) = self.paragraph {
            text.push_str(&format!(" § {paragraph}"));
        }
        text
    }
}

/// A case number (diarienummer): "KS 2020/243".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CaseNumber {
    pub registry: String,
    pub year: i32,
    pub number: u32,
}

impl CaseNumber {
    /// Reads "KS 2020/243": a registry of letters, a year and a serial number.
    pub fn parse(text: &str) -> Option<CaseNumber> {
        let (registry, rest) = text.trim().split_once(' ')?;
        let (year, number) = rest.trim().split_once('/')?;
        let registry_ok = !registry.is_empty() && registry.chars().all(char::is_alphabetic);
        let year: i32 = year.parse().ok()?;
        let number: u32 = number.parse().ok()?;
        (registry_ok && (1900..=2200).contains(&year)).then(|| CaseNumber {
            registry: registry.to_owned(),
            year,
            number,
        })
    }
}

impl std::fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}/{}", self.registry, self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_number_round_trips() {
        let case = CaseNumber::parse("KS 2020/243").unwrap();
        assert_eq!((case.year, case.number), (2020, 243));
        assert_eq!(case.to_string(), "KS 2020/243");
        assert_eq!(CaseNumber::parse("KS 2020-243"), None);
        assert_eq!(CaseNumber::parse("KS 20/1"), None);
    }

    #[test]
    fn decision_reference_is_derived() {
        let decision = Decision {
            id: Id::parse("kf_2020_11_09_185").unwrap(),
            body: Id::parse("kf").unwrap(),
            date: Some("2020-11-09".into()),
            paragraph: Some(185),
            case: None,
            title: "Mål och budget 2021–2022".into(),
            at: Location::default(),
        };
        assert_eq!(decision.reference("KF"), "KF 2020-11-09 § 185");
    }
}
