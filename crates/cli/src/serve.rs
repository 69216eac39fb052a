//! `styr serve`: the web application; `styr user …` and `styr token create`: its users and API
//! keys. `--demo` fills an empty database with the bundled example, its ledger and its 2021
//! follow-up, records what the municipality decided and closes the period the example's story
//! has closed (so the public site shows a decided plan and a report), and makes one demo user per
//! role with a printed one-time password.

use crate::store::{actor, open, open_or_create, with_app};
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_app::{App, NewUser, NoProgress, PlanSelector, Role};
use styr_domain::Id;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Lägg till en användare (eller ändra en användares roll, enheter och lösenord); lösenordet
    /// läses från standard in.
    Add {
        /// Inloggningsnamnet.
        login: String,
        /// admin, controller, reporter, auditor eller reader.
        #[arg(long)]
        role: String,
        /// En nämnd eller enhet som användaren rapporterar för (upprepa för flera).
        #[arg(long = "unit")]
        units: Vec<String>,
        /// Organet vars plan enheterna finns i ("sn"); behövs när samma enhet finns i flera
        /// organs planer.
        #[arg(long = "organ", visible_alias = "body")]
        body: Option<String>,
        /// Kommunens id (behövs när databasen har flera kommuner).
        #[arg(long)]
        municipality: Option<String>,
        /// Namnet som visas i loggen, vid rapporter och i webbens sidhuvud ("Anna Lindqvist");
        /// inloggningsnamnet förblir användarens id.
        #[arg(long = "namn")]
        name: Option<String>,
        /// Användarens e-postadress (dit påminnelser skickas; samma adress som `styr user oidc`
        /// anger).
        #[arg(long = "epost")]
        email: Option<String>,
        /// Läs lösenordet från standard in.
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
    /// Ange (eller med --ta-bort ta bort) en användares e-postadress: dit påminnelser skickas,
    /// och adressen en användare som loggar in hos identitetsleverantören känns igen på (en
    /// adress per användare).
    Epost {
        /// Inloggningsnamnet.
        login: String,
        /// E-postadressen.
        #[arg(required_unless_present = "remove")]
        address: Option<String>,
        /// Ta bort adressen: användaren får inga påminnelser.
        #[arg(long = "ta-bort", conflicts_with = "address")]
        remove: bool,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
    /// Lista användarna.
    List {
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
    /// Ange e-postadressen användaren loggar in med hos identitetsleverantören (OpenID
    /// Connect); den första inloggningen kopplar leverantörens identitet till användaren. Det
    /// är användarens enda adress: påminnelser skickas dit också.
    Oidc {
        /// Inloggningsnamnet.
        login: String,
        /// E-postadressen leverantören uppger för personen.
        #[arg(long = "epost")]
        email: String,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
}

/// The bundled example beside the sources, for `--demo`: KS's package with its ledger and
/// follow-up.
fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021")
}

/// The example municipality's packages (`examples/haninge-*`: KF, KS, the nämnder and the
/// company), all imported by `--demo`.
fn example_packages(example: &Path) -> Result<Vec<(String, styr_domain::Plan)>> {
    let folder = example
        .parent()
        .context("exemplets mapp saknar överordnad mapp")?;
    let packages = styr_package::read_folder(folder).map_err(|diagnostics| {
        anyhow::anyhow!(
            "exemplen i {} läses inte: {}",
            folder.display(),
            diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )
    })?;
    Ok(packages
        .into_iter()
        .filter(|(name, _)| name.starts_with("haninge-"))
        .collect())
}

fn role(code: &str) -> Result<Role> {
    Role::parse(code).with_context(|| {
        format!("{code:?} är ingen roll: admin, controller, reporter, auditor eller reader")
    })
}

pub fn run_user(command: UserCommand) -> Result<ExitCode> {
    let operator = actor(None);
    match command {
        UserCommand::Add {
            login,
            role: role_code,
            units,
            body,
            municipality,
            name,
            email,
            password_stdin: _,
            db,
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("kan inte läsa lösenordet från stdin")?;
            let new = NewUser {
                login: login.clone(),
                role: role(&role_code)?,
                units: units
                    .iter()
                    .map(|u| Id::parse(u).map_err(|e| anyhow::anyhow!("{u:?}: {e}")))
                    .collect::<Result<_>>()?,
                body,
                municipality,
                password: password.trim_end_matches(['\n', '\r']).to_owned(),
                name,
            };
            let created = with_app(&db, async |app: &App| {
                let created = app.add_user(&operator, &new).await?;
                if let Some(email) = &email {
                    app.set_user_email(&operator, &new.login, Some(email))
                        .await?;
                }
                Ok(created)
            })?;
            println!(
                "{} användaren {login} ({role_code})",
                if created { "lade till" } else { "ändrade" }
            );
        }
        UserCommand::Epost {
            login,
            address,
            remove: _,
            db,
        } => {
            with_app(&db, async |app: &App| {
                app.set_user_email(&operator, &login, address.as_deref())
                    .await
            })?;
            match address {
                Some(address) => println!("{login} får påminnelser till {address}"),
                None => println!("{login} har ingen e-postadress och får inga påminnelser"),
            }
        }

        UserCommand::Oidc { login, email, db } => return crate::oidc::link(&login, &email, &db),
        UserCommand::List { db } => {
            let users = with_app(&db, async |app: &App| app.users(&operator).await)?;
            for user in users {
                println!(
                    "{}\t{}\t{}\t{}{}",
                    user.login,
                    user.municipality,
                    user.role.code(),
                    user.units.join(";"),
                    user.name.map(|n| format!("\t{n}")).unwrap_or_default()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_token(login: &str, db: &str) -> Result<ExitCode> {
    let operator = actor(None);
    let token = with_app(db, async |app: &App| {
        app.create_token(&operator, login).await
    })?;
    println!("{token}");
    eprintln!("API-nyckeln för {login} visas bara nu; använd den som Authorization: Bearer …");
    Ok(ExitCode::SUCCESS)
}

/// The day the demo's calendar is read as: October 2021's report is due 10 November.
pub const DEMO_DAY: &str = "2021-11-05";

/// A random password for a demo user.
fn one_time_password() -> Result<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("ingen slumpkälla: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The decision the demo records Kommunstyrelsen's distribution of its frame as decided by: KF's
/// decision of 2020-11-09 § 185, which set the frame (the printed document calls the
/// distribution a proposal and prints no decision of its own).
const KS_DECISION: &str = "kf_2020_11_09_185";

/// The month whose period the demo's story has closed: delårsrapport 1 (per April 2021) of
/// Kommunstyrelsen, whose follow-up the demo holds; the later months stay open for the
/// reporters (October's report is due on the demo's day).
const DEMO_CLOSED: &str = "2021-04";

/// The example's plans split as the demo enters them: `decided`, each version as the proposal it
/// was before its decision, with the decision that decided it (Kommunstyrelsen's as a version of
/// its own, `ks_2021`); `drafts`, the proposals the budget process's writers still write,
/// imported after so that they are each body's latest version inside (Kommunstyrelsen's printed
/// proposal as it is, Socialnämnden's synthetic plan as its proposal).
struct DemoPlans {
    decided: Vec<(String, styr_domain::Plan, String)>,
    drafts: Vec<(String, styr_domain::Plan)>,
}

fn demo_plans(plans: Vec<(String, styr_domain::Plan)>) -> Result<DemoPlans> {
    use styr_domain::budget::VersionKind;
    let id = |text: &str| Id::parse(text).map_err(|e| anyhow::anyhow!("{text:?}: {e}"));
    let mut decided = Vec::new();
    let mut drafts = Vec::new();
    for (name, plan) in plans {
        let body = plan.document.body.as_str().to_owned();
        let mut proposal = plan.clone();
        let version = &mut proposal.budget.version;
        let decision = match (version.kind, version.decision.take()) {
            (VersionKind::Decided, Some(decision)) => decision.to_string(),
            (VersionKind::Proposal, None) if body == "ks" => {
                version.id = id("ks_2021")?;
                version.name = "Kommunstyrelsens fördelning av ram 2021".to_owned();
                KS_DECISION.to_owned()
            }
            _ => bail!(
                "exemplet {name}: budgetversionen {} är varken beslutad med ett beslut eller \
                 Kommunstyrelsens förslag",
                version.id
            ),
        };
        version.kind = VersionKind::Proposal;
        decided.push((name.clone(), proposal, decision));
        match body.as_str() {
            "ks" => drafts.push((name, plan)),
            "sn" => {
                let mut draft = plan;
                let version = &mut draft.budget.version;
                version.id = id("sn_2021_proposal")?;
                version.kind = VersionKind::Proposal;
                version.name = "Socialnämndens förslag till budget 2021".to_owned();
                version.decision = None;
                drafts.push((name, draft));
            }
            _ => {}
        }
    }
    Ok(DemoPlans { decided, drafts })
}

/// Imports the example municipality's packages (KS's as printed, the others synthetic) and
/// records what the municipality decided through the decide use case (the audit log names the
/// demo operator); then the budget process's drafts, KS's ledger, the municipality's bokslut
/// file and KS's 2021 follow-up, and closes the period the story has closed.
async fn fill_with_example(app: &App, operator: &styr_app::Actor, example: &Path) -> Result<()> {
    let DemoPlans { decided, drafts } = demo_plans(example_packages(example)?)?;
    let proposals: Vec<(String, styr_domain::Plan)> = decided
        .iter()
        .map(|(name, plan, _)| (name.clone(), plan.clone()))
        .collect();
    app.import_plans(operator, &proposals).await?;
    for (_, plan, decision) in &decided {
        let selector = PlanSelector {
            municipality: Some(plan.municipality.id.to_string()),
            body: Some(plan.document.body.to_string()),
            version: Some(plan.budget.version.id.to_string()),
        };
        app.decide_version(operator, &selector, decision).await?;
    }
    app.import_plans(operator, &drafts).await?;
    let ks = PlanSelector {
        body: Some("ks".to_owned()),
        ..PlanSelector::default()
    };
    // The synthetic 2020 ledger (the previous year's same period, R17) and 2021's synthetic
    // sub-ledger of exploitation and finance (issue 22) beside the 2021 ledger.
    for file in [
        "ledger/ks-2021.se",
        "ledger/ks-2020.se",
        "ledger/ks-2021-exploatering-finans.se",
    ] {
        app.import_actuals(operator, &ks, &example.join(file), &mut NoProgress)
            .await?;
    }
    // The whole municipality's bokslut file (synthetic, issue 22) beside KS's follow-up ledger:
    // the financial statements read it, KS's budget vs actual does not.
    let kf = PlanSelector {
        body: Some("kf".to_owned()),
        ..PlanSelector::default()
    };
    let bokslut = example.join("../haninge-kf-2021/ledger/kommun-2021.se");
    if bokslut.is_file() {
        app.import_actuals_with(
            operator,
            &kf,
            &bokslut,
            styr_app::ActualsOptions {
                statements: true,
                ..styr_app::ActualsOptions::default()
            },
            &mut NoProgress,
        )
        .await?;
    }
    for file in [
        "delar1-2021.csv",
        "delar2-2021.csv",
        "oktober-2021.csv",
        "kontroll-2021.csv",
    ] {
        let path = example.join("followup").join(file);
        let bytes =
            std::fs::read(&path).with_context(|| format!("kan inte läsa {}", path.display()))?;
        app.import_followup(operator, &ks, file, &bytes).await?;
    }
    // The verksamhetsmått's outcomes January–October 2021 (synthetic, like the follow-up).
    let path = example.join("matt/utfall-2021.csv");
    if let Ok(bytes) = std::fs::read(&path) {
        app.import_measures(operator, &ks, "utfall-2021.csv", bytes)
            .await?;
    }
    let month = styr_domain::Month::parse(DEMO_CLOSED).context("DEMO_CLOSED är en månad")?;
    app.close_period(operator, &ks, month).await?;
    Ok(())
}

/// The demo's budget calendar for 2021, when it has none: made-up dates (marked synthetic,
/// and said so wherever shown) around KF's real decision of 9 November 2020.
async fn demo_calendar(app: &App, operator: &styr_app::Actor) -> Result<()> {
    use styr_app::process::{CalendarChange, Milestone};
    if !app.calendar(operator, None, 2021).await?.is_empty() {
        return Ok(());
    }
    for (milestone, date) in [
        (Milestone::Planeringsdirektiv, "2020-03-15"),
        (Milestone::Inlamning, "2020-09-30"),
        (Milestone::Beredning, "2020-10-12"),
        (Milestone::Ks, "2020-10-26"),
        (Milestone::Kf, "2020-11-09"),
    ] {
        app.set_calendar(
            operator,
            None,
            &CalendarChange {
                year: 2021,
                milestone,
                body: None,
                date: Some(date),
                synthetic: true,
            },
        )
        .await?;
    }
    Ok(())
}

/// Fills an empty database with the example, and (again each time) one user per role.
async fn demo(app: &App, example: &Path) -> Result<Vec<(String, &'static str, String)>> {
    let operator = actor(Some("demo".to_owned()));
    let plans = app.plans(&operator).await?;
    if plans.iter().any(|key| key.municipality != "haninge") {
        bail!("--demo använder exemplet Haninge; den här databasen har andra kommuners planer");
    }
    if plans.is_empty() {
        fill_with_example(app, &operator, example).await?;
    }
    demo_calendar(app, &operator).await?;
    // The demo users get new one-time passwords every time.
    let mut users = Vec::new();
    // Made-up names (the demo's people are not real).
    // (login, name, role, units, the body whose plan names the units)
    for (login, name, role, units, body) in [
        ("admin", "Maria Sandberg", Role::Admin, vec![], None),
        (
            "controller",
            "Johan Ekström",
            Role::Controller,
            vec![],
            None,
        ),
        // Äldrenämnden's reporter, for what KS's plan gives Äldrenämnden.
        (
            "rapportor",
            "Eva Lindqvist",
            Role::Reporter,
            vec!["an"],
            Some("ks"),
        ),
        // The head of Kommunstyrelseförvaltningen's reporter: the month's statuses, forecasts,
        // indicators, controls and audit actions of Kommunstyrelsen.
        (
            "ksrapportor",
            "Karin Nyberg",
            Role::Reporter,
            vec!["ksf"],
            Some("ks"),
        ),
        // Socialnämnden's reporter (Social- och äldreförvaltningen in Socialnämnden's own
        // plan): Socialnämnden's items, never KS's.
        (
            "snrapportor",
            "Sara Nilsson",
            Role::Reporter,
            vec!["saf"],
            Some("sn"),
        ),
        // The budget process: Socialnämnden's and Kommunstyrelsen's writers of their
        // proposals, the budget strategist, a politician (a party's alternative, beredning's
        // questions) and the KS/KF secretary.
        (
            "snskribent",
            "Omar Haddad",
            Role::Writer,
            vec!["sn"],
            Some("sn"),
        ),
        (
            "ksskribent",
            "Lisa Åberg",
            Role::Writer,
            vec!["ks"],
            Some("ks"),
        ),
        ("strateg", "Per Wallin", Role::Strategist, vec![], None),
        ("politiker", "Ingrid Falk", Role::Politician, vec![], None),
        ("sekreterare", "Nils Borg", Role::Secretary, vec![], None),
        ("lasare", "Anders Holm", Role::Reader, vec![], None),
        ("revisor", "Lena Berglund", Role::Auditor, vec![], None),
    ] {
        let password = one_time_password()?;
        app.add_user(
            &operator,
            &NewUser {
                login: login.to_owned(),
                role,
                units: units.iter().map(|u| Id::parse(u).expect("an id")).collect(),
                body: body.map(str::to_owned),
                municipality: None,
                password: password.clone(),
                name: Some(name.to_owned()),
            },
        )
        .await?;
        users.push((login.to_owned(), role.label_sv(), password));
    }
    Ok(users)
}

/// The municipality the public sees: the one named, or the only one in the database; with
/// several and none named the server does not start.
async fn public_municipality(app: &App, named: Option<String>) -> Result<Option<String>> {
    let mut municipalities: Vec<String> = app
        .plans(&actor(None))
        .await?
        .into_iter()
        .map(|key| key.municipality)
        .collect();
    municipalities.sort();
    municipalities.dedup();
    match named {
        Some(named) if municipalities.contains(&named) => Ok(Some(named)),
        Some(named) => bail!(
            "--kommun {named}: databasen har ingen plan för den kommunen (den har: {})",
            municipalities.join(", ")
        ),
        None if municipalities.len() > 1 => bail!(
            "databasen har planer för flera kommuner ({}): ange med --kommun vilken \
             kommuns plan allmänheten ser",
            municipalities.join(", ")
        ),
        None => Ok(municipalities.pop()),
    }
}

/// How `styr serve` writes its log on standard error.
#[derive(Clone, Copy, Default, clap::ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    /// Ett JSON-objekt per rad (för en loggsamlare).
    #[default]
    Json,
    /// Vanliga textrader.
    Text,
}

/// The server's log on standard error: one event per request (with its request id), and errors.
/// The level is `STYR_LOG` (error, warn, info, debug, trace; default info).
fn start_logging(format: LogFormat) {
    let level = std::env::var("STYR_LOG")
        .ok()
        .and_then(|value| value.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false);
    // A subscriber set already (never, in the binary) keeps its place.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub fn run_serve(
    db: &str,
    addr: &str,
    demo_mode: bool,
    log_format: LogFormat,
    (smtp, reminder_minutes): (crate::reminders::SmtpArgs, u64),
    mut options: styr_web::WebOptions,
) -> Result<ExitCode> {
    start_logging(log_format);
    let reminders = smtp.config(options.base_url.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("kan inte starta körmiljön")?;
    runtime.block_on(async {
        // Only --demo fills a database; without it a missing file is a mistyped path.
        let app = if demo_mode {
            // The demo's data is of 2021: its calendar is read as on a day when October's
            // monthly report is being made (its deadline is 10 November).
            open_or_create(db)
                .await?
                .with_reporting_date(Some(DEMO_DAY.to_owned()))
        } else {
            open(db).await?
        };
        if demo_mode {
            let users = demo(&app, &example_dir()).await?;
            println!("DEMO: databasen {db} har exemplet Haninge 2021: KS (med syntetisk uppföljning 2021 och bokföring), KF, nämnderna och bolaget (syntetiska).");
            println!("DEMO: kalendern läses som den {DEMO_DAY} (oktoberrapporten ska vara inne 2021-11-10).");
            println!("DEMO: det kommunen beslutade är beslutat (KF:s plan, nämndernas och bolagets; KS:s fördelning av ram 2021 enligt KF 2020-11-09 § 185) och KS:s delårsrapport 1 ({DEMO_CLOSED}) är stängd: allmänheten ser dem på /planen och /rapporter.");
            println!("DEMO: budgetprocessens utkast är KS:s tryckta förslag och Socialnämndens förslag.");
            println!("DEMO: budgetkalendern 2021 (planeringsdirektiv 2020-03-15, inlämning 2020-09-30 …) är syntetisk.");
            println!("Demoanvändare (engångslösenord, visas bara nu):");
            for (login, role, password) in &users {
                println!("  {login:<11} {role:<14} {password}");
            }
        }
        options.public_municipality = public_municipality(&app, options.public_municipality).await?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("kan inte lyssna på {addr}"))?;
        println!("styr kör på http://{}/", listener.local_addr()?);
        tracing::info!(address = %listener.local_addr()?, "styr kör");
        if let Some((config, settings)) = reminders {
            println!(
                "påminnelser med e-post via {}:{} var {reminder_minutes}:e minut",
                config.host, config.port
            );
            crate::reminders::spawn_task(
                app.clone(),
                config,
                settings,
                std::time::Duration::from_secs(reminder_minutes.max(1) * 60),
            );
        }
        let state = styr_web::WebState::new(app, options);
        styr_web::serve(state, listener).await?;
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

/// A date on the command line (`--tillganglighet-bedomd`), `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<String, String> {
    if styr_domain::followup::is_valid_date(text) {
        Ok(text.to_owned())
    } else {
        Err(format!("{text} är inget datum (ÅÅÅÅ-MM-DD)"))
    }
}
