//! Kolada in: the shared real capture and constructed paged responses, imported all-or-nothing
//! with source and retrieval date, audited, and shown beside the plan in the document's charts.

use crate::db::TestDb;
use crate::{actor, admin, all, app_with_example, example_plan};
use rust_decimal::Decimal;
use std::str::FromStr;
use styr_app::{AppError, DocumentFormat, KoladaResponse, Role};
use styr_domain::kolada::{ComparisonMunicipality, Gender};
use styr_store::AuditFilter;

fn response(name: &str) -> KoladaResponse {
    let path = format!("{}/../kolada/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    KoladaResponse {
        source: name.to_owned(),
        bytes: std::fs::read(&path).unwrap(),
    }
}

fn kolada_audit() -> AuditFilter {
    AuditFilter {
        action_contains: Some("import kolada".to_owned()),
        ..AuditFilter::default()
    }
}

async fn paged_v2_responses_are_stored_once_with_source_and_date(db: &TestDb) {
    let app = app_with_example(db).await;
    let pages = [
        response("v2_N00914_page1.json"),
        response("v2_N00914_page2.json"),
    ];
    let imported = app
        .import_kolada(&admin(), &all(), &pages, "2026-11-20")
        .await
        .unwrap();
    assert_eq!(imported.values, 18);
    assert_eq!(imported.missing, 1);
    assert_eq!(imported.recorded.changed, 18);
    let stored = app.kolada_values(&admin(), &all()).await.unwrap();
    assert_eq!(stored.len(), 18);
    let huddinge_women_2019 = stored
        .iter()
        .find(|v| v.municipality == "0126" && v.year == 2019 && v.gender == Gender::Women)
        .unwrap();
    assert_eq!(huddinge_women_2019.value, None);
    assert_eq!(huddinge_women_2019.status, "Missing");
    let haninge_2019 = stored
        .iter()
        .find(|v| v.municipality == "0136" && v.year == 2019 && v.gender == Gender::Total)
        .unwrap();
    assert_eq!(haninge_2019.value, Some(Decimal::from_str("81.2").unwrap()));
    assert_eq!(haninge_2019.source, "Kolada: v2_N00914_page1.json");
    assert_eq!(haninge_2019.retrieved, "2026-11-20");
    let log = app.audit_log(&admin(), &kolada_audit()).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].detail, "changed=18 unchanged=0");
    assert!(
        log[0]
            .after
            .as_deref()
            .unwrap()
            .contains("N00914 0136 2019 T: 81.2 (Kolada: v2_N00914_page1.json, 2026-11-20)")
    );

    // The same pages again change nothing and log nothing.
    let again = app
        .import_kolada(&admin(), &all(), &pages, "2026-11-27")
        .await
        .unwrap();
    assert_eq!(again.recorded.changed, 0);
    assert_eq!(again.recorded.unchanged, 18);
    assert_eq!(
        app.audit_log(&admin(), &kolada_audit())
            .await
            .unwrap()
            .len(),
        1
    );
    let kept = app.kolada_values(&admin(), &all()).await.unwrap();
    assert!(kept.iter().all(|v| v.retrieved == "2026-11-20"));

    // Kolada revises one value: only it is written, with before and after in the log.
    let mut revised = response("v2_N00914_page2.json");
    let text = String::from_utf8(revised.bytes).unwrap();
    assert_eq!(text.matches("\"value\": 76.1}").count(), 1);
    revised.bytes = text
        .replace("\"value\": 76.1}", "\"value\": 76.4}")
        .into_bytes();
    let changed = app
        .import_kolada(
            &admin(),
            &all(),
            &[response("v2_N00914_page1.json"), revised],
            "2026-11-27",
        )
        .await
        .unwrap();
    assert_eq!(
        (changed.recorded.changed, changed.recorded.unchanged),
        (1, 17)
    );
    let log = app.audit_log(&admin(), &kolada_audit()).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[1].before.as_deref(),
        Some("N00914 0127 2019 T: 76.1 (Kolada: v2_N00914_page2.json, 2026-11-20)")
    );
    assert_eq!(
        log[1].after.as_deref(),
        Some("N00914 0127 2019 T: 76.4 (Kolada: v2_N00914_page2.json, 2026-11-27)")
    );

    // The v3 pages of a later year: the missing value of 2021 replaces nothing it should not.
    let later = app
        .import_kolada(
            &admin(),
            &all(),
            &[
                response("v3_N00914_page1.json"),
                response("v3_N00914_page2.json"),
            ],
            "2026-11-27",
        )
        .await
        .unwrap();
    assert_eq!(
        (later.values, later.missing, later.recorded.changed),
        (12, 3, 12)
    );
    assert_eq!(app.kolada_values(&admin(), &all()).await.unwrap().len(), 30);
    app.close().await;
}

async fn a_response_outside_the_plan_is_refused_whole(db: &TestDb) {
    let app = app_with_example(db).await;
    // The real capture: KPI N21704 follows no indicator of the example, and its municipalities
    // are not Haninge's comparison group.
    let error = app
        .import_kolada(
            &admin(),
            &all(),
            &[
                response("v2_N00914_page1.json"),
                response("v2_N00914_page2.json"),
                response("kolada_v3_data_N21704_2023_trimmed.json"),
            ],
            "2026-11-27",
        )
        .await
        .unwrap_err();
    let AppError::Invalid(problems) = error else {
        panic!("expected invalid input");
    };
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 6, "{text:#?}");
    assert_eq!(
        text[0],
        "kolada_v3_data_N21704_2023_trimmed.json:27: values[0].kpi: nyckeltalet N21704 hör inte till någon indikator i planen (kolada_kpi i indicators.csv: N00914)"
    );
    assert_eq!(
        text[1],
        "kolada_v3_data_N21704_2023_trimmed.json:29: values[0].municipality: kommunen 0180 är varken Haninge kommun (0136) eller med i jämförelsegruppen ([kolada] i styr.toml)"
    );
    // A bad file: every problem with its line; nothing stored.
    let error = app
        .import_kolada(&admin(), &all(), &[response("v2_bad.json")], "2026-11-27")
        .await
        .unwrap_err();
    let AppError::Invalid(problems) = error else {
        panic!("expected invalid input");
    };
    assert_eq!(problems.len(), 3);
    assert_eq!(problems[0].line, Some(7));
    assert_eq!(problems[0].field, "values[0].period");
    // A reader may not import, and a date must be a date.
    let reader = actor("läsare", Role::Reader, &[]);
    assert!(matches!(
        app.import_kolada(
            &reader,
            &all(),
            &[response("v2_N00914_page2.json")],
            "2026-11-27"
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        app.import_kolada(
            &admin(),
            &all(),
            &[response("v2_N00914_page2.json")],
            "27/11/2026"
        )
        .await,
        Err(AppError::Invalid(_))
    ));
    assert!(
        app.kolada_values(&admin(), &all())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        app.audit_log(&admin(), &kolada_audit())
            .await
            .unwrap()
            .is_empty()
    );

    // A plan that follows N21704 and compares itself with the five cities takes the capture.
    let mut plan = example_plan();
    let skadegorelse = plan
        .indicators
        .iter_mut()
        .find(|i| i.id.as_str() == "skadegorelse")
        .unwrap();
    skadegorelse.kolada_kpi = Some("N21704".to_owned());
    plan.kolada.comparison = ["0180", "0580", "1280", "1480", "2480"]
        .iter()
        .map(|code| ComparisonMunicipality {
            code: (*code).to_owned(),
            name: format!("Kommun {code}"),
            at: Default::default(),
        })
        .collect();
    app.import_plan(&admin(), &plan).await.unwrap();
    let imported = app
        .import_kolada(
            &admin(),
            &all(),
            &[response("kolada_v3_data_N21704_2023_trimmed.json")],
            "2026-06-12",
        )
        .await
        .unwrap();
    assert_eq!((imported.values, imported.recorded.changed), (15, 15));
    app.close().await;
}

async fn the_document_shows_the_comparison_group_beside_the_municipality(db: &TestDb) {
    let app = app_with_example(db).await;
    app.import_kolada(
        &admin(),
        &all(),
        &[
            response("v2_N00914_page1.json"),
            response("v2_N00914_page2.json"),
        ],
        "2026-11-20",
    )
    .await
    .unwrap();
    let html = String::from_utf8(
        app.render_document(&admin(), &all(), DocumentFormat::Html)
            .await
            .unwrap(),
    )
    .unwrap();
    let chart_start = html
        .find("id=\"chart-forvarvsarbetande\"")
        .expect("the chart");
    let chart = &html[chart_start..];
    // The chart's description: Haninge's 2019 from Kolada beside the plan's 2018, and the
    // group's unweighted mean (Botkyrka 75,6 and Huddinge 82,4 → 79,0; 76,1 and 82,9 → 79,5).
    assert!(
        chart.contains(
            "Utfall: 2018: 80,9\u{a0}%, 2019: 81,2\u{a0}%. Mål: 2020: 81,5\u{a0}%, 2021: 82,0\u{a0}%, 2022: 82,5\u{a0}%, 2023: 83,0\u{a0}%. Södertörnskommunerna, medel: 2018: 79,0\u{a0}%, 2019: 79,5\u{a0}%."
        ),
        "{}",
        &chart[..2000.min(chart.len())]
    );
    assert!(chart.contains("<th scope=\"col\" class=\"num\">Botkyrka</th>"));
    assert!(chart.contains("<th scope=\"col\" class=\"num\">Huddinge</th>"));
    assert!(!chart[..chart.find("</table>").unwrap()].contains("Nykvarn"));
    assert!(
        chart.contains(
            "Källa: Kolada, nyckeltal N00914, hämtat 2026-11-20. Utfall 2019 är Koladas."
        )
    );
    app.close().await;
}

crate::on_both_backends!(
    paged_v2_responses_are_stored_once_with_source_and_date,
    a_response_outside_the_plan_is_refused_whole,
    the_document_shows_the_comparison_group_beside_the_municipality,
);
