//! The reporters part of `cargo xtask bench-web`: N reporters submit assignment statuses through
//! the API at the same time, for a while, and the run checks what the store made of them.
//!
//! The records are (open period, assignment) pairs of the demo's Kommunstyrelsen, the first
//! `subjects` of them; reporter `n` reports on record `n % subjects`, so with fewer records than
//! reporters several reporters share one and collide. Each reporter reads the record's current
//! version once (the period's list, as the form or an API client reads it) and then submits on
//! the version each answer gives: a 200 gives the new version, a 409 the current report with its
//! version (someone else was first), on which it submits again — as a user does who reads the
//! answer. Every report's comment is new, so every accepted report is a change.
//!
//! The checks, all of which must hold: no request failed (5xx, a broken connection, anything
//! but 200 and 409); every 200 gave the version after the one sent; every 409 named a current
//! version other than the one sent (it refused a stale edit, not a current one); no update was
//! lost (each record's version moved by exactly the number of reports accepted on it, and the
//! audit log holds one row per accepted report); and the server never said "database is locked".

use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the reporters did and what the checks found.
pub struct ReportersResult {
    pub reporters: u32,
    pub subjects: usize,
    pub seconds: f64,
    pub accepted: u64,
    pub conflicts: u64,
    /// Requests that failed: a status other than 200 or 409, or a broken connection.
    pub failures: u64,
    /// 200s whose version was not the one sent + 1, and 409s that named the version sent.
    pub wrong_answers: u64,
    /// Accepted reports the records' versions do not account for.
    pub lost: u64,
    /// Accepted reports without their audit row.
    pub unlogged: u64,
}

impl ReportersResult {
    pub fn accepted_per_second(&self) -> f64 {
        self.accepted as f64 / self.seconds
    }

    pub fn ok(&self) -> bool {
        self.failures == 0 && self.wrong_answers == 0 && self.lost == 0 && self.unlogged == 0
    }
}

/// One kept-alive HTTP/1.1 connection (reconnected when the server closes it).
struct Client {
    addr: String,
    stream: Option<BufReader<TcpStream>>,
}

impl Client {
    fn new(addr: &str) -> Client {
        Client {
            addr: addr.to_owned(),
            stream: None,
        }
    }

    /// One request: the status and the body.
    fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<(u16, String)> {
        let mut text = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        text.push_str(body);
        // A kept connection the server has closed fails at once: try once more on a new one.
        match self.exchange(&text) {
            Ok(answer) => Ok(answer),
            Err(_) => {
                self.stream = None;
                self.exchange(&text)
            }
        }
    }

    fn exchange(&mut self, request: &str) -> Result<(u16, String)> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(&self.addr)?;
            stream.set_read_timeout(Some(Duration::from_secs(30)))?;
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::new(stream));
        }
        let reader = self.stream.as_mut().context("connection")?;
        reader.get_mut().write_all(request.as_bytes())?;
        let mut status_line = String::new();
        if reader.read_line(&mut status_line)? == 0 {
            bail!("the server closed the connection");
        }
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("an HTTP status line")?;
        let mut length = 0usize;
        let mut close = false;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().context("Content-Length")?;
            } else if name.eq_ignore_ascii_case("connection") && value.trim() == "close" {
                close = true;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        if close {
            self.stream = None;
        }
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// A record reporters write: (period, assignment) and its version before the run.
#[derive(Clone)]
struct Record {
    month: String,
    assignment: String,
    initial: u64,
}

fn json(body: &str) -> Result<serde_json::Value> {
    serde_json::from_str(body).with_context(|| format!("JSON: {body:.200}"))
}

/// The (period, assignment) records of the open periods with their current versions.
fn records(client: &mut Client, auth: &str) -> Result<Vec<Record>> {
    let headers = [("Authorization", auth)];
    let (status, body) = client.send("GET", "/api/v1/periods", &headers, "")?;
    if status != 200 {
        bail!("/api/v1/periods gav {status}");
    }
    let mut records = Vec::new();
    for period in json(&body)?.as_array().context("a list of periods")? {
        if period["state"] != "open" {
            continue;
        }
        let month = period["month"].as_str().context("month")?.to_owned();
        for (id, version) in versions(client, auth, &month)? {
            records.push(Record {
                month: month.clone(),
                assignment: id,
                initial: version,
            });
        }
    }
    Ok(records)
}

/// The assignments of a period with their current versions.
fn versions(client: &mut Client, auth: &str, month: &str) -> Result<Vec<(String, u64)>> {
    let path = format!("/api/v1/assignments?period={month}");
    let (status, body) = client.send("GET", &path, &[("Authorization", auth)], "")?;
    if status != 200 {
        bail!("{path} gav {status}");
    }
    json(&body)?
        .as_array()
        .context("a list of assignments")?
        .iter()
        .map(|a| {
            Ok((
                a["id"].as_str().context("id")?.to_owned(),
                a["version"].as_u64().context("version")?,
            ))
        })
        .collect()
}

/// Counters shared by the reporters' threads.
#[derive(Default)]
struct Tally {
    accepted: AtomicU64,
    conflicts: AtomicU64,
    failures: AtomicU64,
    wrong: AtomicU64,
}

/// Runs `reporters` reporters on the first `subjects` records (0: one per reporter, as far as
/// the records go) for `seconds`, with the admin's API token, and checks the outcome.
pub fn run(
    addr: &str,
    token: &str,
    reporters: u32,
    subjects: usize,
    seconds: u64,
) -> Result<ReportersResult> {
    let auth = format!("Bearer {token}");
    let mut client = Client::new(addr);
    let mut records = records(&mut client, &auth)?;
    if records.is_empty() {
        bail!("inga öppna perioder med uppdrag att rapportera på");
    }
    let subjects = match subjects {
        0 => (reporters as usize).min(records.len()),
        n => n.min(records.len()),
    };
    records.truncate(subjects);
    let records = Arc::new(records);
    let tally = Arc::new(Tally::default());
    // Accepted reports per record.
    let accepted_on = Arc::new(Mutex::new(vec![0u64; subjects]));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..reporters)
        .map(|n| {
            let (addr, auth) = (addr.to_owned(), auth.clone());
            let (records, tally, accepted_on) = (
                Arc::clone(&records),
                Arc::clone(&tally),
                Arc::clone(&accepted_on),
            );
            std::thread::spawn(move || {
                let index = n as usize % records.len();
                let record = &records[index];
                let path = format!(
                    "/api/v1/assignments/{}/reports/{}",
                    record.assignment, record.month
                );
                let headers = [
                    ("Authorization", auth.as_str()),
                    ("Content-Type", "application/json"),
                ];
                let mut client = Client::new(&addr);
                let mut version = record.initial;
                let mut round = 0u64;
                while Instant::now() < deadline {
                    round += 1;
                    let report = format!(
                        "{{\"status\":\"started\",\"comment\":\"rapportör {n} omgång {round}\",\
                         \"version\":{version}}}"
                    );
                    let answer = client.send("PUT", &path, &headers, &report);
                    let given = |body: &str, pointer: &str| {
                        json(body).ok().and_then(|v| v.pointer(pointer)?.as_u64())
                    };
                    match answer {
                        Ok((200, body)) => {
                            tally.accepted.fetch_add(1, Ordering::Relaxed);
                            if let Ok(mut on) = accepted_on.lock() {
                                on[index] += 1;
                            }
                            match given(&body, "/version") {
                                Some(new) if new == version + 1 => version = new,
                                new => {
                                    tally.wrong.fetch_add(1, Ordering::Relaxed);
                                    version = new.unwrap_or(version);
                                }
                            }
                        }
                        Ok((409, body)) => {
                            tally.conflicts.fetch_add(1, Ordering::Relaxed);
                            match given(&body, "/current/version") {
                                Some(current) if current != version => version = current,
                                _ => {
                                    tally.wrong.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                        }
                        _ => {
                            tally.failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        let _ = thread.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let accepted = tally.accepted.load(Ordering::Relaxed);
    // Each record's version now: it moved once per accepted report, or an update was lost.
    let accepted_on = accepted_on.lock().map(|on| on.clone()).unwrap_or_default();
    let mut now: HashMap<(String, String), u64> = HashMap::new();
    let months: std::collections::BTreeSet<&str> =
        records.iter().map(|r| r.month.as_str()).collect();
    for month in months {
        for (id, version) in versions(&mut client, &auth, month)? {
            now.insert((month.to_owned(), id), version);
        }
    }
    let mut moved = 0u64;
    for (record, on) in records.iter().zip(&accepted_on) {
        let version = now
            .get(&(record.month.clone(), record.assignment.clone()))
            .copied()
            .unwrap_or(0);
        let by = version.saturating_sub(record.initial);
        if by != *on {
            eprintln!(
                "{} {}: version {} → {version}, {on} accepterade",
                record.month, record.assignment, record.initial
            );
        }
        moved += by.min(*on);
    }
    let (status, body) = client.send(
        "GET",
        "/api/v1/audit?since=2000-01-01",
        &[("Authorization", &auth)],
        "",
    )?;
    if status != 200 {
        bail!("audit gav {status}");
    }
    let logged = json(&body)?
        .as_array()
        .context("the audit log")?
        .iter()
        .filter(|e| {
            e["action"]
                .as_str()
                .is_some_and(|a| a.starts_with("report status ") && e["actor"] == "admin")
        })
        .count() as u64;
    Ok(ReportersResult {
        reporters,
        subjects,
        seconds: elapsed,
        accepted,
        conflicts: tally.conflicts.load(Ordering::Relaxed),
        failures: tally.failures.load(Ordering::Relaxed),
        wrong_answers: tally.wrong.load(Ordering::Relaxed),
        lost: accepted - moved,
        unlogged: accepted.saturating_sub(logged),
    })
}
