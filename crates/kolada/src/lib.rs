//! Kolada, the national database of municipal key figures: its API responses read into domain
//! values ([`read_pages`]), and a small blocking client that fetches them ([`fetch`]).
//!
//! One reader for v2 and v3 responses alike: `{"values": [{"kpi", "municipality", "period",
//! "values": [{"gender", "count", "status", "value", "isdeleted"?}]}], "next_page" (v2) |
//! "next_url" (v3)}`. A response is one page; the pages of one answer are read together and a
//! missing last page is an error rather than a silently short series. Every problem names the
//! file, the line and the field (as a JSON path), and a file with problems gives no values.
//!
//! Numbers are read from the JSON text as exact decimals (never through a float). A row with
//! `"value": null` or `"isdeleted": true` is a missing value, never zero. This crate knows
//! nothing of plans or indicators: which KPI belongs to which indicator is decided by the use
//! case that imports. It is the workspace's only HTTP client.

mod fetch;
mod read;

pub use fetch::{DEFAULT_BASE_URL, FetchError, FetchedPage, Query, data_urls, fetch};
pub use read::{Diagnostic, Page, ReadValue, Retrieval, read_page, read_pages};
