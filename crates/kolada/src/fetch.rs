//! Fetching data from the Kolada API: the URLs of a query and the pages of each answer,
//! followed to the last page. Returns the responses as bytes; reading them is [`crate::read`]'s.

use std::io::Read as _;
use std::time::Duration;

/// The real Kolada v3 API.
pub const DEFAULT_BASE_URL: &str = "https://api.kolada.se/v3";

/// Kolada refuses long URLs: at most this many municipalities per request.
const MUNICIPALITIES_PER_REQUEST: usize = 20;
/// A guard against a server whose pages never end.
const MAX_PAGES: usize = 1000;
/// A response larger than this is not a Kolada page (5 000 values is well under it).
const MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// What to fetch: KPIs × municipalities × years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub kpis: Vec<String>,
    pub municipalities: Vec<String>,
    pub years: Vec<i32>,
}

/// One fetched response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPage {
    pub url: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: servern svarade {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url}: svaret är inte JSON från Kolada: {message}")]
    NotKolada { url: String, message: String },
    #[error(
        "{url}: sidorna tar inte slut (mer än {MAX_PAGES} sidor eller en sida som pekar bakåt)"
    )]
    EndlessPages { url: String },
    #[error("frågan saknar {0}")]
    EmptyQuery(&'static str),
}

fn join(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(",")
}

/// The data URLs of a query: `{base}/data/kpi/{kpis}/municipality/{codes}/year/{years}`, the
/// municipalities split into groups Kolada accepts.
pub fn data_urls(base_url: &str, query: &Query) -> Result<Vec<String>, FetchError> {
    if query.kpis.is_empty() {
        return Err(FetchError::EmptyQuery("nyckeltal (--kpi)"));
    }
    if query.municipalities.is_empty() {
        return Err(FetchError::EmptyQuery("kommuner (--municipality)"));
    }
    if query.years.is_empty() {
        return Err(FetchError::EmptyQuery("år (--years)"));
    }
    let base = base_url.trim_end_matches('/');
    let kpis = join(query.kpis.iter().cloned());
    let years = join(query.years.iter().map(ToString::to_string));
    Ok(query
        .municipalities
        .chunks(MUNICIPALITIES_PER_REQUEST)
        .map(|codes| {
            format!(
                "{base}/data/kpi/{kpis}/municipality/{}/year/{years}",
                join(codes.iter().cloned())
            )
        })
        .collect())
}

/// The link to the next page of a response, if any (`next_page` in v2, `next_url` in v3).
fn next_link(url: &str, bytes: &[u8]) -> Result<Option<String>, FetchError> {
    #[derive(serde::Deserialize)]
    struct Links {
        next_page: Option<String>,
        next_url: Option<String>,
    }
    let links: Links = serde_json::from_slice(bytes).map_err(|error| FetchError::NotKolada {
        url: url.to_owned(),
        message: error.to_string(),
    })?;
    Ok(links
        .next_page
        .filter(|l| !l.is_empty())
        .or(links.next_url.filter(|l| !l.is_empty())))
}

fn get(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, FetchError> {
    let response = agent.get(url).call().map_err(|error| match error {
        ureq::Error::StatusCode(status) => FetchError::Status {
            url: url.to_owned(),
            status,
        },
        other => FetchError::Transport {
            url: url.to_owned(),
            message: other.to_string(),
        },
    })?;
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(MAX_PAGE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|error| FetchError::Transport {
            url: url.to_owned(),
            message: error.to_string(),
        })?;
    Ok(bytes)
}

/// Fetches every page of every URL of the query, in order. Blocking; 60 s per request.
pub fn fetch(base_url: &str, query: &Query) -> Result<Vec<FetchedPage>, FetchError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut pages: Vec<FetchedPage> = Vec::new();
    for first in data_urls(base_url, query)? {
        let mut url = first.clone();
        let mut count = 0;
        loop {
            let bytes = get(&agent, &url)?;
            let next = next_link(&url, &bytes)?;
            pages.push(FetchedPage {
                url: url.clone(),
                bytes,
            });
            count += 1;
            match next {
                Some(next) if count >= MAX_PAGES || pages.iter().any(|p| p.url == next) => {
                    return Err(FetchError::EndlessPages { url: first });
                }
                Some(next) => url = next,
                None => break,
            }
        }
    }
    Ok(pages)
}
