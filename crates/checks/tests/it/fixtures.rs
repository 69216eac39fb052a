//! Golden tests: each folder in tests/fixtures is a small plan package whose check report must
//! equal its `expected.txt` (set STYR_BLESS=1 to rewrite the expected files after a deliberate
//! change, and review the diff).

use std::path::PathBuf;
use styr_checks::{check, render_report};
use styr_package::Files;

#[test]
fn fixture_reports_match_expected() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let mut files = Files::load(&dir).unwrap();
        files.files.remove("expected.txt");
        let plan =
            styr_package::read_files(&files).unwrap_or_else(|d| panic!("{}: {d:?}", dir.display()));
        let report = render_report(&check(&plan));
        let expected_path = dir.join("expected.txt");
        if std::env::var_os("STYR_BLESS").is_some() {
            std::fs::write(&expected_path, &report).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap();
        assert_eq!(report, expected, "{}", dir.display());
        cases += 1;
    }
    assert_eq!(cases, 1);
}
