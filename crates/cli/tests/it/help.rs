//! The command line speaks Swedish to the people who use it: every command's `--help` has a
//! Swedish description, `styr period --help` included (it had none).

use crate::{stdout, styr};

#[test]
fn period_help_describes_the_calendar_in_swedish() {
    let output = styr(&["period", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    assert!(help.starts_with("Uppföljningskalendern"), "{help}");
    assert!(help.contains("Stäng en period"), "{help}");
}

#[test]
fn every_command_has_a_swedish_description() {
    let help = stdout(&styr(&["--help"]));
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .collect();
    assert!(commands.len() > 15, "{help}");
    for line in commands {
        let (name, description) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
        if name == "help" {
            continue;
        }
        assert!(!description.trim().is_empty(), "{name} has no description");
        for english in [
            "Check ", "Load ", "Write ", "Serve ", "Show ", "Read ", "The ",
        ] {
            assert!(!description.trim().starts_with(english), "{line}");
        }
    }
}
