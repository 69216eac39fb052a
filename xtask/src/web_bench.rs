//! `cargo xtask bench-web`: the web application under load, as users meet it.
//!
//! Starts `styr serve --demo` (the release binary) on SQLite or on a PostgreSQL database, logs
//! in as a reader and runs `wrk` on Översikt (requests per second, latency percentiles); then
//! lets N reporters submit statuses through the API concurrently for a while
//! (`crate::reporters`: accepted per second, 409s, no lost update, every answer correct) and
//! checks that the server never said "database is locked".

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct WebBenchOptions {
    pub styr: PathBuf,
    /// A PostgreSQL URL of an empty database; `None`: a new SQLite file.
    pub postgres: Option<String>,
    pub seconds: u64,
    pub connections: u32,
    pub reporters: u32,
    /// How many records the reporters share (0: one per reporter).
    pub subjects: usize,
    pub reporter_seconds: u64,
}

pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
    passwords: Vec<(String, String)>,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(styr: &Path, db: &str) -> Result<Server> {
    start_with(
        styr,
        &["serve", "--demo", "--db", db, "--addr", "127.0.0.1:0"],
    )
}

/// Starts `styr ARGS` (a `serve` on port 0) and waits until it listens; the demo users'
/// passwords it prints, if any, are kept.
pub(crate) fn start_with(styr: &Path, args: &[&str]) -> Result<Server> {
    let mut child = Command::new(styr)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("kan inte starta {}", styr.display()))?;
    let stdout = child.stdout.take().context("stdout")?;
    let stderr = child.stderr.take().context("stderr")?;
    let (sender, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let mut passwords = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() == 3 && words[2].len() == 24 {
            passwords.push((words[0].to_owned(), words[2].to_owned()));
        }
        if let Some(url) = line.strip_prefix("styr kör på http://") {
            return Ok(Server {
                child,
                addr: url.trim_end_matches('/').to_owned(),
                passwords,
                log,
            });
        }
    }
    bail!("styr serve slutade utan att lyssna")
}

/// One HTTP/1.1 request on a new connection: the status and the body.
pub(crate) fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(u16, String, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    stream.write_all(text.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("ett HTTP-svar")?;
    Ok((status, head.to_owned(), body.to_owned()))
}

fn password(server: &Server, login: &str) -> Result<String> {
    server
        .passwords
        .iter()
        .find(|(l, _)| l == login)
        .map(|(_, p)| p.clone())
        .with_context(|| format!("inget lösenord för {login}"))
}

fn session_cookie(server: &Server, login: &str) -> Result<String> {
    login_cookie(&server.addr, login, &password(server, login)?)
}

/// The first `Set-Cookie` of a response head as `name=value`.
fn set_cookie(head: &str) -> Option<String> {
    head.lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// Logs in through the form as a browser does: the form's CSRF cookie first (double submit:
/// the hidden field must equal it), then the post; the session cookie (`name=value`).
pub(crate) fn login_cookie(addr: &str, login: &str, password: &str) -> Result<String> {
    let (status, head, _) = request(addr, "GET", "/logga-in", &[], "")?;
    if status != 200 {
        bail!("inloggningssidan gav {status}");
    }
    let csrf_cookie = set_cookie(&head).context("ingen CSRF-kaka på inloggningssidan")?;
    let csrf = csrf_cookie
        .split_once('=')
        .map(|(_, token)| token.to_owned())
        .unwrap_or_default();
    let body = format!("login={login}&password={password}&csrf={csrf}");
    let (status, head, _) = request(
        addr,
        "POST",
        "/logga-in",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &csrf_cookie),
        ],
        &body,
    )?;
    if status != 303 {
        bail!("inloggningen som {login} gav {status}");
    }
    set_cookie(&head).context("ingen sessionskaka")
}

/// `wrk` on one page; prints its summary and returns (requests/s, p99 in ms, requests that
/// timed out: wrk gives up on a request after 2 s, so with timeouts the p99 is a lower bound).
pub(crate) fn wrk(
    addr: &str,
    path: &str,
    cookie: &str,
    seconds: u64,
    connections: u32,
) -> Result<(f64, f64, u64)> {
    let output = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            "-H",
            &format!("Cookie: {cookie}"),
            &format!("http://{addr}{path}"),
        ])
        .output()
        .context("wrk (Debian: apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{text}");
    if text.contains("Non-2xx") {
        bail!("wrk fick svar som inte var 2xx");
    }
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .context("Requests/sec i wrk:s utdata")?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(str::trim)
        .and_then(parse_latency)
        .context("99% i wrk:s utdata")?;
    let timeouts = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Socket errors:"))
        .and_then(|l| l.split("timeout").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    Ok((rps, p99, timeouts))
}

/// The pages that present a computed report (issue 23: each ≥ 5 000 req/s, p99 < 50 ms), for
/// a logged-in reader.
const REPORT_PAGES: &[&str] = &[
    "/budget?period=2021-08",
    "/mal?period=2021-08",
    "/uppdrag?period=2021-08",
    "/kommun?period=2021-08",
    "/dokument",
    "/rapportering?period=2021-08",
];

/// `wrk` on each of [`REPORT_PAGES`], each warmed by one request first (the first request
/// computes): (path, requests/s, p99 ms, timeouts) per page.
fn report_pages(
    server: &Server,
    cookie: &str,
    options: &WebBenchOptions,
    backend: &str,
) -> Result<Vec<(String, f64, f64, u64)>> {
    let mut out = Vec::new();
    for path in REPORT_PAGES {
        let (status, _, _) = request(&server.addr, "GET", path, &[("Cookie", cookie)], "")?;
        if status != 200 {
            bail!("{path} gav {status}");
        }
        println!(
            "== {path} som läsare, {backend}, {} anslutningar, {} s",
            options.connections, options.seconds
        );
        let (rps, p99, timeouts) = wrk(
            &server.addr,
            path,
            cookie,
            options.seconds,
            options.connections,
        )?;
        out.push(((*path).to_owned(), rps, p99, timeouts));
    }
    Ok(out)
}

/// "12.34ms", "850.00us", "1.20s" → milliseconds.
fn parse_latency(text: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

fn api_token(styr: &Path, db: &str, login: &str) -> Result<String> {
    let output = Command::new(styr)
        .args(["token", "create", login, "--db", db])
        .output()?;
    if !output.status.success() {
        bail!(
            "styr token create: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?.trim().to_owned())
}

pub fn run(options: &WebBenchOptions) -> Result<()> {
    let folder = std::env::temp_dir().join(format!("styr-bench-web-{}", std::process::id()));
    std::fs::create_dir_all(&folder)?;
    let db = match &options.postgres {
        Some(url) => url.clone(),
        None => folder.join("bench.db").to_string_lossy().into_owned(),
    };
    let backend = if options.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let server = start(&options.styr, &db)?;
    let cookie = session_cookie(&server, "lasare")?;
    // Warm the view before timing: the first request computes it.
    let (status, _, _) = request(
        &server.addr,
        "GET",
        "/?period=2021-08",
        &[("Cookie", &cookie)],
        "",
    )?;
    if status != 200 {
        bail!("Översikt gav {status}");
    }
    println!(
        "== Översikt (/?period=2021-08) som läsare, {backend}, {} anslutningar, {} s",
        options.connections, options.seconds
    );
    let (rps, p99, _) = wrk(
        &server.addr,
        "/?period=2021-08",
        &cookie,
        options.seconds,
        options.connections,
    )?;

    let pages = report_pages(&server, &cookie, options, backend)?;

    println!(
        "== {} rapportörer via API:t samtidigt i {} s, {backend}",
        options.reporters, options.reporter_seconds
    );
    let token = api_token(&options.styr, &db, "admin")?;
    let reporters = crate::reporters::run(
        &server.addr,
        &token,
        options.reporters,
        options.subjects,
        options.reporter_seconds,
    )?;
    let locked: Vec<String> = server
        .log
        .try_iter()
        .filter(|l| l.contains("locked"))
        .collect();
    println!(
        "{} rapportörer på {} poster: accepterade {}, konflikter (409) {}, fel (5xx eller \
         avbrutna) {}, felaktiga svar {}, förlorade uppdateringar {}, utan rad i händelseloggen \
         {}, \"database is locked\" {}",
        reporters.reporters,
        reporters.subjects,
        reporters.accepted,
        reporters.conflicts,
        reporters.failures,
        reporters.wrong_answers,
        reporters.lost,
        reporters.unlogged,
        locked.len()
    );
    println!(
        "RESULTAT {backend}: Översikt {rps:.0} req/s, p99 {p99:.1} ms; rapportörer: {:.1} \
         accepterade/s, {} konflikter (409), {} fel, förlorade uppdateringar {}",
        reporters.accepted_per_second(),
        reporters.conflicts,
        reporters.failures,
        reporters.lost
    );
    for (path, rps, p99, timeouts) in &pages {
        println!("RESULTAT {backend}: {path} {rps:.0} req/s, p99 {p99:.1} ms, {timeouts} timeouts");
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&folder);
    if !reporters.ok() || !locked.is_empty() {
        bail!("lasttestet hittade fel");
    }
    Ok(())
}
