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

#[test]
fn sums_are_formulas_and_a_differing_stated_figure_stands_beside_its_sum() {
    use calamine::{Data, Reader, Xlsx};
    let plan = read_files(&example()).unwrap();
    let bytes = write_plan_workbook(&plan, &Reports::default()).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let formulas = book.worksheet_formula("Sammanställning").unwrap();
    let values = book.worksheet_range("Sammanställning").unwrap();
    // Row 7: «Summa Kommunstyrelsen»; 2020 printed 228 600, its lines add up to 230 034.
    assert_eq!(
        values.get_value((6, 1)),
        Some(&Data::String("Summa Kommunstyrelsen".into()))
    );
    assert_eq!(
        formulas.get_value((6, 5)).map(String::as_str),
        Some("SUM(F3:F6)")
    );
    assert_eq!(values.get_value((6, 5)), Some(&Data::Float(230034.0)));
    assert_eq!(
        values.get_value((1, 7)),
        Some(&Data::String("Angiven 2020".into()))
    );
    assert_eq!(values.get_value((6, 7)), Some(&Data::Float(228600.0)));
    // 2021 adds up (247 000): a formula and no stated figure beside it.
    assert_eq!(
        formulas.get_value((6, 6)).map(String::as_str),
        Some("SUM(G3:G6)")
    );
    assert_eq!(values.get_value((6, 7 + 1)), None);
    // Personalomkostnader 2020: net printed −195 000, income + cost = −200 000.
    let formulas = book.worksheet_formula("Finansförvaltning").unwrap();
    let values = book.worksheet_range("Finansförvaltning").unwrap();
    assert_eq!(
        formulas.get_value((23, 5)).map(String::as_str),
        Some("F22+F23")
    );
    assert_eq!(values.get_value((23, 5)), Some(&Data::Float(-200000.0)));
    assert_eq!(values.get_value((23, 7)), Some(&Data::Float(-195000.0)));
    // Swedish words for codes, headings frozen under the title.
    assert_eq!(
        values.get_value((23, 4)),
        Some(&Data::String("netto".into()))
    );
    assert_eq!(values.get_value((1, 4)), Some(&Data::String("Mått".into())));
}
