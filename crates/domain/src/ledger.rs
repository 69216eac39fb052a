//! The ledger and the plan: how amounts booked in the accounting system (huvudboken) map onto
//! the plan's budget lines, organisational units and investment projects.
//!
//! A [`LedgerMapping`] holds four lists, all read from the plan package's `ledger/` folder:
//!
//! - **account rules** ([`AccountRule`]): an account range (Kommun-Bas accounts have 3 to 5
//!   digits, so ranges are digit *prefixes*, see [`AccountRange`]), optionally narrowed to some
//!   dimension-1 objects (ansvar), and a [`RuleTarget`]: an operating-budget line, the
//!   investment budget (the project comes from the dimension-6 object) or "excluded" (the
//!   balance sheet, internal clearing: reported as such, never silently dropped). The first
//!   rule that matches a row wins.
//! - **units** ([`UnitMapping`]): a dimension-1 object → an organisational unit.
//! - **projects** ([`ProjectMapping`]): a dimension-6 object → an investment project.
//! - **profiles** ([`BudgetProfile`]): twelve monthly weights for a budget line, when the
//!   budget is not spent evenly over the year.
//!
//! [`LedgerMapping::classify`] maps one ledger row; it is pure and knows nothing of SIE files
//! or databases. Amounts follow the ledger's sign: debit positive, credit negative, so the sum
//! of a line's rows is its net cost, the same sign as the operating budget's net-cost lines.

pub use crate::month::Month;
use crate::{Id, Location, Money, code_enum};
use std::fmt;

/// The width account numbers are padded to before comparing: more than any real chart uses.
const PAD_WIDTH: usize = 10;

/// A range of account numbers written as digit prefixes, inclusive at both ends.
///
/// `from` and `to` are 1 to 5 digits. An account matches when, right-padded with zeros, it lies
/// between `from` right-padded with zeros and `to` right-padded with nines. So `3`–`7` is every
/// account that starts with 3, 4, 5, 6 or 7, whatever its length (`301`, `4610`, `51110`);
/// `461`–`461` is account 461 and everything below it in the chart (`4610`, `46111`); and
/// `5000`–`5999` is the same set as `5`–`5`. Never assume accounts have four digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountRange {
    from: String,
    to: String,
}

/// Why an account range is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountRangeError {
    #[error("{0:?} är inte ett kontonummer (1–5 siffror)")]
    NotDigits(String),
    #[error("intervallet {from}–{to} är tomt: from ska vara högst to")]
    Empty { from: String, to: String },
}

fn is_account_prefix(text: &str) -> bool {
    (1..=5).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

/// An account or a range's bound padded to [`PAD_WIDTH`] with `fill`, on the stack: an import
/// classifies hundreds of thousands of sums, and the three strings a comparison allocated were
/// a second of a 10 M-row import. (Bounds are at most 5 digits and longer accounts are refused
/// before, so nothing is cut.)
fn padded_bytes(text: &str, fill: u8) -> [u8; PAD_WIDTH] {
    let mut out = [fill; PAD_WIDTH];
    for (slot, byte) in out.iter_mut().zip(text.bytes()) {
        *slot = byte;
    }
    out
}

/// [`padded_bytes`] as text.
fn padded(text: &str, fill: u8) -> String {
    padded_bytes(text, fill)
        .iter()
        .copied()
        .map(char::from)
        .collect()
}

impl AccountRange {
    pub fn parse(from: &str, to: &str) -> Result<AccountRange, AccountRangeError> {
        for text in [from, to] {
            if !is_account_prefix(text) {
                return Err(AccountRangeError::NotDigits(text.to_owned()));
            }
        }
        if padded_bytes(from, b'0') > padded_bytes(to, b'9') {
            return Err(AccountRangeError::Empty {
                from: from.to_owned(),
                to: to.to_owned(),
            });
        }
        Ok(AccountRange {
            from: from.to_owned(),
            to: to.to_owned(),
        })
    }

    pub fn from(&self) -> &str {
        &self.from
    }

    pub fn to(&self) -> &str {
        &self.to
    }

    /// Whether every account of `other` lies in this range (then a later rule with `other`
    /// is never reached).
    pub fn covers(&self, other: &AccountRange) -> bool {
        padded_bytes(&self.from, b'0') <= padded_bytes(&other.from, b'0')
            && padded_bytes(&other.to, b'9') <= padded_bytes(&self.to, b'9')
    }

    /// Whether an account (a digit string of any length) lies in the range.
    pub fn contains(&self, account: &str) -> bool {
        if account.is_empty() || account.len() > PAD_WIDTH {
            return false;
        }
        let account = padded_bytes(account, b'0');
        padded_bytes(&self.from, b'0') <= account && account <= padded_bytes(&self.to, b'9')
    }

    /// Two texts between which (inclusive, in plain byte order) lies every account the range
    /// contains: a prefilter a database can evaluate; [`AccountRange::contains`] decides.
    ///
    /// The low bound is `from` without its trailing zeros: an account below it in byte order is
    /// either a proper prefix of it (and padding it with zeros meets a non-zero digit of `from`
    /// first) or smaller at a digit they share, so it is below `from` padded too. The high bound
    /// is `to` padded with nines: an account above it in byte order differs from it at a digit
    /// it has (it is at most as long), and is larger there, padded or not.
    pub fn text_bounds(&self) -> (String, String) {
        (
            self.from.trim_end_matches('0').to_owned(),
            padded(&self.to, b'9'),
        )
    }
}

impl fmt::Display for AccountRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            f.write_str(&self.from)
        } else {
            write!(f, "{}–{}", self.from, self.to)
        }
    }
}

/// A budget line that actuals, profiles and forecasts can be about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BudgetLineRef {
    /// Line `line` of operating table `table`: written `op.TABLE.LINE`.
    Operating { table: Id, line: Id },
    /// A project of the investment budget: written `inv.PROJECT`.
    Investment { project: Id },
}

impl BudgetLineRef {
    /// Reads `op.TABLE.LINE` or `inv.PROJECT`.
    pub fn parse(text: &str) -> Option<BudgetLineRef> {
        let parts: Vec<&str> = text.split('.').collect();
        match parts.as_slice() {
            ["op", table, line] => Some(BudgetLineRef::Operating {
                table: Id::parse(table).ok()?,
                line: Id::parse(line).ok()?,
            }),
            ["inv", project] => Some(BudgetLineRef::Investment {
                project: Id::parse(project).ok()?,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for BudgetLineRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BudgetLineRef::Operating { table, line } => write!(f, "op.{table}.{line}"),
            BudgetLineRef::Investment { project } => write!(f, "inv.{project}"),
        }
    }
}

/// Where the rows an account rule matches go.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleTarget {
    /// An operating-budget line (`op.TABLE.LINE`).
    Operating { table: Id, line: Id },
    /// The investment budget (`inv`): the project is the row's dimension-6 object, mapped
    /// through the project list; a row without a mapped project is unmapped.
    Investment,
    /// Deliberately outside the budget follow-up (`exclude`): the balance sheet, clearing
    /// accounts. Reported with count and sum, never dropped silently.
    Excluded,
    /// The exploitation budget (`expl`): the exploitation row is the row's dimension-6 object,
    /// mapped through the project list to an exploitation row's id. Followed up in the
    /// exploitation report, not in the operating budget vs actual.
    Exploitation,
    /// A row of the finance administration (`fin.ROW`): followed up in the finance report.
    Finance { row: Id },
}

impl RuleTarget {
    /// Reads `op.TABLE.LINE`, `inv` or `exclude`.
    pub fn parse(text: &str) -> Option<RuleTarget> {
        match text {
            "inv" => Some(RuleTarget::Investment),
            "exclude" => Some(RuleTarget::Excluded),
            "expl" => Some(RuleTarget::Exploitation),
            _ if text.starts_with("fin.") => Some(RuleTarget::Finance {
                row: Id::parse(&text["fin.".len()..]).ok()?,
            }),
            _ => match BudgetLineRef::parse(text)? {
                BudgetLineRef::Operating { table, line } => {
                    Some(RuleTarget::Operating { table, line })
                }
                BudgetLineRef::Investment { .. } => None,
            },
        }
    }
}

impl fmt::Display for RuleTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleTarget::Operating { table, line } => write!(f, "op.{table}.{line}"),
            RuleTarget::Investment => f.write_str("inv"),
            RuleTarget::Excluded => f.write_str("exclude"),
            RuleTarget::Exploitation => f.write_str("expl"),
            RuleTarget::Finance { row } => write!(f, "fin.{row}"),
        }
    }
}

/// One row of the account rules: accounts (and optionally dimension-1 objects) → a target.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRule {
    pub accounts: AccountRange,
    /// Dimension-1 objects (ansvar) the rule is limited to; empty = any, including none.
    pub ansvar: Vec<String>,
    pub target: RuleTarget,
    pub note: Option<String>,
    pub at: Location,
}

impl AccountRule {
    pub fn matches(&self, account: &str, ansvar: Option<&str>) -> bool {
        self.accounts.contains(account)
            && (self.ansvar.is_empty()
                || ansvar.is_some_and(|object| self.ansvar.iter().any(|a| a == object)))
    }
}

/// A dimension-1 object (ansvar, resultatenhet) that belongs to an organisational unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitMapping {
    pub object: String,
    pub unit: Id,
    pub name: Option<String>,
    pub at: Location,
}

/// A dimension-6 object (projekt) that is an investment project of the plan, or an
/// exploitation row (for `expl` rules).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectMapping {
    pub object: String,
    pub project: Id,
    pub at: Location,
}

/// The months of a year.
pub const MONTHS: usize = 12;

/// How a line's budget is spread over the year: twelve non-negative weights (any scale).
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetProfile {
    pub line: BudgetLineRef,
    pub weights: [i64; MONTHS],
    pub at: Location,
}

/// The whole mapping of a plan. Empty when the package has no `ledger/` files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LedgerMapping {
    pub rules: Vec<AccountRule>,
    pub units: Vec<UnitMapping>,
    pub projects: Vec<ProjectMapping>,
    pub profiles: Vec<BudgetProfile>,
}

code_enum!(
    /// Why a ledger row maps to no budget line.
    UnmappedReason {
        /// No account rule matches the account (and ansvar).
        NoRule => "no_rule",
        /// An `inv` rule matched, but the row has no dimension-6 object.
        NoProject => "no_project",
        /// An `inv` rule matched, but the dimension-6 object is not in the project list.
        UnknownProject => "unknown_project",
    }
);

/// Where one ledger row goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classification<'a> {
    /// An operating line, with the unit of the row's ansvar when it has one.
    Operating {
        table: &'a Id,
        line: &'a Id,
        unit: Option<&'a Id>,
    },
    /// An investment project, with the unit of the row's ansvar when it has one.
    Investment {
        project: &'a Id,
        unit: Option<&'a Id>,
    },
    /// Matched an `exclude` rule (which one: its index in `rules`).
    Excluded {
        rule: usize,
    },
    /// An exploitation row (`expl`, by the row's dimension-6 object).
    Exploitation {
        row: &'a Id,
    },
    /// A row of the finance administration (`fin.ROW`).
    Finance {
        row: &'a Id,
    },
    Unmapped(UnmappedReason),
}

impl LedgerMapping {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
            && self.units.is_empty()
            && self.projects.is_empty()
            && self.profiles.is_empty()
    }

    /// The unit a dimension-1 object belongs to.
    pub fn unit_of(&self, ansvar: &str) -> Option<&Id> {
        self.units
            .iter()
            .find(|mapping| mapping.object == ansvar)
            .map(|mapping| &mapping.unit)
    }

    /// The project a dimension-6 object is.
    pub fn project_of(&self, object: &str) -> Option<&Id> {
        self.projects
            .iter()
            .find(|mapping| mapping.object == object)
            .map(|mapping| &mapping.project)
    }

    /// The profile of a budget line, if one is given.
    /// The rules whose rows can go to `line`: its own operating rules, or every `inv` rule for
    /// a project (which project a row goes to is its dimension-6 object's). A row matched by one
    /// of them may still go elsewhere (an earlier rule wins): [`LedgerMapping::classify`] decides.
    pub fn rules_towards<'a>(
        &'a self,
        line: &'a BudgetLineRef,
    ) -> impl Iterator<Item = &'a AccountRule> + 'a {
        self.rules
            .iter()
            .filter(move |rule| match (&rule.target, line) {
                (
                    RuleTarget::Operating { table, line: l },
                    BudgetLineRef::Operating {
                        table: t,
                        line: wanted,
                    },
                ) => table == t && l == wanted,
                (RuleTarget::Investment, BudgetLineRef::Investment { .. }) => true,
                _ => false,
            })
    }

    pub fn profile(&self, line: &BudgetLineRef) -> Option<&BudgetProfile> {
        self.profiles.iter().find(|profile| &profile.line == line)
    }

    /// Maps one ledger row by its account, dimension-1 object (ansvar) and dimension-6 object
    /// (projekt). The first matching rule wins.
    pub fn classify(
        &self,
        account: &str,
        ansvar: Option<&str>,
        project: Option<&str>,
    ) -> Classification<'_> {
        let Some((index, rule)) = self
            .rules
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.matches(account, ansvar))
        else {
            return Classification::Unmapped(UnmappedReason::NoRule);
        };
        let unit = ansvar.and_then(|object| self.unit_of(object));
        match &rule.target {
            RuleTarget::Operating { table, line } => {
                Classification::Operating { table, line, unit }
            }
            RuleTarget::Excluded => Classification::Excluded { rule: index },
            RuleTarget::Finance { row } => Classification::Finance { row },
            RuleTarget::Exploitation => match project {
                None => Classification::Unmapped(UnmappedReason::NoProject),
                Some(object) => match self.project_of(object) {
                    Some(row) => Classification::Exploitation { row },
                    None => Classification::Unmapped(UnmappedReason::UnknownProject),
                },
            },
            RuleTarget::Investment => match project {
                None => Classification::Unmapped(UnmappedReason::NoProject),
                Some(object) => match self.project_of(object) {
                    Some(project) => Classification::Investment { project, unit },
                    None => Classification::Unmapped(UnmappedReason::UnknownProject),
                },
            },
        }
    }
}

/// The net movement of one account × ansvar × project × month in the ledger: what a monthly
/// aggregate of transactions (or of #PBUDGET rows) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerAmount {
    pub account: String,
    /// Dimension-1 object, if the rows had one.
    pub ansvar: Option<String>,
    /// Dimension-6 object, if the rows had one.
    pub project: Option<String>,
    pub month: Month,
    pub amount: Money,
    /// How many ledger rows were summed.
    pub rows: u64,
}

code_enum!(
    /// Which SIE record a voucher row came from; only `Normal` and `Added` rows count.
    TransactionKind {
        /// #TRANS.
        Normal => "normal",
        /// #RTRANS: added after the fact; counts.
        Added => "added",
        /// #BTRANS: struck; kept for drill-down, never counted.
        Struck => "struck",
        /// The #TRANS that repeats an #RTRANS for old readers; never counted.
        Duplicate => "duplicate",
    }
);

impl TransactionKind {
    pub fn counts(self) -> bool {
        matches!(self, TransactionKind::Normal | TransactionKind::Added)
    }
}

/// One voucher row of the ledger, as kept for drill-down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerTransaction {
    pub series: String,
    pub voucher_number: String,
    /// ISO `YYYY-MM-DD`.
    pub voucher_date: String,
    /// ISO `YYYY-MM-DD`: the row's own date, else the voucher's.
    pub transaction_date: String,
    /// The month of `transaction_date`.
    pub month: Month,
    pub kind: TransactionKind,
    pub account: String,
    pub ansvar: Option<String>,
    pub project: Option<String>,
    /// The whole object list, `DIM=OBJECT` pairs joined by `;` (empty when none).
    pub objects: String,
    pub amount: Money,
    pub voucher_text: String,
    pub text: String,
}

/// A forecast for the whole year entered by hand for a budget line, per follow-up month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualForecast {
    pub line: BudgetLineRef,
    pub period: Month,
    pub amount: Money,
    pub comment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(from: &str, to: &str) -> AccountRange {
        AccountRange::parse(from, to).unwrap()
    }

    #[test]
    fn ranges_are_prefixes_over_three_to_five_digit_accounts() {
        let costs = range("4", "7");
        for account in ["401", "4010", "45611", "7990", "799", "79999"] {
            assert!(costs.contains(account), "{account}");
        }
        for account in ["3999", "399", "8010", "801", "19300"] {
            assert!(!costs.contains(account), "{account}");
        }
        let one = range("461", "461");
        assert!(one.contains("461") && one.contains("4610") && one.contains("46111"));
        assert!(!one.contains("4620") && !one.contains("46"));
        assert_eq!(range("5000", "5999"), range("5000", "5999"));
        assert!(range("5000", "5999").contains("51110") && range("5", "5").contains("51110"));
    }

    #[test]
    fn the_text_bounds_hold_every_account_a_range_contains() {
        // Every account of one to four digits, and five-digit ones ending in 0, 5 and 9, against
        // ranges of different lengths and with trailing zeros.
        let mut accounts: Vec<String> = Vec::new();
        for digits in 1..=4u32 {
            for n in 0..10u32.pow(digits) {
                accounts.push(format!("{n:0width$}", width = digits as usize));
            }
        }
        for n in 0..10_000u32 {
            for last in ['0', '5', '9'] {
                accounts.push(format!("{n:04}{last}"));
            }
        }
        let ranges = [
            ("3", "7"),
            ("40", "40"),
            ("461", "461"),
            ("4000", "4"),
            ("5000", "5999"),
            ("69810", "69810"),
            ("0", "09"),
            ("100", "2"),
            ("1", "1"),
        ];
        for (from, to) in ranges {
            let range = range(from, to);
            let (low, high) = range.text_bounds();
            let mut inside = 0;
            for account in &accounts {
                if range.contains(account) {
                    inside += 1;
                    assert!(
                        low.as_str() <= account.as_str() && account.as_str() <= high.as_str(),
                        "{from}–{to}: {account} outside {low:?}..={high:?}"
                    );
                }
            }
            assert!(inside > 0, "{from}–{to}");
        }
        assert_eq!(
            range("4000", "4").text_bounds(),
            ("4".to_owned(), "4999999999".to_owned())
        );
    }

    #[test]
    fn bad_ranges_are_refused() {
        assert_eq!(
            AccountRange::parse("4a", "5"),
            Err(AccountRangeError::NotDigits("4a".into()))
        );
        assert_eq!(
            AccountRange::parse("123456", "2"),
            Err(AccountRangeError::NotDigits("123456".into()))
        );
        assert!(matches!(
            AccountRange::parse("5", "4"),
            Err(AccountRangeError::Empty { .. })
        ));
        // 4000 padded (4000000000) is not above 4 padded with nines: a valid one-prefix range.
        assert!(AccountRange::parse("4000", "4").is_ok());
    }

    fn id(text: &str) -> Id {
        Id::parse(text).unwrap()
    }

    fn mapping() -> LedgerMapping {
        let rule = |from: &str, to: &str, ansvar: &[&str], target: &str| AccountRule {
            accounts: range(from, to),
            ansvar: ansvar.iter().map(|a| (*a).to_owned()).collect(),
            target: RuleTarget::parse(target).unwrap(),
            note: None,
            at: Location::default(),
        };
        LedgerMapping {
            rules: vec![
                rule("40", "40", &[], "inv"),
                rule("3", "7", &["1100", "1130"], "op.ksf.ksf"),
                rule("3", "7", &["1000"], "op.fortroende.kf"),
                rule("1", "2", &[], "exclude"),
            ],
            units: vec![UnitMapping {
                object: "1130".into(),
                unit: id("ekonomiavdelningen"),
                name: None,
                at: Location::default(),
            }],
            projects: vec![ProjectMapping {
                object: "P7".into(),
                project: id("vattenplan"),
                at: Location::default(),
            }],
            profiles: vec![],
        }
    }

    #[test]
    fn first_matching_rule_wins_and_units_come_from_ansvar() {
        let mapping = mapping();
        let (ksf, line) = (id("ksf"), id("ksf"));
        assert_eq!(
            mapping.classify("51110", Some("1130"), None),
            Classification::Operating {
                table: &ksf,
                line: &line,
                unit: Some(&id("ekonomiavdelningen")),
            }
        );
        assert_eq!(
            mapping.classify("4010", Some("1130"), Some("P7")),
            Classification::Investment {
                project: &id("vattenplan"),
                unit: Some(&id("ekonomiavdelningen")),
            }
        );
        assert_eq!(
            mapping.classify("4010", Some("1130"), None),
            Classification::Unmapped(UnmappedReason::NoProject)
        );
        assert_eq!(
            mapping.classify("4010", None, Some("P9")),
            Classification::Unmapped(UnmappedReason::UnknownProject)
        );
        assert_eq!(
            mapping.classify("6110", Some("1999"), None),
            Classification::Unmapped(UnmappedReason::NoRule)
        );
        assert_eq!(
            mapping.classify("6110", None, None),
            Classification::Unmapped(UnmappedReason::NoRule)
        );
        assert_eq!(
            mapping.classify("2440", None, None),
            Classification::Excluded { rule: 3 }
        );
    }

    #[test]
    fn line_refs_and_targets_round_trip_as_text() {
        for text in ["op.ksf.ksf", "inv.vattenplan"] {
            assert_eq!(BudgetLineRef::parse(text).unwrap().to_string(), text);
        }
        for text in ["op.gemensamma.brand", "inv", "exclude"] {
            assert_eq!(RuleTarget::parse(text).unwrap().to_string(), text);
        }
        for bad in ["op.ksf", "inv.x.y", "op.KSF.ksf", "", "inv.vattenplan"] {
            assert_eq!(RuleTarget::parse(bad), None, "{bad}");
        }
    }
}
