//! Tests of the `styr` binary as a user runs it: exit codes, text and JSON output.

// The one rule for a tool a test needs: skip with a reason locally, fail in CI.
#[path = "../../../../tests/tool.rs"]
mod tool;

mod accounts;
mod actuals;
mod alternative;
mod audit;
mod bodies;
mod budget_out;
mod check;
mod control;
mod errors;
mod excel;
mod followup;
mod frame_calculation;
mod help;
mod kolada;
mod month;
mod municipal;
mod names;
mod operations;
mod paging;
mod personnel;
mod process;
mod reminders;
mod section;
mod security;
mod sie;
mod statements;
mod statutory;
mod store;
mod summary;
mod synthetic;
mod trace;

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021")
}

pub fn styr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_styr"))
        .args(args)
        .output()
        .expect("styr runs")
}

/// The password the tests give the users they add.
pub const TEST_PASSWORD: &str = "ett-langt-losenord-2021";

/// `styr user add LOGIN … --password-stdin --db DB` with [`TEST_PASSWORD`] on standard input.
pub fn add_user(db: &str, args: &[&str]) -> std::process::ExitStatus {
    use std::io::Write;
    let mut add = Command::new(env!("CARGO_BIN_EXE_styr"))
        .args(["user", "add"])
        .args(args)
        .args(["--password-stdin", "--db", db])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{TEST_PASSWORD}").unwrap();
    add.wait().unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8")
}
