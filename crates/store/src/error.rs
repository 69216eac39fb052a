//! The store's errors: one typed enum, with messages in Swedish for the people who read them.
//!
//! The variants say what went wrong for the caller to act on (a decided version, a missing
//! plan, an ambiguous municipality); database and migration failures keep sqlx's error as their
//! source. Nothing here maps errors to exit codes or HTTP statuses: that is the callers' job.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The stored version with this key is decided: it is never edited in place.
    #[error(
        "budgetversionen {version} är beslutad och ändras aldrig på plats: \
         importera en justerad version (kind = \"adjusted\") i stället"
    )]
    DecidedVersion { version: String },
    /// No such plan or municipality; the text says what was looked for.
    #[error("{0}")]
    NotFound(String),
    /// The database holds plans of several municipalities and none was named.
    #[error("databasen har planer för flera kommuner ({}): ange vilken", .0.join(", "))]
    AmbiguousMunicipality(Vec<String>),
    /// The municipality holds plans of several bodies and none was named.
    #[error(
        "databasen har planer för flera organ i {municipality} ({}): ange vilket organ",
        .bodies.join(", ")
    )]
    AmbiguousBody {
        municipality: String,
        bodies: Vec<String>,
    },
    /// A package's version id is already another body's plan in the same municipality.
    #[error(
        "budgetversionen {version} finns redan som organet {stored_body}s plan; organet {body} \
         kan inte ersätta den (ge versionen ett eget id, t.ex. {body}_…)"
    )]
    VersionOfAnotherBody {
        version: String,
        stored_body: String,
        body: String,
    },
    /// The SQLite database file does not exist, and the command does not create one.
    #[error("databasen {path} finns inte")]
    NoDatabase { path: String },
    /// The PostgreSQL server did not accept a connection; `reason` says why (refused, no
    /// answer, the server's own message).
    #[error("kan inte ansluta till PostgreSQL på {host}:{port}: {reason}")]
    Unreachable {
        host: String,
        port: u16,
        reason: String,
    },
    #[error("databasfel: {0}")]
    Database(#[from] sqlx::Error),
    /// The PostgreSQL server does not take writes (a standby, or `default_transaction_read_only`):
    /// `0` says which.
    #[error("databasen tar inte emot skrivningar: {0}")]
    ReadOnly(String),
    #[error(transparent)]
    Migration(MigrationError),
    /// The database was written by a newer styr: its schema version is above the newest this
    /// program knows. Nothing was changed.
    #[error(
        "databasen har schemaversion {database}, men den här styr känner bara till \
         schemaversion {binary}: uppgradera styr (inget i databasen ändrades)"
    )]
    SchemaTooNew { database: i64, binary: i64 },
    /// A backup made by a newer styr: restoring it would give a database this program cannot
    /// use. Nothing was changed.
    #[error(
        "säkerhetskopian {path} har schemaversion {backup}, men den här styr känner bara till \
         schemaversion {binary}: återställ den med en nyare styr (inget ändrades)"
    )]
    BackupTooNew {
        path: String,
        backup: i64,
        binary: i64,
    },
    /// A backup or restore that could not be made; the text says why. Nothing was changed.
    #[error("{0}")]
    Backup(String),
    /// A stored value that cannot be a value of a plan (the database was edited by hand, or
    /// written by a newer styr).
    /// The caller announced more or fewer voucher rows than it handed over (a reader that
    /// stopped part-way): the import is rolled back.
    #[error("importen fick {written} rader men väntade {expected}; inget ändrades")]
    IncompleteRows { expected: u64, written: u64 },
    #[error("databasen innehåller ett ogiltigt värde: {0}")]
    Corrupt(String),
    /// The follow-up period is closed: what was reported for it is immutable.
    #[error("perioden {month} är stängd: det som rapporterats för den ändras inte")]
    PeriodClosed { month: String },
    /// The follow-up calendar has no such period.
    #[error("perioden {month} finns inte i uppföljningskalendern")]
    NoSuchPeriod { month: String },
    /// An edit based on an older version of a report than the current one: someone else was
    /// first. Nothing was written; `current` is their report.
    #[error(
        "{subject} har ändrats av någon annan (version {} sedan din version {expected}): \
         inget skrevs över", current.as_ref().as_ref().map_or(0, |c| c.version)
    )]
    StaleVersion {
        subject: String,
        expected: u64,
        current: Box<Option<styr_domain::followup::ReportedEntry>>,
    },
    /// A section's save built on a stored plan or a section revision that is no longer the
    /// latest: someone saved or imported first. Nothing was written.
    #[error("planen {version} har ändrats av någon annan sedan du började: inget skrevs över")]
    StalePlan { version: String },
    /// A proposal moved by someone else since it was read: the move asked for is from a state
    /// that is no longer current. Nothing was written.
    #[error(
        "förslaget {version} har redan flyttats av någon annan: det är {current} (sedan {at} av \
         {by}), inte {expected}; inget ändrades"
    )]
    ProposalMoved {
        version: String,
        expected: &'static str,
        current: &'static str,
        by: String,
        at: String,
    },
    /// An edit of an alternative budget based on an older version than the stored one:
    /// someone else (or another tab) saved in between. Nothing was written.
    #[error(
        "den alternativa budgeten {id} har ändrats av någon annan (version {current} sedan din \
         version {expected}): inget skrevs över; ladda om och gör ändringen igen"
    )]
    StaleAlternative {
        id: i64,
        expected: i64,
        current: i64,
    },
    /// An outcome of a verksamhetsmått edited from another version than the current one:
    /// someone else saved in between. Nothing was written.
    #[error(
        "utfallet för {measure} {month} har ändrats av någon annan (version {current} sedan din \
         version {expected}): inget skrevs över; ladda om och gör ändringen igen"
    )]
    StaleMeasure {
        measure: String,
        month: String,
        expected: i64,
        current: i64,
    },
    /// A step of the reminder schedule changed by someone else since the change was made from
    /// it. Nothing was written.
    #[error(
        "påminnelseschemats steg {step} har ändrats av {by} ({at}) sedan du läste det: inget \
         skrevs över; ladda om och gör ändringen igen"
    )]
    StaleSchedule {
        step: String,
        by: String,
        at: String,
    },
    /// The period already has the state asked for.
    #[error("perioden {month} är redan {state}")]
    PeriodState { month: String, state: &'static str },
}

/// A migration that could not be applied, or a schema newer than this program.
#[derive(Debug, thiserror::Error)]
#[error("schemamigrering {version} ({name}) misslyckades: {message}")]
pub struct MigrationError {
    pub version: i64,
    pub name: String,
    pub message: String,
    #[source]
    pub source: Option<sqlx::Error>,
}

impl StoreError {
    /// Whether the database could not be used just now (no server answers, a connection was
    /// lost, the server shuts down, is still starting, or takes no writes because it is a
    /// standby), rather than the request being wrong: asking again later may succeed, e.g. once
    /// a replica has been promoted ([`crate::failover`]). The web answers 503.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unreachable { .. } | StoreError::ReadOnly(_) => true,
            StoreError::Database(error) => sqlx_unavailable(error),
            StoreError::Migration(MigrationError {
                source: Some(error),
                ..
            }) => sqlx_unavailable(error),
            _ => false,
        }
    }
}

fn sqlx_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(database) => database.code().is_some_and(|code| {
            // 08: connection exception; 57P01–57P03: the server shuts down or starts; 25006: a
            // write on a read-only (standby) server; 53300: too many connections.
            code.starts_with("08")
                || matches!(&*code, "57P01" | "57P02" | "57P03" | "25006" | "53300")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_connections_and_standbys_are_unavailable_bad_requests_are_not() {
        let io = |kind| StoreError::Database(sqlx::Error::Io(std::io::Error::from(kind)));
        for unavailable in [
            io(std::io::ErrorKind::ConnectionReset),
            io(std::io::ErrorKind::UnexpectedEof),
            StoreError::Database(sqlx::Error::PoolTimedOut),
            StoreError::ReadOnly("servern är en reservserver".into()),
            StoreError::Unreachable {
                host: "db1".into(),
                port: 5432,
                reason: "anslutningen nekades".into(),
            },
        ] {
            assert!(unavailable.is_unavailable(), "{unavailable}");
        }
        for other in [
            StoreError::NotFound("planen".into()),
            StoreError::Database(sqlx::Error::RowNotFound),
            StoreError::PeriodClosed {
                month: "2021-08".into(),
            },
        ] {
            assert!(!other.is_unavailable(), "{other}");
        }
    }
}
