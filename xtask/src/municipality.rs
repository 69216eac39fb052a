//! `cargo xtask gen-municipality`: a generated municipality, KF's plan and a plan per nämnd
//! and styrelse, written as a folder of plan packages that `styr import DIR` and `styr check
//! DIR` read, for timing them on a whole municipality (issue 20).
//!
//! The folder holds `kf/` — KF's package shaped like `examples/haninge-kf-2021`: styr.toml with
//! every body, council.toml with a frame per body, KF's own frame, the centrally held items, the
//! tax and grant income, the finance net and the stated result (which checks), goals.toml with
//! KF's övergripande mål — and one package per body shaped like `examples/haninge-bun-2021`:
//! goals breaking down KF's goals (`parent`), a summary operating table whose lines reference
//! the body's operating tables (lines, parts under every fifth line, a printed total), a frame
//! equal to KF's, a follow-up calendar, indicators with values and assignments. Every figure
//! is synthetic and the files say so.
//!
//! Without injected errors `styr check DIR` finds no error and no warning across the plans.
//! `errors` injects, in turn: KF's frame of a body differs from the body's allocation (KF's
//! stated result moved by the same amount, so that only the allocation rule fires), a body's
//! own stated frame differs from KF's, and a body's goal names a KF goal that does not exist.
//! Frame errors go to distinct bodies (a body has one of each at most) and parent errors to
//! distinct goals. Deterministic: the same options write the same files (the one generator,
//! [`crate::random::Rng`]).

use crate::random::Rng;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The generated budget year.
const YEAR: i32 = 2021;

/// KF's decision on Mål och budget, named by every frame.
const KF_DECISION: &str = "kf_2020_11_16_170";

/// Operating tables per body (besides the summary table).
const TABLES: usize = 5;

/// KF's övergripande mål: (id, area, title).
const KF_GOALS: [(&str, &str, &str); 6] = [
    (
        "mal1",
        "samhalle",
        "Kommunens klimatpåverkan ska minska varje år",
    ),
    (
        "mal2",
        "samhalle",
        "Kommunen ska växa med bostäder och arbetsplatser i balans",
    ),
    (
        "mal3",
        "samhalle",
        "Kommunen ska vara trygg och tillgänglig",
    ),
    (
        "mal4",
        "medborgare",
        "Barn och unga ska ha goda uppväxtvillkor och en utbildning som ger framtidstro",
    ),
    (
        "mal5",
        "medborgare",
        "Äldre och personer med funktionsnedsättning ska leva ett självständigt liv",
    ),
    (
        "mal6",
        "medborgare",
        "Medborgarna ska mötas av god service och ett gott bemötande",
    ),
];

/// The bodies: (id, name, short, kind, frame in tkr roughly), in KF's order; a body beyond
/// these twelve is a generic nämnd.
const BODIES: [(&str, &str, &str, &str, i64); 12] = [
    ("ks", "Kommunstyrelsen", "KS", "executive", 260_000),
    (
        "bun",
        "Barn- och utbildningsnämnden",
        "BUN",
        "board",
        2_400_000,
    ),
    (
        "gvn",
        "Gymnasie- och vuxenutbildningsnämnden",
        "GVN",
        "board",
        520_000,
    ),
    ("sn", "Socialnämnden", "SN", "board", 780_000),
    ("an", "Äldrenämnden", "ÄN", "board", 820_000),
    ("ofn", "Omsorgsnämnden", "OFN", "board", 560_000),
    ("arn", "Arbetsmarknadsnämnden", "ARN", "board", 140_000),
    ("kfn", "Kultur- och fritidsnämnden", "KFN", "board", 190_000),
    ("sbn", "Stadsbyggnadsnämnden", "SBN", "board", 110_000),
    ("tn", "Tekniska nämnden", "TN", "board", 230_000),
    (
        "mhn",
        "Miljö- och hälsoskyddsnämnden",
        "MHN",
        "board",
        35_000,
    ),
    ("ovn", "Överförmyndarnämnden", "ÖFN", "board", 12_000),
];

/// Options of a generated municipality.
#[derive(Debug, Clone)]
pub struct MunicipalityOptions {
    /// Body packages besides KF's.
    pub bodies: usize,
    /// Goals per body.
    pub goals: usize,
    /// Operating rows per body, about (lines, parts, totals and the summary table's rows).
    pub rows: usize,
    /// Errors injected (frame and allocation mismatches, missing parents).
    pub errors: usize,
    /// PRNG seed.
    pub seed: u64,
}

/// An injected error and the finding `styr check` must give for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Injected {
    /// KF's frame for `body` is off by `delta` tkr (KF's stated result moved by −`delta`): the
    /// body's allocation and its own stated frame both differ from KF's.
    KfFrame { body: String, delta: i64 },
    /// The body's own stated frame (its budget.toml) is off by `delta` tkr.
    OwnFrame { body: String, delta: i64 },
    /// The body's goal names a KF goal that does not exist.
    Parent { body: String, goal: String },
}

impl Injected {
    /// The error findings `styr check` gives for it: (the body whose own report holds it, or
    /// `None` for the rules across plans; the rule, i.e. the finding id's first part; the
    /// subject, what follows the id's file).
    pub fn expected(&self) -> Vec<(Option<String>, &'static str, String)> {
        match self {
            Injected::KfFrame { body, .. } => vec![
                (None, "allocation", format!("{body}:{YEAR}")),
                (None, "allocation", format!("{body}:{YEAR}:frame")),
            ],
            // The body's own check compares its frame with its summary table's lines, too.
            Injected::OwnFrame { body, .. } => vec![
                (None, "allocation", format!("{body}:{YEAR}:frame")),
                (
                    Some(body.clone()),
                    "frame",
                    format!("{YEAR}:sammanstallning"),
                ),
            ],
            Injected::Parent { body, goal } => {
                vec![(None, "parent", format!("{body}:{goal}"))]
            }
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Body packages (KF's not counted).
    pub bodies: usize,
    /// Goals over all packages, KF's included.
    pub goals: usize,
    /// Operating rows over all body packages.
    pub rows: usize,
    /// The injected errors.
    pub injected: Vec<Injected>,
}

/// A body of the generated municipality.
#[derive(Debug, Clone)]
struct Body {
    id: String,
    name: String,
    short: String,
    kind: &'static str,
    size: i64,
}

fn bodies(n: usize) -> Vec<Body> {
    (0..n)
        .map(|i| match BODIES.get(i) {
            Some(&(id, name, short, kind, size)) => Body {
                id: id.to_owned(),
                name: name.to_owned(),
                short: short.to_owned(),
                kind,
                size,
            },
            None => Body {
                id: format!("n{}", i + 1),
                name: format!("Nämnd {}", i + 1),
                short: format!("N{}", i + 1),
                kind: "board",
                size: 100_000,
            },
        })
        .collect()
}

/// One body's generated budget: its tables' CSV text and its allocation.
struct Budget {
    /// (table id, title, CSV text).
    tables: Vec<(String, String, String)>,
    summary: String,
    total: i64,
    rows: usize,
}

/// Lines per operating table so that a body has about `rows` rows: a table of `l` lines has
/// `l` + 2·⌈l/5⌉ parts + a total; the summary has a line per table and a total.
fn lines_per_table(rows: usize) -> usize {
    let per_table = rows.saturating_sub(TABLES + 1) / TABLES;
    (per_table.saturating_sub(1) * 5 / 7).max(1)
}

fn budget(body: &Body, rows: usize, random: &mut Rng) -> Budget {
    let lines = lines_per_table(rows);
    let mean = (body.size / (TABLES * lines) as i64).max(10);
    let mut tables = Vec::new();
    let mut summary = format!("id,name,kind,parent,ref,{YEAR}\n");
    let mut total = 0;
    let mut count = 0;
    for t in 1..=TABLES {
        let id = format!("v{t}");
        let mut csv = format!("id,name,kind,parent,ref,{YEAR}\n");
        let mut sum = 0;
        for l in 0..lines {
            let amount = 1 + random.below(2 * mean as u64) as i64;
            sum += amount;
            let _ = writeln!(csv, "l{l},Verksamhet {t}.{},line,,,{amount}", l + 1);
            count += 1;
            if l % 5 == 0 {
                let first = amount / 3;
                let _ = writeln!(
                    csv,
                    "l{l}_d1,Verksamhet {t}.{} del 1,part,l{l},,{first}",
                    l + 1
                );
                let _ = writeln!(
                    csv,
                    "l{l}_d2,Verksamhet {t}.{} del 2,part,l{l},,{}",
                    l + 1,
                    amount - first
                );
                count += 2;
            }
        }
        let _ = writeln!(csv, "summa,Summa verksamhetsområde {t},total,,,{sum}");
        count += 1;
        let _ = writeln!(summary, "{id},Verksamhetsområde {t},line,,op.{id},{sum}");
        count += 1;
        total += sum;
        tables.push((id, format!("Verksamhetsområde {t} (tkr)"), csv));
    }
    let _ = writeln!(summary, "summa,Summa {},total,,,{total}", body.name);
    count += 1;
    Budget {
        tables,
        summary,
        total,
        rows: count,
    }
}

fn followup_toml(name: &str) -> String {
    let mut text = format!(
        "# SYNTHETIC (SYNTETISKA DATA): {name}s uppföljningskalender {YEAR} (genererad): \
         månadsuppföljning utom januari och juli,\n# delårsrapport per april och augusti, \
         årsredovisning per december.\n\n[rules]\nforecast_explanation_percent = \"1\"\n\
         forecast_explanation_tkr = 1000\n"
    );
    for month in [2, 3, 4, 5, 6, 8, 9, 10, 11, 12] {
        let (kind, title) = match month {
            4 => ("interim", format!("Delårsrapport 1 per april {YEAR}")),
            8 => ("interim", format!("Delårsrapport 2 per augusti {YEAR}")),
            12 => ("annual", format!("Årsredovisning {YEAR}")),
            _ => (
                "monthly",
                format!("Månadsuppföljning {} {YEAR}", month_name(month)),
            ),
        };
        let deadline = if month == 12 {
            format!("{}-02-15", YEAR + 1)
        } else {
            format!("{YEAR}-{:02}-10", month + 1)
        };
        let _ = write!(
            text,
            "\n[[period]]\nid = \"p{YEAR}_{month:02}\"\nmonth = \"{YEAR}-{month:02}\"\n\
             kind = \"{kind}\"\ntitle = \"{title}\"\ndeadline = \"{deadline}\"\nsynthetic = true\n"
        );
    }
    text
}

fn month_name(month: u32) -> &'static str {
    [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ][month as usize - 1]
}

const MUNICIPALITY: &str = "[municipality]\nid = \"exempelstad\"\nname = \"Exempelstads kommun \
                            (syntetisk)\"\ncode = \"9999\"\n";

fn kf_body() -> &'static str {
    "[[body]]\nid = \"kf\"\nname = \"Kommunfullmäktige\"\nshort = \"KF\"\nkind = \"council\"\n"
}

fn body_entry(body: &Body) -> String {
    format!(
        "[[body]]\nid = \"{}\"\nname = \"{}\"\nshort = \"{}\"\nkind = \"{}\"\nparent = \"kf\"\n",
        body.id, body.name, body.short, body.kind
    )
}

fn kf_decision() -> String {
    format!(
        "[[decision]]\nid = \"{KF_DECISION}\"\nbody = \"kf\"\ndate = \"2020-11-16\"\n\
         paragraph = 170\ntitle = \"Mål och budget {YEAR}\"\n"
    )
}

fn goal_areas() -> &'static str {
    "[[goal_area]]\nid = \"samhalle\"\nname = \"Samhälle och miljö\"\n\n\
     [[goal_area]]\nid = \"medborgare\"\nname = \"Medborgare\"\n"
}

/// The files of the municipality, by path under the folder.
fn files(opts: &MunicipalityOptions) -> (BTreeMap<String, String>, Generated) {
    let mut random = Rng::new(opts.seed);
    let bodies = bodies(opts.bodies);
    let mut files = BTreeMap::new();
    let mut rows = 0;
    let mut goals = KF_GOALS.len();
    // Each body's goals: (id, parent), and its allocation.
    let mut body_goals: Vec<Vec<(String, String)>> = Vec::new();
    let mut totals = Vec::new();
    let mut budgets = Vec::new();
    for (b, body) in bodies.iter().enumerate() {
        let budget = budget(body, opts.rows, &mut random);
        rows += budget.rows;
        totals.push(budget.total);
        budgets.push(budget);
        // The first goals break down KF's goals in turn (every KF goal is broken down by
        // someone); the rest pick a parent at random.
        body_goals.push(
            (0..opts.goals)
                .map(|g| {
                    let parent = if g < 2 {
                        KF_GOALS[(b * 2 + g) % KF_GOALS.len()].0
                    } else {
                        random.pick(&KF_GOALS).0
                    };
                    (format!("{}_mal{}", body.id, g + 1), parent.to_owned())
                })
                .collect(),
        );
        goals += opts.goals;
    }

    // Injected errors: frame errors on distinct bodies, parent errors on distinct goals.
    let mut injected = Vec::new();
    let mut frame_bodies: Vec<usize> = (0..bodies.len()).collect();
    let mut parent_goals: Vec<(usize, usize)> = (0..bodies.len())
        .flat_map(|b| (0..opts.goals).map(move |g| (b, g)))
        .collect();
    let mut kf_frames: Vec<i64> = totals.clone();
    let mut own_frames: Vec<i64> = totals.clone();
    for k in 0..opts.errors {
        let delta = 1 + random.below(999) as i64;
        if k % 3 < 2 && !frame_bodies.is_empty() {
            let b = frame_bodies.remove(random.below(frame_bodies.len() as u64) as usize);
            let body = bodies[b].id.clone();
            if k % 3 == 0 {
                kf_frames[b] += delta;
                injected.push(Injected::KfFrame { body, delta });
            } else {
                own_frames[b] += delta;
                injected.push(Injected::OwnFrame { body, delta });
            }
        } else if !parent_goals.is_empty() {
            let (b, g) = parent_goals.remove(random.below(parent_goals.len() as u64) as usize);
            body_goals[b][g].1 = format!("mal_saknas{}", k + 1);
            injected.push(Injected::Parent {
                body: bodies[b].id.clone(),
                goal: body_goals[b][g].0.clone(),
            });
        }
    }

    // KF's package.
    let own_frame = 15_000;
    let frames: i64 = own_frame + totals.iter().sum::<i64>();
    let central = [
        ("pensioner", "Pensionskostnader", frames * 4 / 100),
        ("loneokning", "Reserv för löneökningar", frames * 2 / 100),
        (
            "kf_reserv",
            "Kommunfullmäktiges reserv för oförutsedda kostnader",
            frames / 200,
        ),
    ];
    let central_sum: i64 = central.iter().map(|c| c.2).sum();
    let financial_net = -(frames / 200);
    // Skatteintäkter and generella statsbidrag such that the result is about 2 % of them.
    let income = (frames + central_sum - financial_net) * 100 / 98;
    let tax_revenue = income * 82 / 100;
    let grants = income - tax_revenue;
    let injected_kf: i64 = injected
        .iter()
        .map(|i| match i {
            Injected::KfFrame { delta, .. } => *delta,
            _ => 0,
        })
        .sum();
    let result = tax_revenue + grants + financial_net - frames - central_sum - injected_kf;

    let mut styr = format!(
        "# SYNTHETIC (SYNTETISKA DATA): kommunfullmäktiges Mål och budget {YEAR} för en genererad \
         kommun\n# (cargo xtask gen-municipality, seed {}). Inget av detta är en verklig \
         kommuns.\nformat = 1\n\n{MUNICIPALITY}\n[document]\ntitle = \"Mål och budget {YEAR} \
         (syntetisk)\"\nbody = \"kf\"\nyears = [{YEAR}]\nsource = \"Genererade syntetiska data \
         (cargo xtask gen-municipality).\"\n\n{}",
        opts.seed,
        kf_body()
    );
    for body in &bodies {
        let _ = write!(styr, "\n{}", body_entry(body));
    }
    let _ = write!(styr, "\n{}", kf_decision());
    files.insert("kf/styr.toml".to_owned(), styr);
    files.insert(
        "kf/budget.toml".to_owned(),
        format!(
            "# SYNTHETIC: KF's budget version; KF's figures are in council.toml.\n\n[version]\n\
             id = \"kf_{YEAR}_decided\"\nkind = \"decided\"\nname = \"Mål och budget {YEAR}\"\n\
             decision = \"{KF_DECISION}\"\n"
        ),
    );
    let mut council = format!(
        "# SYNTHETIC (SYNTETISKA DATA): generated. result = tax_revenue + grants + \
         financial_net − Σ frames − Σ central items.\n# Amounts in tkr.\nsynthetic = true\n\
         decision = \"{KF_DECISION}\"\n\n[[year]]\nyear = {YEAR}\ntax_rate = \"20.12\"\n\
         tax_revenue = {tax_revenue}\ngrants = {grants}\nfinancial_net = {financial_net}\n\
         result = {result}\n\n[[body_frame]]\nbody = \"kf\"\nyear = {YEAR}\namount = {own_frame}\n"
    );
    for (body, frame) in bodies.iter().zip(&kf_frames) {
        let _ = write!(
            council,
            "\n[[body_frame]]\nbody = \"{}\"\nyear = {YEAR}\namount = {frame}\n\
             decision = \"{KF_DECISION}\"\n",
            body.id
        );
    }
    for (id, name, amount) in central {
        let _ = write!(
            council,
            "\n[[central_item]]\nid = \"{id}\"\nname = \"{name}\"\nyear = {YEAR}\n\
             amount = {amount}\n"
        );
    }
    files.insert("kf/council.toml".to_owned(), council);
    let mut kf_goals = format!(
        "# SYNTHETIC: KF's övergripande mål (generated).\n\n{}",
        goal_areas()
    );
    for (n, (id, area, title)) in KF_GOALS.iter().enumerate() {
        let _ = write!(
            kf_goals,
            "\n[[goal]]\nid = \"{id}\"\narea = \"{area}\"\nnumber = {}\ntitle = \"{title} \
             (syntetiskt)\"\n",
            n + 1
        );
    }
    files.insert("kf/goals.toml".to_owned(), kf_goals);
    let shown: Vec<String> = KF_GOALS
        .iter()
        .map(|(id, _, _)| format!("\"goal.{id}\""))
        .collect();
    files.insert(
        "kf/document.toml".to_owned(),
        format!(
            "# SYNTHETIC: the outline of KF's Mål och budget.\n\n[[section]]\nid = \"mal\"\n\
             title = \"Fullmäktiges mål\"\nlevel = 1\nshow = [{}]\n",
            shown.join(", ")
        ),
    );

    // The bodies' packages.
    for (b, body) in bodies.iter().enumerate() {
        let dir = &body.id;
        let decision = format!("{}_2020_12_10_{}", body.id, 100 + b);
        let styr = format!(
            "# SYNTHETIC (SYNTETISKA DATA): {}s verksamhetsplan och budget {YEAR} för en \
             genererad kommun\n# (cargo xtask gen-municipality, seed {}).\nformat = 1\n\n\
             {MUNICIPALITY}\n[document]\ntitle = \"{}s verksamhetsplan och budget {YEAR} \
             (syntetisk)\"\nbody = \"{}\"\nyears = [{YEAR}]\nsource = \"Genererade syntetiska \
             data (cargo xtask gen-municipality).\"\n\n{}\n{}\n[[unit]]\nid = \"{}_forv\"\n\
             name = \"{}s förvaltning\"\nbody = \"{}\"\n\n{}\n[[decision]]\nid = \"{decision}\"\n\
             body = \"{}\"\ndate = \"2020-12-10\"\nparagraph = {}\ntitle = \"Verksamhetsplan och \
             budget {YEAR} (syntetisk)\"\n",
            body.name,
            opts.seed,
            body.name,
            body.id,
            kf_body(),
            body_entry(body),
            body.id,
            body.name,
            body.id,
            kf_decision(),
            body.id,
            100 + b
        );
        files.insert(format!("{dir}/styr.toml"), styr);

        let budget = &budgets[b];
        let mut budget_toml = format!(
            "# SYNTHETIC: {}'s distribution of its KF frame (generated). Amounts in tkr.\n\n\
             [version]\nid = \"{}_{YEAR}_decided\"\nkind = \"decided\"\nname = \"Budget {YEAR}\"\n\
             decision = \"{decision}\"\n\n[[frame]]\nyear = {YEAR}\namount = {}\n\
             decision = \"{KF_DECISION}\"\n",
            body.id, body.id, own_frames[b]
        );
        for (id, title, csv) in &budget.tables {
            let _ = write!(
                budget_toml,
                "\n[[operating_table]]\nid = \"{id}\"\ntitle = \"{title}\"\nunit = \"tkr\"\n\
                 summary = false\n"
            );
            files.insert(format!("{dir}/budget/operating/{id}.csv"), csv.clone());
        }
        let _ = write!(
            budget_toml,
            "\n[[operating_table]]\nid = \"sammanstallning\"\ntitle = \"Sammanställning (tkr)\"\n\
             unit = \"tkr\"\nsummary = true\n"
        );
        files.insert(format!("{dir}/budget.toml"), budget_toml);
        files.insert(
            format!("{dir}/budget/operating/sammanstallning.csv"),
            budget.summary.clone(),
        );

        let mut goals_toml = format!(
            "# SYNTHETIC: {}'s goals (generated), each breaking down one of KF's goals \
             (`parent`).\n\n{}",
            body.id,
            goal_areas()
        );
        for (n, (id, parent)) in body_goals[b].iter().enumerate() {
            let area = KF_GOALS
                .iter()
                .find(|g| g.0 == parent)
                .map_or("medborgare", |g| g.1);
            let _ = write!(
                goals_toml,
                "\n[[goal]]\nid = \"{id}\"\narea = \"{area}\"\nnumber = {}\ntitle = \"{} mål {} \
                 (syntetiskt)\"\nparent = \"{parent}\"\n",
                n + 1,
                body.short,
                n + 1
            );
        }
        files.insert(format!("{dir}/goals.toml"), goals_toml);

        let shown: Vec<String> = body_goals[b]
            .iter()
            .map(|(id, _)| format!("\"goal.{id}\""))
            .collect();
        let mut tables: Vec<String> = vec!["\"op.sammanstallning\"".to_owned()];
        tables.extend(
            budget
                .tables
                .iter()
                .map(|(id, _, _)| format!("\"op.{id}\"")),
        );
        files.insert(
            format!("{dir}/document.toml"),
            format!(
                "# SYNTHETIC: the outline of the generated verksamhetsplan.\n\n[[section]]\n\
                 id = \"mal\"\ntitle = \"Nämndens mål\"\nlevel = 1\nshow = [{}]\n\n[[section]]\n\
                 id = \"driftbudget\"\ntitle = \"Driftbudget\"\nlevel = 1\nshow = [{}]\n",
                shown.join(", "),
                tables.join(", ")
            ),
        );
        files.insert(format!("{dir}/followup.toml"), followup_toml(&body.name));

        let mut indicators = "id,goal,level,name,unit,direction,cadence,source,kolada_kpi,\
                              footnote,responsible\n"
            .to_owned();
        let mut values = "indicator,year,kind,value\n".to_owned();
        for (i, (goal, _)) in body_goals[b].iter().take(3).enumerate() {
            let id = format!("{}_ind{}", body.id, i + 1);
            let _ = writeln!(
                indicators,
                "{id},{goal},board,{} nyckeltal {} (syntetiskt),%,higher,yearly,local,,,{}",
                body.short,
                i + 1,
                body.id
            );
            let outcome = 40 + random.below(50);
            let _ = writeln!(
                values,
                "{id},{},outcome,{outcome}\n{id},{YEAR},target,{}",
                YEAR - 1,
                outcome + 2
            );
        }
        if opts.goals > 0 {
            files.insert(format!("{dir}/indicators.csv"), indicators);
            files.insert(format!("{dir}/indicator_values.csv"), values);
        }
        let mut assignments =
            "id,code,title,description,given_by,given_year,responsible\n".to_owned();
        for i in 1..=3 {
            let _ = writeln!(
                assignments,
                "{}{YEAR}_{i},{YEAR} {} {i},Uppdrag {i} till {} (syntetiskt),Nämnden \
                 uppdras att genomföra uppdrag {i}.,{decision},{YEAR},{}",
                body.id, body.short, body.name, body.id
            );
        }
        files.insert(format!("{dir}/assignments.csv"), assignments);
    }
    (
        files,
        Generated {
            bodies: bodies.len(),
            goals,
            rows,
            injected,
        },
    )
}

/// Generates the municipality and writes it into `out`, which must be absent or empty.
pub fn write(opts: &MunicipalityOptions, out: &Path) -> Result<Generated> {
    if out.exists()
        && std::fs::read_dir(out)
            .with_context(|| format!("reading {}", out.display()))?
            .next()
            .is_some()
    {
        bail!("{} is not empty", out.display());
    }
    if opts.bodies == 0 {
        bail!("a municipality needs at least one body besides KF");
    }
    let (files, generated) = files(opts);
    for (path, text) in files {
        let path = out.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(generated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use styr_checks::Severity;
    use styr_checks::municipality::check_all;

    fn opts(errors: usize) -> MunicipalityOptions {
        MunicipalityOptions {
            bodies: 12,
            goals: 40,
            rows: 300,
            errors,
            seed: 20,
        }
    }

    /// (rule, subject) of a finding made with `about`: the id is `rule:file:subject`.
    fn rule_and_subject(id: &str) -> (String, String) {
        let mut parts = id.splitn(3, ':');
        let rule = parts.next().unwrap_or_default().to_owned();
        let _file = parts.next();
        (rule, parts.next().unwrap_or_default().to_owned())
    }

    fn read(dir: &Path) -> Vec<styr_domain::Plan> {
        styr_package::read_folder(dir)
            .unwrap_or_else(|problems| panic!("the generated folder reads: {problems:#?}"))
            .into_iter()
            .map(|(_, plan)| plan)
            .collect()
    }

    #[test]
    fn a_clean_municipality_checks_and_injected_errors_are_found() {
        let dir = tempfile::tempdir().expect("temp dir");
        let clean = write(&opts(0), &dir.path().join("clean")).expect("writes");
        assert_eq!(clean.bodies, 12);
        assert_eq!(clean.goals, 6 + 12 * 40);
        assert!(
            (12 * 280..=12 * 320).contains(&clean.rows),
            "about 300 rows a body: {}",
            clean.rows
        );
        let plans = read(&dir.path().join("clean"));
        assert_eq!(plans.len(), 13);
        let report = check_all(&plans);
        let noisy: Vec<_> = report
            .findings()
            .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
            .collect();
        assert!(noisy.is_empty(), "{noisy:#?}");
        // Every body's allocation is its KF frame, and was compared (no `no_plan`).
        assert!(report.findings().all(|f| f.check != "no_plan"));

        let errors = 9;
        let broken = write(&opts(errors), &dir.path().join("broken")).expect("writes");
        assert_eq!(broken.injected.len(), errors);
        assert_eq!(broken.rows, clean.rows);
        let report = check_all(&read(&dir.path().join("broken")));
        let errors_of = |body: Option<String>, findings: &[styr_checks::Finding]| {
            findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| {
                    let (rule, subject) = rule_and_subject(&f.id);
                    (body.clone(), rule, subject)
                })
                .collect::<Vec<_>>()
        };
        let mut found: Vec<_> = errors_of(None, &report.across);
        for (body, own) in &report.reports {
            found.extend(errors_of(Some(body.to_string()), &own.findings));
        }
        found.sort();
        let mut expected: Vec<_> = broken
            .injected
            .iter()
            .flat_map(Injected::expected)
            .map(|(body, rule, subject)| (body, rule.to_owned(), subject))
            .collect();
        expected.sort();
        // Exactly the injected errors' findings, each once.
        assert_eq!(found, expected);
        assert!(
            write(&opts(0), &dir.path().join("clean")).is_err(),
            "refuses a non-empty folder"
        );
    }

    #[test]
    fn the_same_seed_writes_the_same_files() {
        let (a, _) = files(&opts(5));
        let (b, _) = files(&opts(5));
        assert_eq!(a, b);
        let (c, _) = files(&MunicipalityOptions {
            seed: 21,
            ..opts(5)
        });
        assert_ne!(a, c);
    }
}
