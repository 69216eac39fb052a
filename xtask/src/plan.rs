//! `cargo xtask gen-plan`: a generated plan of a whole municipality, written as a plan package
//! that `styr check DIR` reads, for timing the checker and its correction search.
//!
//! The plan is the bundled example plus one operating table per board (nämnd) with many lines,
//! parts under every fifth line and a printed total, and a summary table (`kommunen`) whose
//! lines reference each board's table (`op.nX`) and whose total sums them; then errors are
//! injected: a line, a part or a printed total of a random board and year, off by 1–999 tkr.
//! Without injected errors the package has exactly the example's own findings. Deterministic:
//! the same options write the same files (the one generator, [`crate::random::Rng`]).

use crate::random::Rng;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::Path;
use styr_domain::budget::{AmountRow, FigureFormula, OperatingTable, RowKind};
use styr_domain::expr::parse_formula;
use styr_domain::{Id, Location, Money, Plan};
use styr_package::{Files, is_followup_file, is_ledger_export};

/// The years of the generated tables.
const YEARS: [i32; 2] = [2021, 2022];

/// Options of a generated plan.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Lines (not counting parts and totals) over all generated tables.
    pub lines: usize,
    /// Boards, one operating table each; `None`: one per 100 lines, at most 200.
    pub boards: Option<usize>,
    /// Errors injected into the generated tables.
    pub errors: usize,
    /// PRNG seed.
    pub seed: u64,
}

impl PlanOptions {
    /// The number of boards these options give.
    pub fn boards(&self) -> usize {
        self.boards
            .unwrap_or((self.lines / 100).clamp(1, 200))
            .clamp(1, self.lines.max(1))
    }
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    /// Boards (generated operating tables, not counting the summary).
    pub boards: usize,
    /// Rows of the generated tables: lines, parts, totals and the summary's rows.
    pub rows: usize,
}

/// The example plan package bundled with the repository.
pub fn example_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/haninge-ks-2021"
    ))
}

/// Reads a plan package, every problem in the error.
pub fn read_package(dir: &Path) -> Result<Plan> {
    styr_package::read_dir(dir).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("{} does not read:\n{}", dir.display(), lines.join("\n"))
    })
}

/// Generates the plan from the example and writes it as a package into `out` with the package
/// writer, the example's follow-up reports and ledger export beside it; `out` must be absent or
/// empty (a stale table left there would not be listed in `budget.toml`).
pub fn write(opts: &PlanOptions, out: &Path) -> Result<Generated> {
    if out.exists()
        && std::fs::read_dir(out)
            .with_context(|| format!("reading {}", out.display()))?
            .next()
            .is_some()
    {
        bail!("{} is not empty", out.display());
    }
    let example = Files::load(example_dir()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let base = styr_package::read_files(&example).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("the example does not read:\n{}", lines.join("\n"))
    })?;
    let (plan, generated) = generate(&base, opts);
    let mut files = styr_package::write_files(&plan);
    // The follow-up reports and ledger exports are the package's files but not the plan's
    // (read and checked beside it, never written back): carried over as they are.
    for (path, bytes) in &example.files {
        if is_followup_file(path) || is_ledger_export(path) {
            files.files.insert(path.clone(), bytes.clone());
        }
    }
    files
        .save(out)
        .with_context(|| format!("writing {}", out.display()))?;
    Ok(generated)
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
    line: usize,
) -> AmountRow {
    AmountRow {
        id: Id::parse(&id).expect("id"),
        name: id.clone(),
        kind,
        parent: parent.map(|p| Id::parse(p).expect("id")),
        reference: None,
        amounts: amounts.iter().map(|&(y, a)| (y, tkr(a))).collect(),
        at: Location::new(file, u32::try_from(line).expect("fits")),
    }
}

/// The example `base` with the generated tables and the injected errors.
pub fn generate(base: &Plan, opts: &PlanOptions) -> (Plan, Generated) {
    let boards = opts.boards();
    let mut plan = base.clone();
    let mut random = Rng::new(opts.seed);
    let mut summary_rows = Vec::new();
    let mut rows_total = 0;
    for board in 0..boards {
        let lines = opts.lines / boards + usize::from(board < opts.lines % boards);
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
                rows.len() + 2,
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
                        rows.len() + 2,
                    ));
                }
            }
        }
        let totals: Vec<(i32, i64)> = YEARS
            .iter()
            .map(|&y| (y, sums.get(&y).copied().unwrap_or(0)))
            .collect();
        rows.push(row(
            "summa".to_owned(),
            RowKind::Total,
            None,
            &totals,
            &file,
            rows.len() + 2,
        ));
        rows_total += rows.len();
        let table_id = format!("n{board}");
        let mut summary_line = row(
            table_id.clone(),
            RowKind::Line,
            None,
            &totals,
            "budget/operating/kommunen.csv",
            board + 2,
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
        boards + 2,
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
    for _ in 0..opts.errors {
        let table = &mut plan.budget.operating[first_board + random.below(boards as u64) as usize];
        let index = random.below(table.rows.len() as u64) as usize;
        let year = *random.pick(&YEARS);
        let amount = table.rows[index]
            .amounts
            .get_mut(&year)
            .expect("every row has both years");
        *amount = *amount + tkr(1 + random.below(999) as i64);
    }
    (
        plan,
        Generated {
            boards,
            rows: rows_total,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding_ids(plan: &Plan) -> Vec<String> {
        styr_checks::check(plan)
            .findings
            .iter()
            .map(|f| f.id.clone())
            .collect()
    }

    #[test]
    fn the_package_reads_back_and_has_only_the_injected_errors() {
        let base = read_package(example_dir()).expect("the example reads");
        let example_findings = finding_ids(&base);
        let dir = tempfile::tempdir().expect("temp dir");
        let clean_dir = dir.path().join("clean");
        let broken_dir = dir.path().join("broken");
        let opts = PlanOptions {
            lines: 500,
            boards: None,
            errors: 0,
            seed: 7,
        };
        let clean = write(&opts, &clean_dir).expect("writes");
        assert_eq!(clean.boards, 5);
        // 500 lines, 2 parts under every fifth, a total per board, 5 summary lines and a total.
        assert_eq!(clean.rows, 500 + 200 + 5 + 5 + 1);
        let read = read_package(&clean_dir).expect("the generated package reads");
        assert_eq!(read.budget.operating.len(), base.budget.operating.len() + 6);
        // Without injected errors: exactly the example's own findings.
        assert_eq!(finding_ids(&read), example_findings);

        let errors = 8;
        write(&PlanOptions { errors, ..opts }, &broken_dir).expect("writes");
        let read = read_package(&broken_dir).expect("the generated package reads");
        let report = styr_checks::check(&read);
        let new: Vec<_> = report
            .findings
            .iter()
            .filter(|f| !example_findings.contains(&f.id))
            .collect();
        // Each error breaks a few sums (its table's total or its line's parts, and through the
        // total the summary's reference); two errors may share a sum.
        assert!(!new.is_empty() && new.len() <= 3 * errors, "{new:#?}");
        for finding in &new {
            assert!(
                finding.file.starts_with("budget/operating/n")
                    || finding.file == "budget/operating/kommunen.csv",
                "{finding:#?}"
            );
        }
        assert!(
            write(&opts, &broken_dir).is_err(),
            "refuses a non-empty folder"
        );
    }
}
