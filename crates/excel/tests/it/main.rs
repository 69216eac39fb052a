//! The plan workbook against the bundled example: written, read back, and the package it
//! reads into equal to the one it came from.

use std::path::Path;
use styr_excel::{Book, Reports, read_plan_tables, write_plan_workbook};
use styr_package::{Files, read_files, write_files};

fn example() -> Files {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    Files::load(&root).expect("the example package")
}

/// The written package of the example, with the workbook's tables in place of its own.
fn through_workbook(files: &Files) -> Files {
    let plan = read_files(files).expect("the example reads");
    let bytes = write_plan_workbook(&plan, &Reports::default()).expect("written");
    let mut book = Book::open(bytes).expect("opens");
    let tables = read_plan_tables(&mut book).expect("tables read");
    let mut merged = write_files(&plan);
    for (file, text) in tables.files {
        merged.insert(&file, text);
    }
    merged
}

#[test]
fn the_example_goes_out_and_back_unchanged() {
    let files = example();
    let written = write_files(&read_files(&files).unwrap());
    let merged = through_workbook(&files);
    for (file, bytes) in &written.files {
        assert_eq!(
            String::from_utf8_lossy(merged.get(file).unwrap()),
            String::from_utf8_lossy(bytes),
            "{file}"
        );
    }
    assert_eq!(merged, written);
}
