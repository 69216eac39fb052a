//! Running the server: `/healthz` answers 200 while the database does and 503 when it does
//! not; `/metrics` is Prometheus text format (every line a sample or a `# HELP`/`# TYPE`
//! comment) counting requests by route and status with a latency histogram; every answer
//! carries a request id.

use crate::db::TestDb;
use crate::{client, spawn_app};
use std::collections::{BTreeMap, BTreeSet};

/// One sample line of the text format: its name, labels and value; `Err` names what is wrong.
fn sample(line: &str) -> Result<(String, BTreeMap<String, String>, f64), String> {
    let name_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(line.len());
    let name = &line[..name_end];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("no metric name: {line}"));
    }
    let mut rest = &line[name_end..];
    let mut labels = BTreeMap::new();
    if let Some(inner) = rest.strip_prefix('{') {
        let mut chars = inner.char_indices().peekable();
        loop {
            let (start, c) = chars.next().ok_or("unterminated labels")?;
            if c == '}' {
                rest = &inner[start + 1..];
                break;
            }
            let eq = inner[start..].find('=').ok_or("a label without =")? + start;
            let key = &inner[start..eq];
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("bad label name {key:?}"));
            }
            while chars.peek().is_some_and(|(i, _)| *i <= eq) {
                chars.next();
            }
            if chars.next().map(|(_, c)| c) != Some('"') {
                return Err("a label value without quotes".into());
            }
            let mut value = String::new();
            loop {
                match chars.next().ok_or("unterminated label value")? {
                    (_, '\\') => match chars.next().ok_or("a dangling escape")?.1 {
                        'n' => value.push('\n'),
                        other @ ('\\' | '"') => value.push(other),
                        other => return Err(format!("bad escape \\{other}")),
                    },
                    (_, '"') => break,
                    (_, c) => value.push(c),
                }
            }
            labels.insert(key.to_owned(), value);
            if chars.peek().is_some_and(|(_, c)| *c == ',') {
                chars.next();
            }
        }
    }
    let value = rest
        .strip_prefix(' ')
        .ok_or_else(|| format!("no space before the value: {line}"))?;
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other
            .parse::<f64>()
            .map_err(|_| format!("not a number: {other:?} in {line}"))?,
    };
    Ok((name.to_owned(), labels, value))
}

type Samples = Vec<(String, BTreeMap<String, String>, f64)>;

/// Parses a whole exposition: every line a `# HELP`/`# TYPE` comment or a sample of a family
/// whose type was declared before it.
fn parse_exposition(text: &str) -> Samples {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.splitn(3, ' ');
            match (words.next(), words.next(), words.next()) {
                (Some("HELP"), Some(_), Some(help)) => assert!(!help.is_empty(), "{line}"),
                (Some("TYPE"), Some(name), Some(kind)) => {
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                        "{line}"
                    );
                    types.insert(name.to_owned(), kind.to_owned());
                }
                _ => panic!("a comment that is neither HELP nor TYPE: {line}"),
            }
            continue;
        }
        assert!(!line.is_empty(), "an empty line in the exposition");
        let parsed = sample(line).unwrap_or_else(|error| panic!("{error}"));
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| {
                parsed
                    .0
                    .strip_suffix(suffix)
                    .filter(|f| types.get(*f).is_some_and(|k| k == "histogram"))
            })
            .unwrap_or(&parsed.0);
        assert!(types.contains_key(family), "no TYPE before {line}");
        samples.push(parsed);
    }
    samples
}

fn value_of(samples: &Samples, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, l, _)| {
            n == name
                && labels
                    .iter()
                    .all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|(_, _, value)| *value)
}

async fn healthz_and_metrics_answer_through_the_router(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = client();
    let health = client
        .get(format!("{}/healthz", test.url))
        .header("x-request-id", "prov-123")
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.headers()["x-request-id"], "prov-123");
    assert_eq!(health.text().await.unwrap(), "ok\n");
    // Requests of several routes and statuses.
    for path in [
        "/",
        "/static/style.css",
        "/uppdrag/ks2020_3",
        "/uppdrag/finns-inte",
        "/inte-alls",
    ] {
        let response = client
            .get(format!("{}{path}", test.url))
            // Not a token: replaced by an id of the server's.
            .header("x-request-id", "två ord")
            .send()
            .await
            .unwrap();
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(id.len() > 8 && id != "två ord", "{id}");
    }
    let metrics = client
        .get(format!("{}/metrics", test.url))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(
        metrics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = metrics.text().await.unwrap();
    let samples = parse_exposition(&text);
    let requests = |route: &str, status: &str| {
        value_of(
            &samples,
            "styr_http_requests_total",
            &[("method", "GET"), ("route", route), ("status", status)],
        )
    };
    assert_eq!(requests("/healthz", "200"), Some(1.0), "{text}");
    assert_eq!(requests("/", "200"), Some(1.0), "{text}");
    // The route is the router's pattern, never the id asked for.
    assert_eq!(requests("/static/style.css", "200"), Some(1.0), "{text}");
    // (The example is a proposal: the public sees none of its assignments.)
    assert_eq!(requests("/uppdrag/{id}", "404"), Some(2.0), "{text}");
    assert!(!text.contains("ks2020_3") && !text.contains("finns-inte"));
    assert_eq!(requests("(okänd)", "404"), Some(1.0), "{text}");
    // The histogram: cumulative buckets, +Inf equal to the count.
    let buckets: Vec<f64> = samples
        .iter()
        .filter(|(n, l, _)| {
            n == "styr_http_request_duration_seconds_bucket"
                && l.get("route").map(String::as_str) == Some("/uppdrag/{id}")
        })
        .map(|(_, _, v)| *v)
        .collect();
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "{buckets:?}");
    let count = value_of(
        &samples,
        "styr_http_request_duration_seconds_count",
        &[("route", "/uppdrag/{id}")],
    );
    assert_eq!(buckets.last().copied(), count);
    assert_eq!(count, Some(2.0));
    assert_eq!(value_of(&samples, "styr_database_up", &[]), Some(1.0));
    assert_eq!(
        value_of(&samples, "styr_schema_version", &[]),
        Some(styr_app::newest_schema_version() as f64)
    );
    let families: BTreeSet<&str> = samples.iter().map(|(n, _, _)| n.as_str()).collect();
    assert!(families.contains("styr_uptime_seconds"));

    // The database gone (its connections closed): 503 with the reason, and the metric says so.
    test.app.clone().close().await;
    let health = client
        .get(format!("{}/healthz", test.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    assert!(
        health
            .text()
            .await
            .unwrap()
            .starts_with("databasen svarar inte")
    );
    let text = client
        .get(format!("{}/metrics", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let samples = parse_exposition(&text);
    assert_eq!(value_of(&samples, "styr_database_up", &[]), Some(0.0));
    assert_eq!(
        value_of(
            &samples,
            "styr_http_requests_total",
            &[("route", "/healthz"), ("status", "503")]
        ),
        Some(1.0)
    );
}

#[test]
fn the_parser_refuses_what_is_not_the_format() {
    assert!(sample("styr_x{a=\"b\"} 1").is_ok());
    assert!(sample("styr_x{a=\"b\\\"c\"} 1.5e-3").is_ok());
    for bad in [
        "styr_x{a=b} 1",
        "styr_x 1 2 3",
        "styr_x{a=\"b\" 1",
        "1x 2",
        "styr_x",
    ] {
        assert!(sample(bad).is_err(), "{bad}");
    }
}

crate::on_both_backends!(healthz_and_metrics_answer_through_the_router);
