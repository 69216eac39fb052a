//! The command line speaks Swedish to the people who use it: every command's `--help`, every
//! argument's help text, clap's own headings and flags, and its parse errors. The walk runs the
//! binary as a user does, command by command from `styr --help`, so a new command or flag
//! without a Swedish text fails here (the unit tests in `src/swedish.rs` walk the same tree
//! from the inside).

use crate::{stderr, stdout, styr};

/// clap's English words, none of which may reach a user.
const CLAP_ENGLISH: &[&str] = &[
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Print help",
    "Print version",
    "Print this message",
    "[default:",
    "[possible values:",
    "Possible values:",
    "[OPTIONS]",
    "<COMMAND>",
    "error:",
    "For more information",
    "tip:",
];

/// The lines of a help text's section (`Kommandon:`, `Argument:`, `Flaggor:`).
fn section<'a>(help: &'a str, heading: &str) -> Vec<&'a str> {
    help.lines()
        .skip_while(|line| *line != heading)
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .collect()
}

/// A section's entries with their texts: "  --db <DB>  Databasen: …" (the name, two spaces or
/// more, the text), or the text on the lines below the name when clap finds the line too long.
fn entries(lines: &[&str]) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        let is_entry = trimmed.starts_with(['-', '<', '['])
            || (line.starts_with("  ") && !line.starts_with("   "));
        match entries.last_mut() {
            Some((_, text)) if !is_entry => {
                text.push(' ');
                text.push_str(trimmed);
            }
            _ => {
                let (name, text) = trimmed.split_once("  ").unwrap_or((trimmed, ""));
                entries.push((name.to_string(), text.trim().to_string()));
            }
        }
    }
    entries
}

/// Every command's path, from `styr -h` down through each `Kommandon:` section.
fn walk(path: Vec<String>, found: &mut Vec<(Vec<String>, String)>) {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("-h");
    let output = styr(&args);
    assert!(
        output.status.success(),
        "styr {args:?}: {}",
        stderr(&output)
    );
    let help = stdout(&output);
    for line in section(&help, "Kommandon:") {
        let name = line.split_whitespace().next().expect("a name");
        if name == "help" {
            continue;
        }
        let mut sub = path.clone();
        sub.push(name.to_string());
        walk(sub, found);
    }
    found.push((path, help));
}

#[test]
fn every_command_and_argument_has_a_swedish_help_text() {
    let mut found = Vec::new();
    walk(Vec::new(), &mut found);
    assert!(found.len() > 50, "{} kommandon", found.len());
    let mut problems = Vec::new();
    for (path, help) in &found {
        let command = format!("styr {}", path.join(" "));
        let first = help.lines().next().unwrap_or_default();
        if first.is_empty() || first.starts_with("Användning:") {
            problems.push(format!("{command}: ingen beskrivning"));
        }
        if !help.contains("\nAnvändning: ") {
            problems.push(format!("{command}: ingen rad Användning:"));
        }
        for english in CLAP_ENGLISH {
            if help.contains(english) {
                problems.push(format!("{command}: {english:?}"));
            }
        }
        for heading in ["Kommandon:", "Argument:", "Flaggor:"] {
            for (entry, text) in entries(&section(help, heading)) {
                if text.trim().is_empty() {
                    problems.push(format!("{command}: {entry:?} har ingen hjälptext"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn period_help_describes_the_calendar_in_swedish() {
    let output = styr(&["period", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    assert!(help.starts_with("Uppföljningskalendern"), "{help}");
    assert!(help.contains("Stäng en period"), "{help}");
    assert!(
        help.contains("Användning: styr period <KOMMANDO>"),
        "{help}"
    );
    assert!(help.contains("Kommandon:"), "{help}");
    assert!(help.contains("-h, --help  Visa hjälpen"), "{help}");

    let close = stdout(&styr(&["period", "close", "--help"]));
    assert!(
        close.contains("Användning: styr period close [FLAGGOR] <PERIOD>"),
        "{close}"
    );
    assert!(
        close.contains("Argument:\n  <PERIOD>  Perioden, ÅÅÅÅ-MM"),
        "{close}"
    );
    assert!(close.contains("[standard: styr.db]"), "{close}");
}

#[test]
fn the_version_flag_and_the_help_command_are_swedish() {
    let help = stdout(&styr(&["--help"]));
    assert!(help.contains("-V, --version  Visa versionen"), "{help}");
    // The column is as wide as the longest command's name.
    assert!(
        help.lines()
            .any(|l| l.trim_start().starts_with("help ") && l.contains("Visa hjälpen")),
        "{help}"
    );
    let output = styr(&["help", "period", "close"]);
    assert!(output.status.success());
    assert!(stdout(&output).starts_with("Stäng en period"));
}

#[test]
fn parse_errors_are_swedish_and_name_what_was_wrong() {
    for (args, expected) in [
        (
            &["period", "frobnicate"][..],
            "fel: okänt kommando 'frobnicate'",
        ),
        (
            &["period", "close"][..],
            "fel: de här argumenten måste anges: <PERIOD>",
        ),
        (
            &["period", "list", "--year", "abc"][..],
            "fel: ogiltigt värde 'abc' för '--year <YEAR>': inte ett heltal",
        ),
        (
            &["check", "--format", "xml"][..],
            "fel: ogiltigt värde 'xml' för '--format <FORMAT>'\n  [möjliga värden: text, json]",
        ),
        (
            &["check", "--fromat", "text"][..],
            "tips: en liknande flagga finns: '--format'",
        ),
        (&["chek"][..], "tips: ett liknande kommando finns: 'check'"),
    ] {
        let output = styr(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = stderr(&output);
        assert!(error.contains(expected), "{args:?}:\n{error}");
        assert!(error.contains("Mer hjälp får du med '--help'."), "{error}");
        for english in CLAP_ENGLISH {
            assert!(!error.contains(english), "{args:?}: {english:?} i\n{error}");
        }
    }
}
