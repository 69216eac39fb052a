//! The commands that use the database as a whole: `styr import`, `styr export`, and loading a
//! stored plan for `styr check --db` and `styr render --db`. Every use case is `styr-app`'s; the
//! store is async, and the CLI runs it on a small current-thread runtime.

use crate::output::read_package;
use anyhow::{Context, Result, bail};
use std::future::Future;
use std::path::Path;
use std::process::ExitCode;
use styr_app::StoreError;
use styr_app::{Actor, App, AppError, PlanSelector};
use styr_domain::Plan;

pub fn block_on<F: Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("kan inte starta körmiljön")?;
    Ok(runtime.block_on(future))
}

/// Who is acting, for the audit log: `--actor`, else the login name. The command line acts as
/// administrator: whoever runs it has the database itself.
pub fn actor(given: Option<String>) -> Actor {
    let login = given
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .unwrap_or_else(|| "okänd".into());
    Actor::local_admin(login)
}

/// Opens a database that exists. A SQLite file that does not is an error that says how to
/// make one, and no file is created: a mistyped path must not leave an empty database behind.
pub async fn open(url: &str) -> Result<App> {
    match App::open_existing(url).await {
        Ok(app) => Ok(app),
        Err(AppError::Store(StoreError::NoDatabase { path })) => bail!(
            "databasen {path} finns inte; skapa den genom att importera en plan: \
             styr import PAKET --db {path}"
        ),
        Err(error) => Err(anyhow::Error::new(error).context(format!(
            "kan inte öppna databasen {}",
            without_password(url)
        ))),
    }
}

/// Who did something, as the terminal shows it: "Eva Lindqvist (eva)" for a user with a display
/// name, else the login (`names` from `App::user_names`).
pub fn person(names: &std::collections::BTreeMap<String, String>, login: &str) -> String {
    named(Some(&styr_app::display_name(names, login)), login)
}

/// [`person`] for a name already looked up (the audit log's entries carry theirs).
pub fn named(name: Option<&str>, login: &str) -> String {
    match name {
        Some(name) if name != login => format!("{name} ({login})"),
        _ => login.to_owned(),
    }
}

/// Runs use cases on the database `db` (which must exist) and closes it: every command that
/// uses the database goes through here.
pub fn with_app<T>(db: &str, work: impl AsyncFnOnce(&App) -> Result<T, AppError>) -> Result<T> {
    block_on(async {
        let app = open(db).await?;
        let result = work(&app).await;
        app.close().await;
        Ok(result?)
    })?
}

/// As [`with_app`], with `context` added to the use case's error only: a database that cannot
/// be opened says so in its own words.
pub fn with_app_context<T>(
    db: &str,
    context: impl FnOnce() -> String,
    work: impl AsyncFnOnce(&App) -> Result<T, AppError>,
) -> Result<T> {
    block_on(async {
        let app = open(db).await?;
        let result = work(&app).await;
        app.close().await;
        result.with_context(context)
    })?
}

/// Opens a database, creating a SQLite file that does not exist: for the commands that fill a
/// database (`styr import`, `styr serve --demo`). Every other command needs a stored plan.
pub async fn open_or_create(url: &str) -> Result<App> {
    App::open(url)
        .await
        .with_context(|| format!("kan inte öppna databasen {}", without_password(url)))
}

/// A database URL as it may be shown: the password of `scheme://user:password@host` replaced
/// by `***`.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

pub fn import(package: &Path, url: &str, actor: &Actor) -> Result<ExitCode> {
    if !package.join("styr.toml").is_file() && package.is_dir() {
        return import_folder(package, url, actor);
    }
    let plan = read_package(package)?;
    block_on(async {
        let app = open_or_create(url).await?;
        let summary = app.import_plan(actor, &plan).await.with_context(|| {
            format!("importen av {} avbröts; inget ändrades", package.display())
        })?;
        app.close().await;
        println!(
            "importerade {} / {} till {}: {} rader",
            plan.municipality.id,
            plan.budget.version.id,
            without_password(url),
            summary.total_rows()
        );
        Ok(ExitCode::SUCCESS)
    })?
}

/// `styr import MAPP` where the folder holds several packages (a municipality's bodies): all
/// are imported in one transaction, or none.
fn import_folder(folder: &Path, url: &str, actor: &Actor) -> Result<ExitCode> {
    let plans = crate::output::read_folder(folder)?;
    block_on(async {
        let app = open_or_create(url).await?;
        let summaries = app
            .import_plans(actor, &plans)
            .await
            .with_context(|| format!("importen av {} avbröts; inget ändrades", folder.display()))?;
        app.close().await;
        for ((name, plan), summary) in plans.iter().zip(&summaries) {
            println!(
                "importerade {} / {} ({}, organ {}) till {}: {} rader",
                plan.municipality.id,
                plan.budget.version.id,
                folder.join(name).display(),
                plan.document.body,
                without_password(url),
                summary.total_rows()
            );
        }
        Ok(ExitCode::SUCCESS)
    })?
}

/// `styr plans list`: every stored plan with its body, first year, version and kind.
pub fn list_plans(url: &str) -> Result<ExitCode> {
    let acting = actor(None);
    let keys = with_app(url, async |app: &App| app.plans(&acting).await)?;
    if keys.is_empty() {
        println!("databasen har inga planer");
        return Ok(ExitCode::SUCCESS);
    }
    println!("kommun\torgan\tår\tversion\tslag\tinläst");
    for key in keys {
        let kind = styr_domain::budget::VersionKind::parse(&key.kind)
            .map_or(key.kind.clone(), |kind| kind.label_sv().to_owned());
        println!(
            "{}\t{}\t{}\t{}\t{kind}\t{}",
            key.municipality, key.body, key.year, key.version, key.imported_at
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Which stored plan a command works on: the database and, where it holds several, the
/// municipality and budget version.
#[derive(clap::Args, Clone)]
pub struct StoredPlan {
    /// Databasen: en SQLite-fil eller en postgres://-adress.
    #[arg(long, default_value = "styr.db")]
    pub db: String,
    /// Kommunens id (behövs när databasen har flera kommuner).
    #[arg(long)]
    pub municipality: Option<String>,
    /// Organets id, t.ex. ks eller bun (behövs när kommunen har planer för flera organ).
    #[arg(long, visible_alias = "organ")]
    pub body: Option<String>,
    /// Budgetversionens id (standard: den senast inlästa).
    #[arg(long)]
    pub version: Option<String>,
}

impl StoredPlan {
    pub fn selector(&self) -> PlanSelector {
        PlanSelector {
            municipality: self.municipality.clone(),
            body: self.body.clone(),
            version: self.version.clone(),
        }
    }

    fn load(&self, actor: &Actor) -> Result<Plan> {
        with_app_context(&self.db, not_loaded, async |app: &App| {
            app.load_plan(actor, &self.selector()).await
        })
    }
}

pub fn export(out: &Path, stored: &StoredPlan) -> Result<ExitCode> {
    let plan = stored.load(&actor(None))?;
    styr_package::write_dir(&plan, out)
        .with_context(|| format!("kan inte skriva {}", out.display()))?;
    println!(
        "exporterade {} / {} till {}",
        plan.municipality.id,
        plan.budget.version.id,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A stored plan, with the locations of its exported package: findings then name the file
/// and line that `styr export` would write.
/// Every body's latest plan in the database (one for a database of one body), as packages,
/// and the stored versions their ramberäkningar name as their base (`App::base_versions`).
pub fn load_for_check_with_bases(url: &str) -> Result<(Vec<Plan>, Vec<Plan>)> {
    let acting = actor(None);
    with_app_context(url, not_loaded, async |app: &App| {
        let plans = app.body_plans_as_packages(&acting, None).await?;
        let bases = app.base_versions(&acting, &plans).await?;
        Ok((plans, bases))
    })
}

fn not_loaded() -> String {
    "kan inte läsa planen ur databasen; importera planen först (styr import)".to_owned()
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            without_password("postgres://styr:hemligt@db.example:5432/styr"),
            "postgres://styr:***@db.example:5432/styr"
        );
        for url in [
            "postgres://styr@127.0.0.1:1/x",
            "styr.db",
            "sqlite:a@b.db",
            "postgres://h/db?user=a@b",
        ] {
            assert_eq!(without_password(url), url);
        }
    }
}
