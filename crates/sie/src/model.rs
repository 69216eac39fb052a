//! The in-memory model of a SIE file and its validated value types.
//!
//! [`SieFile`] holds what the records *mean* (accounts, dimensions, balances,
//! budgets, vouchers), with exact integer öre amounts ([`Amount`]), validated
//! calendar dates ([`Date`]) and account numbers kept as digit strings
//! ([`AccountNo`], 1–10 digits: municipal charts use 3–5). It deliberately
//! holds no line numbers, no encoding and no checksum: those describe one
//! serialisation, not the content, and live in the reader's outcome instead,
//! so that `read(write(x)) == x` holds. It knows nothing about municipalities.

use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

/// Why a value could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    /// Amount is not `[-]digits[.d[d]]` or overflows.
    #[error("malformed amount {0:?}: expected [-]digits with at most two decimals after a dot")]
    Amount(String),
    /// Not an existing YYYYMMDD date.
    #[error("invalid date {0:?}: expected an existing calendar date YYYYMMDD")]
    Date(String),
    /// Not a YYYYMM period.
    #[error("invalid period {0:?}: expected YYYYMM")]
    Period(String),
    /// Account number not 1–10 ASCII digits.
    #[error("invalid account number {0:?}: expected digits only")]
    Account(String),
    /// Quantity is not a decimal number.
    #[error("malformed quantity {0:?}: expected [-]digits[.digits]")]
    Quantity(String),
}

/// An exact amount in öre (1/100 SEK). Debit positive, credit negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub i64);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(0);

    /// The amount in öre.
    pub fn ore(self) -> i64 {
        self.0
    }

    /// Parse a SIE amount (spec 5.9): optional `-`, digits, optionally a dot
    /// and one or two decimals. No plus sign, no comma, no exponent.
    pub fn parse(s: &str) -> Result<Amount, ValueError> {
        let err = || ValueError::Amount(s.to_owned());
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let frac_ore: i64 = match frac {
            None => 0,
            Some(f) if f.is_empty() || f.len() > 2 || !f.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(err());
            }
            Some(f) => {
                let v: i64 = f.parse().map_err(|_| err())?;
                if f.len() == 1 { v * 10 } else { v }
            }
        };
        let kronor: i64 = int.parse().map_err(|_| err())?;
        let ore = kronor
            .checked_mul(100)
            .and_then(|k| k.checked_add(frac_ore))
            .ok_or_else(err)?;
        Ok(Amount(if neg { -ore } else { ore }))
    }

    /// Checked addition.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }
}

impl fmt::Display for Amount {
    /// Kronor with exactly two decimals and a dot: `-1243.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A validated calendar date (spec 5.10, `YYYYMMDD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn parse_digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Date {
    /// A valid date that stands in where a date is unknown (never shown).
    pub(crate) const PLACEHOLDER: Date = Date {
        year: 2000,
        month: 1,
        day: 1,
    };

    /// Build a date, validating month and day.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Parse `YYYYMMDD`.
    pub fn parse(s: &str) -> Result<Date, ValueError> {
        let err = || ValueError::Date(s.to_owned());
        if s.len() != 8 || !s.is_ascii() {
            return Err(err());
        }
        let y = s.get(0..4).and_then(parse_digits).ok_or_else(err)?;
        let m = s.get(4..6).and_then(parse_digits).ok_or_else(err)?;
        let d = s.get(6..8).and_then(parse_digits).ok_or_else(err)?;
        Date::new(y as u16, m as u8, d as u8).ok_or_else(err)
    }

    /// Year.
    pub fn year(self) -> u16 {
        self.year
    }
    /// Month 1–12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// Day of month.
    pub fn day(self) -> u8 {
        self.day
    }
    /// The calendar month this date falls in.
    pub fn period(self) -> Period {
        Period {
            year: self.year,
            month: self.month,
        }
    }
}

impl fmt::Display for Date {
    /// `YYYYMMDD`, as in SIE.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

/// A calendar month (`YYYYMM` in SIE #PSALDO/#PBUDGET).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: u16,
    month: u8,
}

impl Period {
    /// Build a period, validating the month.
    pub fn new(year: u16, month: u8) -> Option<Period> {
        (1..=12).contains(&month).then_some(Period { year, month })
    }

    /// Parse `YYYYMM`.
    pub fn parse(s: &str) -> Result<Period, ValueError> {
        let err = || ValueError::Period(s.to_owned());
        if s.len() != 6 || !s.is_ascii() {
            return Err(err());
        }
        let y = s.get(0..4).and_then(parse_digits).ok_or_else(err)?;
        let m = s.get(4..6).and_then(parse_digits).ok_or_else(err)?;
        Period::new(y as u16, m as u8).ok_or_else(err)
    }

    /// Year.
    pub fn year(self) -> u16 {
        self.year
    }
    /// Month 1–12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// `YYYY-MM`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Display for Period {
    /// `YYYYMM`, as in SIE.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}{:02}", self.year, self.month)
    }
}

/// An account number: 1–10 ASCII digits, kept as a string so that leading
/// zeros and the length (3, 4 or 5 digits in municipal charts) survive.
/// Ordering is lexicographic, which keeps hierarchical charts together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountNo(String);

impl AccountNo {
    /// Validate an account number.
    pub fn parse(s: &str) -> Result<AccountNo, ValueError> {
        if !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AccountNo(s.to_owned()))
        } else {
            Err(ValueError::Account(s.to_owned()))
        }
    }
    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// An account number the reader has already validated.
    pub(crate) fn validated(s: &str) -> AccountNo {
        AccountNo(s.to_owned())
    }
    /// Whether the length is the usual 3–5 digits of municipal and BAS charts.
    pub fn has_usual_length(&self) -> bool {
        (3..=5).contains(&self.0.len())
    }
}

impl fmt::Display for AccountNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A quantity (kvantitet), kept as its validated decimal text to stay exact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(String);

impl Quantity {
    /// Validate `[-]digits[.digits]`.
    pub fn parse(s: &str) -> Result<Quantity, ValueError> {
        let body = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        if digits(int) && frac.is_none_or(digits) && s.len() <= 40 {
            Ok(Quantity(s.to_owned()))
        } else {
            Err(ValueError::Quantity(s.to_owned()))
        }
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One member of an object list: dimension number and object id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    /// Dimension number (1 = kostnadsställe, 6 = projekt …).
    pub dimension: u32,
    /// Object id within the dimension.
    pub object: String,
}

impl ObjectRef {
    /// Convenience constructor.
    pub fn new(dimension: u32, object: impl Into<String>) -> Self {
        ObjectRef {
            dimension,
            object: object.into(),
        }
    }
}

/// #KTYP account type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccountType {
    /// T: tillgång.
    Asset,
    /// S: skuld.
    Liability,
    /// K: kostnad.
    Cost,
    /// I: intäkt.
    Income,
}

impl AccountType {
    /// Parse the one-letter code.
    pub fn from_code(s: &str) -> Option<AccountType> {
        match s {
            "T" | "t" => Some(AccountType::Asset),
            "S" | "s" => Some(AccountType::Liability),
            "K" | "k" => Some(AccountType::Cost),
            "I" | "i" => Some(AccountType::Income),
            _ => None,
        }
    }
    /// The one-letter code.
    pub fn code(self) -> &'static str {
        match self {
            AccountType::Asset => "T",
            AccountType::Liability => "S",
            AccountType::Cost => "K",
            AccountType::Income => "I",
        }
    }
}

/// #SIETYP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SieType {
    /// Annual balances.
    Type1,
    /// Plus period balances.
    Type2,
    /// Plus object balances.
    Type3,
    /// Plus vouchers (4E export and 4I import share the value 4).
    Type4,
}

impl SieType {
    /// Parse `1`…`4` (also tolerates `4E`/`4I`).
    pub fn parse(s: &str) -> Option<SieType> {
        match s {
            "1" => Some(SieType::Type1),
            "2" => Some(SieType::Type2),
            "3" => Some(SieType::Type3),
            "4" | "4E" | "4I" | "4e" | "4i" => Some(SieType::Type4),
            _ => None,
        }
    }
    /// The number.
    pub fn number(self) -> u8 {
        match self {
            SieType::Type1 => 1,
            SieType::Type2 => 2,
            SieType::Type3 => 3,
            SieType::Type4 => 4,
        }
    }
}

/// #PROGRAM.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Program {
    /// Program name.
    pub name: String,
    /// Version (may be empty).
    pub version: String,
}

/// #GEN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Date the file was generated.
    pub date: Date,
    /// Signature (may be empty).
    pub sign: String,
}

/// #ORGNR.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgNr {
    /// Organisation number, e.g. `556000-0001`.
    pub number: String,
    /// Förvärvsnummer (may be empty).
    pub acquisition: String,
    /// Verksamhetsnummer (may be empty).
    pub activity: String,
}

/// #ADRESS.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    /// Contact person.
    pub contact: String,
    /// Street address.
    pub street: String,
    /// Postal code and town.
    pub postal: String,
    /// Telephone.
    pub phone: String,
}

/// #RAR: one fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiscalYear {
    /// 0 = current, -1 = previous …
    pub index: i32,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
}

/// #KONTO with its #KTYP, #ENHET and #SRU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Name (kontonamn).
    pub name: String,
    /// #KTYP, if given.
    pub kind: Option<AccountType>,
    /// #ENHET unit, empty if none.
    pub unit: String,
    /// #SRU codes (may repeat).
    pub sru: Vec<String>,
}

/// #DIM or #UNDERDIM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    /// Name.
    pub name: String,
    /// Super-dimension for #UNDERDIM, `None` for #DIM.
    pub parent: Option<u32>,
}

/// #IB, #UB or #RES row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// Year index (0 current, -1 previous …).
    pub year: i32,
    /// Account.
    pub account: AccountNo,
    /// Balance.
    pub amount: Amount,
    /// Optional quantity.
    pub quantity: Option<Quantity>,
}

/// #OIB or #OUB row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectBalance {
    /// Year index.
    pub year: i32,
    /// Account.
    pub account: AccountNo,
    /// Object list.
    pub objects: Vec<ObjectRef>,
    /// Balance.
    pub amount: Amount,
    /// Optional quantity.
    pub quantity: Option<Quantity>,
}

/// #PSALDO or #PBUDGET row: the *movement* of one month (spec: "periodens förändring").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodAmount {
    /// Year index.
    pub year: i32,
    /// Month.
    pub period: Period,
    /// Account.
    pub account: AccountNo,
    /// Object list (empty = the account as a whole).
    pub objects: Vec<ObjectRef>,
    /// Movement in öre.
    pub amount: Amount,
    /// Optional quantity.
    pub quantity: Option<Quantity>,
}

/// Which record a voucher row came from, and whether it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// #TRANS: counts.
    Normal,
    /// #RTRANS (added after the fact): counts.
    Added,
    /// #BTRANS (struck): does not count.
    Struck,
    /// The #TRANS that follows an #RTRANS for backward compatibility: does not count.
    AddedDuplicate,
}

impl RowKind {
    /// Whether rows of this kind are part of the voucher's booked amounts.
    pub fn counts(self) -> bool {
        matches!(self, RowKind::Normal | RowKind::Added)
    }
    /// The SIE label this kind is written with.
    pub fn label(self) -> &'static str {
        match self {
            RowKind::Normal | RowKind::AddedDuplicate => "#TRANS",
            RowKind::Added => "#RTRANS",
            RowKind::Struck => "#BTRANS",
        }
    }
}

/// One row of a voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransRow {
    /// Record kind.
    pub kind: RowKind,
    /// Account.
    pub account: AccountNo,
    /// Object list.
    pub objects: Vec<ObjectRef>,
    /// Amount.
    pub amount: Amount,
    /// Transaction date, if given (otherwise the voucher date applies).
    pub date: Option<Date>,
    /// Text (empty if none).
    pub text: String,
    /// Quantity, if given.
    pub quantity: Option<Quantity>,
    /// Signature (empty if none).
    pub sign: String,
}

impl TransRow {
    /// The object of dimension `dim`, if listed.
    pub fn object_in(&self, dim: u32) -> Option<&str> {
        self.objects
            .iter()
            .find(|o| o.dimension == dim)
            .map(|o| o.object.as_str())
    }
}

/// #VER with its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voucher {
    /// Series (may be empty in 4I, may be `#`).
    pub series: String,
    /// Number (may be empty in 4I).
    pub number: String,
    /// Voucher date.
    pub date: Date,
    /// Text (empty if none).
    pub text: String,
    /// Registration date.
    pub registered: Option<Date>,
    /// Signature (empty if none).
    pub sign: String,
    /// Rows in file order, including struck rows and #RTRANS duplicates.
    pub rows: Vec<TransRow>,
}

impl Voucher {
    /// Rows that are part of the booked amounts.
    pub fn counted_rows(&self) -> impl Iterator<Item = &TransRow> {
        self.rows.iter().filter(|r| r.kind.counts())
    }
    /// Sum of the counted rows (saturating; a balanced voucher sums to zero).
    pub fn counted_sum(&self) -> i128 {
        self.counted_rows().map(|r| i128::from(r.amount.0)).sum()
    }
}

/// The content of a SIE file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SieFile {
    /// #FLAGGA (0 if absent).
    pub flag: u8,
    /// #PROGRAM.
    pub program: Option<Program>,
    /// #GEN.
    pub generated: Option<Generated>,
    /// #SIETYP (the spec's default is type 1 when absent).
    pub sie_type: Option<SieType>,
    /// #PROSA.
    pub prosa: Option<String>,
    /// #FTYP.
    pub company_type: Option<String>,
    /// #FNR.
    pub company_id: Option<String>,
    /// #ORGNR.
    pub org_nr: Option<OrgNr>,
    /// #BKOD.
    pub sni_code: Option<String>,
    /// #ADRESS.
    pub address: Option<Address>,
    /// #FNAMN.
    pub company_name: Option<String>,
    /// #RAR, in file order.
    pub fiscal_years: Vec<FiscalYear>,
    /// #TAXAR.
    pub tax_year: Option<i32>,
    /// #OMFATTN.
    pub balances_until: Option<Date>,
    /// #KPTYP.
    pub chart_type: Option<String>,
    /// #VALUTA.
    pub currency: Option<String>,
    /// #KONTO (+ #KTYP, #ENHET, #SRU).
    pub accounts: BTreeMap<AccountNo, Account>,
    /// #DIM and #UNDERDIM by number.
    pub dimensions: BTreeMap<u32, Dimension>,
    /// #OBJEKT: (dimension, id) → name.
    pub objects: BTreeMap<ObjectRef, String>,
    /// #IB.
    pub opening_balances: Vec<Balance>,
    /// #UB.
    pub closing_balances: Vec<Balance>,
    /// #OIB.
    pub object_opening_balances: Vec<ObjectBalance>,
    /// #OUB.
    pub object_closing_balances: Vec<ObjectBalance>,
    /// #RES.
    pub results: Vec<Balance>,
    /// #PSALDO (monthly actual movements).
    pub period_balances: Vec<PeriodAmount>,
    /// #PBUDGET (monthly budget movements).
    pub period_budgets: Vec<PeriodAmount>,
    /// #VER.
    pub vouchers: Vec<Voucher>,
}

impl SieFile {
    /// Number of counted voucher rows (#TRANS + #RTRANS, minus #RTRANS duplicates; #BTRANS excluded).
    pub fn counted_transactions(&self) -> usize {
        self.vouchers.iter().map(|v| v.counted_rows().count()).sum()
    }
    /// Number of voucher rows of one kind.
    pub fn rows_of_kind(&self, kind: RowKind) -> usize {
        self.vouchers
            .iter()
            .flat_map(|v| &v.rows)
            .filter(|r| r.kind == kind)
            .count()
    }
}
