//! Text that people typed or files carried, on its way to a terminal or into the data:
//! control characters (ESC, NUL, …) and the invisible characters that reorder text never
//! reach a terminal raw, and are refused in what people write.

use std::borrow::Cow;

/// Whether a character must not reach a terminal or a stored text as it is: the C0 controls
/// but tab and newline, DEL, the C1 controls, and the bidirectional overrides and isolates
/// (which make a terminal show text in another order than it has).
pub fn is_unsafe_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The text with every unsafe control character written visibly as `\u001b` (a backslash
/// itself stays as it is): the JSON escape, so that JSON output stays valid and reads back
/// the same. The one function every terminal output goes through.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_control(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The first unsafe control character in a text someone wrote, with its position (1-based,
/// in characters), for an error that names it. A carriage return before a newline (a form's
/// line break) is allowed.
pub fn first_unsafe_control(text: &str) -> Option<(usize, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let line_break = c == '\r' && chars.get(i + 1) == Some(&'\n');
        (is_unsafe_control(c) && !line_break).then_some((i + 1, c))
    })
}

/// How an unsafe control character is named in an error.
pub fn control_name(c: char) -> String {
    match c {
        '\0' => "NUL".to_owned(),
        '\u{1b}' => "ESC".to_owned(),
        '\r' => "CR".to_owned(),
        '\u{7f}' => "DEL".to_owned(),
        c => format!("U+{:04X}", u32::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_and_nul_are_written_visibly_and_newlines_kept() {
        assert_eq!(
            terminal_safe("a\u{1b}[2Jb\0c\nd\te\u{202e}f\r"),
            "a\\u001b[2Jb\\u0000c\nd\te\\u202ef\\u000d"
        );
        assert!(matches!(terminal_safe("vanlig text åäö"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_first_control_is_found_but_a_form_line_break_is_not_one() {
        assert_eq!(first_unsafe_control("rad 1\r\nrad 2"), None);
        assert_eq!(first_unsafe_control("ok\u{1b}[31m"), Some((3, '\u{1b}')));
        assert_eq!(control_name('\u{1b}'), "ESC");
    }
}
