//! A PostgreSQL server that cannot be reached fails at once and says why, rather than after the
//! pool's 30 s acquire time-out.

use std::time::{Duration, Instant};
use styr_store::{Store, StoreError};

/// A local port nobody listens on: bound once to get a free one, then let go.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_refused_connection_fails_within_five_seconds_and_names_host_and_port() {
    let port = closed_port();
    let url = format!("postgres://styr@127.0.0.1:{port}/x");
    let started = Instant::now();
    let error = Store::open(&url).await.unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    match &error {
        StoreError::Unreachable { host, port: p, .. } => {
            assert_eq!((host.as_str(), *p), ("127.0.0.1", port));
        }
        other => panic!("{other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "kan inte ansluta till PostgreSQL på 127.0.0.1:{port}: anslutningen nekades"
        )),
        "{message}"
    );
    // The same for a command that only reads.
    let error = Store::open_existing(&url).await.unwrap_err();
    assert!(matches!(error, StoreError::Unreachable { .. }), "{error:?}");
}
