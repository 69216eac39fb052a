//! Swedish number formatting in tables and typst escaping.

use rust_decimal::Decimal;
use std::str::FromStr;
use styr_docgen::format::{self, Rounding};
use styr_docgen::typst_markup::{escape_markup, string_literal};
use styr_domain::Money;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

const NBSP: char = '\u{a0}';

#[test]
fn tkr_has_no_break_space_and_real_minus() {
    assert_eq!(
        format::tkr(Money::from_tkr(-5_303_000).unwrap()),
        format!("−5{NBSP}303{NBSP}000")
    );
    assert_eq!(
        format::tkr(Money::from_tkr(1_000).unwrap()),
        format!("1{NBSP}000")
    );
    assert_eq!(format::tkr(Money::from_tkr(999).unwrap()), "999");
}

#[test]
fn zero_is_zero_and_missing_is_none() {
    assert_eq!(format::tkr(Money::ZERO), "0");
    assert_eq!(format::tkr_opt(None), None);
    assert_eq!(format::tkr_opt(Some(Money::ZERO)), Some("0".to_owned()));
}

#[test]
fn halves_round_away_from_zero() {
    assert_eq!(format::decimal(dec("2.45"), 1), "2,5");
    assert_eq!(format::decimal(dec("-2.45"), 1), "−2,5");
    assert_eq!(format::decimal(dec("0.5"), 0), "1");
    assert_eq!(format::decimal(dec("-0.5"), 0), "−1");
    assert_eq!(format::decimal(dec("-0.04"), 1), "0,0");
}

#[test]
fn tkr_to_mnkr_divides_by_thousand() {
    assert_eq!(format::mnkr(Money::from_tkr(247_000).unwrap(), 1), "247,0");
    assert_eq!(format::mnkr(Money::from_tkr(16_966).unwrap(), 1), "17,0");
    assert_eq!(format::mnkr(Money::from_tkr(60_166).unwrap(), 1), "60,2");
    assert_eq!(format::mnkr(Money::from_tkr(-1_150).unwrap(), 1), "−1,2");
    assert_eq!(
        format::mnkr(Money::from_tkr(1_234_567).unwrap(), 0),
        format!("1{NBSP}235")
    );
}

#[test]
fn hedges_round_their_way() {
    assert_eq!(format::rounded(dec("14.6"), 0, Rounding::Down), "14");
    assert_eq!(format::rounded(dec("799.2"), 0, Rounding::Up), "800");
    assert_eq!(format::rounded(dec("13.825"), 0, Rounding::HalfAway), "14");
}

#[test]
fn decimals_as_written() {
    assert_eq!(format::decimal_as_written(dec("80.9")), "80,9");
    assert_eq!(format::decimal_as_written(dec("75")), "75");
}

#[test]
fn typst_markup_escapes_every_special_character() {
    assert_eq!(escape_markup("a*b_c"), "a\\*b\\_c");
    assert_eq!(escape_markup("#let x = 1"), "\\#let x \\= 1");
    assert_eq!(
        escape_markup("[x] <y> @z $m$"),
        "\\[x\\] \\<y\\> \\@z \\$m\\$"
    );
    assert_eq!(escape_markup("// c /* d */"), "\\/\\/ c \\/\\* d \\*\\/");
    assert_eq!(escape_markup("- a\n= b\n+ c"), "\\- a \\= b \\+ c");
    assert_eq!(
        escape_markup("https://x.se \\ ~ `r`"),
        "https\\:\\/\\/x\\.se \\\\ \\~ \\`r\\`"
    );
    assert_eq!(escape_markup("Åäö 2 000 − 5"), "Åäö 2 000 − 5");
}

#[test]
fn typst_string_literal_escapes_quotes_and_backslashes() {
    assert_eq!(string_literal("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    assert_eq!(string_literal("<svg x=\"1\"/>"), "\"<svg x=\\\"1\\\"/>\"");
}
