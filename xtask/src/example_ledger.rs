//! The synthetic ledger of the bundled example (`examples/haninge-ks-2021/ledger/ks-2021.se`):
//! Kommunstyrelsen's bookings January–October 2021 and a few early-November ones, consistent
//! with the example's budget 2021 and its mapping (`ledger/*.csv`), so that budget vs actual per
//! October looks like a real monthly closing.
//!
//! `cargo xtask example-ledger` writes it; a test checks that the checked-in file is what the
//! generator writes. Deterministic: a fixed seed and the tasks' one generator (SplitMix64,
//! `random.rs`), so the file is the same on every machine and run. Each budget line is spent at a stated pace of its
//! budget (103,5 % for the administration, 20 % of the reserve …), month by month along the
//! line's profile (the plan's, else #PBUDGET's for the administration, else even), split into
//! salary vouchers, supplier invoices, customer invoices and fee payments that all balance
//! against the balance sheet. A few rows deliberately map nowhere. This is example data, not a
//! benchmark generator (that one is `ledger.rs`).

use crate::random::Rng;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use styr_domain::Plan;
use styr_domain::ledger::BudgetLineRef;
use styr_sie::{
    Account, AccountNo, AccountType, Amount, Date, Dimension, FiscalYear, Generated, ObjectRef,
    OrgNr, PeriodAmount, Program, RowKind, SieFile, SieType, TransRow, Voucher, Writer,
};

/// The fixed seed: change it and the example's README figures change.
const SEED: u64 = 0x5354_5952_2021_0010;

/// A factor in per mille around 1000: `1000 ± spread`.
fn jitter(random: &mut Rng, spread: i64) -> i64 {
    1000 + random.between(-spread, spread)
}

/// The chart: every account the file uses, with its name and type.
const ACCOUNTS: &[(&str, &str, AccountType)] = &[
    ("1510", "Kundfordringar", AccountType::Asset),
    ("1930", "Bank", AccountType::Asset),
    ("2440", "Leverantörsskulder", AccountType::Liability),
    ("2710", "Personalens källskatt", AccountType::Liability),
    ("2730", "Upplupna sociala avgifter", AccountType::Liability),
    (
        "3490",
        "Övriga intäkter, försäljning av tjänster",
        AccountType::Income,
    ),
    (
        "4010",
        "Inköp av material, investeringar",
        AccountType::Cost,
    ),
    ("4020", "Entreprenader, investeringar", AccountType::Cost),
    ("40310", "Konsulttjänster, investeringar", AccountType::Cost),
    ("4530", "Bidrag till politiska partier", AccountType::Cost),
    ("51110", "Månadslön tillsvidareanställda", AccountType::Cost),
    ("51150", "Arvoden förtroendevalda", AccountType::Cost),
    (
        "56110",
        "Lagstadgade arbetsgivaravgifter",
        AccountType::Cost,
    ),
    ("6110", "Kontorsmaterial", AccountType::Cost),
    ("6210", "Telefoni och datakommunikation", AccountType::Cost),
    ("631", "Försäkringspremier", AccountType::Cost),
    ("6420", "Konsulttjänster", AccountType::Cost),
    ("6470", "Bevakningstjänster", AccountType::Cost),
    ("6590", "Övriga främmande tjänster", AccountType::Cost),
    (
        "69810",
        "Medlemsavgift Södertörns brandförsvarsförbund",
        AccountType::Cost,
    ),
    (
        "69820",
        "Medlemsavgift Sveriges Kommuner och Regioner",
        AccountType::Cost,
    ),
    ("69830", "Medlemsavgift Storsthlm", AccountType::Cost),
    (
        "69840",
        "Medlemsavgift Södertörns miljö- och hälsoskyddsförbund",
        AccountType::Cost,
    ),
    (
        "69850",
        "Avgift Södertörns överförmyndarnämnd",
        AccountType::Cost,
    ),
    (
        "69860",
        "Medlemsavgift Samordningsförbundet Östra Södertörn",
        AccountType::Cost,
    ),
    (
        "69870",
        "Avgift Södertörns upphandlingsnämnd",
        AccountType::Cost,
    ),
    ("69890", "Övriga medlemsavgifter", AccountType::Cost),
    ("7110", "Resor och logi", AccountType::Cost),
    ("7150", "Representation", AccountType::Cost),
    (
        "746",
        "Köp av entreprenad, klottersanering",
        AccountType::Cost,
    ),
    ("7990", "Övriga kostnader", AccountType::Cost),
];

/// Dimension 1 (ansvar): code and name.
const ANSVAR: &[(&str, &str)] = &[
    ("1000", "Kommunfullmäktige"),
    ("1010", "Kommunstyrelsen, politisk verksamhet"),
    ("1011", "Kommunstyrelsens reserv"),
    ("1020", "Kommittéer och råd"),
    ("1030", "Internationellt arbete"),
    ("1040", "Folkhälsa"),
    ("1050", "Borgerliga förrättningar"),
    ("1060", "Partistöd"),
    ("1070", "Tolk"),
    ("1100", "KSF ledning"),
    ("1110", "Kansliavdelningen"),
    ("1120", "HR-avdelningen"),
    ("1130", "Ekonomiavdelningen"),
    ("1140", "Kommunikationsavdelningen"),
    ("1150", "Digitaliseringsavdelningen"),
    ("1160", "Trygghet och säkerhet"),
    ("1900", "Kommungemensamt"),
    ("1990", "Ej fördelat (avvecklat ansvar)"),
];

/// Dimension 6 (projekt): code, name and the plan's project id.
const PROJECTS: &[(&str, &str, &str)] = &[
    ("P7001", "Investeringsreserv", "investeringsreserv"),
    ("P7002", "IT-investeringar", "it_investeringar"),
    ("P7003", "Vattenplan", "vattenplan"),
    ("P7004", "Värmesensorer för egendomsskydd", "varmesensorer"),
    ("P7005", "Investeringar i kommunhuset", "kommunhuset"),
];

/// How a line is spent.
#[derive(Clone, Copy)]
enum Spending {
    /// Salaries (share in per mille of the net cost, on `wage_account`), supplier invoices on
    /// `accounts` for the rest; `revenue` per mille of the net cost as customer invoices.
    Operations {
        wage_account: &'static str,
        personnel: i64,
        revenue: i64,
        accounts: &'static [&'static str],
    },
    /// Invoices from one supplier on one account, in the months the line's profile names.
    Fee { account: &'static str },
}

/// A budget line of the example: where it is booked, how, and at what pace (per mille of its
/// budget to date).
struct LineSpec {
    line: &'static str,
    ansvar: &'static [(&'static str, i64)],
    spending: Spending,
    pace: i64,
}

const OTHER: &[&str] = &["6110", "6210", "6420", "6590", "7110", "7150"];

const fn operations(
    wage_account: &'static str,
    personnel: i64,
    revenue: i64,
    accounts: &'static [&'static str],
) -> Spending {
    Spending::Operations {
        wage_account,
        personnel,
        revenue,
        accounts,
    }
}

const LINES: &[LineSpec] = &[
    LineSpec {
        line: "op.fortroende.reserv",
        ansvar: &[("1011", 1)],
        spending: operations("51110", 0, 0, &["6420", "6590"]),
        pace: 200,
    },
    LineSpec {
        line: "op.fortroende.kf",
        ansvar: &[("1000", 1)],
        spending: operations("51150", 600, 0, &["6110", "7110", "7150"]),
        pace: 980,
    },
    LineSpec {
        line: "op.fortroende.kommitteer",
        ansvar: &[("1020", 1)],
        spending: operations("51150", 700, 0, &["7150"]),
        pace: 900,
    },
    LineSpec {
        line: "op.fortroende.internationellt",
        ansvar: &[("1030", 1)],
        spending: operations("51110", 0, 0, &["7110", "7150"]),
        pace: 600,
    },
    LineSpec {
        line: "op.fortroende.folkhalsa",
        ansvar: &[("1040", 1)],
        spending: operations("51110", 0, 0, &["6590", "6110"]),
        pace: 850,
    },
    LineSpec {
        line: "op.fortroende.borgerliga_forrattningar",
        ansvar: &[("1050", 1)],
        spending: operations("51150", 800, 0, &["7110"]),
        pace: 700,
    },
    LineSpec {
        line: "op.fortroende.kommunstyrelse",
        ansvar: &[("1010", 1)],
        spending: operations("51150", 700, 0, OTHER),
        pace: 1010,
    },
    LineSpec {
        line: "op.fortroende.partistod",
        ansvar: &[("1060", 1)],
        spending: Spending::Fee { account: "4530" },
        pace: 1000,
    },
    LineSpec {
        line: "op.fortroende.tolk",
        ansvar: &[("1070", 1)],
        spending: operations("51110", 0, 0, &["6590"]),
        pace: 1300,
    },
    LineSpec {
        line: "op.ksf.ksf",
        ansvar: &[
            ("1100", 12),
            ("1110", 18),
            ("1120", 16),
            ("1130", 20),
            ("1140", 12),
            ("1150", 22),
        ],
        spending: operations("51110", 700, 40, OTHER),
        pace: 1035,
    },
    LineSpec {
        line: "op.ksf.trygghet",
        ansvar: &[("1160", 1)],
        spending: operations("51110", 300, 0, &["6470", "6590"]),
        pace: 920,
    },
    LineSpec {
        line: "op.gemensamma.brand",
        ansvar: &[("1900", 1)],
        spending: Spending::Fee { account: "69810" },
        pace: 1000,
    },
    LineSpec {
        line: "op.gemensamma.forsakringar",
        ansvar: &[("1900", 1)],
        spending: Spending::Fee { account: "631" },
        pace: 1000,
    },
    LineSpec {
        line: "op.gemensamma.upprustning",
        ansvar: &[("1900", 1)],
        spending: operations("51110", 0, 0, &["746"]),
        pace: 1150,
    },
    LineSpec {
        line: "op.gemensamma.skr",
        ansvar: &[("1900", 1)],
        spending: Spending::Fee { account: "69820" },
        pace: 1000,
    },
    LineSpec {
        line: "op.gemensamma.storsthlm",
        ansvar: &[("1900", 1)],
        spending: Spending::Fee { account: "69830" },
        pace: 1000,
    },
    LineSpec {
        line: "op.gemensamma.ovriga_medlemsavgifter",
        ansvar: &[("1900", 1)],
        spending: operations("51110", 0, 0, &["69890"]),
        pace: 950,
    },
    LineSpec {
        line: "op.gemensamma.samordningsforbundet",
        ansvar: &[("1900", 1)],
        spending: Spending::Fee { account: "69860" },
        pace: 1000,
    },
    LineSpec {
        line: "op.gemensamma.smohf",
        ansvar: &[("1900", 1)],
        spending: Spending::Fee { account: "69840" },
        pace: 1000,
    },
    LineSpec {
        line: "op.gemensamma.overformyndare",
        ansvar: &[("1900", 1)],
        spending: Spending::Fee { account: "69850" },
        pace: 1000,
    },
];

/// Investment projects: the plan's id, the ansvar that buys, and the pace.
const INVESTMENTS: &[(&str, &str, i64)] = &[
    ("it_investeringar", "1150", 700),
    ("vattenplan", "1900", 400),
    ("kommunhuset", "1110", 1500),
];

/// The administration's monthly budget shape for #PBUDGET (per mille of an even month):
/// summer holidays in July, more in June and December.
const KSF_SHAPE: [i64; 12] = [
    1000, 1000, 1000, 1000, 1000, 1150, 550, 900, 1000, 1000, 1000, 1400,
];

/// The last month with bookings (October) and the November days booked before the export.
const LAST_MONTH: u8 = 10;

fn date(month: u8, day: u8) -> Date {
    Date::new(2021, month, day).expect("a date of 2021")
}

fn account(number: &str) -> AccountNo {
    AccountNo::parse(number).expect("a valid account number")
}

fn row(number: &str, objects: &[(u32, &str)], ore: i64, text: &str) -> TransRow {
    TransRow {
        kind: RowKind::Normal,
        account: account(number),
        objects: objects
            .iter()
            .map(|(dimension, object)| ObjectRef::new(*dimension, *object))
            .collect(),
        amount: Amount(ore),
        date: None,
        text: text.to_owned(),
        quantity: None,
        sign: String::new(),
    }
}

/// Splits `total` öre into `parts` random positive-ish shares that sum exactly to it.
fn split(random: &mut Rng, total: i64, parts: usize) -> Vec<i64> {
    let weights: Vec<i64> = (0..parts).map(|_| random.between(20, 100)).collect();
    let sum: i64 = weights.iter().sum();
    let mut shares: Vec<i64> = weights
        .iter()
        .map(|w| i64::try_from(i128::from(total) * i128::from(*w) / i128::from(sum)).unwrap_or(0))
        .collect();
    let rest = total - shares.iter().sum::<i64>();
    if let Some(last) = shares.last_mut() {
        *last += rest;
    }
    shares
}

/// A share of an amount in öre: `amount × numerator / denominator`, truncated.
fn part(amount: i64, numerator: i64, denominator: i64) -> i64 {
    i64::try_from(i128::from(amount) * i128::from(numerator) / i128::from(denominator.max(1)))
        .unwrap_or(0)
}

struct Generator {
    random: Rng,
    /// Vouchers by series, unnumbered yet.
    vouchers: Vec<(String, Voucher)>,
}

impl Generator {
    fn voucher(&mut self, series: &str, day: Date, text: &str, rows: Vec<TransRow>) {
        self.vouchers.push((
            series.to_owned(),
            Voucher {
                series: series.to_owned(),
                number: String::new(),
                date: day,
                text: text.to_owned(),
                registered: None,
                sign: String::new(),
                rows,
            },
        ));
    }

    /// A supplier invoice: cost on `account` (with objects) against accounts payable.
    fn invoice(&mut self, day: Date, account: &str, objects: &[(u32, &str)], ore: i64, text: &str) {
        let rows = vec![row(account, objects, ore, text), row("2440", &[], -ore, "")];
        self.voucher("LF", day, text, rows);
    }

    /// One month's salaries of one ansvar: wage, social fees and their liabilities.
    fn salaries(&mut self, month: u8, wage_account: &str, ansvar: &str, cost: i64) {
        // The cost is wage + 31,42 % social fees.
        let wage = part(cost, 10_000, 13_142);
        let fees = cost - wage;
        let tax = -part(wage, 30, 100);
        let objects = [(1, ansvar)];
        let rows = vec![
            row(wage_account, &objects, wage, ""),
            row("56110", &objects, fees, ""),
            row("2710", &[], tax, ""),
            row("2730", &[], -fees, ""),
            row("1930", &[], -(wage + tax), ""),
        ];
        self.voucher("LÖN", date(month, 25), "Löner", rows);
    }

    /// Customer invoices crediting revenue.
    fn revenue(&mut self, month: u8, ansvar: &str, ore: i64) {
        let parts = usize::try_from(self.random.between(1, 3)).unwrap_or(1);
        for share in split(&mut self.random, ore, parts) {
            let day = date(month, u8::try_from(self.random.between(2, 27)).unwrap_or(2));
            let rows = vec![
                row("3490", &[(1, ansvar)], -share, "Internt sålda tjänster"),
                row("1510", &[], share, ""),
            ];
            self.voucher("KF", day, "Kundfaktura", rows);
        }
    }

    /// Supplier invoices for `ore` spread over the month on the given accounts.
    fn purchases(&mut self, month: u8, accounts: &[&str], objects: &[(u32, &str)], ore: i64) {
        let count = usize::try_from((ore / 8_000_000).clamp(1, 24)).unwrap_or(1)
            + usize::try_from(self.random.between(0, 2)).unwrap_or(0);
        for share in split(&mut self.random, ore, count) {
            let index =
                usize::try_from(self.random.between(0, accounts.len() as i64 - 1)).unwrap_or(0);
            let day = date(month, u8::try_from(self.random.between(1, 28)).unwrap_or(1));
            self.invoice(day, accounts[index], objects, share, "Leverantörsfaktura");
        }
    }
}

/// Twelve weights: the plan's profile of the line, else KSF's #PBUDGET shape for the
/// administration, else even.
fn weights(plan: &Plan, line: &BudgetLineRef) -> [i64; 12] {
    if let Some(profile) = plan.ledger.profile(line) {
        return profile.weights;
    }
    if line.to_string() == "op.ksf.ksf" {
        return KSF_SHAPE;
    }
    [1; 12]
}

/// The annual budget of a line in öre.
fn annual(plan: &Plan, line: &BudgetLineRef) -> Result<i64> {
    let amount = match line {
        BudgetLineRef::Operating { table, line } => plan
            .budget
            .operating_table(table.as_str())
            .and_then(|t| t.row(line.as_str()))
            .and_then(|row| row.amounts.get(&2021).copied()),
        BudgetLineRef::Investment { project } => plan
            .budget
            .investment
            .rows
            .iter()
            .find(|row| &row.id == project)
            .and_then(|row| row.amounts.get(&2021).copied()),
    };
    Ok(amount
        .with_context(|| format!("{line} har ingen budget 2021"))?
        .ore())
}

/// The amount of one month: `annual × weight(month) / Σ weights`, truncated.
fn monthly(annual: i64, weights: &[i64; 12], month: u8) -> i64 {
    let total: i64 = weights.iter().sum();
    part(annual, weights[usize::from(month) - 1], total)
}

/// Generates the example's ledger as CP437 SIE 4 bytes.
pub fn generate(plan: &Plan) -> Result<Vec<u8>> {
    let mut generator = Generator {
        random: Rng::new(SEED),
        vouchers: Vec::new(),
    };
    let mut budgets = Vec::new();
    for spec in LINES {
        let line = BudgetLineRef::parse(spec.line).context("a line reference")?;
        let annual = annual(plan, &line)?;
        let weights = weights(plan, &line);
        let total_weight: i64 = spec.ansvar.iter().map(|(_, w)| w).sum();
        if spec.line == "op.ksf.ksf" {
            for (ansvar, weight) in spec.ansvar {
                let share = part(annual, *weight, total_weight);
                for month in 1..=12 {
                    let amount = monthly(share, &KSF_SHAPE, month);
                    budgets.push((month, "51110", *ansvar, amount));
                }
            }
        }
        for month in 1..=LAST_MONTH {
            let month_amount = part(monthly(annual, &weights, month), spec.pace, 1000);
            if month_amount == 0 {
                continue;
            }
            for (ansvar, weight) in spec.ansvar {
                let net = part(
                    month_amount,
                    *weight * jitter(&mut generator.random, 40),
                    total_weight * 1000,
                );
                match spec.spending {
                    Spending::Fee { account } => {
                        let day = date(
                            month,
                            u8::try_from(generator.random.between(3, 12)).unwrap_or(3),
                        );
                        generator.invoice(day, account, &[(1, ansvar)], net, "Avgift enligt avtal");
                    }
                    Spending::Operations {
                        wage_account,
                        personnel,
                        revenue,
                        accounts,
                    } => {
                        let income = part(net, revenue, 1000);
                        let gross = net + income;
                        let wages = part(gross, personnel, 1000);
                        if wages > 0 {
                            generator.salaries(month, wage_account, ansvar, wages);
                        }
                        generator.purchases(month, accounts, &[(1, ansvar)], gross - wages);
                        if income > 0 {
                            generator.revenue(month, ansvar, income);
                        }
                    }
                }
            }
        }
    }
    for (project, ansvar, pace) in INVESTMENTS {
        let line = BudgetLineRef::Investment {
            project: styr_domain::Id::parse(project).context("a project id")?,
        };
        let annual = annual(plan, &line)?;
        let object = PROJECTS
            .iter()
            .find(|(_, _, id)| id == project)
            .map(|(code, _, _)| *code)
            .context("a project object")?;
        for month in 1..=LAST_MONTH {
            let amount = part(monthly(annual, &[1; 12], month), *pace, 1000);
            let objects = [(1, *ansvar), (6, object)];
            generator.purchases(month, &["4010", "4020", "40310"], &objects, amount);
        }
    }
    // Rows that map nowhere, on purpose: an ansvar no rule names, and an investment purchase
    // without a project.
    for month in [3, 6, 9] {
        generator.invoice(
            date(month, 15),
            "7990",
            &[(1, "1990")],
            1_234_500,
            "Felkonterad faktura",
        );
    }
    generator.invoice(
        date(8, 20),
        "4010",
        &[(1, "1150")],
        4_560_000,
        "Inköp utan projekt",
    );
    // Booked in early November, before the export: after the October period.
    for day in [2, 3, 4] {
        let amount = generator.random.between(5_000_000, 15_000_000);
        generator.invoice(
            date(11, day),
            "6420",
            &[(1, "1100")],
            amount,
            "Leverantörsfaktura",
        );
    }
    let (header, vouchers) = sie_file(generator, budgets);
    let mut writer = Writer::start(Vec::new(), header.flag, true)?;
    writer.header(&header)?;
    for voucher in &vouchers {
        writer.voucher(voucher)?;
    }
    Ok(writer.finish()?)
}

/// The file's header (everything but the vouchers) and its vouchers, numbered per series in
/// date order.
fn sie_file(generator: Generator, budgets: Vec<(u8, &str, &str, i64)>) -> (SieFile, Vec<Voucher>) {
    let mut vouchers = generator.vouchers;
    vouchers.sort_by(|(a_series, a), (b_series, b)| (a_series, a.date).cmp(&(b_series, b.date)));
    let mut numbers: BTreeMap<String, u32> = BTreeMap::new();
    let vouchers: Vec<Voucher> = vouchers
        .into_iter()
        .map(|(series, mut voucher)| {
            let number = numbers.entry(series).or_insert(0);
            *number += 1;
            voucher.number = number.to_string();
            voucher
        })
        .collect();
    let header = SieFile {
        flag: 0,
        program: Some(Program {
            name: "styr".into(),
            version: "exempel".into(),
        }),
        generated: Some(Generated {
            date: date(11, 5),
            sign: String::new(),
        }),
        sie_type: Some(SieType::Type4),
        prosa: Some(
            "Syntetisk huvudbok för exemplet haninge-ks-2021; inte Haninges bokföring".into(),
        ),
        company_name: Some("Haninge kommun, kommunstyrelsen (syntetiska data)".into()),
        org_nr: Some(OrgNr {
            number: "212000-0000".into(),
            acquisition: String::new(),
            activity: String::new(),
        }),
        fiscal_years: vec![FiscalYear {
            index: 0,
            start: date(1, 1),
            end: date(12, 31),
        }],
        currency: Some("SEK".into()),
        accounts: ACCOUNTS
            .iter()
            .map(|(number, name, kind)| {
                (
                    account(number),
                    Account {
                        name: (*name).to_owned(),
                        kind: Some(*kind),
                        unit: String::new(),
                        sru: Vec::new(),
                    },
                )
            })
            .collect(),
        dimensions: [(1, "Ansvar"), (6, "Projekt")]
            .into_iter()
            .map(|(number, name)| {
                (
                    number,
                    Dimension {
                        name: name.into(),
                        parent: None,
                    },
                )
            })
            .collect(),
        objects: ANSVAR
            .iter()
            .map(|(code, name)| (ObjectRef::new(1, *code), (*name).to_owned()))
            .chain(
                PROJECTS
                    .iter()
                    .map(|(code, name, _)| (ObjectRef::new(6, *code), (*name).to_owned())),
            )
            .collect(),
        period_budgets: budgets
            .into_iter()
            .map(|(month, number, ansvar, ore)| PeriodAmount {
                year: 0,
                period: styr_sie::Period::new(2021, month).expect("a month"),
                account: account(number),
                objects: vec![ObjectRef::new(1, ansvar)],
                amount: Amount(ore),
                quantity: None,
            })
            .collect(),
        ..SieFile::default()
    };
    (header, vouchers)
}
