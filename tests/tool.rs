//! The tools some tests need beside Rust (PostgreSQL, the Python with openpyxl and
//! frictionless, Chromium, pdftotext), found in one place with one rule: in CI (`CI` set to
//! anything but `0` or `false`; `.ci/run` sets `CI=1`) a missing tool fails the test, so a
//! suite cannot pass by skipping; elsewhere the test prints why it skips and returns.
//!
//! Shared by the test crates through `#[path]` (like the store's `db.rs`): one file, no crate
//! the product could depend on by mistake.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// Whether the tests run in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| is_ci_value(&value))
}

fn is_ci_value(value: &str) -> bool {
    !matches!(value.trim(), "" | "0" | "false")
}

/// A tool is missing: panics in CI, else prints the reason and gives `None`.
pub fn missing<T>(what: &str, how: &str) -> Option<T> {
    missing_when(in_ci(), what, how)
}

fn missing_when<T>(ci: bool, what: &str, how: &str) -> Option<T> {
    if ci {
        panic!("{what} is missing and CI is set, so this test may not skip: {how}");
    }
    eprintln!("skipped: {what} is missing ({how})");
    None
}

/// The value of an environment variable that names a tool (`STYR_TEST_PYTHON`,
/// `STYR_TEST_POSTGRES_URL`), or `None` when unset outside CI.
pub fn env(variable: &str, how: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(value) if !value.is_empty() => Some(value),
        _ => missing(&format!("{variable} (not set)"), how),
    }
}

/// The Python with the test tools (openpyxl, frictionless) that `STYR_TEST_PYTHON` names.
pub fn python() -> Option<PathBuf> {
    env(
        "STYR_TEST_PYTHON",
        "scripts/test.sh sets it from .venv; .ci/run installs scripts/requirements-test.txt",
    )
    .map(PathBuf::from)
}

/// The PostgreSQL server's admin URL that `STYR_TEST_POSTGRES_URL` names.
pub fn postgres_url() -> Option<String> {
    env(
        "STYR_TEST_POSTGRES_URL",
        "scripts/test.sh starts a throwaway PostgreSQL server and sets it",
    )
}

/// Chromium: `CHROMIUM`, else Debian's `/usr/bin/chromium`.
pub fn chromium() -> Option<PathBuf> {
    let path =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()));
    if path.is_file() {
        Some(path)
    } else {
        missing(
            &format!("Chromium ({})", path.display()),
            "install Debian's chromium or set CHROMIUM to the browser",
        )
    }
}

/// A program on PATH that answers `program -v` (pdftotext of poppler-utils and the like).
pub fn program(program: &str, package: &str) -> Option<PathBuf> {
    match Command::new(program).arg("-v").output() {
        Ok(_) => Some(PathBuf::from(program)),
        Err(_) => missing(
            &format!("{program} (not on PATH)"),
            &format!("install Debian's {package}"),
        ),
    }
}

#[test]
fn ci_is_any_value_but_0_or_false() {
    assert!(is_ci_value("1") && is_ci_value("true"));
    assert!(!is_ci_value("0") && !is_ci_value("false") && !is_ci_value(""));
}

#[test]
fn a_missing_tool_skips_outside_ci() {
    assert_eq!(missing_when::<()>(false, "a tool", "install it"), None);
}

#[test]
#[should_panic(expected = "may not skip")]
fn a_missing_tool_fails_in_ci() {
    let _: Option<()> = missing_when(true, "a tool", "install it");
}
