//! `styr`: the command line of styr. Parses arguments, wires the crates together, prints
//! results and sets the exit status. No domain rules live here; anyhow lives only here.

// Every text the command line prints goes through one function,
// `styr_domain::text::terminal_safe`, so that a control character from a comment, a file or
// the database (ESC, NUL, …) is shown as `\u001b` and never acts on the terminal: these
// shadow the standard macros in every module below.
macro_rules! println {
    () => { std::println!() };
    ($($arg:tt)*) => {
        std::println!("{}", styr_domain::text::terminal_safe(&format!($($arg)*)))
    };
}
macro_rules! print {
    ($($arg:tt)*) => {
        std::print!("{}", styr_domain::text::terminal_safe(&format!($($arg)*)))
    };
}
macro_rules! eprintln {
    () => { std::eprintln!() };
    ($($arg:tt)*) => {
        std::eprintln!("{}", styr_domain::text::terminal_safe(&format!($($arg)*)))
    };
}
#[allow(unused_macros)]
macro_rules! eprint {
    ($($arg:tt)*) => {
        std::eprint!("{}", styr_domain::text::terminal_safe(&format!($($arg)*)))
    };
}

mod accounts;
mod actuals;
mod alternative;
mod backup;
mod budget_out;
mod check;
mod control;
mod due;
mod excel;
mod followup;
mod import_metrics;
mod kolada;
mod municipal;
mod oidc;
mod output;
mod personnel;
mod process;
mod reminders;
mod render;
mod report;
mod section;
mod serve;
mod sie;
mod statements;
mod store;
mod summary;
mod swedish;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "styr",
    version,
    about = "Strategi och budget för en kommun — som data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// `styr plans`.
#[derive(Subcommand)]
enum PlansCommand {
    /// Lista de lagrade planerna: kommun, organ, år, version, slag och när de lästes in.
    List {
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Granska ett planpaket (eller databasen): summor, rader, hänvisningar och påståenden.
    Check {
        /// Planpaketets mapp; utelämnas med --db.
        package: Option<PathBuf>,
        /// Granska i stället planen i den här databasen.
        #[arg(long)]
        db: Option<String>,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Kvittera det här fyndet (dess id, som det skrivs inom hakparentes) i databasen, med
        /// --reason; det redovisas sedan som kvitterat, inte som fel.
        #[arg(long, requires = "reason", requires = "db")]
        ack: Option<String>,
        /// Varför det kvitterade fyndet står kvar.
        #[arg(long, requires = "ack")]
        reason: Option<String>,
        /// Vem som kvitterar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long, requires = "ack")]
        actor: Option<String>,
    },
    /// Läs in ett planpaket i databasen, allt eller inget.
    Import {
        /// Planpaketets mapp.
        package: PathBuf,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
        /// Vem som importerar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Skriv en lagrad plan som planpaket (`styr export MAPP`), eller budgeten som öppna data
    /// (`styr export fdp -o MAPP`).
    #[command(args_conflicts_with_subcommands = true)]
    Export {
        #[command(subcommand)]
        format: Option<ExportFormat>,
        /// Mappen som planpaketet skrivs till.
        out_dir: Option<PathBuf>,
        #[command(flatten)]
        stored: store::StoredPlan,
    },
    /// Bokföringens utfall i databasen: `styr actuals import FIL`.
    #[command(subcommand)]
    Actuals(actuals::ActualsCommand),
    /// Finansiella rapporter ur kommunens bokslutsfil: resultaträkning, balansräkning,
    /// kassaflödesanalys och balanskravsutredning (`styr statements --year 2021`).
    Statements(statements::StatementsArgs),
    /// Uppföljningsrapporter ur databasen: `styr report budget-vs-actual --period ÅÅÅÅ-MM`.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Det äldre namnet på `styr followup forecast` (dolt): samma kod körs.
    #[command(subcommand, hide = true)]
    Forecast(report::ForecastCommand),
    /// Rapportera för en uppföljningsperiod: status, utfall, målbedömning, prognos.
    #[command(subcommand)]
    Followup(followup::FollowUpCommand),
    /// Intern kontroll: riskmatrisen, kontrollresultat och revisionens rekommendationer.
    #[command(subcommand)]
    Control(control::ControlCommand),
    /// Uppföljningskalendern: lista (med vem som inte har rapporterat), stäng, öppna igen.
    #[command(subcommand)]
    Period(followup::PeriodCommand),
    /// Händelseloggen.
    #[command(subcommand)]
    Audit(followup::AuditCommand),
    /// De lagrade planerna: `styr plans list` visar organ, år, version och slag.
    #[command(subcommand)]
    Plans(PlansCommand),
    /// Budgetversioner: besluta, justera, jämföra.
    #[command(subcommand)]
    Version(followup::VersionCommand),
    /// Budgetprocessen: ett organs förslag lämnas in, återremitteras, blir KS-förslag och
    /// beslutas (`styr plan submit --organ sn`); planens avsnitt skrivs
    /// (`styr plan section list|show|save|history`).
    #[command(subcommand)]
    Plan(process::PlanCommand),
    /// Budgetkalendern: planeringsdirektiv, inlämning, beredning, KS och KF, och vilka organ
    /// som är sena.
    #[command(subcommand)]
    Calendar(process::CalendarCommand),
    /// Budgetberedningens frågor och svar.
    #[command(subcommand)]
    Question(process::QuestionCommand),
    /// Alternativa budgetar: `styr alternative create --party P --title T`, `frame`, `submit`,
    /// `list`, `diff`.
    #[command(subcommand)]
    Alternative(alternative::AlternativeCommand),
    /// Personalens nyckeltal: sjukfrånvaron (LKBR:s sju nyckeltal), anställda, årsarbetare och
    /// personalomsättning för ett år eller januari–period (`styr personnel --year 2021`).
    Personnel(personnel::PersonnelArgs),
    /// Verksamhetsmått: `styr measures list --period 2021-08`, `styr measures import FIL`.
    #[command(subcommand)]
    Measures(personnel::MeasuresCommand),
    /// Budgetåret: `styr year rollover 2022`.
    #[command(subcommand)]
    Year(followup::YearCommand),
    /// Starta webbapplikationen.
    Serve {
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
        /// Adressen och porten servern lyssnar på.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Fyll en tom databas med det medföljande exemplet och demoanvändare (visas en gång).
        #[arg(long)]
        demo: bool,
        /// Markera sessionskakan Secure (när servern nås över TLS).
        #[arg(long)]
        secure_cookies: bool,
        /// Kommunen vars beslutade plan allmänheten ser (behövs när databasen har flera
        /// kommuner).
        #[arg(long = "kommun")]
        municipality: Option<String>,
        /// Bakom en omvänd proxy: ta klientens adress (för inloggningsspärren) från den sista
        /// posten i `X-Forwarded-For`.
        #[arg(long)]
        trust_proxy: bool,
        /// Licensen för öppna data under /data/ (SPDX-id): CC0-1.0, CC-BY-4.0 eller
        /// CC-BY-SA-4.0.
        #[arg(long = "licens", default_value = "CC0-1.0")]
        licence: String,
        /// Loggens format på standardfel: json (en rad per händelse) eller text.
        #[arg(long, value_enum, default_value = "json")]
        log_format: serve::LogFormat,
        /// Tillgänglighetsredogörelsens kontakt för brister (e-post eller webbadress).
        #[arg(long = "tillganglighet-kontakt")]
        accessibility_contact: Option<String>,
        /// Datum (ÅÅÅÅ-MM-DD) då webbplatsens tillgänglighet senast bedömdes.
        #[arg(long = "tillganglighet-bedomd", value_parser = serve::parse_date)]
        accessibility_assessed: Option<String>,

        /// Webbplatsens publika adress (https://…): PDF-dokumenten länkar varje siffra till
        /// dess källa under /spar/ där (utan den har PDF:erna inga sådana länkar), och
        /// påminnelsebreven länkar dit.
        #[arg(long = "bas-url")]
        base_url: Option<String>,
        /// Med --smtp-host: skicka påminnelser med e-post medan servern kör.
        #[command(flatten)]
        smtp: reminders::SmtpArgs,
        /// Minuter mellan påminnelsekörningarna (med --smtp-host).
        #[arg(long = "paminnelser-minuter", default_value_t = 5)]
        reminder_minutes: u64,

        #[command(flatten)]
        identity: oidc::OidcArgs,
    },
    /// Säkerhetskopiera hela databasen till en fil medan servern kör (SQLite: en databasfil;
    /// PostgreSQL: pg_dump).
    Backup {
        /// Databasen: en SQLite-fil eller en postgres://-URL.
        #[arg(long, default_value = "styr.db")]
        db: String,
        /// Säkerhetskopians fil.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Återställ en säkerhetskopia till en databas (stoppa servern först).
    Restore {
        /// Säkerhetskopian (från styr backup).
        file: PathBuf,
        /// Databasen att återställa till: en SQLite-fil eller en postgres://-URL.
        #[arg(long)]
        db: String,
        /// Ersätt allt i en databas som inte är tom.
        #[arg(long)]
        force: bool,
    },
    /// Webbapplikationens användare.
    #[command(subcommand)]
    User(serve::UserCommand),
    /// Påminnelser med e-post före och efter sista rapportdag: `styr paminnelser skicka`
    /// (en körning, för cron), `schema`, `status`.
    #[command(subcommand)]
    Paminnelser(reminders::ReminderCommand),
    /// API-nycklar: `styr token create INLOGGNING` (visas en gång, lagras hashad).
    Token {
        /// Vad som görs: create skapar en ny nyckel.
        #[arg(value_parser = ["create"])]
        action: String,
        /// Inloggningen som nyckeln hör till.
        login: String,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
    /// Skapa dokumentet Strategi och budget, eller en periods rapport, som HTML eller PDF.
    Render {
        /// Planpaketets mapp; utelämnas med --db.
        package: Option<PathBuf>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long)]
        db: Option<String>,
        /// En uppföljningsrapport i stället för dokumentet (ur databasen).
        #[arg(long, value_enum)]
        report: Option<render::ReportArg>,
        /// Rapportens period, ÅÅÅÅ-MM (2021-08 för delårsrapport 2).
        #[arg(long, conflicts_with = "year")]
        period: Option<String>,
        /// Årsredovisningens år (årets årsbokslut, t.ex. 2021-12): i stället för --period.
        #[arg(long)]
        year: Option<i32>,
        /// Vems: ett organs id (t.ex. ks, bun) för organets egen rapport, eller `kommun` för
        /// uppföljningen av hela kommunen. Utan --scope blir rapporten hela kommunens
        /// årsredovisning eller delårsrapport när databasen har kommunfullmäktiges plan.
        #[arg(long)]
        scope: Option<String>,
        /// Utdataformat.
        #[arg(long, value_enum)]
        format: render::RenderFormat,
        /// Dokumentet som skrivs (.html, .pdf eller .xlsx).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Webbplatsens publika adress (https://…): varje siffra länkar till sin källa under
        /// /spar/ där; utan den blir det inga sådana länkar.
        #[arg(long = "bas-url")]
        base_url: Option<String>,
    },
    /// Nyckeltal från Kolada för planens indikatorer: läs in svar, eller hämta.
    #[command(subcommand)]
    Kolada(kolada::KoladaCommand),
    /// Excel åt båda hållen: `styr excel export`, `styr excel import`, `styr excel template`.
    #[command(subcommand)]
    Excel(excel::ExcelCommand),
    /// Läs SIE-filer från bokföringen.
    #[command(subcommand)]
    Sie(sie::SieCommand),
    /// Visa vad ett planpaket innehåller.
    Summary {
        /// Planpaketets mapp.
        package: PathBuf,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum ExportFormat {
    /// Budgeten som Fiscal Data Package (datapackage.json + budget.csv).
    Fdp {
        /// Planpaketets mapp; utelämnas med --db.
        package: Option<PathBuf>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long)]
        db: Option<String>,
        /// Lägg till bokföringens utfall från januari till den här månaden (ÅÅÅÅ-MM) som fasen
        /// executed (med --db).
        #[arg(long)]
        executed_through: Option<String>,
        /// Mappen som datapaketet skrivs till.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli: Cli = swedish::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        end_quietly_on_closed_pipe();
    }
    let import = import_metrics::kind(&cli.command);
    let started = std::time::Instant::now();
    let result = run(cli);
    if let (Some(kind), Some(dir)) = (import, std::env::var_os(import_metrics::METRICS_DIR)) {
        let succeeded = matches!(&result, Ok(code) if *code == ExitCode::SUCCESS);
        import_metrics::record(dir.as_ref(), kind, started.elapsed(), succeeded);
    }
    match result {
        Ok(code) => code,
        Err(error) => match error.downcast_ref::<styr_app::AppError>() {
            // Bad input: every problem on a line of its own (file:line: field: message).
            Some(styr_app::AppError::Invalid(problems)) => {
                for problem in problems {
                    eprintln!("{problem}");
                }
                eprintln!("fel: {} fel; inget ändrades", problems.len());
                ExitCode::from(1)
            }
            // Looks wrong: saved only when confirmed.
            Some(styr_app::AppError::Unconfirmed(warnings)) => {
                for warning in warnings {
                    eprintln!("varning: {}", warning.message);
                }
                eprintln!("fel: inget sparades; stämmer beloppet, kör igen med --confirm");
                ExitCode::from(1)
            }
            _ => {
                eprintln!("fel: {error:#}");
                ExitCode::from(2)
            }
        },
    }
}

/// Output into a pipe whose reader has gone (`styr … | head`) ends the program quietly, as it
/// does for every Unix tool: the default action of SIGPIPE. Rust ignores SIGPIPE, which turns
/// the write into an error and every `println!` into a panic ("failed printing to stdout").
///
/// Not for `styr serve`: a server must survive a client that hangs up, and sockets written
/// with `writev` raise SIGPIPE too. A command killed this way mid-work leaves the database as
/// before: every write is one transaction.
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    {
        // The C library's signal(2); SIGPIPE is 13 and SIG_DFL is 0 on every Unix Rust supports.
        unsafe extern "C" {
            fn signal(signum: std::ffi::c_int, handler: usize) -> usize;
        }
        const SIGPIPE: std::ffi::c_int = 13;
        const SIG_DFL: usize = 0;
        // SAFETY: restoring a signal's default action is async-signal-safe, runs before any
        // other thread exists, and installs no handler of ours.
        unsafe {
            signal(SIGPIPE, SIG_DFL);
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check {
            package,
            db,
            format,
            ack,
            reason,
            actor,
        } => match (ack, reason, db) {
            (Some(finding), Some(reason), Some(db)) => {
                check::acknowledge(&db, &finding, &reason, actor)
            }
            (_, _, db) => check::run(package, db, format),
        },
        Command::Summary { package, format } => summary::run(&package, format),
        Command::Sie(command) => sie::run(command),
        Command::Kolada(command) => kolada::run(command),
        Command::Excel(command) => excel::run(command),
        Command::Render {
            package,
            db,
            report,
            period,
            year,
            scope,
            format,
            output,
            base_url,
        } => render::run(render::RenderRequest {
            package,
            db,
            report,
            period,
            year,
            scope,
            format,
            output,
            base_url,
        }),
        Command::Actuals(command) => actuals::run(command),
        Command::Statements(args) => statements::run(args),
        Command::Report(command) => report::run_report(command),
        Command::Forecast(command) => report::run_forecast(command),
        Command::Followup(command) => followup::run_followup(command),
        Command::Control(command) => control::run(command),
        Command::Personnel(args) => personnel::run_personnel(args),
        Command::Measures(command) => personnel::run_measures(command),
        Command::Period(command) => followup::run_period(command),
        Command::Audit(command) => followup::run_audit(command),
        Command::Plans(PlansCommand::List { db }) => store::list_plans(&db),
        Command::Version(command) => followup::run_version(command),
        Command::Plan(command) => process::run_plan(command),
        Command::Calendar(command) => process::run_calendar(command),
        Command::Question(command) => process::run_question(command),
        Command::Year(command) => followup::run_year(command),
        Command::Alternative(command) => alternative::run(command),
        Command::Serve {
            db,
            addr,
            demo,
            secure_cookies,
            municipality,
            trust_proxy,
            licence,
            log_format,
            accessibility_contact,
            accessibility_assessed,
            base_url,
            smtp,
            reminder_minutes,
            identity,
        } => {
            let (oidc, passwords_off) = identity.options()?;
            serve::run_serve(
                &db,
                &addr,
                demo,
                log_format,
                (smtp, reminder_minutes),
                styr_web::WebOptions {
                    secure_cookies,
                    trust_proxy,
                    public_municipality: municipality,
                    licence: styr_app::Licence::parse(&licence)
                        .map_err(|error| anyhow::anyhow!("--licens: {error}"))?,
                    accessibility: styr_web::AccessibilityOptions {
                        contact: accessibility_contact,
                        assessed: accessibility_assessed,
                    },
                    base_url,
                    oidc,
                    passwords_off,
                },
            )
        }
        Command::Backup { db, output } => backup::backup(&db, &output),
        Command::Restore { file, db, force } => backup::restore(&db, &file, force),
        Command::User(command) => serve::run_user(command),
        Command::Paminnelser(command) => reminders::run(command),
        Command::Token { login, db, .. } => serve::run_token(&login, &db),
        Command::Import { package, db, actor } => {
            store::import(&package, &db, &store::actor(actor))
        }
        Command::Export {
            format:
                Some(ExportFormat::Fdp {
                    package,
                    db,
                    executed_through,
                    output,
                }),
            ..
        } => budget_out::export_fdp(
            budget_out::Source { package, db },
            executed_through.as_deref(),
            &output,
        ),
        Command::Export {
            format: None,
            out_dir: Some(out_dir),
            stored,
        } => store::export(&out_dir, &stored),
        Command::Export { .. } => anyhow::bail!("ange en mapp: styr export MAPP"),
    }
}
