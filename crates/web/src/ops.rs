//! Running the server: `/healthz` (does the database answer?), `/metrics` (Prometheus text
//! exposition format, version 0.0.4) and one structured log event per request, under a span
//! that carries the request's id.
//!
//! The request id is the client's `X-Request-Id` when it is a short token (a proxy in front
//! usually sets one), else one made here; it is sent back in `X-Request-Id` and is in every log
//! line written while the request runs. Requests are counted by method, route (the router's
//! pattern, e.g. `/uppdrag/{id}`, never the raw path: ids and query strings stay out of the
//! labels) and status, and timed in a histogram per method and route.

use crate::WebState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// How long `/healthz` waits for the database.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(3);

const REQUEST_ID: &str = "x-request-id";

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Per bucket of [`BUCKETS`]: the requests that took at most its bound (not cumulative).
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// What the server has counted since it started.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    /// (method, route, status) → requests.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// (method, route) → latency.
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    /// The process's random prefix of made request ids, and the next number.
    id_prefix: u64,
    next_id: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics {
            started: Instant::now(),
            requests: Mutex::default(),
            latency: Mutex::default(),
            id_prefix: std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish(),
            next_id: AtomicU64::new(1),
        }
    }
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let key = (method.to_owned(), route.to_owned());
        if let Ok(mut requests) = self.requests.lock() {
            *requests
                .entry((key.0.clone(), key.1.clone(), status))
                .or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let histogram = latency.entry(key).or_default();
            let seconds = elapsed.as_secs_f64();
            if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
                histogram.buckets[bucket] += 1;
            }
            histogram.sum += seconds;
            histogram.count += 1;
        }
    }

    fn new_request_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}-{n:06}", self.id_prefix)
    }
}

/// A client's request id, when it is one we may repeat in logs and headers.
fn given_request_id(request: &Request) -> Option<String> {
    let value = request.headers().get(REQUEST_ID)?.to_str().ok()?;
    let fits = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    fits.then(|| value.to_owned())
}

/// Gives each request an id, runs it inside a span carrying that id, logs its end (method,
/// route, path, status, milliseconds) and counts it.
pub async fn observe(State(state): State<WebState>, request: Request, next: Next) -> Response {
    let metrics = &state.metrics;
    let id = given_request_id(&request).unwrap_or_else(|| metrics.new_request_id());
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(okänd)".to_owned(), |m| m.as_str().to_owned());
    let path = request.uri().path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %route);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    metrics.record(&method, &route, status, elapsed);
    span.in_scope(|| {
        let milliseconds = elapsed.as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::warn!(request_id = %id, method = %method, route = %route, path = %path,
                status, milliseconds, "svar");
        } else {
            tracing::info!(request_id = %id, method = %method, route = %route, path = %path,
                status, milliseconds, "svar");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

fn plain(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `GET /healthz`: 200 `ok` when the database answers a trivial query within a few seconds,
/// else 503 with the reason.
pub async fn healthz(State(state): State<WebState>) -> Response {
    match tokio::time::timeout(HEALTH_TIMEOUT, state.app.health()).await {
        Ok(Ok(())) => plain(StatusCode::OK, "ok\n".to_owned()),
        Ok(Err(error)) => {
            tracing::error!(error = %error, "databasen svarar inte");
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("databasen svarar inte: {error}\n"),
            )
        }
        Err(_) => {
            tracing::error!("databasen svarade inte inom {} s", HEALTH_TIMEOUT.as_secs());
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "databasen svarade inte inom {} s\n",
                    HEALTH_TIMEOUT.as_secs()
                ),
            )
        }
    }
}

/// A label value with `\`, `"` and line feeds escaped, as the text format asks.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `GET /metrics`: the counters in Prometheus text format.
pub async fn metrics(State(state): State<WebState>) -> Response {
    let database_up = matches!(
        tokio::time::timeout(HEALTH_TIMEOUT, state.app.health()).await,
        Ok(Ok(()))
    );
    let schema = match database_up {
        true => state.app.schema_version().await.ok(),
        false => None,
    };
    let reminders = match database_up {
        true => state.app.reminder_counts().await.ok(),
        false => None,
    };
    let metrics = &state.metrics;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP styr_http_requests_total HTTP-förfrågningar sedan start, per metod, route och status."
    );
    let _ = writeln!(out, "# TYPE styr_http_requests_total counter");
    if let Ok(requests) = metrics.requests.lock() {
        for ((method, route, status), count) in requests.iter() {
            let _ = writeln!(
                out,
                "styr_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {count}",
                label(method),
                label(route)
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP styr_http_request_duration_seconds Svarstid per metod och route, i sekunder."
    );
    let _ = writeln!(out, "# TYPE styr_http_request_duration_seconds histogram");
    if let Ok(latency) = metrics.latency.lock() {
        for ((method, route), histogram) in latency.iter() {
            let labels = format!("method=\"{}\",route=\"{}\"", label(method), label(route));
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                cumulative += count;
                let _ = writeln!(
                    out,
                    "styr_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "styr_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "styr_http_request_duration_seconds_sum{{{labels}}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "styr_http_request_duration_seconds_count{{{labels}}} {}",
                histogram.count
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP styr_database_up 1 när databasen svarar på en enkel fråga, annars 0."
    );
    let _ = writeln!(out, "# TYPE styr_database_up gauge");
    let _ = writeln!(out, "styr_database_up {}", u8::from(database_up));
    if let Some(schema) = schema {
        let _ = writeln!(
            out,
            "# HELP styr_schema_version Databasens schemaversion (senaste migreringen)."
        );
        let _ = writeln!(out, "# TYPE styr_schema_version gauge");
        let _ = writeln!(out, "styr_schema_version {schema}");
    }
    if let Some(counts) = reminders {
        let _ = writeln!(
            out,
            "# HELP styr_reminders Påminnelser med e-post i utkorgen, per status (väntar, skickad, misslyckad: försöks igen)."
        );
        let _ = writeln!(out, "# TYPE styr_reminders gauge");
        for (status, n) in [
            ("vantar", counts.waiting),
            ("skickad", counts.sent),
            ("misslyckad", counts.failed),
        ] {
            let _ = writeln!(out, "styr_reminders{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP styr_reminder_failed_attempts_total Misslyckade försök att skicka en påminnelse, alla påminnelser."
        );
        let _ = writeln!(out, "# TYPE styr_reminder_failed_attempts_total counter");
        let _ = writeln!(
            out,
            "styr_reminder_failed_attempts_total {}",
            counts.failed_attempts
        );
    }
    let _ = writeln!(
        out,
        "# HELP styr_uptime_seconds Sekunder sedan servern startade."
    );
    let _ = writeln!(out, "# TYPE styr_uptime_seconds gauge");
    let _ = writeln!(
        out,
        "styr_uptime_seconds {}",
        metrics.started.elapsed().as_secs_f64()
    );
    let mut response = plain(StatusCode::OK, out);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_falls_in_the_first_bucket_that_holds_it() {
        let metrics = Metrics::default();
        metrics.record("GET", "/", 200, Duration::from_millis(3));
        metrics.record("GET", "/", 200, Duration::from_millis(30));
        metrics.record("GET", "/", 500, Duration::from_secs(60));
        let latency = metrics.latency.lock().unwrap();
        let histogram = &latency[&("GET".to_owned(), "/".to_owned())];
        assert_eq!(histogram.buckets[0], 1);
        assert_eq!(histogram.buckets[3], 1);
        assert_eq!(histogram.buckets.iter().sum::<u64>(), 2);
        assert_eq!(histogram.count, 3);
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
