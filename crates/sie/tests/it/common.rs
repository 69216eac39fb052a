//! Shared helpers: a clean header, CP437 encoding of inline snippets, sample paths.

use styr_sie::{Diagnostic, DiagnosticKind, ReadOutcome, SieFile, read_outcome};

/// A minimal, complete type-4 header. 10 lines.
pub const HEADER: &str = "#FLAGGA 0
#PROGRAM \"Test\" 1.0
#FORMAT PC8
#GEN 20240101
#SIETYP 4
#FNAMN \"Testkommun\"
#KONTO 1930 \"Bank\"
#KONTO 3010 \"Intäkt\"
#KONTO 30106 \"Underkonto\"
#KONTO 801 \"Skatt\"
";

/// Number of lines in [`HEADER`].
pub const HEADER_LINES: usize = 10;

/// CP437-encode a snippet (panics on unencodable test text, which is a test bug).
pub fn cp437(s: &str) -> Vec<u8> {
    styr_sie::encoding::encode_cp437(s).expect("test text must be CP437")
}

/// Read `HEADER + body`.
pub fn read_body(body: &str) -> (SieFile, Vec<Diagnostic>) {
    styr_sie::read(&cp437(&format!("{HEADER}{body}")))
}

/// Read `HEADER + body` with the full outcome.
pub fn outcome_body(body: &str) -> ReadOutcome {
    read_outcome(&cp437(&format!("{HEADER}{body}")))
}

/// (kind, line) pairs, for exact assertions.
pub fn kinds(d: &[Diagnostic]) -> Vec<(DiagnosticKind, usize)> {
    d.iter().map(|d| (d.kind, d.line)).collect()
}

/// Path of a real sample file: copies of the project's shared SIE exports, with their sources
/// in `tests/data/SOURCES.txt`, so that the tests need nothing beside the repository.
pub fn sample_path(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Bytes of a shared sample file.
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(sample_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// All sample file names (SOURCES.txt excluded).
pub const SAMPLES: [&str; 7] = [
    "avendo_transaktioner_ovnbolag_sie4.se",
    "bl_administration_BL0001_typ4.SE",
    "gks3_underdim_qmarks.SI",
    "kapell_sie2_budget.si",
    "pyramid_sie4_4dims.se",
    "visma_adm_underdim_utf8_corrupted.SE",
    "visma_compact_SIE4_ksumma.se",
];
