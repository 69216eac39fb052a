//! `cargo xtask gen-ledger`: a realistic, deterministic municipal ledger.
//!
//! Two shapes ([`Shape`]): `real` (the default) is shaped like the real exports in
//! `shared/data/sie/` (tab-indented rows, most of them only account, objects and amount, a
//! date and a text on some, texts with Swedish letters and `\"` quotes, unit and project side
//! by side or alone, about 400 projects, corrections as #BTRANS/#RTRANS; about 60 bytes a
//! transaction, like the 607 MB / 10,5 M export of issue 23); `simple` is issue 9's file,
//! described below and still written byte for byte as before.
//!
//! Writes N voucher rows (#TRANS) over one fiscal year (2021) in balanced
//! vouchers as a SIE 4E file: about 40 units (dimension 1, ansvar), about 300
//! Kommun-Bas accounts of 3 to 5 digits (3 revenue, 4 costs with 40
//! investment purchases, 5 personnel, 6–7 other costs, 8 taxes and financial
//! items, and balance-sheet accounts in 1–2 for the counter entries),
//! investment projects (dimension 6), CP437 names with å, ä and ö, and
//! #PBUDGET monthly budgets per account × unit; optionally #KSUMMA. The same
//! rows can be written as CSV (plus the budget as a second CSV) and as an
//! hledger/ledger journal with the budget as monthly periodic transactions.
//! Everything is streamed (the SIE through `styr_sie::Writer`, a record at a
//! time): memory does not grow with N. The same seed gives the same bytes. It
//! draws from the tasks' own small PRNG (`random.rs`, no `rand`) so that the
//! output never changes with a dependency update.

use crate::random::Rng;
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use styr_sie::Field::{self, Int, Text};
use styr_sie::{Amount, Date, Period, Writer};

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Number of voucher rows (#TRANS) to write.
    pub transactions: u64,
    /// The SIE file.
    pub out: PathBuf,
    /// Also write the rows as CSV (and the budget next to it as `*.budget.csv`).
    pub csv: Option<PathBuf>,
    /// Also write an hledger/ledger journal.
    pub journal: Option<PathBuf>,
    /// PRNG seed.
    pub seed: u64,
    /// Write #KSUMMA.
    pub ksumma: bool,
    /// Real-shaped (the default) or the simple shape of issue 9.
    pub shape: Shape,
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenSummary {
    /// Voucher rows written.
    pub rows: u64,
    /// Vouchers written.
    pub vouchers: u64,
    /// Bytes of the SIE file.
    pub sie_bytes: u64,
    /// #PBUDGET rows written.
    pub budget_rows: u64,
}

/// The fiscal year.
pub const YEAR: u16 = 2021;

// ------------------------------------------------------------------ PRNG

/// The generator of a seed: the seed mixed with a constant, so that small seeds start far apart.
fn rng(seed: u64) -> Rng {
    Rng::new(seed ^ 0x5DEE_CE66_D1CE_4E5B)
}

// ------------------------------------------------------------- the chart

/// Account classes the generator books on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// 3: revenue (credit).
    Revenue,
    /// 40: investment purchases.
    Investment,
    /// 4 (not 40): goods and services.
    Purchases,
    /// 5: personnel.
    Personnel,
    /// 6–7: other operating costs.
    Other,
    /// 8: taxes, equalisation, financial items.
    Financial,
    /// 1–2: balance sheet.
    Balance,
}

/// One account of the chart.
#[derive(Debug, Clone)]
pub struct Account {
    /// 3–5 digits.
    pub number: String,
    /// Name (Swedish, with å ä ö).
    pub name: String,
    /// Class.
    pub class: Class,
}

/// One unit (ansvar, dimension 1).
#[derive(Debug, Clone)]
pub struct Unit {
    /// Code, e.g. `41020`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Relative size (budget weight).
    pub size: u32,
}

/// The chart: accounts, units, projects, and the budget lines.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Accounts in number order.
    pub accounts: Vec<Account>,
    /// Units.
    pub units: Vec<Unit>,
    /// Projects (dimension 6): code, name, unit index.
    pub projects: Vec<(String, String, usize)>,
    /// Budget lines: (account index, unit index, annual amount in öre).
    pub budget: Vec<(usize, usize, i64)>,
}

const GROUPS: &[(&str, Class, &[&str])] = &[
    (
        "30",
        Class::Revenue,
        &[
            "Försäljning av verksamhet",
            "Försäljning av tjänster",
            "Försäljning av material",
        ],
    ),
    (
        "31",
        Class::Revenue,
        &[
            "Taxor och avgifter",
            "Barnomsorgsavgifter",
            "Äldreomsorgsavgifter",
            "Renhållningsavgifter",
        ],
    ),
    (
        "32",
        Class::Revenue,
        &[
            "Hyror och arrenden",
            "Bostadshyror",
            "Lokalhyror",
            "Tomträttsavgälder",
        ],
    ),
    (
        "34",
        Class::Revenue,
        &[
            "Bidrag från staten",
            "Bidrag från Migrationsverket",
            "Bidrag från Försäkringskassan",
        ],
    ),
    (
        "36",
        Class::Revenue,
        &["Försäljning av anläggningstillgångar", "Reavinst"],
    ),
    (
        "39",
        Class::Revenue,
        &["Interna intäkter", "Övriga intäkter", "Återbetalningar"],
    ),
    (
        "40",
        Class::Investment,
        &[
            "Inköp av mark",
            "Inköp av byggnader",
            "Inköp av maskiner",
            "Inköp av inventarier",
            "Inköp av fordon",
            "Inköp av datorutrustning",
            "Pågående ny-, till- och ombyggnad",
        ],
    ),
    (
        "41",
        Class::Purchases,
        &[
            "Anläggnings- och underhållsmaterial",
            "Byggmaterial",
            "Gatumaterial",
        ],
    ),
    (
        "44",
        Class::Purchases,
        &["Förbrukningsinventarier", "Möbler", "Läromedel"],
    ),
    (
        "45",
        Class::Purchases,
        &[
            "Köp av huvudverksamhet",
            "Köp av förskoleverksamhet",
            "Köp av äldreomsorg",
            "Köp av skolplatser",
        ],
    ),
    (
        "46",
        Class::Purchases,
        &[
            "Livsmedel",
            "Förbrukningsmaterial",
            "Kontorsmaterial",
            "Böcker och tidningar",
        ],
    ),
    (
        "51",
        Class::Personnel,
        &[
            "Löner månadsavlönade",
            "Löner tillsvidareanställda",
            "Löner visstidsanställda",
            "Löner förtroendevalda",
        ],
    ),
    (
        "52",
        Class::Personnel,
        &[
            "Timlöner",
            "Övertidsersättning",
            "Jourersättning",
            "OB-ersättning",
        ],
    ),
    (
        "53",
        Class::Personnel,
        &["Semesterlöner", "Sjuklöner", "Föräldralön"],
    ),
    (
        "55",
        Class::Personnel,
        &["Förmåner", "Kostnadsersättningar", "Reseersättningar"],
    ),
    (
        "56",
        Class::Personnel,
        &[
            "Arbetsgivaravgifter",
            "Avtalsförsäkringar",
            "Pensionskostnader",
        ],
    ),
    (
        "57",
        Class::Personnel,
        &[
            "Utbildning",
            "Personalsociala kostnader",
            "Företagshälsovård",
        ],
    ),
    (
        "61",
        Class::Other,
        &["Hyra av lokaler", "Hyra av mark", "Hyra av bostäder"],
    ),
    (
        "62",
        Class::Other,
        &[
            "Fastighetsservice",
            "Energi och vatten",
            "Städning",
            "Snöröjning",
        ],
    ),
    (
        "63",
        Class::Other,
        &["Hyra av maskiner", "Leasing av fordon", "Hyra av datorer"],
    ),
    (
        "64",
        Class::Other,
        &[
            "Kontorstjänster",
            "Konsulttjänster",
            "Tryckning och annonser",
        ],
    ),
    (
        "65",
        Class::Other,
        &["Telefon och porto", "Data- och IT-tjänster", "Licenser"],
    ),
    (
        "66",
        Class::Other,
        &["Resor", "Transporter", "Skolskjutsar"],
    ),
    ("68", Class::Other, &["Avskrivningar", "Nedskrivningar"]),
    (
        "70",
        Class::Other,
        &[
            "Bidrag till föreningar",
            "Försörjningsstöd",
            "Bostadsanpassningsbidrag",
        ],
    ),
    (
        "73",
        Class::Other,
        &["Bidrag till enskilda", "Ekonomiskt bistånd"],
    ),
    (
        "75",
        Class::Other,
        &["Försäkringspremier", "Skadeståndsersättningar"],
    ),
    (
        "76",
        Class::Other,
        &["Medlemsavgifter", "Övriga främmande tjänster"],
    ),
    (
        "79",
        Class::Other,
        &["Interna kostnader", "Övriga kostnader", "Representation"],
    ),
    (
        "80",
        Class::Financial,
        &["Allmän kommunalskatt", "Slutavräkning", "Skatteavräkning"],
    ),
    (
        "82",
        Class::Financial,
        &[
            "Inkomstutjämningsbidrag",
            "Kostnadsutjämningsbidrag",
            "Kommunal fastighetsavgift",
            "Generella bidrag från staten",
        ],
    ),
    (
        "84",
        Class::Financial,
        &["Ränteintäkter", "Utdelningar", "Borgensavgifter"],
    ),
    ("85", Class::Financial, &["Räntekostnader", "Bankkostnader"]),
    (
        "15",
        Class::Balance,
        &["Kundfordringar", "Kortfristiga fordringar"],
    ),
    ("19", Class::Balance, &["Bank", "Plusgiro"]),
    (
        "24",
        Class::Balance,
        &["Leverantörsskulder", "Kortfristiga skulder"],
    ),
    (
        "27",
        Class::Balance,
        &["Personalens källskatt", "Upplupna sociala avgifter"],
    ),
    (
        "29",
        Class::Balance,
        &["Upplupna kostnader", "Förutbetalda intäkter"],
    ),
];

const UNIT_WORDS: &[&str] = &[
    "Kommunledningsförvaltningen",
    "Ekonomiavdelningen",
    "HR-avdelningen",
    "Kommunikation",
    "Förskola Åby",
    "Förskola Västerhaninge",
    "Förskola Jordbro",
    "Förskola Brandbergen",
    "Grundskola Söderby",
    "Grundskola Vendelsö",
    "Grundskola Tungelsta",
    "Grundskola Dalarö",
    "Gymnasium Fredrika Bremer",
    "Vuxenutbildning",
    "Särskola",
    "Elevhälsa",
    "Äldreboende Östergården",
    "Äldreboende Hemgården",
    "Hemtjänst Norr",
    "Hemtjänst Söder",
    "LSS-boenden",
    "Daglig verksamhet",
    "Socialpsykiatri",
    "Individ- och familjeomsorg",
    "Ekonomiskt bistånd",
    "Arbetsmarknadsenheten",
    "Gata och park",
    "Fastighetsförvaltning",
    "Måltidsservice",
    "Städenheten",
    "Bygglov",
    "Miljö och hälsa",
    "Kultur och bibliotek",
    "Fritidsgårdar",
    "Idrottsanläggningar",
    "Räddningstjänst",
    "Överförmyndare",
    "Näringsliv",
    "Mark och exploatering",
    "Kommunfullmäktige",
    "Revision",
    "Valnämnd",
];

const PROJECT_WORDS: &[&str] = &[
    "Ny förskola Vega",
    "Ombyggnad Söderbyskolan",
    "Gång- och cykelväg Åbyvägen",
    "Konstgräsplan Torvalla",
    "Upprustning lekplatser",
    "Nytt äldreboende Björkäng",
    "Energieffektivisering",
    "Digitalisering skola",
    "Brandstation Jordbro",
    "Dagvatten Ösmo",
    "Belysning gator",
    "Tillgänglighetsåtgärder",
    "Idrottshall Vendelsö",
    "Bibliotek Handen",
];

impl Chart {
    /// Build the chart (depends only on the seed).
    pub fn new(seed: u64) -> Chart {
        let mut rng = rng(seed.wrapping_mul(31).wrapping_add(7));
        let mut accounts = Vec::new();
        // Expand each group into accounts of 3, 4 and 5 digits until ~300.
        for (gi, (group, class, names)) in GROUPS.iter().enumerate() {
            for (ni, name) in names.iter().enumerate() {
                let three = format!("{group}{}", ni + 1);
                let (n4, n5) = match class {
                    Class::Balance => (1, 0),
                    Class::Financial => (1, 1),
                    _ => (1, 1 + (ni + 1) % 2),
                };
                if *class != Class::Balance && (gi + ni) % 3 == 0 {
                    accounts.push(Account {
                        number: three.clone(),
                        name: (*name).to_owned(),
                        class: *class,
                    });
                }
                for k in 0..n4 {
                    let four = format!("{three}{k}");
                    accounts.push(Account {
                        number: four.clone(),
                        name: if k == 0 {
                            (*name).to_owned()
                        } else {
                            format!("{name}, övrigt")
                        },
                        class: *class,
                    });
                    for j in 0..n5 {
                        accounts.push(Account {
                            number: format!("{four}{}", j + 1),
                            name: format!(
                                "{name}, {}",
                                ["område å", "område ä", "område ö"][j % 3]
                            ),
                            class: *class,
                        });
                    }
                }
            }
        }
        accounts.sort_by(|a, b| a.number.cmp(&b.number));
        accounts.dedup_by(|a, b| a.number == b.number);

        let units: Vec<Unit> = UNIT_WORDS
            .iter()
            .take(40)
            .enumerate()
            .map(|(i, name)| Unit {
                code: format!("{}{:02}0", 1 + i / 8, 10 + i % 8 * 2),
                name: (*name).to_owned(),
                size: 1 + rng.below(12) as u32,
            })
            .collect();
        let projects = (0..60)
            .map(|i| {
                let w = PROJECT_WORDS[i % PROJECT_WORDS.len()];
                (
                    format!("P21{:03}", i + 1),
                    format!("{w} etapp {}", i / PROJECT_WORDS.len() + 1),
                    rng.below(units.len() as u64) as usize,
                )
            })
            .collect();

        // Budget lines: each unit books on a subset of the operating accounts;
        // class 8 sits on the first unit (finance), investments on units with
        // projects.
        let mut budget = Vec::new();
        for (ui, unit) in units.iter().enumerate() {
            for (ai, acc) in accounts.iter().enumerate() {
                let keep = match acc.class {
                    Class::Balance => false,
                    Class::Financial => ui == 0,
                    Class::Investment => rng.below(10) == 0,
                    Class::Personnel => rng.below(10) < 3,
                    Class::Revenue => rng.below(10) == 0,
                    Class::Purchases | Class::Other => rng.below(100) < 15,
                };
                if !keep {
                    continue;
                }
                // Annual budget in kronor, by class, scaled by unit size.
                let base: f64 = match acc.class {
                    Class::Personnel => 2_400_000.0,
                    Class::Purchases => 600_000.0,
                    Class::Other => 500_000.0,
                    Class::Investment => 900_000.0,
                    Class::Revenue => -700_000.0,
                    Class::Financial => {
                        if acc.number.starts_with("85") {
                            8_000_000.0
                        } else {
                            -120_000_000.0
                        }
                    }
                    Class::Balance => 0.0,
                };
                let size = if acc.class == Class::Financial {
                    1.0
                } else {
                    f64::from(unit.size)
                };
                let kr = base * size * (0.5 + rng.unit());
                // Whole thousands, as budgets are set in tkr.
                let tkr = (kr / 1000.0).round() as i64;
                if tkr != 0 {
                    budget.push((ai, ui, tkr * 1000 * 100));
                }
            }
        }
        Chart {
            accounts,
            units,
            projects,
            budget,
        }
    }

    /// Monthly profile of a class (weights per month, summing to 1200).
    pub fn profile(class: Class) -> [i64; 12] {
        match class {
            // Holiday pay in June–July, less in August.
            Class::Personnel => [98, 96, 100, 98, 100, 110, 112, 80, 100, 102, 100, 104],
            // Investments come late in the year.
            Class::Investment => [40, 50, 70, 90, 100, 110, 60, 90, 120, 140, 150, 180],
            Class::Financial => [100; 12],
            _ => [95, 95, 105, 100, 100, 100, 80, 90, 105, 110, 105, 115],
        }
    }

    /// The monthly budget of a line (sums exactly to `annual`): whole kronor
    /// per month by the class's profile, the rounding carried to December.
    pub fn monthly(class: Class, annual: i64) -> [i64; 12] {
        let profile = Chart::profile(class);
        let mut out = [0i64; 12];
        let (mut weight, mut before) = (0i64, 0i64);
        for (slot, w) in out.iter_mut().zip(profile) {
            weight += w;
            let cumulative = (annual / 100 * weight / 1200) * 100;
            *slot = cumulative - before;
            before = cumulative;
        }
        out[11] += annual - before;
        out
    }
}

// ----------------------------------------------------------------- output

/// Öre as kronor with two decimals and a dot.
pub fn kronor(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let a = ore.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn push_kronor(out: &mut String, ore: i64) {
    let sign = if ore < 0 { "-" } else { "" };
    let a = ore.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", a / 100, a % 100);
}

/// A date the generator knows to exist.
fn sie_date(year: u16, month: u8, day: u8) -> Date {
    Date::new(year, month, day).expect("an existing date")
}

/// Day-of-year (0-based) to (month, day) in 2021.
pub fn month_day(doy: u32) -> (u8, u8) {
    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = doy.min(364);
    for (m, len) in DAYS.iter().enumerate() {
        if d < *len {
            return (m as u8 + 1, d as u8 + 1);
        }
        d -= len;
    }
    (12, 31)
}

/// One voucher row before formatting.
#[derive(Debug, Clone)]
struct Row {
    account: usize,
    unit: Option<usize>,
    project: Option<usize>,
    amount: i64,
}

/// The budget lines of one class, for weighted sampling.
struct ClassLines {
    class: Class,
    /// (account index, unit index, sign of the budget).
    lines: Vec<(usize, usize, i64)>,
    /// Cumulative absolute budgets (kronor), parallel to `lines`.
    cum: Vec<u64>,
    /// Sum of the absolute budgets (öre).
    total: i64,
}

/// Sampling tables for the row generator.
struct Tables {
    /// Budget lines by class with cumulative weights.
    by_class: Vec<ClassLines>,
    balance: std::collections::BTreeMap<&'static str, usize>,
}

impl Tables {
    fn new(chart: &Chart) -> Tables {
        let classes = [
            Class::Revenue,
            Class::Investment,
            Class::Purchases,
            Class::Personnel,
            Class::Other,
            Class::Financial,
        ];
        let by_class = classes
            .iter()
            .map(|&c| {
                let lines: Vec<(usize, usize, i64)> = chart
                    .budget
                    .iter()
                    .copied()
                    .filter(|(a, _, _)| chart.accounts[*a].class == c)
                    .collect();
                let mut cum = Vec::with_capacity(lines.len());
                let mut total: u64 = 0;
                for (_, _, amt) in &lines {
                    total += amt.unsigned_abs() / 100;
                    cum.push(total);
                }
                let sum: i64 = lines.iter().map(|l| l.2.abs()).sum();
                ClassLines {
                    class: c,
                    lines: lines.iter().map(|l| (l.0, l.1, l.2.signum())).collect(),
                    cum,
                    total: sum,
                }
            })
            .collect();
        let find = |n: &str| {
            chart
                .accounts
                .iter()
                .position(|a| a.number == n)
                .unwrap_or(0)
        };
        let mut balance = std::collections::BTreeMap::new();
        for n in ["1510", "1910", "2410", "2710", "2910"] {
            balance.insert(n, find(n));
        }
        Tables { by_class, balance }
    }

    /// Pick a budget line of a class, weighted by its budget: (account,
    /// unit, sign of its budget).
    fn pick(&self, rng: &mut Rng, class: Class) -> (usize, usize, i64) {
        let Some(ClassLines { lines, cum, .. }) = self.by_class.iter().find(|t| t.class == class)
        else {
            return (0, 0, 1);
        };
        let total = cum.last().copied().unwrap_or(1);
        let x = rng.below(total);
        let i = cum
            .partition_point(|&c| c <= x)
            .min(lines.len().saturating_sub(1));
        lines[i]
    }

    /// Sum of the absolute budgets of a class.
    fn class_total(&self, class: Class) -> i64 {
        self.by_class
            .iter()
            .find(|t| t.class == class)
            .map(|t| t.total)
            .unwrap_or(0)
    }
}

/// Share of rows per voucher kind: (kind, share in ‰).
const KINDS: &[(char, u64)] = &[
    ('A', 430),
    ('L', 300),
    ('K', 120),
    ('I', 60),
    ('M', 80),
    ('F', 10),
];

/// Generate a ledger. Streams to the files; memory stays flat.
pub fn generate(opts: &GenOptions) -> Result<GenSummary> {
    match opts.shape {
        Shape::Real => generate_real(opts),
        Shape::Simple => generate_simple(opts),
    }
}

/// The simple shape (issue 9's benchmark ledger).
fn generate_simple(opts: &GenOptions) -> Result<GenSummary> {
    let chart = Chart::new(opts.seed);
    let tables = Tables::new(&chart);
    let mut rng = rng(opts.seed);
    let n = opts.transactions;

    let create = |p: &Path| -> Result<BufWriter<std::fs::File>> {
        Ok(BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        ))
    };
    let mut sie = Writer::start(create(&opts.out)?, 0, opts.ksumma)?;
    let mut csv = opts.csv.as_deref().map(create).transpose()?;
    let mut journal = opts.journal.as_deref().map(create).transpose()?;

    // Header.
    sie.record(
        "#PROGRAM",
        &[Text("styr xtask gen-ledger"), Field::Bare("1.0")],
    )?;
    sie.record("#FORMAT", &[Field::Bare("PC8")])?;
    sie.record("#GEN", &[Field::Date(sie_date(2022, 1, 15))])?;
    sie.record("#SIETYP", &[Int(4)])?;
    sie.record("#FNAMN", &[Text("Exempelkommunen (syntetisk huvudbok)")])?;
    sie.record("#ORGNR", &[Field::Bare("212000-0000")])?;
    sie.record(
        "#RAR",
        &[
            Int(0),
            Field::Date(sie_date(YEAR, 1, 1)),
            Field::Date(sie_date(YEAR, 12, 31)),
        ],
    )?;
    sie.record("#DIM", &[Int(1), Text("Ansvar")])?;
    sie.record("#DIM", &[Int(6), Text("Projekt")])?;
    for a in &chart.accounts {
        sie.record("#KONTO", &[Field::Bare(&a.number), Text(&a.name)])?;
    }
    for a in &chart.accounts {
        let t = match a.class {
            Class::Balance if a.number.starts_with('1') => "T",
            Class::Balance => "S",
            Class::Revenue => "I",
            Class::Financial if !a.number.starts_with("85") => "I",
            _ => "K",
        };
        sie.record("#KTYP", &[Field::Bare(&a.number), Field::Bare(t)])?;
    }
    for u in &chart.units {
        sie.record("#OBJEKT", &[Int(1), Text(&u.code), Text(&u.name)])?;
    }
    for (code, name, _) in &chart.projects {
        sie.record("#OBJEKT", &[Int(6), Text(code), Text(name)])?;
    }
    let (monthly_budget, budget_rows) =
        write_budgets(&mut sie, &chart, opts.csv.as_deref(), &create)?;
    if let Some(w) = &mut csv {
        w.write_all(b"date,series,number,account,unit,project,amount\n")?;
    }
    if let Some(w) = &mut journal {
        write_journal_budget(w, &chart, &monthly_budget)?;
    }

    // Vouchers, in date order; numbers run per series.
    let mut numbers = [0u64; 6];
    let mut written = 0u64;
    let mut vouchers = 0u64;
    let mut rows: Vec<Row> = Vec::with_capacity(16);
    let mut text_line = String::with_capacity(256);
    // Mean row amount per class: the class budget spread over its expected rows,
    // with a small overrun so that budget vs actual has something to show.
    // Expected booking rows per class: vouchers × share of the kind × its
    // booking rows (see the row counts below; 4.09 rows per voucher).
    let vouchers_expected = n as f64 / 4.09;
    let expected_rows = |class: Class| expected_rows_of(vouchers_expected, class);
    while written < n {
        let remaining = n - written;
        let doy = (written * 365 / n.max(1)) as u32;
        let (month, day) = month_day(doy);
        let x = rng.below(1000);
        let mut acc_share = 0;
        let mut kind_index = 0;
        for (i, (_, share)) in KINDS.iter().enumerate() {
            acc_share += share;
            if x < acc_share {
                kind_index = i;
                break;
            }
        }
        let kind = KINDS[kind_index].0;
        let mut k = match kind {
            'L' => 4 + rng.below(6),
            'A' => 2 + rng.below(4),
            'I' => 2 + rng.below(2),
            'M' => 2,
            _ => 2 + rng.below(2),
        };
        k = k.min(remaining);
        if remaining - k == 1 {
            k += 1;
        }
        if k < 2 {
            k = 2; // only when n == 1: one voucher of two rows
        }
        rows.clear();
        let class = match kind {
            'A' => {
                if rng.below(2) == 0 {
                    Class::Purchases
                } else {
                    Class::Other
                }
            }
            'L' => Class::Personnel,
            'K' => Class::Revenue,
            'I' => Class::Investment,
            'F' => Class::Financial,
            _ => Class::Other,
        };
        let mean = (tables.class_total(class) as f64 / expected_rows(class))
            * (f64::from(month) / 120.0 + 0.98);
        // A positive amount: a skewed factor with mean ≈ 1 times the mean.
        let draw = |rng: &mut Rng| -> i64 {
            let u = rng.unit();
            let f = 0.2 + 1.8 * u * u + 0.4 * rng.unit();
            ((mean * f).round() as i64).max(100) / 100 * 100 + rng.below(100) as i64
        };
        let counter_rows: u64 = match kind {
            'L' => 2,
            'M' => 0,
            _ => 1,
        };
        let booking_rows = k - counter_rows;
        if kind == 'M' {
            // Internal allocation: a cost moved from one unit to another.
            let (a, u1, _) = tables.pick(&mut rng, Class::Other);
            let (_, u2, _) = tables.pick(&mut rng, Class::Other);
            let amt = draw(&mut rng);
            rows.push(Row {
                account: a,
                unit: Some(u1),
                project: None,
                amount: amt,
            });
            rows.push(Row {
                account: a,
                unit: Some(u2),
                project: None,
                amount: -amt,
            });
            for _ in 2..k {
                let (a, u, _) = tables.pick(&mut rng, Class::Other);
                rows.push(Row {
                    account: a,
                    unit: Some(u),
                    project: None,
                    amount: 0,
                });
            }
            // Extra rows of an internal voucher net to zero in pairs.
            let extra = rows.len() - 2;
            for i in 0..extra / 2 {
                let v = draw(&mut rng);
                rows[2 + 2 * i].amount = v;
                rows[3 + 2 * i].amount = -v;
            }
            if extra % 2 == 1 {
                let last = rows.len() - 1;
                rows[last].amount = 0;
            }
        } else {
            let mut total = 0i64;
            for _ in 0..booking_rows {
                let (a, u, sign) = tables.pick(&mut rng, class);
                let amt = draw(&mut rng) * sign;
                let project = if class == Class::Investment {
                    let candidates: Vec<usize> = chart
                        .projects
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.2 == u)
                        .map(|(i, _)| i)
                        .collect();
                    Some(if candidates.is_empty() {
                        rng.below(chart.projects.len() as u64) as usize
                    } else {
                        *rng.pick(&candidates)
                    })
                } else {
                    None
                };
                let unit = if class == Class::Financial {
                    Some(0)
                } else {
                    Some(u)
                };
                total += amt;
                rows.push(Row {
                    account: a,
                    unit,
                    project,
                    amount: amt,
                });
            }
            let bal = |n: &str| tables.balance.get(n).copied().unwrap_or(0);
            match kind {
                'L' => {
                    let tax = -(total * 30 / 100);
                    rows.push(Row {
                        account: bal("2710"),
                        unit: None,
                        project: None,
                        amount: tax,
                    });
                    rows.push(Row {
                        account: bal("1910"),
                        unit: None,
                        project: None,
                        amount: -total - tax,
                    });
                }
                'K' => rows.push(Row {
                    account: bal("1510"),
                    unit: None,
                    project: None,
                    amount: -total,
                }),
                'F' => rows.push(Row {
                    account: bal("1910"),
                    unit: None,
                    project: None,
                    amount: -total,
                }),
                _ => rows.push(Row {
                    account: bal("2410"),
                    unit: None,
                    project: None,
                    amount: -total,
                }),
            }
        }

        let series_index = kind_index;
        numbers[series_index] += 1;
        let number = numbers[series_index];
        let vtext = match kind {
            'A' => format!("Leverantörsfaktura {}", 100_000 + number),
            'L' => format!("Lönekörning {month:02}, del {number}"),
            'K' => format!("Kundfaktura {}", 500_000 + number),
            'I' => format!("Investeringsfaktura {}", 700_000 + number),
            'F' => format!("Skatteavräkning {month:02}"),
            _ => format!("Omföring {number}"),
        };
        // SIE.
        let date = Field::Date(sie_date(YEAR, month, day));
        sie.open_voucher(&[
            Field::Bare(kind.encode_utf8(&mut [0; 4])),
            Int(number as i64),
            date,
            Text(&vtext),
            date,
        ])?;
        for r in &rows {
            let acc = &chart.accounts[r.account];
            let unit_and_project;
            let unit;
            let objects: &[(u32, &str)] = match (r.unit, r.project) {
                (Some(u), Some(p)) => {
                    unit_and_project = [(1, &*chart.units[u].code), (6, &*chart.projects[p].0)];
                    &unit_and_project
                }
                (Some(u), None) => {
                    unit = [(1, &*chart.units[u].code)];
                    &unit
                }
                _ => &[],
            };
            text_line.clear();
            let _ = write!(text_line, "{}, {vtext}", acc.name);
            sie.record(
                "#TRANS",
                &[
                    Field::Bare(&acc.number),
                    Field::ObjectIds(objects),
                    Field::Amount(Amount(r.amount)),
                    date,
                    Text(&text_line),
                ],
            )?;
        }
        sie.close_voucher()?;

        if let Some(w) = &mut csv {
            for r in &rows {
                text_line.clear();
                let _ = write!(
                    text_line,
                    "{YEAR}-{month:02}-{day:02},{kind},{number},{},{},{},",
                    chart.accounts[r.account].number,
                    r.unit.map(|u| chart.units[u].code.as_str()).unwrap_or(""),
                    r.project
                        .map(|p| chart.projects[p].0.as_str())
                        .unwrap_or(""),
                );
                push_kronor(&mut text_line, r.amount);
                text_line.push('\n');
                w.write_all(text_line.as_bytes())?;
            }
        }
        if let Some(w) = &mut journal {
            text_line.clear();
            let _ = writeln!(
                text_line,
                "{YEAR}-{month:02}-{day:02} {kind}{number} {vtext}"
            );
            for r in &rows {
                let _ = write!(
                    text_line,
                    "    {}  ",
                    journal_account(&chart, r.account, r.unit)
                );
                push_kronor(&mut text_line, r.amount);
                text_line.push('\n');
            }
            text_line.push('\n');
            w.write_all(text_line.as_bytes())?;
        }
        written += rows.len() as u64;
        vouchers += 1;
    }
    let sie_bytes = sie.bytes_written();
    sie.finish()?;
    if let Some(mut w) = csv {
        w.flush()?;
    }
    if let Some(mut w) = journal {
        w.flush()?;
    }
    Ok(GenSummary {
        rows: written,
        vouchers,
        sie_bytes,
        budget_rows,
    })
}

// ------------------------------------------------------- the real shape

/// Which kind of ledger to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Shape {
    /// Shaped like the real exports in `shared/data/sie/` (Avendo, BL Administration, Visma):
    /// tab-indented rows, most of them `account {objects} amount` only, a transaction date and
    /// a text on some (supplier and customer names with å ä ö é, some with `\"` quotes), unit
    /// (dimension 1) and project (dimension 6) side by side or alone, ~400 projects, and now
    /// and then a correction as #BTRANS + #RTRANS + its duplicate #TRANS.
    #[default]
    Real,
    /// The benchmark ledger of issue 9: every row with a date and a text, no indent, no
    /// quotes, no corrections (byte-identical to what it always wrote).
    Simple,
}

/// Suppliers (and in the voucher texts of kind A); a few carry quotes, as real names do.
const SUPPLIERS: &[&str] = &[
    "Åhléns AB",
    "Bröderna Öberg Bygg AB",
    "Städbolaget \"Rent & Fint\" AB",
    "Söderby Måleri HB",
    "Kontorsvaruhuset i Handen",
    "Café \"Älvkvarnen\"",
    "Västerhaninge Rör & Värme",
    "Jordbro Åkeri AB",
    "Nordiska Läromedel AB",
    "Föreningen \"Gläntan\"",
    "Ösmo Livs",
    "Trädgårdstjänst Öst AB",
    "IT-konsult Ström & Co",
    "Björkäng Fastighetsservice",
    "Elbolaget \"Ljus & Kraft\"",
    "Dalarö Båtvarv",
    "Tyresö Glas & Ram",
    "Stockholms Läns Trafik",
    "Bokhandeln på Torget",
    "Mälardalens Energi AB",
    "Café Sjöbris",
    "Entreprenad \"Väg & Mark\" Syd",
    "Kemikalieförrådet Kemö",
    "Hälsoteamet Kvarnen",
    "Åbyhus Förvaltning",
    "Tungelsta Trä AB",
    "Skolmatsbolaget Mätt & Glad",
    "Lekplatsexperten Gunghästen",
    "Öresunds Data AB",
    "Handens Bilverkstad",
];

/// Customers of kind K.
const CUSTOMERS: &[&str] = &[
    "Hyresgäst lgh 1204",
    "Föreningen \"Haninge Konståkning\"",
    "Bostadsrättsföreningen Ängen",
    "Region Stockholm",
    "Försäkringskassan",
    "Migrationsverket",
    "Södertörns Fjärrvärme AB",
    "Idrottsklubben \"Älgarna\"",
    "Tyresö kommun",
    "Nynäshamns kommun",
    "Skolverket",
    "Arbetsförmedlingen",
];

/// Texts written on some booking rows.
const ROW_NOTES: &[&str] = &[
    "Kopieringspapper",
    "Enligt avtal \"Ramavtal IT 2021\"",
    "Periodisering",
    "Rättelse felkontering",
    "Återbetalning",
    "Kursavgift, två deltagare",
    "Hyra lokal Åby",
    "Förbrukningsmaterial",
    "Licenser för skolplattformen",
    "Städning utöver avtal",
    "Mat till möte \"Trygg i Haninge\"",
    "Reparation av tvättmaskin",
    "Läromedel åk 4-6",
    "Snöröjning december",
    "Konsultstöd ekonomi",
    "Resa till Göteborg",
];

/// Signatures of corrections (#BTRANS/#RTRANS).
const SIGNERS: &[&str] = &["ek-åsa", "ek-örjan", "ek-per", "ek-märta"];

/// Projects of the real shape: code, name, unit. About ten per unit.
fn real_projects(chart: &Chart, rng: &mut Rng) -> Vec<(String, String, usize)> {
    (0..400)
        .map(|i| {
            let w = PROJECT_WORDS[i % PROJECT_WORDS.len()];
            let unit = if i < chart.units.len() {
                i
            } else {
                rng.below(chart.units.len() as u64) as usize
            };
            (
                format!("{}", 21_000 + i + 1),
                format!("{w}, del {}", i / PROJECT_WORDS.len() + 1),
                unit,
            )
        })
        .collect()
}

/// What a row of the real shape is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RealKind {
    Trans,
    Struck,
    Added,
    Duplicate,
}

/// One voucher row of the real shape before formatting.
#[derive(Debug, Clone)]
struct RealRow {
    kind: RealKind,
    account: usize,
    unit: Option<usize>,
    project: Option<usize>,
    amount: i64,
    /// (month, day) of a transaction date of its own.
    date: Option<(u8, u8)>,
    /// A text of its own.
    text: Option<String>,
}

impl RealRow {
    fn new(account: usize, unit: Option<usize>, project: Option<usize>, amount: i64) -> Self {
        RealRow {
            kind: RealKind::Trans,
            account,
            unit,
            project,
            amount,
            date: None,
            text: None,
        }
    }
    fn counts(&self) -> bool {
        matches!(self.kind, RealKind::Trans | RealKind::Added)
    }
}

/// Appends `s` as one CSV field (RFC 4180: quoted when it holds a comma or a quote).
fn push_csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n']) {
        out.push('"');
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// A day `back` days before (month, day) of [`YEAR`], not before 1 January.
fn days_before(month: u8, day: u8, back: u32) -> (u8, u8) {
    const START: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let doy = START[usize::from(month) - 1] + u32::from(day) - 1;
    month_day(doy.saturating_sub(back))
}

/// Generate a ledger of the real shape (see [`Shape::Real`]). `opts.transactions` counted
/// rows (#TRANS and #RTRANS; the struck rows and the duplicates come on top), the same rows
/// in the CSV with an eighth column, the row's text or else the voucher's.
fn generate_real(opts: &GenOptions) -> Result<GenSummary> {
    let chart = Chart::new(opts.seed);
    let tables = Tables::new(&chart);
    let mut rng = rng(opts.seed ^ 0x0052_4541_4C00);
    let projects = real_projects(&chart, &mut rng);
    let mut projects_of_unit: Vec<Vec<usize>> = vec![Vec::new(); chart.units.len()];
    for (i, p) in projects.iter().enumerate() {
        projects_of_unit[p.2].push(i);
    }
    let n = opts.transactions;

    let create = |p: &Path| -> Result<BufWriter<std::fs::File>> {
        Ok(BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        ))
    };
    let mut sie = Writer::start(create(&opts.out)?, 0, opts.ksumma)?;
    sie.set_row_indent("\t");
    let mut csv = opts.csv.as_deref().map(create).transpose()?;
    let mut journal = opts.journal.as_deref().map(create).transpose()?;

    sie.record(
        "#PROGRAM",
        &[Text("styr xtask gen-ledger"), Field::Bare("2.0")],
    )?;
    sie.record("#FORMAT", &[Field::Bare("PC8")])?;
    sie.record(
        "#GEN",
        &[Field::Date(sie_date(2022, 1, 15)), Text("ek-åsa")],
    )?;
    sie.record("#SIETYP", &[Int(4)])?;
    sie.record("#FNAMN", &[Text("Exempelkommunen (syntetisk huvudbok)")])?;
    sie.record("#ORGNR", &[Field::Bare("212000-0000")])?;
    sie.record(
        "#RAR",
        &[
            Int(0),
            Field::Date(sie_date(YEAR, 1, 1)),
            Field::Date(sie_date(YEAR, 12, 31)),
        ],
    )?;
    for a in &chart.accounts {
        sie.record("#KONTO", &[Field::Bare(&a.number), Text(&a.name)])?;
    }
    for a in &chart.accounts {
        let t = match a.class {
            Class::Balance if a.number.starts_with('1') => "T",
            Class::Balance => "S",
            Class::Revenue => "I",
            Class::Financial if !a.number.starts_with("85") => "I",
            _ => "K",
        };
        sie.record("#KTYP", &[Field::Bare(&a.number), Field::Bare(t)])?;
    }
    sie.record("#DIM", &[Int(1), Text("Ansvar")])?;
    for u in &chart.units {
        sie.record("#OBJEKT", &[Int(1), Text(&u.code), Text(&u.name)])?;
    }
    sie.record("#DIM", &[Int(6), Text("Projekt")])?;
    for (code, name, _) in &projects {
        sie.record("#OBJEKT", &[Int(6), Text(code), Text(name)])?;
    }

    // Budgets: per account × unit and month, as the simple shape writes them.
    let (monthly_budget, budget_rows) =
        write_budgets(&mut sie, &chart, opts.csv.as_deref(), &create)?;
    if let Some(w) = &mut csv {
        w.write_all(b"date,series,number,account,unit,project,amount,text\n")?;
    }
    if let Some(w) = &mut journal {
        write_journal_budget(w, &chart, &monthly_budget)?;
    }

    let mut numbers = [0u64; 6];
    let mut written = 0u64;
    let mut vouchers = 0u64;
    let mut rows: Vec<RealRow> = Vec::with_capacity(16);
    let mut line = String::with_capacity(256);
    let vouchers_expected = n as f64 / 4.09;
    let expected_rows = |class: Class| expected_rows_of(vouchers_expected, class);
    let project_of = |rng: &mut Rng, unit: usize| -> usize {
        let own = &projects_of_unit[unit];
        if own.is_empty() {
            rng.below(projects.len() as u64) as usize
        } else {
            *rng.pick(own)
        }
    };
    while written < n {
        let remaining = n - written;
        let doy = (written * 365 / n.max(1)) as u32;
        let (month, day) = month_day(doy);
        let x = rng.below(1000);
        let mut acc_share = 0;
        let mut kind_index = 0;
        for (i, (_, share)) in KINDS.iter().enumerate() {
            acc_share += share;
            if x < acc_share {
                kind_index = i;
                break;
            }
        }
        let kind = KINDS[kind_index].0;
        let mut k = match kind {
            'L' => 4 + rng.below(6),
            'A' => 2 + rng.below(4),
            'I' => 2 + rng.below(2),
            'M' => 2,
            _ => 2 + rng.below(2),
        };
        k = k.min(remaining);
        if remaining - k == 1 {
            k += 1;
        }
        k = k.max(2);
        rows.clear();
        let class = match kind {
            'A' if rng.below(2) == 0 => Class::Purchases,
            'A' => Class::Other,
            'L' => Class::Personnel,
            'K' => Class::Revenue,
            'I' => Class::Investment,
            'F' => Class::Financial,
            _ => Class::Other,
        };
        let mean = (tables.class_total(class) as f64 / expected_rows(class))
            * (f64::from(month) / 120.0 + 0.98);
        let draw = |rng: &mut Rng| -> i64 {
            let u = rng.unit();
            let f = 0.2 + 1.8 * u * u + 0.4 * rng.unit();
            ((mean * f).round() as i64).max(100) / 100 * 100 + rng.below(100) as i64
        };
        numbers[kind_index] += 1;
        let number = numbers[kind_index];
        let supplier = *rng.pick(SUPPLIERS);
        let customer = *rng.pick(CUSTOMERS);
        let bal = |n: &str| tables.balance.get(n).copied().unwrap_or(0);
        let counter_rows: u64 = match kind {
            'L' => 2,
            'M' => 0,
            _ => 1,
        };
        let mut first_unit = 0;
        if kind == 'M' {
            // Internal allocations between units, in pairs that net to zero.
            for i in 0..k / 2 {
                let (a, u1, _) = tables.pick(&mut rng, Class::Other);
                let (_, u2, _) = tables.pick(&mut rng, Class::Other);
                if i == 0 {
                    first_unit = u1;
                }
                let amt = draw(&mut rng);
                rows.push(RealRow::new(a, Some(u1), None, amt));
                rows.push(RealRow::new(a, Some(u2), None, -amt));
            }
            if k % 2 == 1 {
                let (a, u, _) = tables.pick(&mut rng, Class::Other);
                rows.push(RealRow::new(a, Some(u), None, 0));
            }
        } else {
            let mut total = 0i64;
            for i in 0..k - counter_rows {
                let (a, u, sign) = tables.pick(&mut rng, class);
                let amt = draw(&mut rng) * sign;
                let u = if class == Class::Financial { 0 } else { u };
                if i == 0 {
                    first_unit = u;
                }
                let (unit, project) = match class {
                    // Investments: the project and its unit; one in five the project alone.
                    Class::Investment => {
                        let p = project_of(&mut rng, u);
                        if rng.below(5) == 0 {
                            (None, Some(p))
                        } else {
                            (Some(projects[p].2), Some(p))
                        }
                    }
                    Class::Financial => (Some(u), None),
                    // Operating costs and revenue: now and then on a project of the unit.
                    _ if rng.below(100) < 8 => (Some(u), Some(project_of(&mut rng, u))),
                    _ => (Some(u), None),
                };
                let mut row = RealRow::new(a, unit, project, amt);
                if rng.below(100) < 12 {
                    row.text = Some((*rng.pick(ROW_NOTES)).to_owned());
                    if rng.below(3) == 0 {
                        row.date = Some(days_before(month, day, rng.below(20) as u32));
                    }
                }
                total += amt;
                rows.push(row);
            }
            match kind {
                'L' => {
                    let tax = -(total * 30 / 100);
                    let mut r = RealRow::new(bal("2710"), None, None, tax);
                    r.text = Some(format!("Källskatt {YEAR}-{month:02}"));
                    rows.push(r);
                    rows.push(RealRow::new(bal("1910"), None, None, -total - tax));
                }
                'K' => {
                    let mut r = RealRow::new(bal("1510"), None, None, -total);
                    r.text = Some(customer.to_owned());
                    rows.push(r);
                }
                'F' => rows.push(RealRow::new(bal("1910"), None, None, -total)),
                _ => {
                    // The supplier's invoice: its own date (the invoice date) and name.
                    let mut r = RealRow::new(bal("2410"), None, None, -total);
                    r.date = Some(days_before(month, day, rng.below(25) as u32));
                    r.text = Some(supplier.to_owned());
                    rows.push(r);
                }
            }
        }
        // Now and then a booking row was moved to another unit afterwards: the original row
        // struck (#BTRANS), the new one added (#RTRANS) with its duplicate #TRANS.
        let mut signer = "";
        if matches!(kind, 'A' | 'M') && rng.below(200) == 0 && rows[0].unit.is_some() {
            let original = rows[0].clone();
            let to = (original.unit.unwrap_or(0) + 1 + rng.below(5) as usize) % chart.units.len();
            let fixed_day = (day + 1 + rng.below(5) as u8).min(28).max(day);
            let mut struck = original.clone();
            struck.kind = RealKind::Struck;
            struck.date = Some((month, fixed_day));
            let mut added = original.clone();
            added.kind = RealKind::Added;
            added.unit = Some(to);
            added.project = None;
            added.date = Some((month, fixed_day));
            added.text = None;
            let mut duplicate = added.clone();
            duplicate.kind = RealKind::Duplicate;
            duplicate.date = None;
            rows.splice(0..1, [struck, added, duplicate]);
            signer = *rng.pick(SIGNERS);
        }

        let unit_name = &chart.units[first_unit].name;
        let vtext = match kind {
            'A' => format!("{supplier}, faktura {}", 100_000 + number),
            'L' => format!("Lön {YEAR}-{month:02} {unit_name}"),
            'K' => format!("Kundfaktura {} {customer}", 500_000 + number),
            'I' => match rows.iter().find_map(|r| r.project) {
                Some(p) => format!("{}, faktura {}", projects[p].1, 700_000 + number),
                None => format!("Investeringsfaktura {}", 700_000 + number),
            },
            'F' => format!("Skatteavräkning {YEAR}-{month:02}"),
            _ => format!("Omföring {unit_name}"),
        };
        let (rm, rd) = month_day((doy + 1 + rng.below(4) as u32).min(364));
        sie.open_voucher(&[
            Field::Bare(kind.encode_utf8(&mut [0; 4])),
            Int(number as i64),
            Field::Date(sie_date(YEAR, month, day)),
            Text(&vtext),
            Field::Date(sie_date(YEAR, rm, rd)),
        ])?;
        for r in &rows {
            let acc = &chart.accounts[r.account];
            let both;
            let one;
            let objects: &[(u32, &str)] = match (r.unit, r.project) {
                (Some(u), Some(p)) => {
                    both = [(1, &*chart.units[u].code), (6, &*projects[p].0)];
                    &both
                }
                (Some(u), None) => {
                    one = [(1, &*chart.units[u].code)];
                    &one
                }
                (None, Some(p)) => {
                    one = [(6, &*projects[p].0)];
                    &one
                }
                (None, None) => &[],
            };
            let label = match r.kind {
                RealKind::Trans | RealKind::Duplicate => "#TRANS",
                RealKind::Struck => "#BTRANS",
                RealKind::Added => "#RTRANS",
            };
            let mut fields = [Field::Int(0); 7];
            fields[0] = Field::Bare(&acc.number);
            fields[1] = Field::ObjectIds(objects);
            fields[2] = Field::Amount(Amount(r.amount));
            let mut len = 3;
            if matches!(r.kind, RealKind::Struck | RealKind::Added) {
                let (m, d) = r.date.unwrap_or((month, day));
                fields[3] = Field::Date(sie_date(YEAR, m, d));
                fields[4] = Text("");
                fields[5] = Text("");
                fields[6] = Text(signer);
                len = 7;
            } else if r.date.is_some() || r.text.is_some() {
                let (m, d) = r.date.unwrap_or((month, day));
                fields[3] = Field::Date(sie_date(YEAR, m, d));
                len = 4;
                if let Some(t) = &r.text {
                    fields[4] = Text(t);
                    len = 5;
                }
            }
            sie.record(label, &fields[..len])?;
        }
        sie.close_voucher()?;

        if let Some(w) = &mut csv {
            for r in rows.iter().filter(|r| r.counts()) {
                let (m, d) = r.date.unwrap_or((month, day));
                line.clear();
                let _ = write!(
                    line,
                    "{YEAR}-{m:02}-{d:02},{kind},{number},{},{},{},",
                    chart.accounts[r.account].number,
                    r.unit.map(|u| chart.units[u].code.as_str()).unwrap_or(""),
                    r.project.map(|p| projects[p].0.as_str()).unwrap_or(""),
                );
                push_kronor(&mut line, r.amount);
                line.push(',');
                push_csv_field(&mut line, r.text.as_deref().unwrap_or(&vtext));
                line.push('\n');
                w.write_all(line.as_bytes())?;
            }
        }
        if let Some(w) = &mut journal {
            line.clear();
            let _ = writeln!(
                line,
                "{YEAR}-{month:02}-{day:02} {kind}{number} {}",
                vtext.replace(';', ",")
            );
            for r in rows.iter().filter(|r| r.counts()) {
                let _ = write!(line, "    {}  ", journal_account(&chart, r.account, r.unit));
                push_kronor(&mut line, r.amount);
                line.push('\n');
            }
            line.push('\n');
            w.write_all(line.as_bytes())?;
        }
        written += rows.iter().filter(|r| r.counts()).count() as u64;
        vouchers += 1;
    }
    let sie_bytes = sie.bytes_written();
    sie.finish()?;
    if let Some(mut w) = csv {
        w.flush()?;
    }
    if let Some(mut w) = journal {
        w.flush()?;
    }
    Ok(GenSummary {
        rows: written,
        vouchers,
        sie_bytes,
        budget_rows,
    })
}

/// Expected booking rows of a class in a file of `vouchers` vouchers: the share of the kind of
/// voucher that books it × its booking rows (4.09 rows per voucher in all), at least one.
fn expected_rows_of(vouchers: f64, class: Class) -> f64 {
    let per_voucher = match class {
        Class::Personnel => 0.300 * 4.5,
        Class::Purchases | Class::Other => 0.430 * 0.5 * 2.5,
        Class::Revenue => 0.120 * 1.5,
        Class::Investment => 0.060 * 1.5,
        Class::Financial => 0.010 * 1.5,
        Class::Balance => 1.0,
    };
    (vouchers * per_voucher).max(1.0)
}

/// The budget per month (index 0 = January): (account, unit, amount in öre).
type MonthlyBudget = Vec<Vec<(usize, usize, i64)>>;

/// Writes the budgets, `#PBUDGET` per account × unit and month (the same in both shapes), and
/// their CSV beside the ledger's CSV when one is asked for; returns them per month (for the
/// journal) and how many rows were written.
fn write_budgets<W: Write>(
    sie: &mut Writer<W>,
    chart: &Chart,
    csv: Option<&Path>,
    create: &dyn Fn(&Path) -> Result<BufWriter<std::fs::File>>,
) -> Result<(MonthlyBudget, u64)> {
    let mut budget_rows = 0u64;
    let mut budget_csv = match csv {
        Some(p) => {
            let mut w = create(&budget_csv_path(p))?;
            w.write_all(b"account,unit,month,amount\n")?;
            Some(w)
        }
        None => None,
    };
    let mut monthly_budget: MonthlyBudget = vec![Vec::new(); 12];
    for &(ai, ui, annual) in &chart.budget {
        let acc = &chart.accounts[ai];
        for (m, amt) in Chart::monthly(acc.class, annual).iter().enumerate() {
            let period = Period::new(YEAR, m as u8 + 1).context("a month")?;
            sie.record(
                "#PBUDGET",
                &[
                    Int(0),
                    Field::Period(period),
                    Field::Bare(&acc.number),
                    Field::ObjectIds(&[(1, &chart.units[ui].code)]),
                    Field::Amount(Amount(*amt)),
                ],
            )?;
            budget_rows += 1;
            if let Some(w) = &mut budget_csv {
                writeln!(
                    w,
                    "{},{},{YEAR}-{:02},{}",
                    acc.number,
                    chart.units[ui].code,
                    m + 1,
                    kronor(*amt)
                )?;
            }
            monthly_budget[m].push((ai, ui, *amt));
        }
    }
    if let Some(mut w) = budget_csv {
        w.flush()?;
    }
    Ok((monthly_budget, budget_rows))
}

/// `ledger.csv` → `ledger.budget.csv`.
pub fn budget_csv_path(csv: &Path) -> PathBuf {
    let stem = csv.file_stem().and_then(|s| s.to_str()).unwrap_or("ledger");
    csv.with_file_name(format!("{stem}.budget.csv"))
}

/// Journal account name: `6110:41020` for a row with a unit, `2440` without.
fn journal_account(chart: &Chart, account: usize, unit: Option<usize>) -> String {
    let a = &chart.accounts[account].number;
    match unit {
        Some(u) => format!("{a}:{}", chart.units[u].code),
        None => a.clone(),
    }
}

/// The budget as one periodic transaction per month, for `--budget`.
fn write_journal_budget<W: Write>(
    w: &mut W,
    chart: &Chart,
    monthly: &[Vec<(usize, usize, i64)>],
) -> Result<()> {
    writeln!(
        w,
        "; Synthetic municipal ledger written by `cargo xtask gen-ledger`."
    )?;
    writeln!(
        w,
        "; Budget: one periodic transaction per month (from #PBUDGET).\n"
    )?;
    for (m, lines) in monthly.iter().enumerate() {
        let (y2, m2) = if m == 11 {
            (YEAR + 1, 1)
        } else {
            (YEAR, m + 2)
        };
        writeln!(
            w,
            "~ monthly from {YEAR}-{:02}-01 to {y2}-{m2:02}-01",
            m + 1
        )?;
        let mut total = 0i64;
        for &(ai, ui, amt) in lines {
            writeln!(
                w,
                "    {}  {}",
                journal_account(chart, ai, Some(ui)),
                kronor(amt)
            )?;
            total += amt;
        }
        writeln!(w, "    2910  {}\n", kronor(-total))?;
    }
    Ok(())
}
