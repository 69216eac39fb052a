//! Times the plan workbook of the bundled example: writing it, and reading its tables back into
//! the package and through the package reader (what `styr excel export` and `styr excel import
//! --package` do, less the files). `cargo bench -p styr-excel`; prints the median of 25 runs.

use std::path::Path;
use std::time::{Duration, Instant};
use styr_excel::{Book, Reports, read_plan_tables, write_plan_workbook};
use styr_package::{Files, read_files, write_files};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    let files = Files::load(&root).expect("the example package");
    let plan = read_files(&files).expect("the example reads");
    let runs = 25;
    let mut writes = Vec::new();
    let mut bytes = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        bytes = write_plan_workbook(&plan, &Reports::default()).expect("written");
        writes.push(start.elapsed());
    }
    let mut reads = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let mut book = Book::open(bytes.clone()).expect("opens");
        let tables = read_plan_tables(&mut book).expect("read");
        let mut merged = write_files(&plan);
        for (file, text) in tables.files {
            merged.insert(&file, text);
        }
        read_files(&merged).expect("the package reads");
        reads.push(start.elapsed());
    }
    println!(
        "example workbook ({} byte): write {:.1} ms, read into the package {:.1} ms (median of {runs})",
        bytes.len(),
        median(writes).as_secs_f64() * 1000.0,
        median(reads).as_secs_f64() * 1000.0,
    );
}
