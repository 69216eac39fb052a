//! The store: plans in a database, SQLite by default and PostgreSQL for shared installations.
//!
//! This is the only crate that speaks SQL. One code path and one schema serve both backends
//! through sqlx's `Any` driver, so every query is portable SQL: BIGINT and TEXT columns, money
//! as integer öre, exact decimals as text, booleans as 0/1, dates as ISO text, placeholders
//! written `$1`. A plan is stored under its key (municipality id, budget version id), imported
//! all-or-nothing in one transaction, and loaded back field for field. Every import writes a row
//! to the audit log. Ledger files are stored beside the plans, keyed by (municipality, company,
//! fiscal year): every voucher row for drill-down and monthly aggregates for reports; a new
//! import of the same company and year replaces the old one. The one exception to the single
//! code path: a ledger import writes through a connection of its own (`ledger::sink`), to a
//! SQLite file through `rusqlite` and to PostgreSQL with `COPY`, because millions of rows
//! through the `Any` driver took minutes; both follow one write protocol (`ledger::load`).
//!
//! It deliberately knows nothing of the package format, of checks or of rendering: it stores
//! and returns [`Plan`] values. It does not store where a value was read from (`Location`): a
//! loaded plan's locations are empty, except those of narrative claims, which are read from the
//! stored text again. It does not decide who may import; the caller names the actor.

mod alternatives;
mod audit;
mod backup;
mod connect;
mod error;
pub mod failover;
mod followup;
mod fresh;
mod identities;
mod kolada;
mod ledger;
mod load;
mod measures;
mod migrate;
mod process;
mod reminders;
mod row;
mod save;
mod tenant;
mod time;
mod users;
mod versioned;
mod write;

pub use backup::{BackupSummary, RestoreSummary};
pub use error::{MigrationError, StoreError};
pub use followup::{EntryFilter, RecordSummary, ReportChange};
pub use identities::{IdentityRecord, PendingLogin, SignInRecord, TakenLogin};
pub use kolada::KoladaRecorded;
pub use ledger::{
    AmountFilter, FileAmount, FileSelection, FilteredSums, LedgerDate, LedgerFileId,
    LedgerFileInfo, LedgerImport, LedgerImportInfo, LedgerImportSummary, LedgerLoad, LedgerPage,
    LedgerPair, LedgerRowKey, LedgerScope, LedgerSelection, LedgerSource, PageAt, RUN_ROWS,
    RowRecord, VoucherRecord,
};
pub use load::PlanLedger;
pub use measures::{MeasureEdit, MeasuresRecorded, StoredMeasureValue};
pub use process::{
    CalendarChange, CalendarEntry, NewQuestion, ProposalMove, ProposalRecord, Question,
};
pub use reminders::{OutboxCounts, OutboxKey, OutboxRow, ScheduleRow};
pub use time::{now_utc, today_utc, utc_offset};
pub use users::{SessionRecord, UserRecord};

use connect::Backend;
use sqlx::AnyPool;
use styr_domain::Plan;
use styr_domain::followup::{FollowUpPeriod, FollowUpReport, PeriodState, ReportedEntry};
use styr_domain::ledger::{LedgerAmount, LedgerTransaction, ManualForecast, Month};

/// An open database holding plans. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Whether the URL opened a SQLite database read-only (`mode=ro`, `immutable=1`): then
    /// ledger imports do not take the bulk path, which opens the file again for writing.
    read_only: bool,
    /// The URL it was opened with: a ledger import opens a connection of its own.
    url: String,
    /// Reports waiting for SQLite's writer (`followup::record`), shared by the store's clones.
    reports: std::sync::Arc<followup::Reports>,
    /// A PostgreSQL URL naming several servers: the watcher that keeps the pool on the one
    /// that will do (stopped when the last clone is dropped).
    failover: Option<std::sync::Arc<failover::Watch>>,
    /// The counters' reads, shared by the requests waiting at the same time (`fresh`).
    counters: std::sync::Arc<fresh::Fresh>,
    /// The stored plans' keys at the plan counter they were read under ([`Store::plans`]).
    plan_keys: std::sync::Arc<fresh::AtPlan<Vec<PlanKey>>>,
}

/// Whose follow-up: one body (nämnd, styrelse, bolag) of a municipality. Its calendar, its
/// reports and its period states are its own; item ids are only unique inside its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Owner<'a> {
    pub municipality: &'a str,
    pub body: &'a str,
}

impl<'a> Owner<'a> {
    /// The owner of a plan's follow-up: its municipality and the body the document is for.
    pub fn of(plan: &'a Plan) -> Owner<'a> {
        Owner {
            municipality: plan.municipality.id.as_str(),
            body: plan.document.body.as_str(),
        }
    }
}

/// `haninge/ks`: how an owner is written in the audit log's actions.
impl std::fmt::Display for Owner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.municipality, self.body)
    }
}

/// The key and kind of a stored plan, with when it was last imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanKey {
    pub municipality: String,
    /// The body the plan is for (`document.body`).
    pub body: String,
    /// The document's first year.
    pub year: i64,
    pub version: String,
    /// The budget version's kind: `proposal`, `decided` or `adjusted`.
    pub kind: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub imported_at: String,
}

/// One row of the audit log: who did what, when, and the data before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The change's number: strictly increasing.
    pub seq: i64,
    pub municipality: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub at: String,
    pub actor: String,
    /// What was done, e.g. `import plan haninge/ks_2021_proposal`.
    pub action: String,
    /// Details as `key=value` pairs separated by spaces, e.g. `kind=proposal replaced=false …`.
    pub detail: String,
    /// The changed data before and after, one line per changed item (reports, period states,
    /// version kinds); `None` for imports, whose data is the plan or the ledger itself.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Which rows of the audit log to list; every field narrows, `None` does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub municipality: Option<String>,
    pub actor: Option<String>,
    /// Words the action contains, e.g. `report status`.
    pub action_contains: Option<String>,
    /// From this time (UTC ISO text or a date), inclusive.
    pub since: Option<String>,
    /// Before this time, exclusive.
    pub until: Option<String>,
}

/// One stored revision of a section of a plan (one file of its package).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRevision {
    /// 0: the text before its first save in the web; then 1, 2, … per save.
    pub revision: i64,
    pub text: String,
    pub saved_by: String,
    pub saved_at: String,
}

pub use save::SectionSave;

/// What a section's save stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionStored {
    pub summary: ImportSummary,
    /// The section's new revision.
    pub revision: i64,
    /// The plan counter after the save (`Store::plan_generation`).
    pub generation: i64,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub municipality: String,
    pub version: String,
    /// The budget version's kind: `proposal`, `decided` or `adjusted`.
    pub kind: String,
    /// Whether a stored plan with the same key was replaced.
    pub replaced: bool,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub imported_at: String,
    /// Rows written per table, in the order they were written; tables without rows are left out.
    pub rows: Vec<(&'static str, u64)>,
}

impl ImportSummary {
    /// The number of rows written to one table (0 when none).
    pub fn rows_in(&self, table: &str) -> u64 {
        self.rows
            .iter()
            .find(|(name, _)| *name == table)
            .map_or(0, |(_, count)| *count)
    }

    /// The number of rows written in all.
    pub fn total_rows(&self) -> u64 {
        self.rows.iter().map(|(_, count)| count).sum()
    }
}

/// The newest schema version this program knows (its last migration): a database or a backup
/// with a newer one is refused.
pub fn newest_schema_version() -> i64 {
    migrate::newest_version()
}

/// Restores a backup file (a SQLite database, or a `pg_dump --format=custom` archive) into the
/// database `url` names, and migrates it forward. Refuses a target that holds tables unless
/// `force`, and a backup whose schema is newer than this program's; either way nothing changes.
pub async fn restore(
    url: &str,
    backup_file: &std::path::Path,
    force: bool,
) -> Result<RestoreSummary, StoreError> {
    backup::restore(url, backup_file, force).await
}

impl Store {
    /// Opens a database and brings its schema up to date.
    ///
    /// `url`: `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite:…` or anything else is
    /// a SQLite database file (a plain path is taken as it stands), created if missing, in WAL
    /// mode with a busy timeout of 5 s and foreign keys on. A PostgreSQL server that does not
    /// accept a connection within 5 s is [`StoreError::Unreachable`], with the reason.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, connect::Create::IfMissing).await
    }

    /// Opens a database as [`Store::open`] does, but never creates one: a SQLite file that
    /// does not exist is [`StoreError::NoDatabase`] (for commands that only read or change
    /// what is stored, where a new empty file would only hide a mistyped path).
    pub async fn open_existing(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, connect::Create::Never).await
    }

    async fn open_with(url: &str, create: connect::Create) -> Result<Store, StoreError> {
        let (pool, backend, watch) = connect::connect_watched(url, create).await?;
        // A database of a newer styr is refused before anything is written to it; one that
        // has every migration is only read (its version once: a reading command's whole
        // process is tens of milliseconds).
        let version = match migrate::check_version(&pool, backend).await {
            Ok(version) => version,
            Err(error) => {
                pool.close().await;
                return Err(error);
            }
        };
        if version < migrate::newest_version() {
            migrate::run(&pool, backend).await?;
        }
        let read_only = connect::target(url).read_only();
        Ok(Store {
            pool,
            backend,
            read_only,
            url: url.to_owned(),
            reports: Default::default(),
            failover: watch.map(std::sync::Arc::new),
            counters: Default::default(),
            plan_keys: Default::default(),
        })
    }

    /// The URL of the one server the store works on now: the URL it was opened with, or, for a
    /// URL naming several PostgreSQL servers, the one chosen (for the tools and connections of
    /// their own: `pg_dump`, a ledger import's COPY).
    pub fn current_url(&self) -> String {
        match &self.failover {
            Some(watch) => watch.failover.current_url().to_owned(),
            None => self.url.clone(),
        }
    }

    /// Backs the whole database up into the file `out` while others keep writing: SQLite's
    /// online backup API (a copy as of one commit, checked, then renamed into place), or
    /// `pg_dump --format=custom` for PostgreSQL.
    pub async fn backup(&self, out: &std::path::Path) -> Result<BackupSummary, StoreError> {
        backup::backup(&self.current_url(), self.backend, out).await
    }

    /// Answers whether the database answers a trivial query and, on PostgreSQL, takes writes
    /// ([`StoreError::ReadOnly`] for a standby or a read-only server: styr cannot work there).
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
            }
            Backend::Postgres => {
                let mut connection = self.pool.acquire().await?;
                failover::writable(&mut connection).await?;
            }
        }
        Ok(())
    }

    /// The database's schema version: the newest migration applied to it.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        migrate::database_version(&self.pool, self.backend).await
    }

    /// Opens a database with its schema brought up to `version` only: for tests of the
    /// migration after it.
    #[doc(hidden)]
    pub async fn open_at_schema_version(url: &str, version: i64) -> Result<Store, StoreError> {
        let (pool, backend) = connect::connect(url, connect::Create::IfMissing).await?;
        migrate::run_until(&pool, backend, version).await?;
        Ok(Store {
            pool,
            backend,
            read_only: connect::target(url).read_only(),
            url: url.to_owned(),
            reports: Default::default(),
            failover: None,
            counters: Default::default(),
            plan_keys: Default::default(),
        })
    }

    /// Saves the whole plan in one transaction, all-or-nothing, under its key (municipality
    /// id, budget version id). A stored plan with the same key is replaced completely, unless
    /// its version is `decided`: then nothing changes and the error is
    /// [`StoreError::DecidedVersion`] (import an `adjusted` version instead). Writes a row to
    /// the audit log naming `actor`.
    pub async fn import_plan(&self, plan: &Plan, actor: &str) -> Result<ImportSummary, StoreError> {
        save::import_plan(&self.pool, self.backend, plan, actor, None).await
    }

    /// Imports a plan as `import_plan` does, with a note for the audit log's detail (e.g. that
    /// the plan is a year rollover, and why it was forced).
    pub async fn import_plan_with_note(
        &self,
        plan: &Plan,
        actor: &str,
        note: Option<&str>,
    ) -> Result<ImportSummary, StoreError> {
        save::import_plan(&self.pool, self.backend, plan, actor, note).await
    }

    /// Stores a plan in which one section changed, with the section's next revision and one
    /// audit row, in one transaction (see `save::save_section`), or `StalePlan` when someone
    /// saved or imported first.
    pub async fn save_section(
        &self,
        plan: &Plan,
        actor: &str,
        save: SectionSave<'_>,
    ) -> Result<SectionStored, StoreError> {
        save::save_section(&self.pool, self.backend, plan, actor, save).await
    }

    /// The stored revisions of a section of a plan, oldest first.
    pub async fn section_revisions(
        &self,
        municipality: &str,
        version: &str,
        path: &str,
    ) -> Result<Vec<SectionRevision>, StoreError> {
        save::section_revisions(&self.pool, municipality, version, path).await
    }

    /// The stored plan's `import_seq` (`None`: no such plan) and the latest revision of every
    /// section of it saved in the web.
    pub async fn section_state(
        &self,
        municipality: &str,
        version: &str,
    ) -> Result<(Option<i64>, std::collections::BTreeMap<String, i64>), StoreError> {
        save::section_state(&self.pool, municipality, version).await
    }

    /// Imports several plans (a municipality's bodies, read from a folder of packages) in one
    /// transaction: all are stored or none. Each gets its own audit row.
    pub async fn import_plans(
        &self,
        plans: &[Plan],
        actor: &str,
    ) -> Result<Vec<ImportSummary>, StoreError> {
        save::import_plans(&self.pool, self.backend, plans, actor).await
    }

    /// Loads a stored plan. `version: None` is the most recently imported version of the
    /// body's plan; `body: None` is the only body with plans in the municipality and
    /// `municipality: None` the only municipality in the database (an error when there are
    /// several or none).
    pub async fn load_plan(
        &self,
        municipality: Option<&str>,
        body: Option<&str>,
        version: Option<&str>,
    ) -> Result<Plan, StoreError> {
        load::load_plan(&self.pool, self.backend, municipality, body, version).await
    }

    /// What a drill-down needs of the plan [`Store::load_plan`] would load (its key, its
    /// version's kind, its budget lines' names, its ledger mapping), without the rest.
    pub async fn load_plan_ledger(
        &self,
        municipality: Option<&str>,
        body: Option<&str>,
        version: Option<&str>,
    ) -> Result<PlanLedger, StoreError> {
        load::load_plan_ledger(&self.pool, self.backend, municipality, body, version).await
    }

    /// Every stored plan, by municipality and then in the order they were last imported.
    /// Kept until the plan counter moves (only a plan's import writes them), so a request that
    /// asks which bodies have plans reads the counter only.
    pub async fn plans(&self) -> Result<Vec<PlanKey>, StoreError> {
        let generation = self.plan_generation().await?;
        if let Some(plans) = self.plan_keys.get(generation) {
            return Ok(plans);
        }
        let plans = load::plans(&self.pool).await?;
        self.plan_keys.put(generation, plans.clone());
        Ok(plans)
    }

    /// Begins importing a ledger file: a write transaction of its own that takes the file
    /// voucher by voucher ([`LedgerLoad::voucher`], [`LedgerLoad::row`]) and stores it with
    /// [`LedgerLoad::finish`], all-or-nothing, replacing an earlier import of the same
    /// (municipality, company, fiscal year) and writing a row to the audit log naming `actor`.
    /// Dropping the load unfinished changes nothing. Other writers wait until it ends.
    pub async fn begin_ledger_load(
        &self,
        municipality: &str,
        actor: &str,
    ) -> Result<LedgerLoad, StoreError> {
        ledger::begin(
            &self.pool,
            self.backend,
            &self.current_url(),
            self.read_only,
            municipality,
            actor,
        )
        .await
    }

    /// Stores a ledger file held in memory, through the same protocol as a streamed one.
    pub async fn import_actuals(
        &self,
        import: &LedgerImport,
        actor: &str,
    ) -> Result<LedgerImportSummary, StoreError> {
        self.import_ledger_as(import, LedgerScope::FollowUp, Vec::new(), actor)
            .await
    }

    /// [`Store::import_actuals`] for a file of `scope` with its #IB/#UB/#RES `balances`.
    pub async fn import_ledger_as(
        &self,
        import: &LedgerImport,
        scope: LedgerScope,
        balances: Vec<styr_domain::statements::AccountBalance>,
        actor: &str,
    ) -> Result<LedgerImportSummary, StoreError> {
        let mut load = self.begin_ledger_load(&import.municipality, actor).await?;
        load.set_scope(scope);
        load.set_balances(balances);
        let date = |iso: &str| -> Result<LedgerDate, StoreError> {
            let bad = || StoreError::Corrupt(format!("datumet {iso:?} är inte ÅÅÅÅ-MM-DD"));
            let mut parts = iso.splitn(3, '-').map(str::parse::<u16>);
            let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            Ok(LedgerDate {
                year,
                month: u8::try_from(month).map_err(|_| bad())?,
                day: u8::try_from(day).map_err(|_| bad())?,
            })
        };
        let mut previous: Option<&LedgerTransaction> = None;
        for row in &import.transactions {
            let same_voucher = previous.is_some_and(|p| {
                p.series == row.series
                    && p.voucher_number == row.voucher_number
                    && p.voucher_date == row.voucher_date
                    && p.voucher_text == row.voucher_text
            });
            if !same_voucher {
                load.voucher(&VoucherRecord {
                    series: &row.series,
                    number: &row.voucher_number,
                    date: date(&row.voucher_date)?,
                    text: &row.voucher_text,
                })?;
            }
            previous = Some(row);
            let objects: Vec<(u32, &str)> = row
                .objects
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .filter_map(|(d, o)| Some((d.parse().ok()?, o)))
                .collect();
            load.row(&RowRecord {
                kind: row.kind,
                account: &row.account,
                objects: &objects,
                date: date(&row.transaction_date)?,
                amount_ore: row.amount.ore(),
                text: &row.text,
                spelling: None,
            })?;
        }
        load.finish(&import.info, &import.budget).await
    }

    /// Monthly ledger amounts of a municipality from `first` to `last` (inclusive), summed over
    /// every stored import: the booked amounts or the ledger's #PBUDGET.
    pub async fn ledger_amounts(
        &self,
        municipality: &str,
        source: LedgerSource,
        first: Month,
        last: Month,
    ) -> Result<Vec<LedgerAmount>, StoreError> {
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::read::amounts(db, municipality, source, first, last).await
        })
        .await
    }

    /// The monthly balances of a municipality's follow-up files in calendar year `year` (kept
    /// at import, migration 0028): per file and account × ansvar, split by project only where
    /// `needs_project(account, ansvar)` (a rule that looks at the project) and the rows carry
    /// one. Budget vs actual reads these; their sums equal [`Store::ledger_amounts`]'.
    pub async fn ledger_year_balances(
        &self,
        municipality: &str,
        source: LedgerSource,
        year: styr_domain::Year,
        needs_project: &(dyn Fn(&str, Option<&str>) -> bool + Sync),
    ) -> Result<Vec<styr_domain::year_balance::YearBalance>, StoreError> {
        if let Some(balances) = ledger::balances::read_sqlite_file(
            &self.pool,
            self.backend,
            municipality,
            source,
            year,
            needs_project,
        )
        .await?
        {
            return Ok(balances);
        }
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::balances::read(db, municipality, source, year, needs_project).await
        })
        .await
    }

    /// The municipality's bokslut ledger files of `year` (scope `statements`) with their
    /// #IB/#UB/#RES records and their movements per account and month through `through`: what
    /// the financial statements read.
    pub async fn statement_ledgers(
        &self,
        municipality: &str,
        year: i32,
        through: Month,
    ) -> Result<Vec<styr_domain::statements::StatementLedger>, StoreError> {
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::read::statement_ledgers(db, municipality, year, through).await
        })
        .await
    }

    /// The counted voucher rows from `first` to `last` on `accounts` and dimension-1 objects
    /// `ansvar` ("" for rows without one; all when a list is empty), in date order: the
    /// vouchers behind a figure.
    pub async fn ledger_transactions(
        &self,
        municipality: &str,
        first: Month,
        last: Month,
        accounts: &[String],
        ansvar: &[String],
    ) -> Result<Vec<LedgerTransaction>, StoreError> {
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::read::transactions(db, municipality, first, last, accounts, ansvar).await
        })
        .await
    }

    /// The monthly sums from `first` to `last` of the municipality's follow-up files that one of
    /// `filters` admits, per file, account, ansvar and project, and per file and month: what a
    /// figure's drill-down classifies to choose its rows.
    pub async fn ledger_amounts_where(
        &self,
        municipality: &str,
        source: LedgerSource,
        first: Month,
        last: Month,
        filters: &[AmountFilter],
    ) -> Result<FilteredSums, StoreError> {
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::page::amounts_where(db, municipality, source, first, last, filters).await
        })
        .await
    }

    /// The monthly sums of one account of a bokslut file (scope `statements`) of `year`, as
    /// [`Store::ledger_amounts_where`] gives a follow-up file's: what pages the vouchers behind
    /// an account of the financial statements (`ledger::page`).
    pub async fn statement_account_amounts(
        &self,
        municipality: &str,
        year: i32,
        file_name: &str,
        account: &str,
        first: Month,
        last: Month,
    ) -> Result<FilteredSums, StoreError> {
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::page::statement_account_amounts(
                db,
                municipality,
                year,
                file_name,
                account,
                first,
                last,
            )
            .await
        })
        .await
    }

    /// The same sums as [`Store::ledger_amounts_where`] but with a key's project left out
    /// (`None`) unless `needs_project(account, ansvar)` (a rule that looks at the project) and
    /// its rows carry one: from the year balances (migration 0028), through `rusqlite` on a
    /// SQLite file. What a figure's drill-down classifies; from `ledger_sums` when `first` and
    /// `last` are of different years.
    pub async fn ledger_figure_sums(
        &self,
        municipality: &str,
        source: LedgerSource,
        first: Month,
        last: Month,
        filters: &[AmountFilter],
        needs_project: &(dyn Fn(&str, Option<&str>) -> bool + Sync),
    ) -> Result<FilteredSums, StoreError> {
        if first.year() != last.year() || first > last {
            return self
                .ledger_amounts_where(municipality, source, first, last, filters)
                .await;
        }
        let figure = ledger::balances::FigureRead {
            municipality,
            source,
            first,
            last,
            filters,
            needs_project,
        };
        if let Some(sums) =
            ledger::balances::figure_sqlite_file(&self.pool, self.backend, &figure).await?
        {
            return Ok(sums);
        }
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::balances::figure(db, &figure).await
        })
        .await
    }

    /// One page of the rows of `selection` (the first, after a key or before one), in the
    /// drill-down's order (day, file, voucher, line): keyset pagination over the rows' key
    /// (`ledger::page`).
    pub async fn ledger_transactions_page(
        &self,
        municipality: &str,
        selection: &LedgerSelection,
        at: PageAt,
        limit: usize,
    ) -> Result<LedgerPage, StoreError> {
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::page::transactions_page(db, municipality, selection, at, limit).await
        })
        .await
    }

    /// The months with stored actuals of one ledger import (company and fiscal year).
    pub async fn ledger_actual_months(
        &self,
        municipality: &str,
        company: &str,
        fiscal_year: &str,
    ) -> Result<Vec<String>, StoreError> {
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::read::actual_months(db, municipality, company, fiscal_year).await
        })
        .await
    }

    /// The stored ledger imports of a municipality.
    pub async fn ledger_imports(
        &self,
        municipality: &str,
    ) -> Result<Vec<LedgerImportInfo>, StoreError> {
        tenant::scoped(&self.pool, self.backend, municipality, async |db| {
            ledger::read::imports(db, municipality).await
        })
        .await
    }

    /// The current manual forecasts of a follow-up month (the forecast reports).
    pub async fn forecasts(
        &self,
        owner: Owner<'_>,
        period: Month,
    ) -> Result<Vec<ManualForecast>, StoreError> {
        followup::forecasts(&self.pool, owner, period).await
    }

    /// A body's follow-up calendar, by month.
    pub async fn periods(&self, owner: Owner<'_>) -> Result<Vec<FollowUpPeriod>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        followup::periods(&mut connection, owner).await
    }

    /// Records Kolada values of a municipality (its own and its comparison group's) in one
    /// transaction with one audit row; values equal to the stored ones are not written again.
    pub async fn record_kolada_values(
        &self,
        municipality: &str,
        values: &[styr_domain::kolada::KoladaValue],
        actor: &str,
        action: &str,
    ) -> Result<KoladaRecorded, StoreError> {
        kolada::record(
            &self.pool,
            self.backend,
            municipality,
            values,
            actor,
            action,
        )
        .await
    }

    /// The stored Kolada values of a municipality, by KPI, area, year and gender.
    pub async fn kolada_values(
        &self,
        municipality: &str,
    ) -> Result<Vec<styr_domain::kolada::KoladaValue>, StoreError> {
        kolada::values(&self.pool, municipality).await
    }

    /// Records follow-up reports in one transaction, all-or-nothing, with one audit row naming
    /// `action` and holding every changed report before and after. Refuses (changing nothing)
    /// when a report's period is missing or closed. Reports equal to the current ones are
    /// counted as unchanged and not written again.
    pub async fn record_reports(
        &self,
        owner: Owner<'_>,
        reports: &[FollowUpReport],
        actor: &str,
        action: &str,
    ) -> Result<RecordSummary, StoreError> {
        followup::record(
            &self.pool,
            self.backend,
            &self.reports,
            owner,
            reports,
            &[],
            actor,
            action,
        )
        .await
    }

    /// Records reports as `record_reports` does, each based on the version of the current
    /// report its editor saw (`expected_versions[i]` for `reports[i]`; 0: there was none;
    /// `None`: not checked). A report whose current version differs is refused with
    /// [`StoreError::StaleVersion`] and nothing is written: no lost update.
    pub async fn record_reports_based_on(
        &self,
        owner: Owner<'_>,
        reports: &[FollowUpReport],
        expected_versions: &[Option<u64>],
        actor: &str,
        action: &str,
    ) -> Result<RecordSummary, StoreError> {
        followup::record(
            &self.pool,
            self.backend,
            &self.reports,
            owner,
            reports,
            expected_versions,
            actor,
            action,
        )
        .await
    }

    /// The current outcomes of a body's verksamhetsmått (migration 0026).
    pub async fn measure_values(
        &self,
        owner: Owner<'_>,
    ) -> Result<Vec<StoredMeasureValue>, StoreError> {
        measures::values(&self.pool, owner).await
    }

    /// Writes outcomes of verksamhetsmått all or nothing, with one audit row; an edit based on
    /// another change than the current one is refused with [`StoreError::StaleMeasure`].
    pub async fn record_measure_values(
        &self,
        owner: Owner<'_>,
        edits: &[MeasureEdit],
        actor: &str,
        action: &str,
    ) -> Result<MeasuresRecorded, StoreError> {
        measures::record(&self.pool, self.backend, owner, edits, actor, action).await
    }

    /// Follow-up reports of a body: the current ones, or with `history` every one.
    pub async fn reports(
        &self,
        owner: Owner<'_>,
        filter: &EntryFilter,
    ) -> Result<Vec<ReportedEntry>, StoreError> {
        followup::entries(&self.pool, owner, filter).await
    }

    /// Opens or closes a follow-up period, with an audit row (and the reason, when given).
    pub async fn set_period_state(
        &self,
        owner: Owner<'_>,
        month: Month,
        state: PeriodState,
        actor: &str,
        reason: Option<&str>,
    ) -> Result<FollowUpPeriod, StoreError> {
        followup::set_state(&self.pool, self.backend, owner, month, state, actor, reason).await
    }

    /// Closes a month's period for every body of the municipality that has it open, in one
    /// transaction with one audit row; returns each closed body's period.
    pub async fn close_period_everywhere(
        &self,
        municipality: &str,
        month: Month,
        actor: &str,
    ) -> Result<Vec<(String, FollowUpPeriod)>, StoreError> {
        followup::close_everywhere(&self.pool, self.backend, municipality, month, actor).await
    }

    /// Every alternative budget of a municipality, by number (migration 0021).
    pub async fn alternatives(
        &self,
        municipality: &str,
    ) -> Result<Vec<styr_domain::alternative::Alternative>, StoreError> {
        alternatives::alternatives(&self.pool, municipality).await
    }

    /// Stores an alternative budget in one transaction with an audit row: a new one (id 0)
    /// gets the next number; an existing one only when its stored version is the one it was
    /// based on (`StoreError::StaleAlternative` otherwise, and nothing is written).
    pub async fn save_alternative(
        &self,
        alternative: &styr_domain::alternative::Alternative,
        actor: &str,
        action: &str,
    ) -> Result<styr_domain::alternative::Alternative, StoreError> {
        alternatives::save(&self.pool, self.backend, alternative, actor, action).await
    }

    /// Acknowledges a finding of `styr check` on a stored plan version: one row and one
    /// audit row (who, when, the finding and the reason) in one transaction.
    pub async fn acknowledge(
        &self,
        (municipality, version): (&str, &str),
        finding: &str,
        reason: &str,
        actor: &str,
    ) -> Result<styr_domain::acknowledgement::Acknowledgement, StoreError> {
        save::acknowledge(
            &self.pool,
            self.backend,
            (municipality, version),
            finding,
            reason,
            actor,
        )
        .await
    }

    /// Marks a stored budget version as decided by `decision` (a decision id of the plan);
    /// from then on it is never edited in place. Refuses a version already decided.
    pub async fn decide_version(
        &self,
        municipality: &str,
        version: &str,
        decision: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        followup::decide_version(
            &self.pool,
            self.backend,
            municipality,
            version,
            decision,
            actor,
        )
        .await
    }

    /// A proposal's recorded states, oldest first (see `process`).
    pub async fn proposal_history(
        &self,
        municipality: &str,
        version: &str,
    ) -> Result<Vec<ProposalRecord>, StoreError> {
        process::history(&self.pool, municipality, version).await
    }

    /// The latest recorded state of every version of a municipality.
    pub async fn proposal_states(
        &self,
        municipality: &str,
    ) -> Result<Vec<ProposalRecord>, StoreError> {
        process::latest_states(&self.pool, municipality).await
    }

    /// Moves a proposal, refusing a move from a state that is no longer current.
    pub async fn move_proposal(
        &self,
        step: &ProposalMove<'_>,
    ) -> Result<ProposalRecord, StoreError> {
        process::move_proposal(&self.pool, self.backend, step).await
    }

    /// The budget calendar of a year.
    pub async fn budget_calendar(
        &self,
        municipality: &str,
        year: i64,
    ) -> Result<Vec<CalendarEntry>, StoreError> {
        process::calendar(&self.pool, municipality, year).await
    }

    /// Sets or removes a date of the budget calendar; audited.
    pub async fn set_budget_calendar(
        &self,
        municipality: &str,
        change: &CalendarChange<'_>,
        actor: &str,
    ) -> Result<(), StoreError> {
        process::set_calendar(&self.pool, self.backend, municipality, change, actor).await
    }

    /// Beredning's questions of a municipality, newest first.
    pub async fn questions(&self, municipality: &str) -> Result<Vec<Question>, StoreError> {
        process::questions(&self.pool, municipality).await
    }

    pub async fn question(
        &self,
        municipality: &str,
        id: i64,
    ) -> Result<Option<Question>, StoreError> {
        process::question(&self.pool, municipality, id).await
    }

    /// Records a question of beredning; audited.
    pub async fn ask_question(&self, new: &NewQuestion<'_>) -> Result<Question, StoreError> {
        process::ask(&self.pool, self.backend, new).await
    }

    /// Records a question's answer; audited.
    pub async fn answer_question(
        &self,
        key: (&str, i64),
        answer: &str,
        published: bool,
        actor: &str,
    ) -> Result<Question, StoreError> {
        process::answer(&self.pool, self.backend, key, answer, published, actor).await
    }

    /// Adds a user, or replaces one of the same login and municipality; audited. Returns
    /// whether the user is new.
    pub async fn put_user(&self, user: &UserRecord, actor: &str) -> Result<bool, StoreError> {
        users::put_user(&self.pool, self.backend, user, actor).await
    }

    pub async fn user(&self, login: &str) -> Result<Option<UserRecord>, StoreError> {
        users::user(&self.pool, login).await
    }

    /// Every user, by municipality and login.
    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        users::users(&self.pool).await
    }

    /// Starts a session (the token's hash, the CSRF token, when it expires).
    pub async fn create_session(
        &self,
        token_hash: &str,
        login: &str,
        csrf: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        users::create_session(&self.pool, token_hash, login, csrf, expires_at).await
    }

    /// The user, CSRF token and expiry of an unexpired session.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        users::session(&self.pool, token_hash).await
    }

    /// Ends a session; moves the change counter.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        users::delete_session(&self.pool, self.backend, token_hash).await
    }

    /// Stores an API token's hash for a user; audited.
    pub async fn create_token(
        &self,
        token_hash: &str,
        user: &UserRecord,
        actor: &str,
    ) -> Result<(), StoreError> {
        users::create_token(&self.pool, self.backend, token_hash, user, actor).await
    }

    /// The user of an API token.
    pub async fn token(&self, token_hash: &str) -> Result<Option<UserRecord>, StoreError> {
        users::token(&self.pool, token_hash).await
    }

    /// Names the e-mail `login` signs in with at the identity provider; audited.
    pub async fn put_identity(
        &self,
        municipality: &str,
        login: &str,
        email: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        identities::put_identity(&self.pool, self.backend, municipality, login, email, actor).await
    }

    /// The user identity stored for a provider's (issuer, subject).
    pub async fn identity_by_subject(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        identities::identity_by_subject(&self.pool, issuer, subject).await
    }

    /// The identity of a user who signs in with the provider; `None` for one who does not.
    pub async fn identity_of(&self, login: &str) -> Result<Option<IdentityRecord>, StoreError> {
        identities::identity_of(&self.pool, login).await
    }

    /// The identity of the user who signs in with the provider by an e-mail (lower case).
    pub async fn identity_by_email(
        &self,
        email: &str,
    ) -> Result<Option<IdentityRecord>, StoreError> {
        identities::identity_by_email(&self.pool, email).await
    }

    /// Audits a sign-in's outcome (and links a first sign-in's identity); `false`: the link
    /// lost a race and nothing was recorded.
    pub async fn record_sign_in(&self, record: &SignInRecord<'_>) -> Result<bool, StoreError> {
        identities::record_sign_in(&self.pool, self.backend, record).await
    }

    /// Stores a sign-in begun at the identity provider; forgets those begun before
    /// `forget_before`.
    pub async fn begin_oidc_login(
        &self,
        state_hash: &str,
        pending: &PendingLogin,
        forget_before: &str,
    ) -> Result<(), StoreError> {
        identities::begin_login(&self.pool, state_hash, pending, forget_before).await
    }

    /// Takes a begun sign-in for its callback, once.
    pub async fn take_oidc_login(
        &self,
        state_hash: &str,
        since: &str,
    ) -> Result<TakenLogin, StoreError> {
        identities::take_login(&self.pool, state_hash, since).await
    }

    /// Records a failed login from a client address.
    pub async fn record_login_failure(&self, login: &str, address: &str) -> Result<(), StoreError> {
        users::record_login_failure(&self.pool, login, address).await
    }

    /// Failed logins for a login since `since` (from one address, or from all): how many and
    /// when the last was.
    pub async fn login_failures(
        &self,
        login: &str,
        address: Option<&str>,
        since: &str,
    ) -> Result<(u64, Option<String>), StoreError> {
        users::login_failures(&self.pool, login, address, since).await
    }

    /// Records a successful login from a client address.
    pub async fn record_login_success(&self, login: &str, address: &str) -> Result<(), StoreError> {
        users::record_login_success(&self.pool, login, address).await
    }

    /// Whether a login succeeded from an address since `since`.
    pub async fn known_address(
        &self,
        login: &str,
        address: &str,
        since: &str,
    ) -> Result<bool, StoreError> {
        users::known_address(&self.pool, login, address, since).await
    }

    /// The stored steps of a municipality's reminder schedule (migration 0031).
    pub async fn reminder_schedule(
        &self,
        municipality: &str,
    ) -> Result<Vec<ScheduleRow>, StoreError> {
        reminders::schedule(&self.pool, municipality).await
    }

    /// Sets one step of a municipality's reminder schedule; audited with the step in force
    /// before and after as the use case describes them.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_reminder_schedule(
        &self,
        municipality: &str,
        step: &str,
        days: i64,
        active: bool,
        actor: &str,
        (before, after): (&str, &str),
        seen: Option<&str>,
    ) -> Result<(), StoreError> {
        reminders::set_schedule(
            &self.pool,
            self.backend,
            municipality,
            (step, days, active),
            actor,
            (before, after),
            seen,
        )
        .await
    }

    /// Every user's e-mail address that is set: (municipality, login, address).
    pub async fn user_emails(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        reminders::user_emails(&self.pool).await
    }

    /// Sets or removes a user's e-mail address; audited.
    pub async fn set_user_email(
        &self,
        login: &str,
        email: Option<&str>,
        actor: &str,
    ) -> Result<(), StoreError> {
        reminders::set_user_email(&self.pool, self.backend, login, email, actor).await
    }

    /// Decides reminder mails in one transaction: the rows whose key is new are written and
    /// returned; the others were decided before and are left as they are.
    pub async fn decide_reminders(
        &self,
        mails: &[OutboxRow],
    ) -> Result<Vec<OutboxKey>, StoreError> {
        reminders::decide(&self.pool, self.backend, mails).await
    }

    /// Takes the reminders due to be sent at `now`, leased until `lease_until`.
    pub async fn take_due_reminders(
        &self,
        now: &str,
        lease_until: &str,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        reminders::take_due(&self.pool, now, lease_until).await
    }

    pub async fn reminder_sent(&self, key: &OutboxKey, at: &str) -> Result<(), StoreError> {
        reminders::mark_sent(&self.pool, key, at).await
    }

    pub async fn reminder_failed(
        &self,
        key: &OutboxKey,
        error: &str,
        next_attempt_at: &str,
    ) -> Result<(), StoreError> {
        reminders::mark_failed(&self.pool, key, error, next_attempt_at).await
    }

    /// The reminder outbox, newest decision first.
    pub async fn reminder_outbox(
        &self,
        municipality: Option<&str>,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        reminders::outbox(&self.pool, municipality).await
    }

    /// The reminder outbox counted by status.
    pub async fn reminder_counts(&self) -> Result<OutboxCounts, StoreError> {
        reminders::outbox_counts(&self.pool).await
    }

    /// The change counter: it moves with every write (plans, ledgers, reports, periods,
    /// users), so a value computed at one generation is still true while it stays the same.
    pub async fn generation(&self) -> Result<i64, StoreError> {
        Ok(self.counters.counters(&self.pool).await?.change)
    }

    /// The plan counter: it moves only when what a loaded plan holds changes (an import, a
    /// decided version, a period's state), so a loaded plan is still true while it stays.
    pub async fn plan_generation(&self) -> Result<i64, StoreError> {
        Ok(self.counters.counters(&self.pool).await?.plan)
    }

    /// The audit log, oldest first, narrowed by `filter`.
    pub async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        audit::entries(&self.pool, filter).await
    }

    /// Closes every connection, waiting for running queries to finish.
    pub async fn close(self) {
        self.pool.close().await;
    }
}
