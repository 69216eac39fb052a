//! The commands that use the database as a whole: `styr import`, `styr export`, and loading a
//! stored plan for `styr check --db` and `styr render --db`. Every use case is `styr-app`'s; the
//! store is async, and the CLI runs it on a small current-thread runtime.

use crate::output::read_package;
use anyhow::{Context, Result};
use std::future::Future;
use std::path::Path;
use std::process::ExitCode;
use styr_app::{Actor, App, PlanSelector};
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

pub async fn open(url: &str) -> Result<App> {
    App::open(url)
        .await
        .with_context(|| format!("kan inte öppna databasen {url}"))
}

pub fn import(package: &Path, url: &str, actor: &Actor) -> Result<ExitCode> {
    let plan = read_package(package)?;
    block_on(async {
        let app = open(url).await?;
        let summary = app.import_plan(actor, &plan).await.with_context(|| {
            format!("importen av {} avbröts; inget ändrades", package.display())
        })?;
        app.close().await;
        println!(
            "importerade {} / {} till {url}: {} rader",
            plan.municipality.id,
            plan.budget.version.id,
            summary.total_rows()
        );
        Ok(ExitCode::SUCCESS)
    })?
}

/// Which stored plan a command works on: the database and, where it holds several, the
/// municipality and budget version.
#[derive(clap::Args, Clone)]
pub struct StoredPlan {
    /// The database: a SQLite file, or a postgres:// URL.
    #[arg(long, default_value = "styr.db")]
    pub db: String,
    /// The municipality id (needed when the database holds several).
    #[arg(long)]
    pub municipality: Option<String>,
    /// The budget version id (default: the last imported).
    #[arg(long)]
    pub version: Option<String>,
}

impl StoredPlan {
    pub fn selector(&self) -> PlanSelector {
        PlanSelector {
            municipality: self.municipality.clone(),
            version: self.version.clone(),
        }
    }

    async fn load(&self, actor: &Actor) -> Result<Plan> {
        let app = open(&self.db).await?;
        let plan = app
            .load_plan(actor, &self.selector())
            .await
            .context("kan inte läsa planen ur databasen; importera planen först (styr import)")?;
        app.close().await;
        Ok(plan)
    }
}

pub fn export(out: &Path, stored: &StoredPlan) -> Result<ExitCode> {
    let plan = block_on(stored.load(&actor(None)))??;
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
pub fn load_for_check(url: &str) -> Result<Plan> {
    let acting = actor(None);
    block_on(async {
        let app = open(url).await?;
        let plan = app
            .load_plan_as_package(&acting, &styr_app::PlanSelector::default())
            .await
            .context("kan inte läsa planen ur databasen; importera planen först (styr import)");
        app.close().await;
        plan
    })?
}
