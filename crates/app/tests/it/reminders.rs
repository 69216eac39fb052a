//! E-mail reminders (`styr_app::reminders`) sent to a real SMTP server: Python's aiosmtpd,
//! started by the test (`smtp_sink.py` writes every accepted message to a folder). Who gets
//! which mail, that a pass run twice or after a crash between deciding and sending sends each
//! mail once, and that a server that is down leaves the reminders failed with their error,
//! delivered exactly once by a later pass.

use crate::db::TestDb;
use crate::{actor, admin, all, app_with_example};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use styr_app::reminders::{ReminderSettings, SmtpConfig, SmtpMailer, Step, TlsMode};
use styr_app::{App, AppError, NewUser, Role};
use styr_domain::Id;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::ledger::Month;
use styr_store::AuditFilter;

/// The aiosmtpd server of one test: its port and the folder its messages land in.
struct Sink {
    child: Child,
    port: u16,
    folder: tempfile::TempDir,
}

impl Sink {
    fn start() -> Option<Sink> {
        let python = crate::tool::python()?;
        let folder = tempfile::tempdir().unwrap();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/smtp_sink.py");
        let mut child = Command::new(python)
            .arg(&script)
            .arg(folder.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let Ok(port) = line.trim().parse() else {
            let _ = child.kill();
            let _ = child.wait();
            // aiosmtpd not installed: the script failed before printing its port.
            return crate::tool::missing(
                "aiosmtpd (in the test venv)",
                ".ci/run installs scripts/requirements-test.txt",
            );
        };
        Some(Sink {
            child,
            port,
            folder,
        })
    }

    /// The messages received so far, in order.
    fn received(&self) -> Vec<serde_json::Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits a moment for late files (there should be none: the server writes before it
    /// answers) and gives the messages.
    fn settled(&self, expected: usize) -> Vec<serde_json::Value> {
        let started = Instant::now();
        while self.received().len() < expected && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(200));
        self.received()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mailer(port: u16) -> SmtpMailer {
    SmtpMailer::new(&SmtpConfig {
        host: "127.0.0.1".to_owned(),
        port,
        tls: TlsMode::None,
        credentials: None,
        from: "styr <styr@haninge.test>".to_owned(),
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

/// A port nothing listens on: bound and let go.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn settings() -> ReminderSettings {
    ReminderSettings {
        base_url: "https://styr.haninge.test/".to_owned(),
    }
}

fn system() -> styr_app::Actor {
    styr_app::Actor::local_admin(styr_app::reminders::REMINDER_ACTOR)
}

async fn add(app: &App, login: &str, role: Role, units: &[&str], name: &str, email: Option<&str>) {
    app.add_user(
        &admin(),
        &NewUser {
            login: login.to_owned(),
            role,
            units: units.iter().map(|u| Id::parse(u).unwrap()).collect(),
            body: None,
            municipality: None,
            password: "ett-langt-losenord-2021".to_owned(),
            name: Some(name.to_owned()),
        },
    )
    .await
    .unwrap();
    if let Some(email) = email {
        app.set_user_email(&admin(), login, Some(email))
            .await
            .unwrap();
    }
}

/// The example with a reporter for KS's förvaltning (much unreported in November 2021), one
/// for Äldrenämnden who has reported their one item, one without an address and a controller.
async fn app_with_people(db: &TestDb) -> App {
    let app = app_with_example(db).await;
    add(
        &app,
        "ekonom",
        Role::Reporter,
        &["ksf"],
        "Eva Ekonom",
        Some("eva@haninge.test"),
    )
    .await;
    add(
        &app,
        "aldre",
        Role::Reporter,
        &["an"],
        "Åke Äldre",
        Some("ake@haninge.test"),
    )
    .await;
    add(&app, "utan", Role::Reporter, &["ksf"], "Utan Adress", None).await;
    add(
        &app,
        "kontroll",
        Role::Controller,
        &[],
        "Karin Controller",
        Some("karin@haninge.test"),
    )
    .await;
    app.report(
        &admin(),
        &all(),
        FollowUpReport {
            period: Month::parse("2021-11").unwrap(),
            entry: ReportEntry::Status {
                assignment: Id::parse("ny2021_seniorbostadskon").unwrap(),
                status: AssignmentStatus::Started,
                comment: None,
            },
        },
    )
    .await
    .unwrap();
    app
}

fn to_of(mail: &serde_json::Value) -> String {
    mail["rcpt_to"][0].as_str().unwrap().to_owned()
}

async fn reminders_reach_the_right_people_once_even_when_the_server_was_down(db: &TestDb) {
    let Some(sink) = Sink::start() else {
        return;
    };
    let app = app_with_people(db).await;
    // 8 December 2021: November's report is due on the 10th, 3 days before by default.
    // The SMTP server is down: both mails are decided, both fail, nothing is lost.
    let down = mailer(closed_port());
    let pass = app
        .send_reminders(&system(), &settings(), &down, "2021-12-08T08:00")
        .await
        .unwrap();
    assert_eq!(
        (pass.decided, pass.sent, pass.failed),
        (2, 0, 2),
        "{pass:?}"
    );
    assert_eq!(pass.without_address, vec!["utan".to_owned()]);
    let outbox = app.reminder_outbox(&admin(), None).await.unwrap();
    assert_eq!(outbox.len(), 2);
    for row in &outbox {
        assert_eq!((row.status.as_str(), row.attempts), ("misslyckad", 1));
        assert!(
            row.last_error.as_deref().is_some_and(|e| !e.is_empty()),
            "{row:?}"
        );
    }
    let counts = app.reminder_counts().await.unwrap();
    assert_eq!((counts.failed, counts.failed_attempts), (2, 2));
    // Before the backoff has passed nothing is tried again.
    let early = app
        .deliver_reminders(&system(), &mailer(sink.port), "2021-12-08T08:00:30")
        .await
        .unwrap();
    assert_eq!((early.sent, early.failed), (0, 0));
    assert!(sink.received().is_empty());
    // The server is up: a later pass delivers each mail once and decides nothing new.
    let up = mailer(sink.port);
    let pass = app
        .send_reminders(&system(), &settings(), &up, "2021-12-08T08:05")
        .await
        .unwrap();
    assert_eq!(
        (pass.decided, pass.sent, pass.failed),
        (0, 2, 0),
        "{pass:?}"
    );
    let mails = sink.settled(2);
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let recipients: Vec<String> = mails.iter().map(to_of).collect();
    assert!(recipients.contains(&"eva@haninge.test".to_owned()));
    assert!(recipients.contains(&"karin@haninge.test".to_owned()));
    // Nobody who reported everything, and nobody without an address.
    assert!(!recipients.contains(&"ake@haninge.test".to_owned()));
    let eva = mails
        .iter()
        .find(|m| to_of(m) == "eva@haninge.test")
        .unwrap();
    assert_eq!(
        eva["subject"],
        "Påminnelse: rapportera Månadsuppföljning november 2021 senast 2021-12-10"
    );
    let text = eva["text"].as_str().unwrap();
    assert!(text.starts_with("Hej Eva Ekonom!"), "{text}");
    assert!(
        text.contains("Sista rapportdag för Månadsuppföljning november 2021"),
        "{text}"
    );
    assert!(
        text.contains("https://styr.haninge.test/rapportering?period=2021-11&organ=ks#g-prognos"),
        "{text}"
    );
    assert!(
        text.contains("https://styr.haninge.test/uppdrag/"),
        "{text}"
    );
    // Äldrenämnden's reported assignment is not in KS's förvaltning's list.
    assert!(!text.contains("ny2021_seniorbostadskon"), "{text}");
    let html = eva["html"].as_str().unwrap();
    assert!(
        html.contains("<a href=\"https://styr.haninge.test/"),
        "{html}"
    );
    assert!(
        eva["message_id"]
            .as_str()
            .unwrap()
            .contains("fore.2021-11.2021-12-10")
    );
    let karin = mails
        .iter()
        .find(|m| to_of(m) == "karin@haninge.test")
        .unwrap();
    assert!(
        karin["subject"]
            .as_str()
            .unwrap()
            .starts_with("Sammanställning: "),
        "{karin}"
    );
    let summary = karin["text"].as_str().unwrap();
    assert!(
        summary.contains("Påminnelse skickas till: Eva Ekonom ("),
        "{summary}"
    );
    let outbox = app.reminder_outbox(&admin(), None).await.unwrap();
    assert!(
        outbox
            .iter()
            .all(|r| r.status == "skickad" && r.attempts == 2)
    );
    // Run again: nothing is decided or sent a second time.
    let again = app
        .send_reminders(&system(), &settings(), &up, "2021-12-08T09:00")
        .await
        .unwrap();
    assert_eq!((again.decided, again.sent, again.failed), (0, 0, 0));
    assert_eq!(sink.settled(2).len(), 2);
    app.close().await;

    // After the deadline (11 December, 1 day after by default) a second reminder is decided;
    // the process stops ("crashes") after deciding and before sending.
    let app = App::open(&db.url).await.unwrap();
    let (decided, _) = app
        .decide_reminders(&system(), &settings(), "2021-12-11T08:00")
        .await
        .unwrap();
    assert_eq!(decided.len(), 2);
    app.close().await;
    // The next process sends them, once.
    let app = App::open(&db.url).await.unwrap();
    let pass = app
        .send_reminders(&system(), &settings(), &up, "2021-12-11T08:05")
        .await
        .unwrap();
    assert_eq!((pass.decided, pass.sent), (0, 2), "{pass:?}");
    let pass = app
        .send_reminders(&system(), &settings(), &up, "2021-12-11T08:10")
        .await
        .unwrap();
    assert_eq!((pass.decided, pass.sent), (0, 0), "{pass:?}");
    let mails = sink.settled(4);
    assert_eq!(mails.len(), 4);
    let late = mails
        .iter()
        .skip(2)
        .find(|m| to_of(m) == "eva@haninge.test")
        .unwrap();
    assert_eq!(
        late["subject"],
        "Sen rapport: Månadsuppföljning november 2021 skulle vara rapporterad 2021-12-10"
    );
    app.close().await;
}

async fn a_controller_changes_the_schedule_and_it_is_audited(db: &TestDb) {
    let app = app_with_example(db).await;
    let controller = actor("kontroll", Role::Controller, &[]);
    let schedule = app.reminder_schedule(&controller, None).await.unwrap();
    assert_eq!(
        schedule
            .steps
            .iter()
            .map(|s| (s.step, s.days, s.active, s.changed.is_some()))
            .collect::<Vec<_>>(),
        vec![
            (Step::Before, 3, true, false),
            (Step::After, 1, true, false)
        ]
    );
    let changed = app
        .set_reminder_schedule(&controller, None, Step::Before, Some(5), None)
        .await
        .unwrap();
    assert_eq!(changed.steps[0].days, 5);
    assert_eq!(
        changed.steps[0].changed.as_ref().map(|(by, _)| by.as_str()),
        Some("kontroll")
    );
    let off = app
        .set_reminder_schedule(&controller, None, Step::After, None, Some(false))
        .await
        .unwrap();
    assert!(!off.steps[1].active);
    let audit = app
        .audit_log(
            &admin(),
            &AuditFilter {
                action_contains: Some("reminder schedule".to_owned()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0].actor, "kontroll");
    assert_eq!(
        audit[0].before.as_deref(),
        Some("fore: 3 dagar före sista rapportdag")
    );
    assert_eq!(
        audit[0].after.as_deref(),
        Some("fore: 5 dagar före sista rapportdag")
    );
    assert_eq!(audit[1].after.as_deref(), Some("efter: av"));
    // A reporter may not; a step far from the deadline is refused.
    let reporter = actor("ekonom", Role::Reporter, &["ksf"]);
    assert!(matches!(
        app.set_reminder_schedule(&reporter, None, Step::Before, Some(2), None)
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        app.set_reminder_schedule(&controller, None, Step::Before, Some(99), None)
            .await,
        Err(AppError::Invalid(_))
    ));
    // With 5 days before, 5 December decides November's reminders; with "efter" off, 11
    // December decides nothing.
    add(
        &app,
        "ekonom",
        Role::Reporter,
        &["ksf"],
        "Eva Ekonom",
        Some("eva@haninge.test"),
    )
    .await;
    let (decided, _) = app
        .decide_reminders(&system(), &settings(), "2021-12-05T08:00")
        .await
        .unwrap();
    assert_eq!(decided.len(), 1);
    let (decided, _) = app
        .decide_reminders(&system(), &settings(), "2021-12-11T08:00")
        .await
        .unwrap();
    assert!(decided.is_empty());
    // An address that is none is refused.
    assert!(matches!(
        app.set_user_email(&admin(), "ekonom", Some("inte en adress"))
            .await,
        Err(AppError::Invalid(_))
    ));
    app.close().await;
}

crate::on_both_backends!(
    reminders_reach_the_right_people_once_even_when_the_server_was_down,
    a_controller_changes_the_schedule_and_it_is_audited,
);
