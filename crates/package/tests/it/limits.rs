//! Size limits: a file far larger than any plan file is refused before it is read, naming it.

use crate::example_dir;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_183_mb_narrative_file_is_refused_before_it_is_read() {
    let temp = tempfile::tempdir().unwrap();
    let package = temp.path().join("paket");
    copy_dir(&example_dir(), &package);
    // A sparse file: 183 MB long, no disk used.
    let file = std::fs::File::create(package.join("narrative/aktuellt.md")).unwrap();
    file.set_len(183 * 1000 * 1000).unwrap();
    drop(file);
    let diagnostics = styr_package::read_dir(&package).unwrap_err();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let text = diagnostics[0].to_string();
    assert!(text.contains("narrative/aktuellt.md"), "{text}");
    assert!(
        text.contains("filen är 174,5 MB; en fil i ett planpaket får vara högst 8,0 MB"),
        "{text}"
    );
}

#[test]
fn files_under_the_limit_and_a_ledger_export_over_it_read_as_before() {
    let temp = tempfile::tempdir().unwrap();
    let package = temp.path().join("paket");
    copy_dir(&example_dir(), &package);
    let ledger = std::fs::OpenOptions::new()
        .append(true)
        .open(package.join("ledger/ks-2021.se"))
        .unwrap();
    ledger.set_len(styr_package::MAX_FILE_BYTES + 1).unwrap();
    drop(ledger);
    assert!(styr_package::read_dir(&package).is_ok());
}
