//! The interim and annual reports of the example: "Kräver uppmärksamhet" first, the economy,
//! the assignments with their previous status, the assessment with the suggestion beside it,
//! byte-identical renders, and the PDF's text.

use crate::example;
use styr_docgen::model::{Block, Document, Inline, Table};
use styr_docgen::{compose_period_report, render_period_report_html};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::followup::{
    FollowUpPeriod, FollowUpReport, GoalAssessment, PeriodKind, ReportEntry, ReportedEntry,
    default_calendar,
};
use styr_domain::ledger::{BudgetLineRef, ManualForecast, Month};
use styr_domain::{Id, Money};
use styr_reports::{LedgerData, PeriodReport, budget_vs_actual, period_report};

const DEVIATION_COMMENT: &str =
    "Upphandlingen av ärendesystemet är överprövad; införandet skjuts till 2022.";
const ACTION_PLAN: &str = "Vaktavtalet omförhandlas från oktober och två tjänster lämnas vakanta.";
const ATTEST_FINDING: &str = "3 av 20 attestanter hade kvar attesträtt efter byte av tjänst.";
const MOTIVATION: &str =
    "Bostadsbyggandet ligger under målvärdet men företagsklimatet har förbättrats.";

fn tkr(tkr: i64) -> Money {
    Money::from_ore(tkr * 100_000)
}

fn id(text: &str) -> Id {
    Id::parse(text).unwrap()
}

fn entry(month: &str, entry: ReportEntry) -> ReportedEntry {
    ReportedEntry {
        report: FollowUpReport {
            period: Month::parse(month).unwrap(),
            entry,
        },
        reported_by: "anna.andersson".to_owned(),
        reported_at: format!("{month}-10T09:00:00.000000Z"),
        version: 1,
    }
}

fn status(month: &str, assignment: &str, status: AssignmentStatus, comment: &str) -> ReportedEntry {
    entry(
        month,
        ReportEntry::Status {
            assignment: id(assignment),
            status,
            comment: Some(comment.to_owned()),
        },
    )
}

fn trygghet() -> BudgetLineRef {
    BudgetLineRef::parse("op.ksf.trygghet").unwrap()
}

/// The report of `month` (an interim or annual period of the default calendar) with a few
/// reports: April's statuses as the previous report, then this period's deviation, a finished
/// assignment, an outcome for `bostader`, an assessment of `mal2` and a forecast in deficit with
/// its action plan.
pub(crate) fn report(month: &str) -> PeriodReport {
    let plan = example();
    let calendar = default_calendar(2021);
    let period: &FollowUpPeriod = calendar
        .iter()
        .find(|p| p.month.to_string() == month)
        .unwrap();
    let forecast = tkr(18_500);
    let entries = vec![
        status(
            "2021-04",
            "ks2020_3",
            AssignmentStatus::Started,
            "Förstudien pågår.",
        ),
        status(
            "2021-04",
            "ks2020_2",
            AssignmentStatus::Started,
            "Arbetet pågår.",
        ),
        status(
            month,
            "ks2020_3",
            AssignmentStatus::Deviation,
            DEVIATION_COMMENT,
        ),
        status(
            month,
            "ks2020_2",
            AssignmentStatus::Done,
            "Gemensamma rutiner för rekrytering är införda.",
        ),
        entry(
            month,
            ReportEntry::Outcome {
                indicator: id("bostader"),
                value: "610".parse().unwrap(),
                measured_on: Some(format!("{month}-15")),
                source: Some("SCB".to_owned()),
                comment: None,
            },
        ),
        entry(
            month,
            ReportEntry::Assessment {
                goal: id("mal2"),
                assessment: GoalAssessment::PartlyMet,
                motivation: MOTIVATION.to_owned(),
            },
        ),
        entry(
            month,
            ReportEntry::Forecast {
                line: trygghet(),
                amount: forecast,
                comment: Some("Fler väktare under sommaren än budgeterat.".to_owned()),
                action_plan: Some(ACTION_PLAN.to_owned()),
            },
        ),
        entry(
            month,
            ReportEntry::Control {
                control: id("ikp21_attest"),
                result: ControlResult::WithDeficiencies,
                light: TrafficLight::Red,
                finding: Some(ATTEST_FINDING.to_owned()),
                action: Some("Attesträtterna rensas.".to_owned()),
            },
        ),
        entry(
            month,
            ReportEntry::AuditAction {
                action: id("gdpr_a1"),
                status: ActionStatus::Done,
                evidence: Some("Förteckning över behandlingar".to_owned()),
                comment: None,
            },
        ),
        // Reported after August: not part of the interim report per August.
        entry(
            "2021-10",
            ReportEntry::AuditAction {
                action: id("ens_a2"),
                status: ActionStatus::Done,
                evidence: Some("Delårsrapport 2".to_owned()),
                comment: None,
            },
        ),
    ];
    let forecasts = vec![ManualForecast {
        line: trygghet(),
        period: Month::parse(month).unwrap(),
        amount: forecast,
        comment: None,
    }];
    let economy = budget_vs_actual(
        plan,
        Month::parse(month).unwrap(),
        LedgerData {
            actual: &[],
            budget: &[],
            forecasts: &forecasts,
        },
    );
    period_report(plan, &calendar, period, &entries, economy)
}

pub(crate) fn interim() -> PeriodReport {
    report("2021-08")
}

/// The HTML of the section with `id`, up to the next section.
fn section_html<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(
            "<section class=\"level1\" aria-labelledby=\"{id}\">"
        ))
        .or_else(|| html.find(&format!("aria-labelledby=\"{id}\"")))
        .unwrap_or_else(|| panic!("section {id}"));
    let rest = &html[start + 1..];
    let end = rest.find("<section ").map_or(html.len(), |i| start + 1 + i);
    &html[start..end]
}

fn table<'a>(document: &'a Document, id: &str) -> &'a Table {
    document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|block| match block {
            Block::Table(table) if table.id == id => Some(table),
            _ => None,
        })
        .unwrap_or_else(|| panic!("table {id}"))
}

fn rows_text(table: &Table) -> Vec<String> {
    table
        .rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .map(|cell| {
                    if cell.missing {
                        "–".to_owned()
                    } else {
                        Inline::plain(&cell.content)
                    }
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

#[test]
fn attention_comes_first_with_the_deviation_and_the_action_plan() {
    let html = render_period_report_html(example(), &interim());
    let main = &html[html.find("<main id=\"innehall\">").unwrap()..];
    assert!(
        main.starts_with(
            "<main id=\"innehall\">\n<section class=\"level1\" aria-labelledby=\"uppmarksamhet\">\n<h2 id=\"uppmarksamhet\">Kräver uppmärksamhet</h2>"
        ),
        "{}",
        &main[..300]
    );
    let attention = section_html(&html, "uppmarksamhet");
    assert!(attention.contains("<span class=\"status-label\">Avvikelse</span>"));
    assert!(attention.contains("Gemensam registratur samt nämndsekreterare"));
    assert!(attention.contains(DEVIATION_COMMENT));
    assert!(attention.contains("Åtgärder för ökad trygghet"));
    assert!(attention.contains(ACTION_PLAN));
    // Budget 17 000, forecast 18 500: a deficit of 1 500 tkr.
    assert!(attention.contains("<td class=\"num\">−1\u{a0}500</td>"));
    // Missing reports, grouped by body, with a link to the appendix.
    assert!(attention.contains("<strong>Kommunstyrelsen</strong>: status för "));
    assert!(attention.contains("href=\"#bilaga_ej_rapporterat\""));
    assert!(html.contains("<h2 id=\"bilaga_ej_rapporterat\">Bilaga: Ej rapporterat</h2>"));
    // The finished assignment needs no attention.
    assert!(!attention.contains("Effektivisering inom personalområdet"));
}

#[test]
fn the_cover_and_title_come_from_the_period() {
    let document = compose_period_report(example(), &interim());
    assert_eq!(document.title, "Delårsrapport 2 2021");
    assert_eq!(document.subtitle, None);
    assert_eq!(document.body, "Kommunstyrelsen");
    assert_eq!(document.cover_lines[0], "Per 31 augusti 2021");
    assert_eq!(document.cover_lines[1], example().budget.version.name);
    assert_eq!(
        document.cover_lines[2],
        "Jämförs med Delårsrapport 1 per april 2021"
    );
    let annual = compose_period_report(example(), &report("2021-12"));
    assert_eq!(annual.title, "Verksamhetsberättelse 2021");
    assert_eq!(annual.subtitle.as_deref(), Some("Årsredovisning 2021"));
    assert_eq!(annual.cover_lines[0], "Per 31 december 2021");
    let titles: Vec<&str> = annual
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Kräver uppmärksamhet",
            "Ekonomi",
            "Uppdrag",
            "Mål och indikatorer",
            "Intern kontroll",
            "Bilaga: Ej rapporterat"
        ]
    );
}

#[test]
fn the_economy_shows_the_forecast_and_its_explanation() {
    let document = compose_period_report(example(), &interim());
    let rows = rows_text(table(&document, "tab-ekonomi-drift"));
    // Budget år, budget ack (8/12, even spread), no actual, the manual forecast and its deviation.
    assert!(
        rows.contains(
            &"Åtgärder för ökad trygghet | 17\u{a0}000 | 11\u{a0}333 | – | – | 18\u{a0}500 | −1\u{a0}500"
                .to_owned()
        ),
        "{rows:#?}"
    );
    assert!(rows.iter().any(|r| r.starts_with("Summa driftbudget | ")));
    let html = render_period_report_html(example(), &interim());
    let economy = section_html(&html, "ekonomi");
    assert!(economy.contains(
        "<strong>Åtgärder för ökad trygghet</strong> (prognos 18\u{a0}500 tkr, budget 17\u{a0}000 tkr): Fler väktare under sommaren än budgeterat."
    ));
}

#[test]
fn assignments_are_counted_and_compared_with_the_previous_report() {
    let report = interim();
    let document = compose_period_report(example(), &report);
    let counts = rows_text(table(&document, "tab-uppdrag-antal"));
    let total = report.assignments.len();
    let unreported = total - 2;
    assert_eq!(
        counts,
        [
            "Färdig | 1".to_owned(),
            "Avvikelse | 1".to_owned(),
            format!("Ej rapporterat | {unreported}"),
            format!("Summa | {total}"),
        ]
    );
    let rows = rows_text(table(&document, "tab-uppdrag"));
    assert!(rows.contains(
        &format!("2020 KS 3 Gemensam registratur samt nämndsekreterare | Avvikelse | Påbörjad | ändrad | {DEVIATION_COMMENT}")
    ), "{rows:#?}");
    assert!(rows.contains(
        &"2020 KS 2 Effektivisering inom personalområdet | Färdig | Påbörjad | ändrad | Gemensamma rutiner för rekrytering är införda.".to_owned()
    ));
    assert!(rows.contains(&"2020 KS 4 Kostnadseffektivisering vid upphandling och inköp | Ej rapporterat | – | – | –".to_owned()));
}

#[test]
fn the_suggestion_stands_beside_the_assessment_never_in_its_place() {
    let html = render_period_report_html(example(), &interim());
    let goal = section_html(&html, "mal_mal2");
    let assessment = goal
        .find("<p><strong>Bedömning: </strong>Delvis uppfyllt</p>")
        .expect("the person's assessment");
    let motivation = goal
        .find(&format!("<strong>Motivering: </strong>{MOTIVATION}"))
        .expect("the motivation");
    // Bostäder 610 against the target 750 (higher is better): the only judged indicator is
    // off target, so the indicators suggest "Ej uppfyllt" – shown apart, the assessment stays.
    let suggestion = goal
        .find("<p><em>Förslag utifrån indikatorerna: Ej uppfyllt (0 av 1 bedömbar indikator når målvärdet).")
        .expect("the suggestion");
    assert!(assessment < motivation && motivation < suggestion);
    let document = compose_period_report(example(), &interim());
    let indicators = rows_text(table(&document, "tab-uppf-indikatorer-mal2"));
    assert_eq!(
        indicators[0],
        "Nybyggda och ombyggda bostäder (antal per år i genomsnitt) | antal | 610 | 750 | +268 (bättre) | når inte målvärdet"
    );
    // The chart: 2018, 2019, a gap for 2020, then the outcome per August.
    assert!(goal.contains("<desc id=\"uppf-bostader-desc\">Utfall: 2018: 541\u{a0}antal, 2019: 342\u{a0}antal, augusti 2021: 610\u{a0}antal. Mål: 2020: 750\u{a0}antal, augusti 2021: 750\u{a0}antal. Högre är bättre.</desc>"));
    // A goal without an assessment says so.
    let other = section_html(&html, "mal_mal1");
    assert!(other.contains("<strong>Bedömning: </strong><strong>ingen bedömning lämnad</strong>"));
}

#[test]
fn nothing_to_attend_to_is_said_in_words() {
    let mut report = interim();
    report.attention.clear();
    let html = render_period_report_html(example(), &report);
    assert!(
        section_html(&html, "uppmarksamhet").contains("<p>Inget kräver uppmärksamhet i perioden:")
    );
}

#[test]
fn html_renders_are_byte_identical_and_self_contained() {
    let first = render_period_report_html(example(), &interim());
    let second = render_period_report_html(example(), &interim());
    assert!(first == second, "two renders differ");
    assert!(first.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
    for external in ["<script", "<link", "src=\"http"] {
        assert!(!first.contains(external), "{external}");
    }
    assert_eq!(first.matches("<h1>").count(), 1);
    assert_eq!(
        first.matches("<table ").count(),
        first.matches("<caption>").count()
    );
}

/// The document as a plain-text outline: headings, paragraphs, table captions and rows.
pub(crate) fn outline(document: &Document) -> String {
    fn blocks(out: &mut String, list: &[Block], indent: &str) {
        for block in list {
            match block {
                Block::Paragraph(runs) => {
                    out.push_str(&format!("{indent}{}\n", Inline::plain(runs)))
                }
                Block::Subheading { text, .. } => out.push_str(&format!("{indent}## {text}\n")),
                Block::List { items, .. } => {
                    for item in items {
                        out.push_str(&format!("{indent}-\n"));
                        blocks(out, item, &format!("{indent}  "));
                    }
                }
                Block::Quote(inner) => blocks(out, inner, &format!("{indent}> ")),
                Block::Table(table) => {
                    out.push_str(&format!("{indent}[{}]\n", table.caption));
                    for row in rows_text(table) {
                        out.push_str(&format!("{indent}  {row}\n"));
                    }
                }
                Block::Chart(chart) => {
                    out.push_str(&format!("{indent}(diagram) {}\n", chart.description))
                }
                Block::Drawing(drawing) => {
                    out.push_str(&format!("{indent}(ritning) {}\n", drawing.alt))
                }
                Block::StatusLegend(statuses) => out.push_str(&format!(
                    "{indent}(status) {}\n",
                    statuses
                        .iter()
                        .map(|s| s.label_sv())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Block::Notice(runs) => {
                    out.push_str(&format!("{indent}! {}\n", Inline::plain(runs)))
                }
                Block::Synthetic(text) => out.push_str(&format!("{indent}(syntetiskt) {text}\n")),
                Block::Rule => out.push_str(&format!("{indent}---\n")),
            }
        }
    }
    let mut out = format!("{}\n", document.title);
    for line in &document.cover_lines {
        out.push_str(&format!("  {line}\n"));
    }
    for section in &document.sections {
        out.push_str(&format!(
            "\n{} {}\n",
            "#".repeat(usize::from(section.level)),
            section.title
        ));
        blocks(&mut out, &section.blocks, "");
    }
    out.replace('\u{a0}', " ")
}

#[test]
fn interim_report_outline_snapshot() {
    let document = compose_period_report(example(), &interim());
    assert_eq!(document.kind, styr_docgen::DocumentKind::FollowUp);
    assert!(matches!(
        document.sections[0].blocks.first(),
        Some(Block::Paragraph(_))
    ));
    assert_eq!(interim().period.kind, PeriodKind::Interim);
    insta::assert_snapshot!(outline(&document));
}

#[cfg(feature = "pdf")]
#[test]
fn the_pdf_is_tagged_text_and_byte_identical() {
    use crate::pdf::{pdftotext, squeeze};
    let report = interim();
    let first = styr_docgen::render_period_report_pdf(example(), &report).unwrap();
    assert!(first.starts_with(b"%PDF-"));
    // STYR_DUMP=DIR keeps the HTML and the PDF for inspection.
    if let Ok(dir) = std::env::var("STYR_DUMP") {
        let html = render_period_report_html(example(), &report);
        std::fs::write(format!("{dir}/delarsrapport.html"), html).unwrap();
        std::fs::write(format!("{dir}/delarsrapport.pdf"), &first).unwrap();
    }
    let second = styr_docgen::render_period_report_pdf(example(), &report).unwrap();
    assert!(first == second, "two renders differ");
    let Some(text) = pdftotext(&first) else {
        return;
    };
    let text = squeeze(&text);
    for expected in [
        "Delårsrapport 2 2021",
        "Kräver uppmärksamhet",
        ACTION_PLAN,
        DEVIATION_COMMENT,
        "Förslag utifrån indikatorerna",
    ] {
        assert!(text.contains(&squeeze(expected)), "{expected}");
    }
}

fn chart_data<'a>(document: &'a Document, id: &str) -> &'a Table {
    document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|block| match block {
            Block::Chart(chart) if chart.data.id == id => Some(&chart.data),
            _ => None,
        })
        .unwrap_or_else(|| panic!("chart {id}"))
}

fn texts(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| {
            row.cells
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

#[test]
fn the_interim_report_holds_the_internal_control_as_of_its_period() {
    let document = compose_period_report(example(), &interim());
    let results = texts(table(&document, "tab-kontroll-resultat"));
    // Every control reported in April or August, in plan order; nobody reported but attest.
    let summary: Vec<(&str, &str, &str, &str)> = results
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "Uppföljning av åtgärdsplanen för lokalbanken",
                "2021-04",
                "Ej rapporterat",
                "–"
            ),
            (
                "Uppföljning av åtgärdsplanen för lokalbanken",
                "2021-08",
                "Ej rapporterat",
                "–"
            ),
            (
                "Attesträtter i ekonomisystemet",
                "2021-08",
                "Med brister",
                "röd"
            ),
            (
                "Revisionens rekommendationer",
                "2021-04",
                "Ej rapporterat",
                "–"
            ),
            (
                "Revisionens rekommendationer",
                "2021-08",
                "Ej rapporterat",
                "–"
            ),
        ]
    );
    assert_eq!(results[2][4], ATTEST_FINDING);
    assert_eq!(results[2][6], "anna.andersson, 2021-08-10");

    // The matrix's data table: likelihood 4 down to 1, a count per consequence 1–4.
    let matrix = texts(chart_data(&document, "tab-kontroll-risker-matris-data"));
    assert_eq!(
        matrix,
        [
            ["4", "0", "0", "1", "0"],
            ["3", "0", "0", "1", "0"],
            ["2", "1", "0", "0", "1"],
            ["1", "0", "0", "0", "0"],
        ]
    );

    // gdpr_a1 was done in August and leaves the open list; ens_a2's October report is later
    // than the period, so it is still overdue here.
    let open = texts(table(&document, "tab-kontroll-rekommendationer"));
    let actions: Vec<(&str, &str)> = open
        .iter()
        .map(|r| (r[1].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            (
                "Inför kostnadsuppföljning mot statsbidrag i delårsrapporterna",
                "Pågår – försenad"
            ),
            ("Redovisa kontrollresultat i delårsrapport 1 och 2", "Pågår"),
            (
                "Obligatorisk webbutbildning för chefer",
                "Ej påbörjad – försenad"
            ),
            (
                "Digitaliseringsstrategi till kommunstyrelsen",
                "Ej påbörjad"
            ),
        ]
    );
    let html = render_period_report_html(example(), &interim());
    assert!(
        html.contains("<title id=\"tab-kontroll-risker-matris-title\">Riskmatris 2021</title>")
    );
}

/// A period the package marks synthetic (the example's 2021) is said to be so on the cover and
/// first in every section of the report, in the HTML and the PDF; a period of the seed's own
/// (2020) is not.
#[test]
fn a_synthetic_period_is_marked_on_the_cover_and_in_every_section() {
    use styr_domain::followup::SYNTHETIC_FOLLOWUP_NOTE;
    let mut report = interim();
    let marked = |month: &str| {
        example()
            .periods
            .iter()
            .find(|p| p.month.to_string() == month)
            .unwrap()
            .clone()
    };
    report.period = marked("2021-08");
    assert!(report.period.synthetic, "the example marks 2021");
    let document = compose_period_report(example(), &report);
    assert!(
        document
            .cover_lines
            .iter()
            .any(|l| l == SYNTHETIC_FOLLOWUP_NOTE)
    );
    for section in &document.sections {
        assert!(
            matches!(section.blocks.first(), Some(Block::Synthetic(_))),
            "section {} has no marker first",
            section.id
        );
    }
    let html = render_period_report_html(example(), &report);
    let notes = html.matches(SYNTHETIC_FOLLOWUP_NOTE).count();
    assert!(
        notes > document.sections.len() / 2,
        "{notes} notes in the HTML"
    );
    if let Some(text) =
        crate::pdf::pdftotext(&styr_docgen::render_period_report_pdf(example(), &report).unwrap())
    {
        let text = crate::pdf::squeeze(&text);
        assert!(text.contains(&crate::pdf::squeeze(
            "Syntetiska exempeldata: uppföljningen av den här perioden"
        )));
    }

    let mut seed = interim();
    seed.period = marked("2020-08");
    assert!(!seed.period.synthetic);
    let document = compose_period_report(example(), &seed);
    assert!(
        !document
            .cover_lines
            .iter()
            .any(|l| l == SYNTHETIC_FOLLOWUP_NOTE)
    );
    let html = render_period_report_html(example(), &seed);
    assert!(!html.contains(SYNTHETIC_FOLLOWUP_NOTE));
}
