//! `styr backup` and `styr restore`: the whole database to a file and back. The work is
//! `styr-app`'s (`App::backup`, `styr_app::restore`); this parses, calls and prints.

use crate::store::{actor, block_on, with_app, without_password};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use styr_app::App;

pub fn backup(db: &str, out: &Path) -> Result<ExitCode> {
    let acting = actor(None);
    let started = Instant::now();
    let summary = with_app(db, async |app: &App| app.backup(&acting, out).await)
        .with_context(|| format!("säkerhetskopian {} skrevs inte", out.display()))?;
    println!(
        "säkerhetskopierade {} ({}, schemaversion {}) till {}: {} byte på {} s",
        without_password(db),
        summary.backend,
        summary.schema_version,
        out.display(),
        summary.bytes,
        format!("{:.1}", started.elapsed().as_secs_f64()).replace('.', ",")
    );
    Ok(ExitCode::SUCCESS)
}

pub fn restore(db: &str, file: &Path, force: bool) -> Result<ExitCode> {
    let acting = actor(None);
    let summary = block_on(styr_app::restore(&acting, db, file, force))?
        .with_context(|| format!("kan inte återställa {}", file.display()))?;
    println!(
        "återställde {} ({}, schemaversion {}) till {}{}; schemaversion nu {}",
        file.display(),
        summary.backend,
        summary.backup_version,
        without_password(db),
        if summary.replaced {
            " (det som fanns där ersattes)"
        } else {
            ""
        },
        summary.schema_version
    );
    Ok(ExitCode::SUCCESS)
}
