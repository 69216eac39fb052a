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

fn report_template() -> styr_excel::ReportTemplate {
    use rust_decimal::Decimal;
    use styr_domain::Money;
    use styr_domain::assignment::AssignmentStatus;
    use styr_domain::followup::GoalAssessment;
    use styr_excel::{AssignmentLine, ForecastLine, GoalLine, IndicatorLine, ReportLines};
    styr_excel::ReportTemplate {
        title: "Rapport för ksf per 2021-08".to_owned(),
        municipality: "haninge".to_owned(),
        version: "ks_2021_proposal".to_owned(),
        period: "2021-08".to_owned(),
        unit: "ksf".to_owned(),
        lines: ReportLines {
            assignments: vec![
                AssignmentLine {
                    id: "ks2020_3".to_owned(),
                    code: "2020 KS 3".to_owned(),
                    title: "Samordning av registratur".to_owned(),
                    status: Some(AssignmentStatus::Deviation),
                    comment: Some("Försenad".to_owned()),
                },
                AssignmentLine {
                    id: "ks2020_4".to_owned(),
                    ..AssignmentLine::default()
                },
            ],
            indicators: vec![IndicatorLine {
                id: "forvarvsarbetande".to_owned(),
                name: "Förvärvsarbetande".to_owned(),
                unit: "%".to_owned(),
                target: Some(Decimal::new(820, 1)),
                outcome: Some(Decimal::new(813, 1)),
                source: Some("Kolada".to_owned()),
                measured_on: Some("2021-08-16".to_owned()),
                comment: None,
            }],
            goals: vec![GoalLine {
                id: "mal2".to_owned(),
                title: "2. Tillväxt".to_owned(),
                assessment: Some(GoalAssessment::PartlyMet),
                motivation: Some("Bostäderna släpar".to_owned()),
            }],
            forecasts: vec![ForecastLine {
                line: "op.ksf.ksf".to_owned(),
                name: "Kommunstyrelseförvaltningen".to_owned(),
                budget: Money::from_tkr(84198),
                forecast: Money::from_tkr(86100),
                comment: Some("Lokalbanken".to_owned()),
                action_plan: Some("Avyttring".to_owned()),
            }],
            controls: Vec::new(),
            actions: Vec::new(),
        },
        synthetic: false,
    }
}

#[test]
fn a_report_workbook_reads_back_as_the_follow_up_file_it_shows() {
    let bytes = styr_excel::write_report_template(&report_template()).unwrap();
    let mut book = Book::open(bytes).unwrap();
    let (csv, locations) = styr_excel::read_report(&mut book).unwrap();
    assert_eq!(
        csv,
        "municipality,period,kind,subject,value,comment,action_plan,source,date,light\n\
         haninge,2021-08,status,ks2020_3,Avvikelse,Försenad,,,,\n\
         haninge,2021-08,utfall,forvarvsarbetande,81.3,,,Kolada,2021-08-16,\n\
         haninge,2021-08,bedömning,mal2,Delvis uppfyllt,Bostäderna släpar,,,,\n\
         haninge,2021-08,prognos,op.ksf.ksf,86100,Lokalbanken,Avyttring,,,\n"
    );
    // The empty row of ks2020_4 reports nothing; line 5 (the forecast) is row 3 of «Prognoser».
    assert_eq!(
        locations.locate(styr_excel::REPORT_FILE, 5, "comment"),
        Some(("Prognoser!E3".to_owned(), "Kommentar".to_owned()))
    );
    assert_eq!(
        locations.locate(styr_excel::REPORT_FILE, 2, "value"),
        Some(("Uppdrag!D3".to_owned(), "Status".to_owned()))
    );
}

#[test]
fn statuses_and_assessments_are_chosen_from_drop_down_lists() {
    use std::io::Read;
    let bytes = styr_excel::write_report_template(&report_template()).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = |name: &str| {
        let mut xml = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    // Sheet 2 is «Uppdrag» (its two rows), sheet 4 «Målbedömning».
    let assignments = sheet("xl/worksheets/sheet2.xml");
    assert!(assignments.contains(r#"sqref="D3:D4""#), "{assignments}");
    assert!(assignments.contains(
        "<formula1>\"Ej påbörjad,Påbörjad,Färdig,Väntar,Avvikelse,Dialog behövs\"</formula1>"
    ));
    let goals = sheet("xl/worksheets/sheet4.xml");
    assert!(goals.contains(r#"sqref="C3""#), "{goals}");
    assert!(goals.contains(
        "<formula1>\"Uppfyllt,Delvis uppfyllt,Ej uppfyllt,Kan inte bedömas\"</formula1>"
    ));
}
