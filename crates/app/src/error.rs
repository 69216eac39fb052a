//! The use cases' errors, with Swedish messages for the people who read them.
//!
//! A front end maps them to an exit code or an HTTP status in one place each; nothing here
//! knows either.

use std::fmt;
use styr_store::StoreError;

/// A problem with input, located as precisely as the input allows: file, line and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or form) the input came from; `None` for a single command.
    pub file: Option<String>,
    pub line: Option<u32>,
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            file: None,
            line: None,
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn at(
        file: &str,
        line: u32,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            file: Some(file.to_owned()),
            line: Some(line),
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => {
                write!(f, "{file}:{line}: {}: {}", self.field, self.message)
            }
            (Some(file), None) => write!(f, "{file}: {}: {}", self.field, self.message),
            _ => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// Why a use case did nothing.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The actor's role or units do not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// The input breaks rules; every problem is listed, and nothing was changed.
    #[error("{} fel; inget ändrades:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    /// The input breaks no rule but looks wrong (a forecast below what is booked, far from its
    /// budget): nothing was written; the person may confirm it and save again.
    #[error("{} varning; inget sparades förrän det bekräftas:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Unconfirmed(Vec<Problem>),
    /// Something named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the state of the data (e.g. rollover with open periods).
    #[error("{0}")]
    Conflict(String),
    /// A section's save from a text that is no longer the section's: someone saved or imported
    /// it first. Nothing was written; both texts are here.
    #[error("avsnittet {} har ändrats av någon annan sedan du började: inget skrevs över", .0.path)]
    SectionConflict(Box<crate::authoring::SectionConflict>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("kan inte skapa dokumentet: {0}")]
    Render(#[from] styr_docgen::DocgenError),
    /// The Kolada API could not be reached or gave no usable answer.
    #[error(transparent)]
    Kolada(#[from] styr_kolada::FetchError),
    #[error("kan inte läsa {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl AppError {
    /// One problem without a file.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![Problem::new(field, message)])
    }
}
