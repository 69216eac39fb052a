//! The logged-in pages that present a computed report (Översikt, Mål, Uppdrag, Kommunen,
//! Dokument, Rapportering, Budget), kept rendered per session until the data changes.
//!
//! A page depends on the data, on who asks and on the request. The data is covered by the
//! change counter (`App::change_counter`): every write moves it, and a page is kept only at the
//! value read before it was rendered. Who asks is covered by keying a page by the session it
//! was rendered for (a SHA-256 of the cookie's token, never the token): a page is never shown
//! to another session, so never to a user with other rights, and its CSRF token is the
//! session's own. The request is covered by the path with its query, the body kept in the
//! switcher's cookie and the day the calendar is read by.
//!
//! A request for a kept page costs one read of the counter, the session (kept as well,
//! `App::session_at`, until the counter moves; a logout or a replaced password moves it) and a
//! map lookup. A session that has ended or expired is never served a kept page: the request
//! goes to the handler, which answers as for anyone without a session.

use crate::WebState;
use crate::auth;
use crate::etag::AtCounter;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The paths whose pages are kept.
pub const CACHED_PATHS: &[&str] = &[
    "/",
    "/mal",
    "/uppdrag",
    "/kommun",
    "/dokument",
    "/rapportering",
    "/budget",
];

/// The most bytes of pages kept at one value of the counter; past it, the cache starts over.
pub const MAX_CACHED_BYTES: usize = 64 * 1024 * 1024;

/// (the session's token hashed, path and query, the switcher's cookie, the day).
type PageKey = ([u8; 32], String, Option<String>, String);

/// A kept page: its bytes and content type.
#[derive(Debug)]
struct Page {
    body: Bytes,
    content_type: HeaderValue,
}

/// Pages kept at one value of the change counter, at most [`MAX_CACHED_BYTES`] of them (the
/// shared mechanism of `etag::AtCounter`, weighed in bytes).
#[derive(Debug)]
pub struct PageCache {
    kept: AtCounter<PageKey, Page>,
}

impl Default for PageCache {
    fn default() -> PageCache {
        PageCache {
            kept: AtCounter::new(MAX_CACHED_BYTES),
        }
    }
}

impl PageCache {
    fn get(&self, generation: i64, key: &PageKey) -> Option<Arc<Page>> {
        self.kept.get(generation, key)
    }

    fn put(&self, generation: i64, key: PageKey, page: Page) {
        let weight = page.body.len();
        self.kept.put(generation, key, Arc::new(page), weight);
    }
}

pub async fn serve(State(state): State<WebState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET || !CACHED_PATHS.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let Some(token) = auth::cookie(request.headers(), auth::COOKIE).filter(|t| !t.is_empty())
    else {
        return next.run(request).await;
    };
    // Read before the page is rendered: a page is never kept under a counter from after the
    // data it was rendered from. An error is the handler's to answer.
    let Ok(generation) = state.app.change_counter().await else {
        return next.run(request).await;
    };
    match state.app.session_at(&token, generation).await {
        Ok(Some(_)) => {}
        _ => return next.run(request).await,
    }
    let key: PageKey = (
        Sha256::digest(token.as_bytes()).into(),
        request.uri().path_and_query().map_or_else(
            || request.uri().path().to_owned(),
            |p| p.as_str().to_owned(),
        ),
        auth::cookie(request.headers(), auth::ORGAN_COOKIE),
        state.app.today(),
    );
    if let Some(page) = state.pages.get(generation, &key) {
        let mut response = Response::new(Body::from(page.body.clone()));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, page.content_type.clone());
        return response;
    }
    let response = next.run(request).await;
    let plain = response.status() == StatusCode::OK
        && response
            .headers()
            .keys()
            .all(|name| *name == header::CONTENT_TYPE || *name == header::CONTENT_LENGTH);
    let Some(content_type) = response
        .headers()
        .get(header::CONTENT_TYPE)
        .filter(|value| value.as_bytes().starts_with(b"text/html"))
        .cloned()
        .filter(|_| plain)
    else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    state.pages.put(
        generation,
        key,
        Page {
            body: body.clone(),
            content_type,
        },
    );
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(page: &str) -> PageKey {
        ([1; 32], page.to_owned(), None, "2021-09-01".to_owned())
    }

    fn page(text: &'static str) -> Page {
        Page {
            body: Bytes::from_static(text.as_bytes()),
            content_type: HeaderValue::from_static("text/html; charset=utf-8"),
        }
    }

    #[test]
    fn a_page_is_kept_at_its_counter_only() {
        let cache = PageCache::default();
        cache.put(3, key("/budget"), page("tre"));
        assert_eq!(&cache.get(3, &key("/budget")).unwrap().body[..], b"tre");
        assert!(cache.get(4, &key("/budget")).is_none());
        assert!(cache.get(3, &key("/mal")).is_none());
        // Another session's key is another page.
        let mut other = key("/budget");
        other.0 = [2; 32];
        assert!(cache.get(3, &other).is_none());
        // A newer counter empties the cache; a page of an older one is not kept after it.
        cache.put(5, key("/mal"), page("fem"));
        assert!(cache.get(3, &key("/budget")).is_none());
        cache.put(4, key("/budget"), page("fyra"));
        assert!(cache.get(4, &key("/budget")).is_none());
        assert_eq!(&cache.get(5, &key("/mal")).unwrap().body[..], b"fem");
    }
}
