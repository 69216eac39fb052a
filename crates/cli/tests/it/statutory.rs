//! The municipality's statutory reports as a user makes them (issue 22): `styr render --report
//! arsredovisning --year 2021` on the example municipality (KF's plan in the database) gives
//! the årsredovisning whose förvaltningsberättelse has every R15 heading in order, in the HTML
//! and in the PDF's text; `--format xlsx` writes every table of the same document, read back
//! with openpyxl and compared with the HTML; `--scope ks` still gives KS's own report; a
//! claim in a förvaltningsberättelse text that disagrees is a `styr check` finding.

use crate::{example_dir, stderr, stdout, styr};
use std::path::Path;
use std::process::Command;
use styr_domain::statutory::R15Heading;

fn run_ok(args: &[&str]) -> String {
    let output = styr(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    stderr(&output)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The example municipality with KS's ledger and delårsrapport 2 reports.
fn municipality(db: &str) {
    let examples = example_dir().join("..");
    run_ok(&["import", path(&examples), "--db", db]);
    let ledger = example_dir().join("ledger/ks-2021.se");
    run_ok(&[
        "actuals",
        "import",
        path(&ledger),
        "--db",
        db,
        "--body",
        "ks",
    ]);
    let reports = example_dir().join("followup/delar2-2021.csv");
    run_ok(&[
        "followup",
        "import",
        path(&reports),
        "--db",
        db,
        "--body",
        "ks",
    ]);
    let bokslut = example_dir().join("../haninge-kf-2021/ledger/kommun-2021.se");
    run_ok(&[
        "actuals",
        "import",
        path(&bokslut),
        "--bokslut",
        "--body",
        "kf",
        "--db",
        db,
    ]);
}

/// Each heading's first place in `text` after the previous one's: in R15's order.
fn assert_in_order(text: &str, what: &str) {
    let mut at = text
        .find("Förvaltningsberättelse")
        .expect("Förvaltningsberättelse");
    for heading in R15Heading::ALL {
        let title = heading.title_sv();
        let next = text[at..]
            .find(title)
            .unwrap_or_else(|| panic!("{what}: {title} missing or out of order"));
        at += next + title.len();
    }
    let accounts = at
        + text[at..]
            .find("Räkenskaper")
            .unwrap_or_else(|| panic!("{what}: Räkenskaper after the headings"));
    // The financial statements lead the räkenskaper, the driftredovisning follows them.
    let mut after = accounts;
    for part in [
        "Resultaträkning",
        "Balansräkning",
        "Kassaflödesanalys",
        "Driftredovisning",
        "Investeringsredovisning",
    ] {
        after += text[after..]
            .find(part)
            .unwrap_or_else(|| panic!("{what}: {part} in the räkenskaper, in order"));
    }
}

fn pdf_text(pdf: &Path) -> Option<String> {
    let pdftotext = crate::tool::program("pdftotext", "poppler-utils")?;
    let output = Command::new(pdftotext)
        .args([path(pdf), "-"])
        .output()
        .expect("pdftotext runs");
    // Joined lines: a long heading may break across two.
    Some(
        String::from_utf8(output.stdout)
            .unwrap()
            .replace('\u{a0}', " ")
            .replace('\u{ad}', "")
            .replace("-\n", "")
            .replace('\n', " "),
    )
}

#[test]
fn the_annual_report_of_a_year_has_every_r15_heading_in_order() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("kommun.db");
    let db = path(&db);
    municipality(db);
    let html = temp.path().join("ar.html");
    let warned = run_ok(&[
        "render",
        "--db",
        db,
        "--report",
        "arsredovisning",
        "--year",
        "2021",
        "--format",
        "html",
        "-o",
        path(&html),
    ]);
    assert!(warned.contains("preliminär"), "{warned}");
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("Årsredovisning 2021"));
    assert_in_order(&html, "HTML");
    // The balanskravsutredning under Balanskravsresultat.
    let heading = html.find(">Balanskravsresultat<").expect("the heading");
    let next = html[heading..]
        .find(">Väsentliga personalförhållanden<")
        .unwrap();
    assert!(html[heading..heading + next].contains("Balanskravsutredning"));
    // The table of contents lists the headings as well.
    assert!(html.contains("Innehåll"));
    let pdf = temp.path().join("ar.pdf");
    run_ok(&[
        "render",
        "--db",
        db,
        "--report",
        "arsredovisning",
        "--year",
        "2021",
        "--format",
        "pdf",
        "-o",
        path(&pdf),
    ]);
    if let Some(text) = pdf_text(&pdf) {
        // Past the table of contents: the headings as the document prints them.
        let body = &text[text.rfind("Förvaltningsberättelse Syntetiska").unwrap_or(0)..];
        assert_in_order(body, "PDF");
    }
    // --year is the annual report's: the delårsrapport needs its period.
    let refused = styr(&[
        "render",
        "--db",
        db,
        "--report",
        "delarsrapport",
        "--year",
        "2021",
        "--format",
        "html",
        "-o",
        path(&temp.path().join("x.html")),
    ]);
    assert_ne!(refused.status.code(), Some(0));
    assert!(
        stderr(&refused).contains("--period"),
        "{}",
        stderr(&refused)
    );
    // A body's own report stays: --scope ks is KS's verksamhetsberättelse.
    let ks = temp.path().join("ks.html");
    run_ok(&[
        "render",
        "--db",
        db,
        "--report",
        "arsredovisning",
        "--year",
        "2021",
        "--scope",
        "ks",
        "--format",
        "html",
        "-o",
        path(&ks),
    ]);
    let ks = std::fs::read_to_string(&ks).unwrap();
    assert!(ks.contains("Verksamhetsberättelse 2021"));
    assert!(!ks.contains("Förvaltningsberättelse"));
}

/// The cells of one row of an HTML table, as text (tags dropped, the "saknas" of a missing
/// cell as empty).
fn html_row(html: &str, table_id: &str, first: &str) -> Vec<String> {
    let start = html
        .find(&format!("<table id=\"{table_id}\""))
        .expect(table_id);
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let row_at = table
        .find(&format!("<th scope=\"row\">{first}</th>"))
        .expect(first);
    let row = &table[row_at..row_at + table[row_at..].find("</tr>").unwrap()];
    row.split("</t")
        .filter_map(|cell| cell.rsplit_once('>').map(|(_, text)| text))
        .map(|text| text.trim().to_owned())
        .collect()
}

#[test]
fn the_workbook_has_every_table_of_the_report_as_the_html_shows_it() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("kommun.db");
    let db = path(&db);
    municipality(db);
    let (html, xlsx) = (temp.path().join("d.html"), temp.path().join("d.xlsx"));
    for (format, out) in [("html", &html), ("xlsx", &xlsx)] {
        run_ok(&[
            "render",
            "--db",
            db,
            "--report",
            "delarsrapport",
            "--period",
            "2021-08",
            "--format",
            format,
            "-o",
            path(out),
        ]);
    }
    let html = std::fs::read_to_string(&html).unwrap();
    // Every table of the document is a sheet: as many as the HTML has tables.
    let tables = html.matches("<table id=").count();
    let Some(python) = crate::tool::python() else {
        return;
    };
    let script = r#"
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
print(len(book.sheetnames) - 1)
contents = book["Innehåll"]
for row in contents.iter_rows(min_row=5, values_only=True):
    if row[1] and row[1].startswith("Utfall och helårsprognos"):
        sheet = book[row[0]]
        print("|".join(str(c.value) for c in sheet[3]))
        for line in sheet.iter_rows(min_row=4):
            if line[0].value == "Kommunstyrelsen":
                print("|".join("" if c.value is None else repr(c.value) for c in line))
                print("|".join(c.number_format for c in line))
"#;
    let output = Command::new(python)
        .args(["-c", script, path(&xlsx)])
        .output()
        .expect("python runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0].parse::<usize>().unwrap(), tables, "{out}");
    assert_eq!(
        lines[1],
        "Nämnd eller styrelse|Budget år|Utfall ack|Helårsprognos|Avvikelse mot budget"
    );
    // KS's row: the same figures as the HTML's, as numbers.
    let cells: Vec<&str> = lines[2].split('|').collect();
    let shown = html_row(&html, "tab-helarsprognos", "Kommunstyrelsen");
    assert_eq!(cells[0], "'Kommunstyrelsen'");
    for (index, (cell, text)) in cells.iter().zip(&shown).enumerate().skip(1) {
        let figure = text.trim_end_matches('*').trim_end();
        let number = styr_domain::number::parse_swedish(figure)
            .unwrap_or_else(|| panic!("column {index}: {text:?} in the HTML"));
        let value: rust_decimal::Decimal = cell.parse().unwrap_or_else(|_| panic!("{cell}"));
        assert_eq!(value, number.value, "column {index}: {cell} vs {text}");
    }
    // The forecast computed from the run rate keeps its mark in its number format.
    let formats: Vec<&str> = lines[3].split('|').collect();
    if shown[3].ends_with('*') {
        assert!(formats[3].contains('*'), "{}", lines[3]);
    }
}

#[test]
fn a_claim_in_the_forvaltningsberattelse_that_disagrees_is_a_finding() {
    let temp = tempfile::tempdir().unwrap();
    let kf = temp.path().join("kf");
    let source = example_dir().join("../haninge-kf-2021");
    let copy = Command::new("cp")
        .args(["-r", path(&source), path(&kf)])
        .status()
        .unwrap();
    assert!(copy.success());
    let text = kf.join("forvaltningsberattelse/2021-12/god-ekonomisk-hushallning.md");
    let written = std::fs::read_to_string(&text).unwrap();
    assert!(written.contains("[107,0 mnkr]{= kf.resultat@2021}"));
    let checked = styr(&["check", path(&kf)]);
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    std::fs::write(&text, written.replace("[107,0 mnkr]", "[117,0 mnkr]")).unwrap();
    let checked = styr(&["check", path(&kf)]);
    assert_ne!(checked.status.code(), Some(0));
    let out = format!("{}{}", stdout(&checked), stderr(&checked));
    assert!(
        out.contains("forvaltningsberattelse/2021-12/god-ekonomisk-hushallning.md:3")
            && out.contains("117,0 mnkr"),
        "{out}"
    );
}
