//! The document: its outline of sections and their narrative text.

use crate::claim::Claim;
use crate::{Id, Location};

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
    pub show: Vec<String>,
    pub at: Location,
}

/// A narrative file: Markdown text, kept verbatim, and the claims marked up in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrative {
    pub file: String,
    pub text: String,
    pub claims: Vec<Claim>,
}
