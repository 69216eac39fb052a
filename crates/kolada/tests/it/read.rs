use rust_decimal::Decimal;
use std::str::FromStr;
use styr_domain::kolada::Gender;
use styr_kolada::{Retrieval, read_page, read_pages};

fn data(name: &str) -> (String, Vec<u8>, Retrieval) {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    (
        name.to_owned(),
        bytes,
        Retrieval {
            source: name.to_owned(),
            retrieved: "2026-11-27".to_owned(),
        },
    )
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

#[test]
fn the_real_v3_capture_gives_every_municipality_and_gender_exactly() {
    let (name, bytes, retrieval) = data("kolada_v3_data_N21704_2023_trimmed.json");
    let page = read_page(&name, &bytes, &retrieval).unwrap();
    assert_eq!(page.values.len(), 15);
    assert_eq!(page.next, None);
    let malmo_women = page
        .values
        .iter()
        .find(|v| v.value.municipality == "1280" && v.value.gender == Gender::Women)
        .unwrap();
    assert_eq!(malmo_women.value.value, Some(dec("23.596249")));
    assert_eq!(malmo_women.value.year, 2023);
    assert_eq!(malmo_women.value.kpi, "N21704");
    assert_eq!(malmo_women.value.retrieved, "2026-11-27");
    // Malmö is the third object; its K value the second entry, whose `{` is on line 68 of the file.
    assert_eq!(malmo_women.field, "values[2].values[1]");
    assert_eq!(malmo_women.line, 68);
}

#[test]
fn v2_pages_read_together_with_a_missing_value_as_none() {
    let values = read_pages(&[data("v2_N00914_page1.json"), data("v2_N00914_page2.json")]).unwrap();
    assert_eq!(values.len(), 18);
    let missing = values
        .iter()
        .find(|v| {
            v.value.municipality == "0126"
                && v.value.year == 2019
                && v.value.gender == Gender::Women
        })
        .unwrap();
    assert_eq!(missing.value.value, None);
    assert_eq!(missing.value.status, "Missing");
    let haninge: Vec<(i32, Decimal)> = styr_domain::kolada::totals(
        &values.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
        "N00914",
        "0136",
    );
    assert_eq!(haninge, vec![(2018, dec("80.9")), (2019, dec("81.2"))]);
}

#[test]
fn a_page_that_continues_without_its_next_page_is_refused() {
    let problems = read_pages(&[data("v2_N00914_page1.json")]).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].file, "v2_N00914_page1.json");
    assert_eq!(problems[0].line, 3);
    assert_eq!(problems[0].field, "next_page");
    assert!(
        problems[0].message.contains("page=2"),
        "{}",
        problems[0].message
    );
}

#[test]
fn the_same_page_twice_is_refused() {
    let problems = read_pages(&[
        data("v2_N00914_page1.json"),
        data("v2_N00914_page2.json"),
        data("v2_N00914_page2.json"),
    ])
    .unwrap_err();
    assert_eq!(problems.len(), 9);
    assert!(problems[0].message.contains("samma sida två gånger"));
}

#[test]
fn isdeleted_values_are_missing() {
    let values = read_pages(&[data("v3_N00914_page1.json"), data("v3_N00914_page2.json")]).unwrap();
    assert_eq!(values.len(), 12);
    let tyreso_2021: Vec<Option<Decimal>> = values
        .iter()
        .filter(|v| v.value.municipality == "0138" && v.value.year == 2021)
        .map(|v| v.value.value)
        .collect();
    assert_eq!(tyreso_2021, vec![None, None, None]);
}

#[test]
fn every_problem_of_a_bad_file_is_named_with_line_and_field() {
    let problems = read_pages(&[data("v2_bad.json")]).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        vec![
            "v2_bad.json:7: values[0].period: \"20x8\" är inte ett år (ÅÅÅÅ)".to_owned(),
            "v2_bad.json:17: values[1].values[0].gender: \"F\" är inte ett kön i Kolada (T, K, M)"
                .to_owned(),
            "v2_bad.json:18: values[1].values[1].value: \"81,2\" är text, inte ett tal".to_owned(),
        ]
    );
}

#[test]
fn a_metadata_response_or_broken_json_is_not_data() {
    let list = std::fs::read(format!(
        "{}/tests/data/kolada_v3_data_N21704_2023_trimmed.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let retrieval = Retrieval {
        source: "x".to_owned(),
        retrieved: "2026-11-27".to_owned(),
    };
    let truncated = &list[..list.len() / 2];
    let problems = read_page("half.json", truncated, &retrieval).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "json");
    let problems = read_page("list.json", br#"[{"id":"0180"}]"#, &retrieval).unwrap_err();
    assert_eq!(problems[0].field, "json");
    let problems = read_page(
        "meta.json",
        br#"{"values":[{"id":"0180","title":"Stockholm"}]}"#,
        &retrieval,
    )
    .unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "meta.json:1: values[0].kpi: nyckeltalets id saknas"
    );
}

#[test]
fn data_urls_split_municipalities_in_groups_kolada_accepts() {
    let query = styr_kolada::Query {
        kpis: vec!["N00914".to_owned()],
        municipalities: (0..25).map(|i| format!("{:04}", 100 + i)).collect(),
        years: vec![2020, 2021],
    };
    let urls = styr_kolada::data_urls("http://h/v3/", &query).unwrap();
    assert_eq!(urls.len(), 2);
    assert!(urls[0].starts_with("http://h/v3/data/kpi/N00914/municipality/0100,0101,"));
    assert!(urls[1].ends_with("/municipality/0120,0121,0122,0123,0124/year/2020,2021"));
}
