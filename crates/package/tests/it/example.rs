use crate::example_dir;
use styr_package::{Files, read_dir, read_files, write_files};

#[test]
fn example_reads_without_problems() {
    let plan = read_dir(&example_dir()).unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(plan.municipality.code, "0136");
    assert_eq!(plan.goals.len(), 3);
    assert_eq!(plan.indicators.len(), 6);
    assert_eq!(plan.assignments.len(), 19);
    assert_eq!(plan.budget.exploitation.rows.len(), 37);
    assert_eq!(plan.budget.operating.len(), 4);
}

#[test]
fn write_read_write_is_byte_identical() {
    let plan = read_dir(&example_dir()).expect("example reads");
    let first = write_files(&plan);
    let again = read_files(&first).expect("written package reads");
    let second = write_files(&again);
    assert_eq!(
        first.files.keys().collect::<Vec<_>>(),
        second.files.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first.files {
        assert_eq!(Some(bytes.as_slice()), second.get(path), "{path} differs");
    }
}

#[test]
fn narrative_text_is_kept_verbatim() {
    let original = Files::load(&example_dir()).expect("loads");
    let plan = read_files(&original).expect("reads");
    let written = write_files(&plan);
    for (path, bytes) in original
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("narrative/"))
    {
        assert_eq!(Some(bytes.as_slice()), written.get(path), "{path}");
    }
}
