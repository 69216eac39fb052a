//! Identifiers of the elements of a plan: lower-case ASCII, digits and underscore.
//!
//! The restricted alphabet lets ids stand inside figure expressions (`op.ksf.trygghet@2021`)
//! without quoting, and keeps file names and URLs plain.

use std::fmt;

/// A validated id: `[a-z0-9_]+`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(String);

/// Why a string is not an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ogiltigt id {0:?}: endast a–z, 0–9 och _ är tillåtna")]
pub struct InvalidId(pub String);

impl Id {
    pub fn parse(text: &str) -> Result<Id, InvalidId> {
        let valid = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if valid {
            Ok(Id(text.to_owned()))
        } else {
            Err(InvalidId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lower_case_digits_underscore() {
        assert_eq!(Id::parse("ks2020_3").unwrap().as_str(), "ks2020_3");
    }

    #[test]
    fn rejects_dash_space_upper_and_empty() {
        for bad in ["a-b", "a b", "Ab", "", "å"] {
            assert_eq!(Id::parse(bad), Err(InvalidId(bad.to_owned())));
        }
    }
}
