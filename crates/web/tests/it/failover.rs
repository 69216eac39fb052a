//! PostgreSQL failover: a primary with a synchronous streaming replica, both started here
//! (`initdb`, `pg_basebackup -R`), and the server on a libpq-style URL naming both
//! (`target_session_attrs=read-write`). Several API clients report statuses without pause; the
//! primary's processes are killed with SIGKILL mid-stream and the replica is promoted
//! (`pg_ctl promote`). The server must move to the new primary by itself; every report that
//! got a 2xx must be on it exactly once; a report that failed in the switch must have had a 503
//! with the Swedish message (never a 500) and succeed when sent again. The time from the kill to
//! the first 2xx is printed (docs/operations.md, "Failover").
//!
//! Before the kill, a second server on the replica alone shows that `/healthz` fails on a
//! standby, that reads work there and that a write (an API report, a sign-in) is a 503 with the
//! Swedish message and `Retry-After`.

use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use styr_app::Actor;

/// The period the clients report on (open in the example's follow-up).
const PERIOD: &str = "2021-08";
/// Reports every client must have acknowledged after the switch before the stream stops.
const AFTER_SWITCH: usize = 5;
/// The clients reporting at the same time, each on assignments of its own.
const CLIENTS: usize = 4;

/// The PostgreSQL server programs: `STYR_PG_BIN` (scripts/test.sh sets it), else the newest
/// `/usr/lib/postgresql/*/bin` with `initdb`; `None` (skip) when there are none, outside CI.
fn pg_bin() -> Option<PathBuf> {
    let named = std::env::var("STYR_PG_BIN").ok().map(PathBuf::from);
    let found = named
        .filter(|dir| dir.join("initdb").is_file())
        .or_else(|| {
            let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
                .ok()?
                .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
                .filter(|dir| dir.join("initdb").is_file() && dir.join("pg_basebackup").is_file())
                .collect();
            dirs.sort_by_key(|dir| {
                dir.parent()
                    .and_then(|v| v.file_name())
                    .and_then(|v| v.to_str())
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(0)
            });
            dirs.pop()
        });
    match found {
        Some(dir) => Some(dir),
        None => crate::tool::missing(
            "PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup)",
            "install Debian's postgresql, or set STYR_PG_BIN to their folder",
        ),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Two PostgreSQL servers in a temporary folder, run as `styrpg` when the tests run as root
/// (PostgreSQL refuses root; scripts/test.sh does the same). Stopped when dropped.
struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    as_root: bool,
    primary_port: u16,
    replica_port: u16,
}

fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', "'\\''"))
}

impl Cluster {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// One of the server programs, run as `styrpg` under root.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let program = self.bin.join(program);
        if self.as_root {
            let line: Vec<String> = std::iter::once(program.to_str().unwrap())
                .chain(args.iter().copied())
                .map(quote)
                .collect();
            let mut command = Command::new("su");
            command.args(["styrpg", "-s", "/bin/sh", "-c", &line.join(" ")]);
            command
        } else {
            let mut command = Command::new(program);
            command.args(args);
            command
        }
    }

    /// Runs one of the server programs; panics with its output on failure.
    fn run(&self, program: &str, args: &[&str]) {
        let output = self
            .command(program, args)
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            output.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn start(&self, name: &str, port: u16, settings: &[&str]) {
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.dir.path().display()
        );
        for setting in settings {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        let data = self.path(name);
        let log = self.path(&format!("{name}.log"));
        self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-o",
                &options,
                "start",
            ],
        );
    }

    /// A primary that waits for its replica's flush before a commit returns
    /// (`synchronous_standby_names`, `synchronous_commit = on`) and the replica, streaming.
    fn new(bin: PathBuf) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let as_root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if as_root {
            let exists = Command::new("id")
                .arg("styrpg")
                .output()
                .is_ok_and(|o| o.status.success());
            if !exists {
                let made = Command::new("useradd")
                    .args(["--system", "--no-create-home", "styrpg"])
                    .status()
                    .unwrap();
                assert!(made.success(), "useradd styrpg");
            }
            let chown = Command::new("chown")
                .args(["styrpg", dir.path().to_str().unwrap()])
                .status()
                .unwrap();
            assert!(chown.success());
        }
        let cluster = Cluster {
            bin,
            dir,
            as_root,
            primary_port: free_port(),
            replica_port: free_port(),
        };
        let primary = cluster.path("primary");
        let replica = cluster.path("replica");
        cluster.run(
            "initdb",
            &[
                "-D",
                primary.to_str().unwrap(),
                "-U",
                "styr",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
            ],
        );
        cluster.start(
            "primary",
            cluster.primary_port,
            &["synchronous_standby_names=replica", "synchronous_commit=on"],
        );
        cluster.run(
            "pg_basebackup",
            &[
                "-D",
                replica.to_str().unwrap(),
                "-R",
                "-X",
                "stream",
                "-d",
                &format!(
                    "host=127.0.0.1 port={} user=styr application_name=replica",
                    cluster.primary_port
                ),
            ],
        );
        cluster.start("replica", cluster.replica_port, &[]);
        cluster
    }

    fn url(&self, port: u16, database: &str) -> String {
        format!("postgres://styr@127.0.0.1:{port}/{database}")
    }

    /// The postmaster's process id, from its pid file.
    fn postmaster(&self, name: &str) -> u32 {
        let text = std::fs::read_to_string(self.path(name).join("postmaster.pid")).unwrap();
        text.lines().next().unwrap().trim().parse().unwrap()
    }

    /// SIGKILL to the primary's postmaster and every process it started, as when its machine
    /// is lost: nothing is shut down cleanly, no connection is told. Gives the instant `kill`
    /// returned (every signal sent; what was answered before it may have been answered by the
    /// primary).
    fn kill_primary(&self) -> Instant {
        let postmaster = self.postmaster("primary");
        let mut pids = vec![postmaster.to_string()];
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid …: the comm may hold spaces, so read after its ')'.
            let parent = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|ppid| ppid.parse::<u32>().ok());
            if parent == Some(postmaster) {
                pids.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        let killed = Command::new("kill").arg("-9").args(&pids).status().unwrap();
        let killed_at = Instant::now();
        assert!(killed.success(), "kill -9 {pids:?}");
        killed_at
    }

    fn promote_replica(&self) {
        let replica = self.path("replica");
        self.run(
            "pg_ctl",
            &["-D", replica.to_str().unwrap(), "-w", "promote"],
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for name in ["replica", "primary"] {
            let data = self.path(name);
            if data.join("postmaster.pid").is_file() {
                let data = data.to_str().unwrap().to_owned();
                let _ = self
                    .command("pg_ctl", &["-D", &data, "-m", "immediate", "stop"])
                    .output();
            }
        }
    }
}

async fn pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// One acknowledged report: the client, its number, the assignment, the version answered.
#[derive(Debug, Clone)]
struct Acknowledged {
    comment: String,
    assignment: String,
    version: u64,
    /// When the request that got the answer was sent, and when the answer came.
    sent: Instant,
    at: Instant,
}

/// What a client saw besides its 2xx answers.
#[derive(Debug, Default)]
struct Seen {
    acknowledged: Vec<Acknowledged>,
    unavailable: usize,
    /// Reports sent again after a 503 that were found stored already (`changed: false`).
    found_stored: usize,
    /// Statuses other than 200 and 503 (with the body), which fail the test.
    unexpected: Vec<String>,
}

/// Reports statuses on `assignment` one after another, each on the version the last answer
/// gave, until `stop`; a 503 (or a lost answer) is sent again as it was.
async fn client(
    url: String,
    token: String,
    number: usize,
    assignment: String,
    mut version: u64,
    stop: Arc<AtomicBool>,
) -> Seen {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(45))
        .build()
        .unwrap();
    let mut seen = Seen::default();
    let mut report = 0;
    while !stop.load(Ordering::Relaxed) {
        let comment = format!("klient {number} rapport {report}");
        let sent = Instant::now();
        let answer = http
            .put(format!(
                "{url}/api/v1/assignments/{assignment}/reports/{PERIOD}"
            ))
            .bearer_auth(&token)
            .json(&json!({"status": "started", "comment": comment, "version": version}))
            .send()
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => {
                seen.unexpected
                    .push(format!("{comment}: no answer: {error}"));
                break;
            }
        };
        let status = answer.status().as_u16();
        let retry_after = answer.headers().get("retry-after").cloned();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        match status {
            200 => {
                version = body["version"].as_u64().unwrap();
                if body["changed"] == json!(false) {
                    seen.found_stored += 1;
                }
                seen.acknowledged.push(Acknowledged {
                    comment,
                    assignment: assignment.clone(),
                    version,
                    sent,
                    at: Instant::now(),
                });
                report += 1;
            }
            503 => {
                let message = body["error"].as_str().unwrap_or_default();
                if !message.starts_with("Databasen går inte att nå just nu")
                    || retry_after.is_none()
                {
                    seen.unexpected
                        .push(format!("503 {body} (Retry-After {retry_after:?})"));
                    break;
                }
                seen.unavailable += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => {
                seen.unexpected.push(format!("{comment}: {other} {body}"));
                break;
            }
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_reports_survive_the_loss_of_the_primary() {
    let Some(bin) = pg_bin() else {
        return;
    };
    let started = Instant::now();
    let cluster = Cluster::new(bin);
    let (primary_port, replica_port) = (cluster.primary_port, cluster.replica_port);
    // The replica streams synchronously before anything is written.
    let admin = pool(&cluster.url(primary_port, "postgres")).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let state: Option<String> = sqlx::query_scalar(
            "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'replica'",
        )
        .fetch_optional(&admin)
        .await
        .unwrap();
        if state.as_deref() == Some("sync") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the replica never became synchronous"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sqlx::query("CREATE DATABASE styr")
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;

    let url = format!(
        "postgres://styr@127.0.0.1:{primary_port},127.0.0.1:{replica_port}/styr\
         ?target_session_attrs=read-write"
    );
    let test = crate::spawn_app_at(&url).await;
    let token = test
        .app
        .create_token(&Actor::local_admin("test"), "controller")
        .await
        .unwrap();

    // A server on the standby alone: not healthy, and a write is a 503, not a 500.
    {
        let standby = styr_app::App::open(&cluster.url(replica_port, "styr"))
            .await
            .expect("open the standby");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let standby_url = format!("http://{}", listener.local_addr().unwrap());
        let state = styr_web::WebState::new(standby.clone(), styr_web::WebOptions::default());
        let server = tokio::spawn(async move { styr_web::serve(state, listener).await });
        let health = reqwest::get(format!("{standby_url}/healthz"))
            .await
            .unwrap();
        assert_eq!(health.status(), 503);
        let text = health.text().await.unwrap();
        assert!(text.contains("reservserver"), "{text}");
        // Reads work on the standby; a write does not.
        let listing: Value = reqwest::Client::new()
            .get(format!("{standby_url}/api/v1/assignments?period={PERIOD}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let first = &listing[0];
        let answer = reqwest::Client::new()
            .put(format!(
                "{standby_url}/api/v1/assignments/{}/reports/{PERIOD}",
                first["id"].as_str().unwrap()
            ))
            .bearer_auth(&token)
            .json(&json!({"status": "started", "comment": "på reservservern", "version": first["version"]}))
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let retry_after = answer.headers().get("retry-after").cloned();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 503, "{body}");
        assert_eq!(retry_after.unwrap(), "2");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("Databasen går inte att nå just nu"),
            "{body}"
        );
        // A person signing in (which writes a session) sees the same in the site's page.
        let browser = crate::client();
        let form = browser
            .get(format!("{standby_url}/logga-in"))
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 200);
        let csrf = crate::csrf_of(&form.text().await.unwrap());
        let answer = browser
            .post(format!("{standby_url}/logga-in"))
            .form(&[
                ("login", "controller"),
                ("password", crate::PASSWORD),
                ("csrf", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 503);
        assert_eq!(answer.headers()["retry-after"], "2");
        let page = answer.text().await.unwrap();
        assert!(
            page.contains("Databasen går inte att nå just nu") && page.contains("lang=\"sv\""),
            "{page}"
        );
        server.abort();
        standby.close().await;
    }

    let health = reqwest::get(format!("{}/healthz", test.url)).await.unwrap();
    assert_eq!(health.status(), 200);

    // Each client its own assignment, starting from the version the listing gives.
    let listing: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/assignments?period={PERIOD}", test.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let assignments: Vec<(String, u64)> = listing
        .as_array()
        .unwrap()
        .iter()
        .take(CLIENTS)
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["version"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(assignments.len(), CLIENTS);
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = assignments
        .iter()
        .enumerate()
        .map(|(number, (assignment, version))| {
            tokio::spawn(client(
                test.url.clone(),
                token.clone(),
                number,
                assignment.clone(),
                *version,
                stop.clone(),
            ))
        })
        .collect();

    // The stream runs; then the primary is lost and the replica promoted at once (what an
    // orchestrator does once it has decided: its detection time comes on top).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let killed_at = cluster.kill_primary();
    cluster.promote_replica();
    let promoted_after = killed_at.elapsed();

    // Until every client has had AFTER_SWITCH answers after the kill (or 40 s).
    let deadline = Instant::now() + Duration::from_secs(40);
    let health_url = format!("{}/healthz", test.url);
    let mut healthy_again = None;
    while Instant::now() < deadline && healthy_again.is_none() {
        if reqwest::get(&health_url)
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            healthy_again = Some(killed_at.elapsed());
        } else {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    // Enough reports after the switch: each client reports continuously, so a few seconds
    // of a healthy server give every one of them more than AFTER_SWITCH.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    let mut seen = Vec::new();
    for client in clients {
        seen.push(client.await.unwrap());
    }

    let unexpected: Vec<&String> = seen.iter().flat_map(|s| &s.unexpected).collect();
    assert!(
        unexpected.is_empty(),
        "answers other than 200 and 503: {unexpected:?}"
    );
    let healthy_again = healthy_again.expect("/healthz never answered 200 after the switch");
    let all: Vec<&Acknowledged> = seen.iter().flat_map(|s| &s.acknowledged).collect();
    let before = all.iter().filter(|a| a.at < killed_at).count();
    // The switch as a client sees it: the first 2xx to a request sent after the kill.
    let first_after = all
        .iter()
        .filter(|a| a.sent >= killed_at)
        .map(|a| a.at.duration_since(killed_at))
        .min()
        .expect("no report sent after the kill was acknowledged");
    let slowest = all
        .iter()
        .map(|a| a.at.duration_since(a.sent))
        .max()
        .unwrap_or_default();
    for (number, client) in seen.iter().enumerate() {
        let after = client
            .acknowledged
            .iter()
            .filter(|a| a.at >= killed_at)
            .count();
        assert!(
            after >= AFTER_SWITCH,
            "client {number} had {after} reports acknowledged after the switch"
        );
    }
    let unavailable: usize = seen.iter().map(|s| s.unavailable).sum();
    let found_stored: usize = seen.iter().map(|s| s.found_stored).sum();
    eprintln!(
        "failover: {} reports acknowledged ({before} before the kill), {unavailable} answered 503 \
         and sent again ({found_stored} of them found stored already); the replica promoted \
         {:.2} s after the kill, the first 2xx to a request sent after the kill {:.2} s after \
         it, the slowest answer {:.2} s, /healthz 200 again after {:.2} s (whole test {:.1} s)",
        all.len(),
        promoted_after.as_secs_f64(),
        first_after.as_secs_f64(),
        slowest.as_secs_f64(),
        healthy_again.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    assert!(before > 0, "no report was acknowledged before the kill");

    // On the new primary (the old replica), read directly: every acknowledged report once, at
    // the version its answer gave, and nothing else reported on these assignments.
    let promoted = pool(&cluster.url(replica_port, "styr")).await;
    for (assignment, first_version) in &assignments {
        let rows: Vec<(Option<String>, i64)> = sqlx::query_as(
            "SELECT comment, version FROM followup_entries \
             WHERE kind = 'status' AND period = $1 AND subject = $2 AND version > $3 \
             ORDER BY version",
        )
        .bind(PERIOD)
        .bind(assignment)
        .bind(*first_version as i64)
        .fetch_all(&promoted)
        .await
        .unwrap();
        let expected: Vec<(Option<String>, i64)> = all
            .iter()
            .filter(|a| &a.assignment == assignment)
            .map(|a| (Some(a.comment.clone()), a.version as i64))
            .collect();
        assert_eq!(
            rows, expected,
            "{assignment}: the rows on the new primary are the acknowledged reports, each once"
        );
    }
    promoted.close().await;
    test.app.close().await;
    drop(cluster);
}
