//! A PostgreSQL URL that names several servers, libpq's way
//! (`postgres://styr@db1:5432,db2:5432/styr?target_session_attrs=read-write`), and the pool
//! that follows the primary among them when it moves (a replica promoted after the primary was
//! lost).
//!
//! sqlx's `PgConnectOptions` takes one host, so styr does the choosing: at opening it tries the
//! servers in the order named and takes the first that answers (and, with
//! `target_session_attrs=read-write` or `primary`, accepts writes: not in recovery, not
//! `transaction_read_only`). A watcher then asks the chosen server every
//! [`WATCH_INTERVAL`]; when it stops answering (or turns read-only) the watcher tries the
//! servers again every [`RETRY_INTERVAL`] until one will do, points the pool's connect options
//! at it, and the pool drops every connection made before the switch the next time it would
//! hand it out (connections to a lost server fail their ping anyway; this also drops those to a
//! server still up but no longer chosen). New connections to a server that does not accept
//! writes are refused (`after_connect`) and wake the watcher.
//!
//! While no server will do, requests wait for a connection (the pool's acquire time-out) and
//! then fail; the web answers 503 (see `StoreError::is_unavailable`).

use crate::StoreError;
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, AnyPool, Connection, Row};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the watcher asks the chosen server whether it still answers.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(500);
/// How often the servers are tried again while none will do.
pub const RETRY_INTERVAL: Duration = Duration::from_millis(250);
/// How long one server may take to answer the watcher or a probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The servers a URL names, each as a URL of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Servers {
    /// One single-server URL per server named, in the order named.
    pub urls: Vec<String>,
    /// Only a server that accepts writes will do (`target_session_attrs=read-write`/`primary`).
    pub writable_only: bool,
}

fn bad_url(message: String) -> StoreError {
    StoreError::Database(sqlx::Error::Configuration(message.into()))
}

/// The servers a PostgreSQL URL names, when it names several or asks for
/// `target_session_attrs`; `None` for a plain one-server URL (opened as it stands).
pub fn servers(url: &str) -> Result<Option<Servers>, StoreError> {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return Ok(None);
    };
    let (scheme, rest) = url.split_at(scheme_end);
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (user, hosts) = match authority.rsplit_once('@') {
        Some((user, hosts)) => (format!("{user}@"), hosts),
        None => (String::new(), authority),
    };
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    let mut writable_only = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("target_session_attrs", value)) => {
                writable_only = Some(match value {
                    "any" => false,
                    "read-write" | "primary" => true,
                    other => {
                        return Err(bad_url(format!(
                            "target_session_attrs={other} går inte: styr skriver i databasen, \
                             ange read-write (eller any)"
                        )));
                    }
                });
            }
            _ => kept.push(pair),
        }
    }
    let hosts: Vec<&str> = hosts.split(',').collect();
    if hosts.iter().any(|h| h.is_empty()) {
        return Err(bad_url(format!(
            "databasadressen har en tom server i listan {:?}",
            hosts.join(",")
        )));
    }
    if hosts.len() < 2 && writable_only.is_none() {
        return Ok(None);
    }
    let query = match kept.is_empty() {
        true => String::new(),
        false => format!("?{}", kept.join("&")),
    };
    Ok(Some(Servers {
        urls: hosts
            .iter()
            .map(|host| format!("{scheme}{user}{host}{path}{query}"))
            .collect(),
        writable_only: writable_only.unwrap_or(false),
    }))
}

/// The server's host and port as a URL names them (for messages; never the password).
pub fn server_name(url: &str) -> String {
    match url.parse::<sqlx::postgres::PgConnectOptions>() {
        Ok(options) => format!("{}:{}", options.get_host(), options.get_port()),
        Err(_) => "(okänd server)".to_owned(),
    }
}

/// Whether the server behind `connection` accepts writes; `Err` says why not.
pub async fn writable(connection: &mut AnyConnection) -> Result<(), StoreError> {
    let row = sqlx::query(
        "SELECT CASE WHEN pg_is_in_recovery() THEN 'ja' ELSE 'nej' END AS standby, \
         current_setting('transaction_read_only') AS read_only",
    )
    .fetch_one(connection)
    .await?;
    let standby: String = row.try_get("standby")?;
    let read_only: String = row.try_get("read_only")?;
    match (standby.as_str(), read_only.as_str()) {
        ("ja", _) => Err(StoreError::ReadOnly(
            "servern är en reservserver (standby) som inte tar emot skrivningar".to_owned(),
        )),
        (_, "on") => Err(StoreError::ReadOnly(
            "servern är skrivskyddad (default_transaction_read_only)".to_owned(),
        )),
        _ => Ok(()),
    }
}

/// One connection to a server, checked to accept writes when `writable_only`; `Err` is why not.
async fn probe(url: &str, writable_only: bool) -> Result<AnyConnection, String> {
    let mut connection =
        match tokio::time::timeout(PROBE_TIMEOUT, AnyConnection::connect(url)).await {
            Err(_) => {
                return Err(format!("ingen svarade inom {} s", PROBE_TIMEOUT.as_secs()));
            }
            Ok(Err(error)) => return Err(crate::connect::connect_failure(&error)),
            Ok(Ok(connection)) => connection,
        };
    if writable_only {
        match tokio::time::timeout(PROBE_TIMEOUT, writable(&mut connection)).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => return Err(error.to_string()),
            Err(_) => return Err("svarade inte på frågan om den tar emot skrivningar".into()),
        }
    }
    Ok(connection)
}

/// The servers, which one the pool connects to, and since when.
#[derive(Debug)]
pub struct Failover {
    pub servers: Servers,
    current: AtomicUsize,
    /// Connections made before this were made to a server no longer chosen.
    switched_at: Mutex<Instant>,
    wake: tokio::sync::Notify,
}

impl Failover {
    /// The URL of the server the pool connects to now.
    pub fn current_url(&self) -> &str {
        &self.servers.urls[self.current.load(Ordering::Relaxed)]
    }

    /// The first server, in the order named, that will do, with a connection to it; `Err` names
    /// each server and why it would not.
    async fn find(&self) -> Result<(usize, AnyConnection), Vec<(String, String)>> {
        let mut reasons = Vec::new();
        for (index, url) in self.servers.urls.iter().enumerate() {
            match probe(url, self.servers.writable_only).await {
                Ok(connection) => return Ok((index, connection)),
                Err(reason) => reasons.push((server_name(url), reason)),
            }
        }
        Err(reasons)
    }

    /// Whether a connection `age` old was made after the last switch.
    fn made_since_switch(&self, age: Duration) -> bool {
        let switched_at = *self
            .switched_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Instant::now()
            .checked_sub(age)
            .is_none_or(|made| made >= switched_at)
    }

    fn switch_to(&self, pool: &AnyPool, index: usize) -> Result<(), StoreError> {
        pool.set_connect_options(AnyConnectOptions::from_str(&self.servers.urls[index])?);
        self.current.store(index, Ordering::Relaxed);
        *self
            .switched_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
        Ok(())
    }
}

/// The watcher of a pool on several servers: stopped when the last store holding it is dropped.
#[derive(Debug)]
pub struct Watch {
    pub failover: Arc<Failover>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Opens a pool on the first of `servers` that will do, with the hooks and the watcher that
/// move it to another when that one is lost.
pub async fn connect(
    servers: Servers,
    options: sqlx::any::AnyPoolOptions,
) -> Result<(AnyPool, Watch), StoreError> {
    let failover = Arc::new(Failover {
        servers,
        current: AtomicUsize::new(0),
        switched_at: Mutex::new(Instant::now()),
        wake: tokio::sync::Notify::new(),
    });
    let (index, connection) = failover.find().await.map_err(|reasons| {
        let (host, reason) = reasons.last().cloned().unwrap_or_default();
        let others: Vec<String> = reasons
            .iter()
            .take(reasons.len().saturating_sub(1))
            .map(|(host, reason)| format!("{host}: {reason}"))
            .collect();
        let (host, port) = host.rsplit_once(':').map_or((host.clone(), 0), |(h, p)| {
            (h.to_owned(), p.parse().unwrap_or(0))
        });
        let reason = match others.is_empty() {
            true => reason,
            false => format!("{reason} (och {})", others.join("; ")),
        };
        StoreError::Unreachable { host, port, reason }
    })?;
    failover.current.store(index, Ordering::Relaxed);
    let on_connect = failover.clone();
    let on_acquire = failover.clone();
    let options = options
        .after_connect(move |connection, _| {
            let failover = on_connect.clone();
            Box::pin(async move {
                crate::connect::postgres_settings(connection).await?;
                if failover.servers.writable_only
                    && let Err(error) = writable(connection).await
                {
                    failover.wake.notify_one();
                    return Err(sqlx::Error::Configuration(error.to_string().into()));
                }
                Ok(())
            })
        })
        .before_acquire(move |_, meta| {
            let fresh = on_acquire.made_since_switch(meta.age);
            Box::pin(async move { Ok(fresh) })
        });
    let pool = options
        .connect_with(AnyConnectOptions::from_str(failover.current_url())?)
        .await?;
    let task = tokio::spawn(watch(failover.clone(), pool.clone(), connection));
    Ok((pool, Watch { failover, task }))
}

/// Asks the chosen server every [`WATCH_INTERVAL`] (or when a new connection found it
/// read-only) and, when it will not do, moves the pool to the first server that will.
async fn watch(failover: Arc<Failover>, pool: AnyPool, connection: AnyConnection) {
    let writable_only = failover.servers.writable_only;
    let mut connection = Some(connection);
    let mut lost_at: Option<Instant> = None;
    loop {
        let interval = match connection {
            Some(_) => WATCH_INTERVAL,
            None => RETRY_INTERVAL,
        };
        tokio::select! {
            () = failover.wake.notified() => {}
            () = tokio::time::sleep(interval) => {}
        }
        if pool.is_closed() {
            return;
        }
        if let Some(current) = connection.as_mut() {
            let answers = async {
                match writable_only {
                    true => writable(current).await,
                    false => current.ping().await.map_err(StoreError::from),
                }
            };
            match tokio::time::timeout(PROBE_TIMEOUT, answers).await {
                Ok(Ok(())) => continue,
                Ok(Err(error)) => tracing::warn!(
                    server = %server_name(failover.current_url()),
                    error = %error,
                    "databasservern går inte att använda: letar efter en annan"
                ),
                Err(_) => tracing::warn!(
                    server = %server_name(failover.current_url()),
                    "databasservern svarar inte: letar efter en annan"
                ),
            }
            connection = None;
            lost_at = Some(Instant::now());
        }
        match failover.find().await {
            Ok((index, found)) => {
                let from = failover.current.load(Ordering::Relaxed);
                if index != from
                    && let Err(error) = failover.switch_to(&pool, index)
                {
                    tracing::error!(error = %error, "kan inte byta databasserver");
                    continue;
                }
                tracing::warn!(
                    server = %server_name(failover.current_url()),
                    switched = index != from,
                    after_ms = lost_at.map_or(0, |at| at.elapsed().as_millis() as u64),
                    "databasservern används"
                );
                connection = Some(found);
                lost_at = None;
            }
            Err(reasons) => {
                let reasons: Vec<String> = reasons
                    .iter()
                    .map(|(host, reason)| format!("{host}: {reason}"))
                    .collect();
                tracing::debug!(reasons = %reasons.join("; "), "ingen databasserver går att använda ännu");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_server_without_attributes_is_left_alone() {
        assert_eq!(servers("postgres://styr@db:5432/styr").unwrap(), None);
        assert_eq!(servers("postgres://db/styr?sslmode=disable").unwrap(), None);
    }

    #[test]
    fn several_servers_become_one_url_each() {
        let found = servers(
            "postgres://styr:hemligt@db1:5432,db2:5433/styr?sslmode=disable&target_session_attrs=read-write",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            found.urls,
            [
                "postgres://styr:hemligt@db1:5432/styr?sslmode=disable",
                "postgres://styr:hemligt@db2:5433/styr?sslmode=disable",
            ]
        );
        assert!(found.writable_only);
        let found = servers("postgresql://a,b/db").unwrap().unwrap();
        assert_eq!(found.urls, ["postgresql://a/db", "postgresql://b/db"]);
        assert!(!found.writable_only);
        let one = servers("postgres://u@a:1/db?target_session_attrs=primary")
            .unwrap()
            .unwrap();
        assert_eq!(one.urls, ["postgres://u@a:1/db"]);
        assert!(one.writable_only);
    }

    #[test]
    fn what_styr_cannot_use_is_refused_with_the_reason() {
        let error = servers("postgres://a,b/db?target_session_attrs=read-only").unwrap_err();
        assert!(error.to_string().contains("target_session_attrs=read-only"));
        assert!(servers("postgres://a,,b/db").is_err());
    }
}

#[cfg(test)]
mod opening {
    use crate::{Store, StoreError};

    fn closed_port() -> u16 {
        // Bound and let go: nothing listens there now.
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    #[tokio::test]
    async fn when_no_server_answers_opening_names_each_and_why() {
        let (first, second) = (closed_port(), closed_port());
        let url = format!(
            "postgres://styr@127.0.0.1:{first},127.0.0.1:{second}/styr?target_session_attrs=read-write"
        );
        let error = Store::open(&url).await.unwrap_err();
        assert!(matches!(error, StoreError::Unreachable { .. }), "{error}");
        assert!(error.is_unavailable());
        let text = error.to_string();
        for port in [first, second] {
            assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
        }
        assert!(text.contains("anslutningen nekades"), "{text}");
    }
}
