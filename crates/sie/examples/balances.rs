//! `styr sie balances FILE --format csv` without the rest of styr: the library's part of it,
//! for profiling the reader (`cargo run --release -p styr-sie --example balances -- FILE`).

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: balances FILE.se");
        std::process::exit(2);
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut sums = styr_sie::Sums::new();
    let outcome = styr_sie::read_path_parallel(std::path::Path::new(&path), threads, &mut sums)?;
    let errors = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == styr_sie::Severity::Error)
        .count();
    if errors > 0 {
        eprintln!("{errors} errors");
    }
    use std::io::Write;
    std::io::stdout().write_all(styr_sie::balances_csv(&sums.rows()).as_bytes())
}
