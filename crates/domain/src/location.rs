//! Where a value came from: a file in a plan package and a 1-based line.
//!
//! Every element that a finding can be about carries its location, so that a finding can say
//! "budget/operating/sammanstallning.csv:6" instead of "somewhere in the budget".

use std::fmt;

/// A place in a plan package: the file's path relative to the package root, and a line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    pub file: String,
    /// 1-based line number; 0 when the value has no line (e.g. derived).
    pub line: u32,
}

impl Location {
    pub fn new(file: impl Into<String>, line: u32) -> Self {
        Location {
            file: file.into(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}
