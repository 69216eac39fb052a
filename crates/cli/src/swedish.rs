//! clap's own words in Swedish: the help text's headings ("Användning:", "Kommandon:",
//! "Argument:", "Flaggor:"), the built-in `-h/--help`, `-V/--version` and `help` texts, the
//! default and possible values, and every parse error. The descriptions themselves are the
//! attributes on the commands; this module only translates what clap writes around them.
//! Command, flag and value names stay as they are: scripts use them.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use std::fmt::Write as _;

/// The template of every help text: clap's default with the usage heading in Swedish.
const TEMPLATE: &str =
    "{before-help}{about-with-newline}\nAnvändning: {usage}\n\n{all-args}{after-help}";
/// Where the usage line's continuation lines start (under the first one's command).
const USAGE_INDENT: &str = "            ";

/// The heading of positional arguments and of flags.
pub const ARGUMENTS: &str = "Argument";
pub const OPTIONS: &str = "Flaggor";

/// Parses the command line into `T`, with help and errors in Swedish.
pub fn parse<T: CommandFactory + FromArgMatches>() -> T {
    let mut command = command::<T>();
    let matches = command
        .try_get_matches_from_mut(std::env::args_os())
        .unwrap_or_else(|error| exit(error));
    T::from_arg_matches(&matches).unwrap_or_else(|error| exit(error.format(&mut command)))
}

/// `T`'s command tree, built, with clap's words in Swedish.
pub fn command<T: CommandFactory>() -> Command {
    let mut command = T::command();
    let name = command.get_name().to_string();
    command = command.bin_name(name);
    command.build();
    translate(&mut command);
    command
}

fn exit(error: clap::Error) -> ! {
    error.apply::<Swedish>().exit()
}

/// Translates one built command and everything under it. Only texts change (in place, in
/// their order): the parser's index of flags stays valid.
fn translate(command: &mut Command) {
    let mut this = std::mem::take(command)
        .help_template(TEMPLATE)
        .subcommand_help_heading("Kommandon")
        .subcommand_value_name("KOMMANDO")
        .mut_args(translate_arg);
    let usage = swedish_usage(&this.render_usage().to_string());
    this = this.override_usage(usage);
    for sub in this.get_subcommands_mut() {
        if sub.get_name() == "help" {
            translate_help_command(sub);
        } else {
            translate(sub);
        }
    }
    *command = this;
}

/// clap's `help` subcommand (and its copies of the tree it can show help for).
fn translate_help_command(command: &mut Command) {
    let about = if command.get_name() == "help" {
        Some("Visa hjälpen för styr eller för de angivna kommandona")
    } else {
        None
    };
    let mut this = std::mem::take(command)
        .help_template(TEMPLATE)
        .subcommand_help_heading("Kommandon")
        .subcommand_value_name("KOMMANDO")
        .mut_args(|arg| {
            let heading = heading(&arg);
            let arg = arg.help_heading(heading);
            let arg = match arg.get_index() {
                Some(index) => arg.display_order(index),
                None => arg,
            };
            if arg.get_id() == "subcommand" {
                arg.value_name("KOMMANDO")
                    .help("Kommandot (och underkommandona) att visa hjälpen för")
            } else {
                arg
            }
        });
    if let Some(about) = about {
        this = this.about(about);
    }
    let usage = swedish_usage(&this.render_usage().to_string());
    this = this.override_usage(usage);
    for sub in this.get_subcommands_mut() {
        translate_help_command(sub);
    }
    *command = this;
}

fn heading(arg: &Arg) -> &'static str {
    if arg.is_positional() {
        ARGUMENTS
    } else {
        OPTIONS
    }
}

fn translate_arg(arg: Arg) -> Arg {
    let heading = heading(&arg);
    let mut arg = arg.help_heading(heading);
    // Under a heading of its own clap sorts by display order, then name: keep the
    // positionals in the order they are given.
    if let Some(index) = arg.get_index() {
        arg = arg.display_order(index);
    }
    match arg.get_id().as_str() {
        "help" if matches!(arg.get_action(), ArgAction::Help) => {
            // clap gives the flag a long help when the command has a long text somewhere.
            if arg.get_long_help().is_some() {
                arg.help("Visa hjälpen (mer med '--help')")
                    .long_help("Visa hjälpen (en sammanfattning med '-h')")
            } else {
                arg.help("Visa hjälpen")
            }
        }
        "version" if matches!(arg.get_action(), ArgAction::Version) => arg.help("Visa versionen"),
        _ => with_swedish_values(arg),
    }
}

/// `[default: x]` and `[possible values: a, b]` as `[standard: x]` and `[möjliga värden: a, b]`,
/// written after the argument's own help.
fn with_swedish_values(arg: Arg) -> Arg {
    let mut notes = Vec::new();
    if arg.get_action().takes_values() && !arg.get_default_values().is_empty() {
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|value| value.to_string_lossy().into_owned())
            .collect();
        notes.push(format!("[standard: {}]", defaults.join(" ")));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_string())
        .collect();
    if !possible.is_empty() && !matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse)
    {
        notes.push(format!("[möjliga värden: {}]", possible.join(", ")));
    }
    if notes.is_empty() {
        return arg;
    }
    let short = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let long = arg.get_long_help().map(ToString::to_string);
    let joined = |text: &str, separator: &str| {
        if text.is_empty() {
            notes.join(separator)
        } else {
            format!("{text}{separator}{}", notes.join(separator))
        }
    };
    // Values with a help of their own are listed with it in the long help, as clap does.
    let described: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .filter_map(|value| {
            let help = value.get_help()?;
            Some(format!("- {}: {help}", value.get_name()))
        })
        .collect();
    let long = match (long, described.is_empty()) {
        (long, true) => long.map(|long| joined(&long, "\n")),
        (long, false) => {
            let text = long.unwrap_or_else(|| short.clone());
            let defaults: Vec<&String> = notes
                .iter()
                .filter(|n| n.starts_with("[standard"))
                .collect();
            let mut long = text;
            for note in defaults {
                long = format!("{long}\n{note}");
            }
            Some(format!(
                "{long}\n\nMöjliga värden:\n{}",
                described.join("\n")
            ))
        }
    };
    let short_text = joined(&short, " ");
    let arg = arg
        .hide_default_value(true)
        .hide_possible_values(true)
        .help(short_text);
    match long {
        Some(long) => arg.long_help(long),
        None => arg,
    }
}

/// clap's usage line ("Usage: styr check [OPTIONS] [PACKAGE]") without its English heading
/// and with `[FLAGGOR]` for `[OPTIONS]`; continuation lines aligned under "Användning: ".
fn swedish_usage(rendered: &str) -> String {
    let text = rendered.strip_prefix("Usage: ").unwrap_or(rendered);
    text.replace("[OPTIONS]", "[FLAGGOR]")
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(&format!("\n{USAGE_INDENT}"))
}

/// clap's parse errors in Swedish, with the same context clap gives (the argument, the value,
/// the possible values, a suggestion, the usage line).
pub struct Swedish;

impl ErrorFormatter for Swedish {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let mut text = String::from("fel: ");
        text.push_str(&message(error));
        for (kind, what) in [
            (
                ContextKind::SuggestedSubcommand,
                "ett liknande kommando finns",
            ),
            (ContextKind::SuggestedArg, "en liknande flagga finns"),
            (ContextKind::SuggestedValue, "ett liknande värde finns"),
        ] {
            if let Some(value) = error.get(kind) {
                let _ = write!(text, "\n\n  tips: {what}: '{}'", joined(value, "', '"));
            }
        }
        if let Some(ContextValue::StyledStrs(suggestions)) = error.get(ContextKind::Suggested) {
            for suggestion in suggestions {
                let _ = write!(
                    text,
                    "\n\n  tips: {}",
                    suggestion_in_swedish(&suggestion.to_string())
                );
            }
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let _ = write!(
                text,
                "\n\nAnvändning: {}",
                swedish_usage(&usage.to_string())
            );
        }
        if !matches!(
            error.kind(),
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::Io | ErrorKind::Format
        ) {
            text.push_str("\n\nMer hjälp får du med '--help'.");
        }
        text.push('\n');
        StyledStr::from(text)
    }
}

fn string(error: &clap::error::Error<Swedish>, kind: ContextKind) -> Option<String> {
    error.get(kind).map(|value| joined(value, ", "))
}

fn joined(value: &ContextValue, separator: &str) -> String {
    match value {
        ContextValue::Strings(values) => values.join(separator),
        ContextValue::StyledStrs(values) => values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(separator),
        other => other.to_string(),
    }
}

fn message(error: &clap::error::Error<Swedish>) -> String {
    let arg = string(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(error, ContextKind::InvalidValue).unwrap_or_default();
    let mut text = match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("'{arg}' behöver ett värde men fick inget")
        }
        ErrorKind::InvalidValue => format!("ogiltigt värde '{value}' för '{arg}'"),
        ErrorKind::UnknownArgument => format!("okänt argument '{arg}'"),
        ErrorKind::InvalidSubcommand => format!(
            "okänt kommando '{}'",
            string(error, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::NoEquals => format!("'{arg}' behöver ett likhetstecken före värdet"),
        ErrorKind::ValueValidation => format!("ogiltigt värde '{value}' för '{arg}'"),
        ErrorKind::TooManyValues => {
            format!("oväntat värde '{value}' för '{arg}'; inga fler värden väntades")
        }
        ErrorKind::TooFewValues => format!(
            "'{arg}' behöver {} värden men fick {}",
            string(error, ContextKind::MinValues).unwrap_or_default(),
            string(error, ContextKind::ActualNumValues).unwrap_or_default()
        ),
        ErrorKind::WrongNumberOfValues => format!(
            "'{arg}' behöver {} värden men fick {}",
            string(error, ContextKind::ExpectedNumValues).unwrap_or_default(),
            string(error, ContextKind::ActualNumValues).unwrap_or_default()
        ),
        ErrorKind::ArgumentConflict => {
            let prior = string(error, ContextKind::PriorArg);
            match prior {
                Some(prior) if prior == arg => format!("'{arg}' kan bara anges en gång"),
                Some(prior) => format!("'{arg}' kan inte användas tillsammans med '{prior}'"),
                None => format!("'{arg}' kan inte användas tillsammans med de andra argumenten"),
            }
        }
        ErrorKind::MissingRequiredArgument => format!(
            "de här argumenten måste anges: {}",
            string(error, ContextKind::InvalidArg).unwrap_or_default()
        ),
        ErrorKind::MissingSubcommand => format!(
            "'{}' behöver ett kommando",
            string(error, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidUtf8 => "ett argument är inte giltig UTF-8".to_string(),
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::DisplayVersion => String::new(),
        ErrorKind::Io => "kunde inte skriva ut texten".to_string(),
        ErrorKind::Format => "kunde inte formatera texten".to_string(),
        _ => "ogiltigt kommando".to_string(),
    };
    if error.kind() == ErrorKind::ValueValidation
        && let Some(source) = std::error::Error::source(error)
    {
        let _ = write!(text, ": {}", source_in_swedish(source));
    }
    if let Some(valid) = error.get(ContextKind::ValidValue) {
        let _ = write!(text, "\n  [möjliga värden: {}]", joined(valid, ", "));
    }
    if let Some(valid) = error.get(ContextKind::ValidSubcommand) {
        let _ = write!(text, "\n  [kommandon: {}]", joined(valid, ", "));
    }
    text
}

/// A value parser's reason: Rust's integer parse errors in Swedish, others as they are
/// (the project's own parsers already speak Swedish).
fn source_in_swedish(source: &(dyn std::error::Error + 'static)) -> String {
    use std::num::IntErrorKind;
    match source
        .downcast_ref::<std::num::ParseIntError>()
        .map(|e| e.kind())
    {
        Some(IntErrorKind::Empty) => "inget tal".to_string(),
        Some(IntErrorKind::InvalidDigit) => "inte ett heltal".to_string(),
        Some(IntErrorKind::PosOverflow) => "talet är för stort".to_string(),
        Some(IntErrorKind::NegOverflow) => "talet är för litet".to_string(),
        _ => source.to_string(),
    }
}

/// clap's four suggestion sentences in Swedish (the names in them kept).
fn suggestion_in_swedish(text: &str) -> String {
    // "to pass 'X' as a value, use 'Y'"
    if let Some(rest) = text.strip_prefix("to pass '")
        && let Some((value, rest)) = rest.split_once("' as a value, use '")
    {
        let usage = rest.trim_end_matches('\'');
        return format!("för att ge '{value}' som värde, skriv '{usage}'");
    }
    // "subcommand 'X' exists; to use it, remove the '--' before it"
    if let Some(rest) = text.strip_prefix("subcommand '")
        && let Some((name, _)) = rest.split_once("' exists")
    {
        return format!("kommandot '{name}' finns; ta bort '--' före det för att använda det");
    }
    // "'sub --flag' exists"
    if let Some(rest) = text.strip_suffix("' exists") {
        return format!("{rest}' finns");
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    //! Every command, argument and heading of `styr` speaks Swedish: walked from the command
    //! tree itself, so a new command or flag without a Swedish help text fails here.

    use super::*;

    /// clap's English words; none may be left in any help text.
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
        "[aliases:",
        "[env:",
    ];

    /// Words that mark a description as English (Swedish has none of them as words of its
    /// own); text in backticks (a command line) is not read.
    const ENGLISH_WORDS: &[&str] = &[
        "the", "of", "and", "or", "is", "to", "a", "an", "with", "for", "from", "this", "that",
        "only", "when", "which", "its", "default", "needed", "holds", "take", "read", "write",
        "show", "print", "set", "use", "file", "database", "when", "each", "every", "what",
    ];

    pub(super) fn english_words(text: &str) -> Vec<String> {
        let mut outside = String::new();
        for (i, part) in text.split('`').enumerate() {
            if i % 2 == 0 {
                outside.push_str(part);
                outside.push(' ');
            }
        }
        outside
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| ENGLISH_WORDS.contains(&word.to_lowercase().as_str()))
            .map(str::to_string)
            .collect()
    }

    struct Finding {
        path: String,
        what: String,
    }

    fn walk(command: &mut Command, path: &str, findings: &mut Vec<Finding>) {
        let mut note = |what: String| {
            findings.push(Finding {
                path: path.to_string(),
                what,
            })
        };
        match command.get_about() {
            None => note("kommandot saknar beskrivning".into()),
            Some(about) => {
                let english = english_words(&about.to_string());
                if !english.is_empty() {
                    note(format!("engelsk beskrivning {english:?}: {about}"));
                }
            }
        }
        if let Some(long) = command.get_long_about() {
            let english = english_words(&long.to_string());
            if !english.is_empty() {
                note(format!("engelsk lång beskrivning {english:?}: {long}"));
            }
        }
        for arg in command.get_arguments().filter(|arg| !arg.is_hide_set()) {
            let name = arg
                .get_long()
                .map(|long| format!("--{long}"))
                .unwrap_or_else(|| format!("<{}>", arg.get_id()));
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            let help = help
                .split(" [standard:")
                .next()
                .unwrap_or_default()
                .split("[möjliga värden:")
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            if help.is_empty() {
                note(format!("{name} saknar hjälptext"));
                continue;
            }
            let values = arg
                .get_possible_values()
                .iter()
                .filter_map(|value| value.get_help().map(ToString::to_string))
                .collect::<Vec<_>>();
            for text in [Some(help), arg.get_long_help().map(ToString::to_string)]
                .into_iter()
                .flatten()
                .chain(values)
            {
                let english = english_words(&text);
                if !english.is_empty() {
                    note(format!("{name}: engelsk hjälptext {english:?}: {text}"));
                }
            }
        }
        for rendered in [command.render_help(), command.render_long_help()] {
            let rendered = rendered.to_string();
            for english in CLAP_ENGLISH {
                if rendered.contains(english) {
                    note(format!("hjälpen innehåller {english:?}:\n{rendered}"));
                }
            }
        }
        let names: Vec<String> = command
            .get_subcommands()
            .map(|sub| sub.get_name().to_string())
            .collect();
        for name in names {
            let sub = command
                .get_subcommands_mut()
                .find(|sub| sub.get_name() == name)
                .expect("listed");
            walk(sub, &format!("{path} {name}"), findings);
        }
    }

    fn findings(mut command: Command) -> Vec<Finding> {
        let mut findings = Vec::new();
        let name = command.get_name().to_string();
        walk(&mut command, &name, &mut findings);
        findings
    }

    #[test]
    fn every_command_and_argument_has_swedish_help() {
        let found = findings(command::<crate::Cli>());
        let listed: Vec<String> = found
            .iter()
            .map(|finding| format!("{}: {}", finding.path, finding.what))
            .collect();
        assert!(
            listed.is_empty(),
            "{} fynd:\n{}",
            listed.len(),
            listed.join("\n")
        );
    }

    #[test]
    fn the_walk_finds_what_it_looks_for() {
        // The same walk over clap's untranslated tree finds its English words, so the test
        // above cannot pass by looking at nothing.
        let mut raw = crate::Cli::command();
        raw.build();
        let found = findings(raw);
        assert!(found.iter().any(|f| f.what.contains("\"Usage:\"")));
        assert!(found.iter().any(|f| f.what.contains("\"Print help\"")));
        let bare = Command::new("x")
            .about("Show the thing")
            .arg(Arg::new("file").long("file"));
        let found = findings(bare);
        assert!(
            found
                .iter()
                .any(|f| f.what.contains("--file saknar hjälptext"))
        );
        assert!(found.iter().any(|f| f.what.contains("engelsk beskrivning")));
    }
}
