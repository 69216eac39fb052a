//! The personnel and measures sections (issue 22, items 6–7) built from the example: the
//! seven sjukfrånvaro rows with the previous year's, the headcount, a measure's table against
//! its budget, and both render in the HTML.

use crate::example;
use rust_decimal::Decimal;
use styr_docgen::model::{Block, Document, DocumentKind, Inline, Section, Table};
use styr_docgen::{measures_section, personnel_section, render_document_html};
use styr_domain::Month;
use styr_domain::activity::MeasureValue;
use styr_domain::personnel::Span;

fn tables(section: &Section) -> Vec<&Table> {
    section
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn row_texts(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| {
                    if c.missing {
                        "–".to_owned()
                    } else {
                        Inline::plain(&c.content)
                    }
                })
                .collect()
        })
        .collect()
}

fn document(section: Section) -> Document {
    Document {
        kind: DocumentKind::FollowUp,
        title: "Test".into(),
        subtitle: None,
        municipality: "Haninge kommun".into(),
        body: "Kommunstyrelsen".into(),
        cover_lines: vec![],
        sections: vec![section],
    }
}

#[test]
fn the_personnel_section_holds_the_seven_figures_beside_the_previous_year() {
    let plan = example();
    let units = plan.unit_scope("ksf").unwrap();
    let figures = styr_reports::personnel_figures(
        &plan.personnel,
        units.as_ref(),
        Span::Year(2020),
        "Kommunstyrelseförvaltningen",
    );
    let section = personnel_section(&figures, "personal", 2);
    assert_eq!(section.title, "Väsentliga personalförhållanden");
    assert!(matches!(section.blocks[0], Block::Synthetic(_)));
    let tables = tables(&section);
    let sick = row_texts(tables[0]);
    assert_eq!(sick.len(), 7);
    // 2019 is the seed's 3,7 % (the hours are made to give it); 2020 computed from the hours:
    // 16 794 / 501 260 = 3,35… % → 3,4.
    assert_eq!(
        sick[0],
        [
            "Total sjukfrånvaro i procent av sammanlagd ordinarie arbetstid",
            "3,4",
            "3,7"
        ]
    );
    assert!(sick[1][0].starts_with("Andel av total sjukfrånvaro som avser långtid"));
    assert_eq!(
        tables[0]
            .columns
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        ["Nyckeltal (%)", "2020", "2019"]
    );
    let staff = row_texts(tables[1]);
    let labels: Vec<&str> = staff.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        labels[..4],
        [
            "Tillsvidareanställda",
            "Visstidsanställda",
            "Antal anställda",
            "Årsarbetare"
        ]
    );
    // Anställda is the sum of the two rows above it (2020-12: 179 + 83 and 15 + 5).
    assert_eq!(staff[0][1], "262");
    assert_eq!(staff[1][1], "20");
    assert_eq!(staff[2][1], "282");
    let html = render_document_html(&document(section));
    assert!(html.contains("Väsentliga personalförhållanden"));
    assert!(html.contains("Sjukfrånvaro för anställda 50 år eller äldre"));
}

#[test]
fn a_month_span_gives_the_seeds_september_figure() {
    let plan = example();
    let units = plan.unit_scope("ksf").unwrap();
    let september = Span::Month(Month::parse("2020-09").unwrap());
    let figures =
        styr_reports::personnel_figures(&plan.personnel, units.as_ref(), september, "KSF");
    let section = personnel_section(&figures, "personal", 2);
    assert_eq!(row_texts(tables(&section)[0])[0][1], "3,4");
}

#[test]
fn the_measures_section_has_a_table_and_a_chart_per_measure() {
    let plan = example();
    let month = |t: &str| Month::parse(t).unwrap();
    let id = |t: &str| styr_domain::Id::parse(t).unwrap();
    let values = vec![
        MeasureValue {
            measure: id("diarieforda"),
            month: month("2021-01"),
            value: Decimal::from(1400),
        },
        MeasureValue {
            measure: id("diarieforda"),
            month: month("2021-02"),
            value: Decimal::from(1700),
        },
        MeasureValue {
            measure: id("arenden_ks"),
            month: month("2021-02"),
            value: Decimal::from(38),
        },
    ];
    let report =
        styr_reports::measures_report(plan, &plan.activity, None, month("2021-02"), &values);
    let section = measures_section(&report, "matt", 2);
    assert_eq!(section.title, "Verksamhetsmått");
    let tables = tables(&section);
    assert_eq!(tables.len(), 3);
    let diarieforda = row_texts(tables[1]);
    // Budget 1 500 and 1 600; outcome 1 400 and 1 700; the accumulated row is their sum.
    assert_eq!(
        diarieforda[0],
        ["jan 2021", "1\u{a0}500", "1\u{a0}400", "−100"]
    );
    assert_eq!(
        diarieforda[1],
        ["feb 2021", "1\u{a0}600", "1\u{a0}700", "+100"]
    );
    assert_eq!(
        diarieforda[2],
        ["Ackumulerat", "3\u{a0}100", "3\u{a0}100", "0"]
    );
    // A yearly budget (420 ärenden) is spread a twelfth a month: 70 to date.
    let arenden = row_texts(tables[0]);
    assert_eq!(arenden[2], ["Ackumulerat", "70", "38", "−32"]);
    let charts = section
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Chart(_)))
        .count();
    assert_eq!(charts, 3);
    let html = render_document_html(&document(section));
    assert!(
        html.contains(">Budget</text>"),
        "the chart names the budget line"
    );
}

#[test]
fn a_plans_section_names_its_body_and_holds_the_year_to_date() {
    let span = Span::YearToDate(Month::parse("2021-08").unwrap());
    let section = styr_docgen::personnel::plan_personnel_section(example(), span, "personal", 3);
    assert_eq!(section.level, 3);
    let tables = tables(&section);
    assert_eq!(tables[0].caption, "Sjukfrånvaro, Kommunstyrelsen");
    assert_eq!(
        tables[0]
            .columns
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        [
            "Nyckeltal (%)",
            "januari–augusti 2021",
            "januari–augusti 2020"
        ]
    );
    // A chart of the eight months, with its data table.
    let chart = section.blocks.iter().find_map(|b| match b {
        Block::Chart(c) => Some(c),
        _ => None,
    });
    assert_eq!(chart.unwrap().data.rows.len(), 8);
}

#[test]
fn both_sections_set_as_a_tagged_pdf() {
    let plan = example();
    let span = Span::Year(2021);
    let personnel = styr_docgen::personnel::plan_personnel_section(plan, span, "personal", 1);
    let report = styr_reports::measures_report(
        plan,
        &plan.activity,
        None,
        Month::parse("2021-12").unwrap(),
        &[],
    );
    let mut doc = document(personnel);
    doc.sections.push(measures_section(&report, "matt", 1));
    let pdf = styr_docgen::render_document_pdf(&doc).expect("typst sets the sections");
    assert!(pdf.starts_with(b"%PDF"));
}
