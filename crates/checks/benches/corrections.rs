//! Benchmark of `styr check` with its correction search on a generated plan of a whole
//! municipality: the example plus one operating table per board (nämnd) with many lines, parts
//! under every fifth line, a printed total, and a summary table whose lines reference each
//! board's table — then errors injected into lines, parts and totals. Prints the medians of
//! several runs: the whole check of the plan with errors, the correction search on it (the
//! tables' equations and the search), and the same on the plan without injected errors (the
//! equations and the example's own three corrections).
//!
//! Run: `cargo bench -p styr-checks --bench corrections`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use styr_checks::{check, smallest_corrections};
use styr_domain::budget::{AmountRow, FigureFormula, OperatingTable, RowKind};
use styr_domain::expr::parse_formula;
use styr_domain::{Id, Location, Money, Plan};

const YEARS: [i32; 2] = [2021, 2022];

/// SplitMix64: deterministic, so every run measures the same plan.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn tkr(amount: i64) -> Money {
    Money::from_tkr(amount).expect("fits")
}

fn row(
    id: String,
    kind: RowKind,
    parent: Option<&str>,
    amounts: &[(i32, i64)],
    file: &str,
    line: u32,
) -> AmountRow {
    AmountRow {
        id: Id::parse(&id).expect("id"),
        name: id.clone(),
        kind,
        parent: parent.map(|p| Id::parse(p).expect("id")),
        reference: None,
        amounts: amounts.iter().map(|&(y, a)| (y, tkr(a))).collect(),
        at: Location::new(file, line),
    }
}

/// The example with `boards` tables of `lines` lines each and `errors` injected errors.
fn generate(base: &Plan, boards: usize, lines: usize, errors: usize, seed: u64) -> (Plan, usize) {
    let mut plan = base.clone();
    let mut random = Random(seed);
    let mut summary_rows = Vec::new();
    let mut rows_total = 0;
    for board in 0..boards {
        let file = format!("budget/operating/n{board}.csv");
        let mut rows = Vec::new();
        let mut sums: BTreeMap<i32, i64> = BTreeMap::new();
        for line in 0..lines {
            let amounts: Vec<(i32, i64)> = YEARS
                .iter()
                .map(|&y| (y, 100 + random.below(50_000) as i64))
                .collect();
            for &(y, a) in &amounts {
                *sums.entry(y).or_default() += a;
            }
            let id = format!("l{line}");
            rows.push(row(
                id.clone(),
                RowKind::Line,
                None,
                &amounts,
                &file,
                rows.len() as u32 + 2,
            ));
            if line % 5 == 0 {
                let first: Vec<(i32, i64)> = amounts.iter().map(|&(y, a)| (y, a / 3)).collect();
                let second: Vec<(i32, i64)> =
                    amounts.iter().map(|&(y, a)| (y, a - a / 3)).collect();
                for (n, part) in [first, second].iter().enumerate() {
                    rows.push(row(
                        format!("{id}_d{n}"),
                        RowKind::Part,
                        Some(&id),
                        part,
                        &file,
                        rows.len() as u32 + 2,
                    ));
                }
            }
        }
        let totals: Vec<(i32, i64)> = sums.into_iter().collect();
        rows.push(row(
            "summa".to_owned(),
            RowKind::Total,
            None,
            &totals,
            &file,
            rows.len() as u32 + 2,
        ));
        rows_total += rows.len();
        let table_id = format!("n{board}");
        let mut summary_line = row(
            table_id.clone(),
            RowKind::Line,
            None,
            &totals,
            "budget/operating/kommunen.csv",
            board as u32 + 2,
        );
        let text = format!("op.{table_id}");
        summary_line.reference = Some(FigureFormula {
            formula: parse_formula(&text).expect("formula"),
            text,
        });
        summary_rows.push(summary_line);
        plan.budget.operating.push(OperatingTable {
            id: Id::parse(&table_id).expect("id"),
            title: format!("Nämnd {board} (tkr)"),
            summary: false,
            years: YEARS.to_vec(),
            rows,
            at: Location::new("budget.toml", 1),
        });
    }
    let grand: Vec<(i32, i64)> = YEARS
        .iter()
        .map(|&y| {
            let sum: Money = summary_rows.iter().map(|r| r.amounts[&y]).sum();
            (y, sum.whole_tkr().expect("whole tkr"))
        })
        .collect();
    summary_rows.push(row(
        "summa".to_owned(),
        RowKind::Total,
        None,
        &grand,
        "budget/operating/kommunen.csv",
        boards as u32 + 2,
    ));
    rows_total += summary_rows.len();
    plan.budget.operating.push(OperatingTable {
        id: Id::parse("kommunen").expect("id"),
        title: "Kommunen (tkr)".to_owned(),
        summary: false,
        years: YEARS.to_vec(),
        rows: summary_rows,
        at: Location::new("budget.toml", 1),
    });
    // Errors: a line, a part or a printed total of a random board and year, off by 1–999 tkr.
    let first_board = base.budget.operating.len();
    for _ in 0..errors {
        let table = &mut plan.budget.operating[first_board + random.below(boards as u64) as usize];
        let index = random.below(table.rows.len() as u64) as usize;
        let year = YEARS[random.below(2) as usize];
        let amount = table.rows[index]
            .amounts
            .get_mut(&year)
            .expect("every row has both years");
        *amount = *amount + tkr(1 + random.below(999) as i64);
    }
    (plan, rows_total)
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// The median time of `runs` runs of `f`, and its last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut result = None;
    let times = (0..runs)
        .map(|_| {
            let start = Instant::now();
            result = Some(f());
            start.elapsed()
        })
        .collect();
    (median(times), result.expect("ran"))
}

fn main() {
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    let base = styr_package::read_dir(&example).expect("the example reads");
    const RUNS: usize = 9;
    println!("Rättelsesökning i `styr check` (median av {RUNS} körningar, release)");
    println!(
        "{:>7} {:>7} {:>5} {:>6} {:>8} {:>13} {:>17} {:>17}",
        "nämnder", "rader", "fel", "fynd", "förslag", "check ms", "ekv.+sökning ms", "utan fel ms"
    );
    for (boards, lines, errors) in [
        (20, 100, 10),
        (60, 100, 40),
        (200, 100, 100),
        (200, 500, 100),
    ] {
        let (clean, rows) = generate(&base, boards, lines, 0, 7);
        let (broken, _) = generate(&base, boards, lines, errors, 7);
        let (check_time, report) = timed(RUNS, || check(&broken));
        let (search_time, corrections) = timed(RUNS, || smallest_corrections(&broken));
        let (clean_time, none) = timed(RUNS, || smallest_corrections(&clean));
        assert_eq!(corrections.len(), report.corrections.len());
        let suggested = corrections
            .iter()
            .filter(|c| !c.alternatives.is_empty())
            .count();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{boards:>7} {rows:>7} {errors:>5} {:>6} {suggested:>8} {:>13.1} {:>17.1} {:>17.1}",
            report.findings.len(),
            ms(check_time),
            ms(search_time),
            ms(clean_time),
        );
        // Without injected errors only the example's own findings need explaining.
        assert_eq!(none.len(), smallest_corrections(&base).len());
    }
}
