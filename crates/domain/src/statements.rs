//! The financial statements' lines and the Kommun-Bas mapping onto them (issue 22).
//!
//! RKR's uppställningsform for the resultaträkning (RR) and the balansräkning (BR) is fixed
//! here as [`LINES`]: a line is either *mapped* (ledger accounts land on it through the
//! package's `redovisning/kommunbas.csv`), a *sum* of lines above it (computed, never typed),
//! or *derived* (BR's "Årets resultat", which is RR's). The kassaflödesanalys has no mapped
//! lines: it is derived from RR and the changes of BR's lines (`reports::statements`).
//!
//! Signs: the ledger (SIE) keeps debit positive, so income, equity and liabilities are negative
//! there. Every line here is in the Swedish report convention: in RR intäkter positive and
//! kostnader negative (report = −ledger); in BR tillgångar positive (report = ledger) and eget
//! kapital, avsättningar och skulder positive (report = −ledger). [`LineDef::report_sign`]
//! says which.
//!
//! The mapping also carries what KF's budget does not split (a budget per line and year,
//! `redovisning/budget.csv`, checked against KF's totals by the report) and the data of the
//! balanskravsutredning (`redovisning/balanskrav.csv`: reservations to and withdrawals from the
//! resultatutjämningsreserv, a stated balanskravsresultat, earlier years' results). The rule
//! for a negative balanskravsresultat (restored within three years, KL 11 kap. 12 §) is
//! [`unrestored_deficits`].

use crate::ledger::AccountRange;
use crate::{Location, Money, Year, code_enum};

/// Which statement a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Statement {
    /// Resultaträkning.
    Result,
    /// Balansräkning.
    Balance,
}

/// What a line's figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Accounts are mapped onto it.
    Mapped,
    /// The sum of these lines (computed).
    Sum(&'static [&'static str]),
    /// RR's årets resultat shown in BR's eget kapital.
    YearResult,
}

/// One line of RKR's uppställningsform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineDef {
    pub id: &'static str,
    pub statement: Statement,
    pub label: &'static str,
    pub kind: LineKind,
    /// A heading shown above the line (BR's groups), if any.
    pub heading: Option<&'static str>,
}

impl LineDef {
    /// The factor from ledger (SIE) sign to report sign: −1 for RR's lines and BR's eget
    /// kapital, avsättningar och skulder, +1 for BR's tillgångar.
    pub fn report_sign(&self) -> i64 {
        match self.statement {
            Statement::Result => -1,
            Statement::Balance if self.id.starts_with("br.t.") => 1,
            Statement::Balance => -1,
        }
    }

    pub fn is_mapped(&self) -> bool {
        self.kind == LineKind::Mapped
    }
}

const fn mapped(id: &'static str, statement: Statement, label: &'static str) -> LineDef {
    LineDef {
        id,
        statement,
        label,
        kind: LineKind::Mapped,
        heading: None,
    }
}

const fn sum(
    id: &'static str,
    statement: Statement,
    label: &'static str,
    parts: &'static [&'static str],
) -> LineDef {
    LineDef {
        id,
        statement,
        label,
        kind: LineKind::Sum(parts),
        heading: None,
    }
}

const fn headed(mut line: LineDef, heading: &'static str) -> LineDef {
    line.heading = Some(heading);
    line
}

use Statement::{Balance as B, Result as R};

/// RKR's uppställningsform of RR and BR, in print order. A sum's parts come before it.
pub const LINES: &[LineDef] = &[
    mapped("rr.intakter", R, "Verksamhetens intäkter"),
    mapped("rr.kostnader", R, "Verksamhetens kostnader"),
    mapped(
        "rr.avskrivningar",
        R,
        "Av- och nedskrivningar av anläggningstillgångar",
    ),
    sum(
        "rr.nettokostnader",
        R,
        "Verksamhetens nettokostnader",
        &["rr.intakter", "rr.kostnader", "rr.avskrivningar"],
    ),
    mapped("rr.skatteintakter", R, "Skatteintäkter"),
    mapped("rr.statsbidrag", R, "Generella statsbidrag och utjämning"),
    sum(
        "rr.verksamhetens_resultat",
        R,
        "Verksamhetens resultat",
        &["rr.nettokostnader", "rr.skatteintakter", "rr.statsbidrag"],
    ),
    mapped("rr.finansiella_intakter", R, "Finansiella intäkter"),
    mapped("rr.finansiella_kostnader", R, "Finansiella kostnader"),
    sum(
        "rr.efter_finansiella",
        R,
        "Resultat efter finansiella poster",
        &[
            "rr.verksamhetens_resultat",
            "rr.finansiella_intakter",
            "rr.finansiella_kostnader",
        ],
    ),
    mapped("rr.extraordinara", R, "Extraordinära poster"),
    sum(
        "rr.arets_resultat",
        R,
        "Årets resultat",
        &["rr.efter_finansiella", "rr.extraordinara"],
    ),
    headed(
        mapped("br.t.immateriella", B, "Immateriella anläggningstillgångar"),
        "Anläggningstillgångar",
    ),
    mapped(
        "br.t.mark_byggnader",
        B,
        "Mark, byggnader och tekniska anläggningar",
    ),
    mapped("br.t.maskiner", B, "Maskiner och inventarier"),
    mapped(
        "br.t.ovriga_materiella",
        B,
        "Övriga materiella anläggningstillgångar",
    ),
    mapped("br.t.finansiella", B, "Finansiella anläggningstillgångar"),
    sum(
        "br.t.anlaggning",
        B,
        "Summa anläggningstillgångar",
        &[
            "br.t.immateriella",
            "br.t.mark_byggnader",
            "br.t.maskiner",
            "br.t.ovriga_materiella",
            "br.t.finansiella",
        ],
    ),
    mapped("br.t.infrastruktur", B, "Bidrag till statlig infrastruktur"),
    headed(
        mapped("br.t.forrad", B, "Förråd m.m."),
        "Omsättningstillgångar",
    ),
    mapped("br.t.fordringar", B, "Fordringar"),
    mapped("br.t.placeringar", B, "Kortfristiga placeringar"),
    mapped("br.t.kassa", B, "Kassa och bank"),
    sum(
        "br.t.omsattning",
        B,
        "Summa omsättningstillgångar",
        &[
            "br.t.forrad",
            "br.t.fordringar",
            "br.t.placeringar",
            "br.t.kassa",
        ],
    ),
    sum(
        "br.t.summa",
        B,
        "SUMMA TILLGÅNGAR",
        &["br.t.anlaggning", "br.t.infrastruktur", "br.t.omsattning"],
    ),
    headed(
        LineDef {
            id: "br.ek.arets_resultat",
            statement: B,
            label: "Årets resultat",
            kind: LineKind::YearResult,
            heading: None,
        },
        "Eget kapital",
    ),
    mapped("br.ek.rur", B, "Resultatutjämningsreserv"),
    mapped("br.ek.ovrigt", B, "Övrigt eget kapital"),
    sum(
        "br.ek.summa",
        B,
        "Summa eget kapital",
        &["br.ek.arets_resultat", "br.ek.rur", "br.ek.ovrigt"],
    ),
    headed(
        mapped(
            "br.av.pensioner",
            B,
            "Avsättningar för pensioner och liknande förpliktelser",
        ),
        "Avsättningar",
    ),
    mapped("br.av.ovriga", B, "Andra avsättningar"),
    sum(
        "br.av.summa",
        B,
        "Summa avsättningar",
        &["br.av.pensioner", "br.av.ovriga"],
    ),
    headed(
        mapped("br.s.langfristiga", B, "Långfristiga skulder"),
        "Skulder",
    ),
    mapped("br.s.kortfristiga", B, "Kortfristiga skulder"),
    sum(
        "br.s.summa",
        B,
        "Summa skulder",
        &["br.s.langfristiga", "br.s.kortfristiga"],
    ),
    sum(
        "br.eks.summa",
        B,
        "SUMMA EGET KAPITAL, AVSÄTTNINGAR OCH SKULDER",
        &["br.ek.summa", "br.av.summa", "br.s.summa"],
    ),
];

/// The line with this id.
pub fn line(id: &str) -> Option<&'static LineDef> {
    LINES.iter().find(|line| line.id == id)
}

/// The ids of the lines accounts may be mapped onto, for messages.
pub fn mapped_line_ids() -> String {
    LINES
        .iter()
        .filter(|line| line.is_mapped())
        .map(|line| line.id)
        .collect::<Vec<_>>()
        .join(", ")
}

code_enum!(
    /// What an account is besides its line, for the balanskravsutredning.
    AccountTag {
        /// Realisationsvinst at a sale of an anläggningstillgång: deducted from årets resultat.
        CapitalGain => "realisationsvinst",
        /// Realisationsförlust that the undantagsmöjlighet lets the municipality add back.
        CapitalLossException => "realisationsforlust_undantag",
        /// Orealiserade vinster och förluster i värdepapper (marked to market): reversed.
        UnrealisedSecurities => "orealiserad_vardepapper",
    }
);

/// One row of `redovisning/kommunbas.csv`: an account range and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRule {
    pub accounts: AccountRange,
    /// A mapped line's id (checked by the reader against [`LINES`]).
    pub line: String,
    pub tag: Option<AccountTag>,
    pub note: Option<String>,
    pub at: Location,
}

/// A budget for a line KF's council budget does not split (`redovisning/budget.csv`), in
/// report sign; the report checks the lines against KF's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineBudget {
    pub line: String,
    pub year: Year,
    pub amount: Money,
    pub at: Location,
}

code_enum!(
    /// A row kind of `redovisning/balanskrav.csv`.
    BalanceItemKind {
        /// Reservering till resultatutjämningsreserven: deducted.
        RurReservation => "rur_reservering",
        /// Ianspråktagande av resultatutjämningsreserven: added.
        RurWithdrawal => "rur_ianspratagande",
        /// A year's balanskravsresultat as stated (the report year's is checked against the
        /// computed one; an earlier year's is the history the three-year rule reads).
        StatedResult => "balanskravsresultat",
    }
);

/// One row of `redovisning/balanskrav.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceItem {
    pub year: Year,
    pub kind: BalanceItemKind,
    pub amount: Money,
    pub note: Option<String>,
    pub at: Location,
}

/// The Kommun-Bas mapping of KF's plan and what goes with it; empty in a plan without the
/// `redovisning/` files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatementMapping {
    pub rules: Vec<StatementRule>,
    pub budget: Vec<LineBudget>,
    pub balance_items: Vec<BalanceItem>,
}

impl StatementMapping {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.budget.is_empty() && self.balance_items.is_empty()
    }

    /// The first rule whose range holds the account.
    pub fn classify(&self, account: &str) -> Option<&StatementRule> {
        self.rules
            .iter()
            .find(|rule| rule.accounts.contains(account))
    }

    /// The budget of a line for a year, if the data states one.
    pub fn line_budget(&self, line: &str, year: Year) -> Option<Money> {
        self.budget
            .iter()
            .find(|b| b.line == line && b.year == year)
            .map(|b| b.amount)
    }

    /// The balanskrav rows of a year of one kind, summed (`None` when there are none).
    pub fn balance_item(&self, year: Year, kind: BalanceItemKind) -> Option<Money> {
        let mut rows = self
            .balance_items
            .iter()
            .filter(|item| item.year == year && item.kind == kind)
            .peekable();
        rows.peek()?;
        Some(rows.map(|item| item.amount).sum())
    }
}

/// A deficit (negative balanskravsresultat) and what of it is not yet restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deficit {
    pub year: Year,
    pub amount: Money,
    /// What remains after the later years' positive results, oldest deficit first.
    pub remaining: Money,
    /// The last year by which it must be restored (the third year after).
    pub deadline: Year,
}

/// The three-year rule (KL 11 kap. 12 §): a negative balanskravsresultat shall be restored
/// within the three following years. `results` are the balanskravsresultat per year through
/// `through` (the report year); each positive result restores the oldest unrestored deficits
/// of earlier years first. Returns every deficit with what remains of it after `through`.
pub fn unrestored_deficits(results: &[(Year, Money)], through: Year) -> Vec<Deficit> {
    let mut ordered: Vec<(Year, Money)> = results
        .iter()
        .copied()
        .filter(|(year, _)| *year <= through)
        .collect();
    ordered.sort_by_key(|(year, _)| *year);
    let mut deficits: Vec<Deficit> = Vec::new();
    for (year, amount) in ordered {
        if amount.ore() < 0 {
            deficits.push(Deficit {
                year,
                amount,
                remaining: amount,
                deadline: year + 3,
            });
        } else {
            let mut surplus = amount;
            for deficit in deficits
                .iter_mut()
                .filter(|d| d.year < year && year <= d.deadline)
            {
                if surplus.ore() <= 0 {
                    break;
                }
                let need = -deficit.remaining;
                let used = if surplus < need { surplus } else { need };
                deficit.remaining = deficit.remaining + used;
                surplus = surplus - used;
            }
        }
    }
    deficits
}

code_enum!(
    /// Which balance record of a ledger file (SIE) a figure comes from.
    BalanceKind {
        /// #IB: an account's opening balance of a year.
        Opening => "ib",
        /// #UB: an account's closing balance of a year.
        Closing => "ub",
        /// #RES: a result account's total of a year.
        Result => "res",
    }
);

/// One #IB, #UB or #RES record of a ledger file: year 0 is the file's fiscal year, −1 the one
/// before. The amount is in the ledger's sign (debit positive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountBalance {
    pub kind: BalanceKind,
    pub year: i32,
    pub account: String,
    pub amount: Money,
}

/// An account's counted rows of one month summed (the ledger's sign).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountMovement {
    pub account: String,
    pub month: crate::Month,
    pub amount: Money,
}

/// A stored bokslut ledger file as the statements read it: its balance records and its
/// movements per account and month.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatementLedger {
    /// #ORGNR (or #FNAMN).
    pub company: String,
    /// `YYYY-MM-DD..YYYY-MM-DD`.
    pub fiscal_year: String,
    pub file_name: String,
    pub balances: Vec<AccountBalance>,
    pub movements: Vec<AccountMovement>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tkr(n: i64) -> Money {
        Money::from_tkr(n).unwrap()
    }

    #[test]
    fn every_sum_reads_lines_above_it_of_its_statement() {
        for (index, line) in LINES.iter().enumerate() {
            if let LineKind::Sum(parts) = line.kind {
                for part in parts {
                    let at = LINES.iter().position(|l| l.id == *part).unwrap();
                    assert!(at < index, "{} reads {part} below it", line.id);
                    assert_eq!(LINES[at].statement, line.statement);
                }
            }
        }
    }

    #[test]
    fn a_deficit_restored_within_three_years_is_not_left() {
        let results = [(2018, tkr(-30)), (2019, tkr(10)), (2020, tkr(25))];
        let deficits = unrestored_deficits(&results, 2021);
        assert_eq!(deficits.len(), 1);
        assert_eq!(deficits[0].remaining, Money::ZERO);
        assert_eq!(deficits[0].deadline, 2021);
    }

    #[test]
    fn a_deficit_not_restored_in_time_remains_after_its_deadline() {
        // 2017: −50; 2018 +10, 2019 +10, 2020 +10 restore 30; 2021's +100 comes too late.
        let results = [
            (2017, tkr(-50)),
            (2018, tkr(10)),
            (2019, tkr(10)),
            (2020, tkr(10)),
            (2021, tkr(100)),
        ];
        let deficits = unrestored_deficits(&results, 2021);
        assert_eq!(deficits[0].remaining, tkr(-20));
        assert_eq!(deficits[0].deadline, 2020);
    }
}
