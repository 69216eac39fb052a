//! Decoding file bytes as UTF-8 with the line of the first bad byte, and byte offsets to lines.

use crate::Diagnostic;

/// The text of a file, or a diagnostic naming the line of the first byte that is not UTF-8.
pub fn decode_utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::new(
            file,
            u32::try_from(line).unwrap_or(u32::MAX),
            "",
            format!(
                "filen är inte UTF-8 (ogiltig byte 0x{:02X}); spara den som UTF-8",
                bytes[error.valid_up_to()]
            ),
        )
    })
}

/// Maps byte offsets in a text to 1-based line numbers.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn line(&self, offset: usize) -> u32 {
        let line = match self.starts.binary_search(&offset) {
            Ok(index) => index + 1,
            Err(index) => index,
        };
        u32::try_from(line).unwrap_or(u32::MAX)
    }
}
