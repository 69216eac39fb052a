//! Public answers (open data, the public site's pages): rendered once per change of the data,
//! kept in memory, sent with a strong ETag and cache headers, and answered with 304 Not
//! Modified when the client already holds them.
//!
//! - The ETag is a digest (SHA-256, first 128 bits) of the answer's bytes: two answers with the
//!   same bytes have the same tag whatever happened in the database between them (a draft
//!   saved, a report written), and different bytes never share one. It is strong, so a range or
//!   a byte-for-byte comparison may rely on it.
//! - The cache ([`PublicCache`]) keeps each rendered answer under a key the caller names (the
//!   path with everything else the answer depends on) at one value of the store's change
//!   counter (`App::change_counter`, one small query per request): every write moves the
//!   counter, so a decided version or a closed period is seen by the next request, and an
//!   answer is never kept under a counter read after the data it was rendered from. An answer
//!   rendered again after an unrelated write (a draft) has the same bytes and so the same tag:
//!   clients keep getting 304.
//! - `Cache-Control: public, max-age=60, must-revalidate`: a browser or a proxy may reuse an
//!   answer for a minute and must ask again (If-None-Match) after. For a logged-in browser
//!   `page_frame` (lib.rs) replaces it with `no-store`.
//!
//! Only answers that are the same for every visitor belong here (what the public may see);
//! an answer that depends on who asks must not be cached under a key that does not say so.

use crate::error::WebError;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use styr_app::App;

/// How long (seconds) a browser or proxy may reuse a public answer before asking again.
pub const PUBLIC_MAX_AGE: u32 = 60;

/// The most answers the cache keeps at one value of the counter; past it, the cache starts
/// over (a bound on memory whatever paths are asked for).
pub const MAX_CACHED_ANSWERS: usize = 4096;

/// A rendered public answer: its bytes, its content type and its tag.
#[derive(Debug, Clone)]
pub struct PublicAnswer {
    pub body: Bytes,
    pub content_type: &'static str,
    pub etag: String,
}

impl PublicAnswer {
    pub fn new(content_type: &'static str, body: impl Into<Bytes>) -> PublicAnswer {
        let body = body.into();
        let etag = strong_etag(&body);
        PublicAnswer {
            body,
            content_type,
            etag,
        }
    }

    /// An HTML page.
    pub fn html(body: impl Into<Bytes>) -> PublicAnswer {
        PublicAnswer::new("text/html; charset=utf-8", body)
    }

    /// The answer to a request with these headers: 304 with the tag and no body when
    /// `If-None-Match` names the tag, else 200 with the body; both with the cache headers.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let etag = HeaderValue::from_str(&self.etag).expect("a hex tag is a header value");
        let cache = HeaderValue::from_str(&format!(
            "public, max-age={PUBLIC_MAX_AGE}, must-revalidate"
        ))
        .expect("a header value");
        if none_match(request, &self.etag) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            response.headers_mut().insert(header::ETAG, etag);
            response.headers_mut().insert(header::CACHE_CONTROL, cache);
            return response;
        }
        let mut response = Response::new(Body::from(self.body.clone()));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        headers.insert(header::ETAG, etag);
        headers.insert(header::CACHE_CONTROL, cache);
        response
    }
}

/// The strong ETag of a body: `"` + 32 hex digits of its SHA-256 + `"`.
pub fn strong_etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let mut tag = String::with_capacity(34);
    tag.push('"');
    for byte in &digest[..16] {
        tag.push_str(&format!("{byte:02x}"));
    }
    tag.push('"');
    tag
}

/// Whether `If-None-Match` in `request` names `etag` (or is `*`). RFC 9110 §13.1.2: the
/// comparison is weak, so `W/"x"` matches `"x"`; the header may be a list, and may be sent
/// several times.
pub fn none_match(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// Values kept at one value of the change counter, up to a total weight (a count, or bytes):
/// the public answers here and the logged-in pages (`page_cache`). A value is kept only under
/// the counter read before it was made, and a newer counter (or a full cache) drops the rest.
#[derive(Debug)]
pub struct AtCounter<K, V> {
    inner: Mutex<Kept<K, V>>,
    max_weight: usize,
}

#[derive(Debug)]
struct Kept<K, V> {
    generation: i64,
    weight: usize,
    values: HashMap<K, Arc<V>>,
}

impl<K: Eq + std::hash::Hash, V> AtCounter<K, V> {
    pub fn new(max_weight: usize) -> AtCounter<K, V> {
        AtCounter {
            inner: Mutex::new(Kept {
                generation: 0,
                weight: 0,
                values: HashMap::new(),
            }),
            max_weight,
        }
    }

    /// The value kept under `key` at `generation`, if any.
    pub fn get(&self, generation: i64, key: &K) -> Option<Arc<V>> {
        let kept = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        (kept.generation == generation)
            .then(|| kept.values.get(key).cloned())
            .flatten()
    }

    /// Keeps `value` under `key` at `generation`, unless a newer generation is already held.
    pub fn put(&self, generation: i64, key: K, value: Arc<V>, weight: usize) {
        let mut kept = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if kept.generation > generation {
            return;
        }
        if kept.generation < generation || kept.weight + weight > self.max_weight {
            kept.generation = generation;
            kept.weight = 0;
            kept.values.clear();
        }
        kept.weight += weight;
        kept.values.insert(key, value);
    }
}

/// Rendered public answers at one value of the change counter.
#[derive(Debug)]
pub struct PublicCache {
    kept: AtCounter<String, PublicAnswer>,
}

impl Default for PublicCache {
    fn default() -> PublicCache {
        PublicCache {
            kept: AtCounter::new(MAX_CACHED_ANSWERS),
        }
    }
}

impl PublicCache {
    /// The answer kept under `key` at the store's current change counter, or the one `render`
    /// makes (kept for the next request when it succeeds; an error is never kept).
    pub async fn answer(
        &self,
        app: &App,
        key: String,
        render: impl AsyncFnOnce() -> Result<PublicAnswer, WebError>,
    ) -> Result<Arc<PublicAnswer>, WebError> {
        // Read before rendering: an answer is never kept under a counter from after the data
        // it was rendered from.
        let generation = app.change_counter().await?;
        self.answer_at(generation, key, render).await
    }

    /// [`PublicCache::answer`] with the counter read by the caller.
    pub async fn answer_at(
        &self,
        generation: i64,
        key: String,
        render: impl AsyncFnOnce() -> Result<PublicAnswer, WebError>,
    ) -> Result<Arc<PublicAnswer>, WebError> {
        if let Some(answer) = self.kept.get(generation, &key) {
            return Ok(answer);
        }
        let answer = Arc::new(render().await?);
        self.kept.put(generation, key, Arc::clone(&answer), 1);
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn request(if_none_match: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in if_none_match {
            headers.append(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn the_tag_is_strong_and_follows_the_bytes() {
        let a = strong_etag(b"belopp;1\n");
        assert_eq!(a, strong_etag(b"belopp;1\n"));
        assert_ne!(a, strong_etag(b"belopp;2\n"));
        assert!(a.starts_with('"') && a.ends_with('"') && !a.starts_with("W/"));
        assert_eq!(a.len(), 34);
    }

    #[test]
    fn if_none_match_is_compared_weakly_over_lists() {
        let tag = strong_etag(b"x");
        assert!(none_match(&request(&[&tag]), &tag));
        assert!(none_match(&request(&[&format!("W/{tag}")]), &tag));
        assert!(none_match(&request(&[&format!("\"other\", {tag}")]), &tag));
        assert!(none_match(&request(&["\"other\"", &tag]), &tag));
        assert!(none_match(&request(&["*"]), &tag));
        assert!(!none_match(&request(&["\"other\""]), &tag));
        assert!(!none_match(&request(&[]), &tag));
    }

    #[test]
    fn a_matching_tag_answers_304_without_body_and_with_the_cache_headers() {
        let answer = PublicAnswer::new("text/csv; charset=utf-8", "a,b\n1,2\n");
        let fresh = answer.respond(&request(&[]));
        assert_eq!(fresh.status(), StatusCode::OK);
        assert_eq!(fresh.headers()[header::ETAG], answer.etag.as_str());
        assert_eq!(
            fresh.headers()[header::CONTENT_TYPE],
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            fresh.headers()[header::CACHE_CONTROL],
            "public, max-age=60, must-revalidate"
        );
        let again = answer.respond(&request(&[&answer.etag]));
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], answer.etag.as_str());
        assert!(again.headers().get(header::CONTENT_TYPE).is_none());
        let stale = answer.respond(&request(&["\"0123\""]));
        assert_eq!(stale.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn the_cache_renders_once_per_counter_value_and_keeps_no_error() {
        let cache = PublicCache::default();
        let renders = AtomicUsize::new(0);
        let render = |text: &'static str| {
            let renders = &renders;
            async move || {
                renders.fetch_add(1, Ordering::SeqCst);
                Ok(PublicAnswer::new("text/plain", text))
            }
        };
        let first = cache
            .answer_at(3, "/data/a".into(), render("ett"))
            .await
            .unwrap();
        let kept = cache
            .answer_at(3, "/data/a".into(), render("två"))
            .await
            .unwrap();
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        assert_eq!(kept.body, first.body);
        // Another key at the same counter is rendered on its own.
        cache
            .answer_at(3, "/data/b".into(), render("tre"))
            .await
            .unwrap();
        assert_eq!(renders.load(Ordering::SeqCst), 2);
        // The counter moved (a decision): rendered again.
        let after = cache
            .answer_at(4, "/data/a".into(), render("fyra"))
            .await
            .unwrap();
        assert_eq!(renders.load(Ordering::SeqCst), 3);
        assert_eq!(&after.body[..], b"fyra");
        // A request that read the counter before the write does not replace the newer answers.
        cache
            .answer_at(3, "/data/a".into(), render("gammal"))
            .await
            .unwrap();
        let current = cache
            .answer_at(4, "/data/a".into(), render("fem"))
            .await
            .unwrap();
        assert_eq!(&current.body[..], b"fyra");
        // An error is not kept.
        let failed = cache
            .answer_at(4, "/data/c".into(), async || {
                Err(WebError::NotFound("saknas".into()))
            })
            .await;
        assert!(failed.is_err());
        let later = cache
            .answer_at(4, "/data/c".into(), render("sex"))
            .await
            .unwrap();
        assert_eq!(&later.body[..], b"sex");
    }
}
