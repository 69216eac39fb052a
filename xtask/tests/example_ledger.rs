//! The bundled example's ledger (`examples/haninge-ks-2021/ledger/ks-2021.se`) is exactly what
//! `cargo xtask example-ledger` writes from the example's plan package: the example's figures
//! (README, snapshots) depend on every byte of it.

use std::path::PathBuf;
use std::process::Command;

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/haninge-ks-2021")
}

#[test]
fn the_checked_in_example_ledger_is_what_the_generator_writes() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("ks-2021.se");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("example-ledger")
        .arg("--package")
        .arg(example_dir())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        std::fs::read(&out).unwrap()
            == std::fs::read(example_dir().join("ledger/ks-2021.se")).unwrap(),
        "examples/haninge-ks-2021/ledger/ks-2021.se is stale: regenerate it with \
         `cargo xtask example-ledger`"
    );
}
