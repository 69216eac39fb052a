//! The use cases are the front ends' only way to the database: `styr-web` and `styr-cli`
//! depend on `styr-app` (and the value crates), never on `styr-store`, in any section of their
//! manifests (dependencies, dev-dependencies, build- or target-specific ones, renamed or not),
//! and no source file of theirs names the store crate.

use std::path::{Path, PathBuf};

const FRONT_ENDS: [&str; 2] = ["web", "cli"];

fn crate_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

/// The lines of a manifest that name the store crate, comments left out.
fn store_lines(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .filter(|line| line.contains("styr-store") || line.contains("styr_store"))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// Every `.rs` file below `dir` that names `styr_store`.
fn sources_naming_the_store(dir: &Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            sources_naming_the_store(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs")
            && std::fs::read_to_string(&path).is_ok_and(|text| text.contains("styr_store"))
        {
            found.push(path.display().to_string());
        }
    }
}

#[test]
fn web_and_cli_do_not_depend_on_the_store() {
    for front_end in FRONT_ENDS {
        let manifest_path = crate_dir(front_end).join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path)
            .unwrap_or_else(|error| panic!("reading {}: {error}", manifest_path.display()));
        let lines = store_lines(&manifest);
        assert!(
            lines.is_empty(),
            "{} depends on styr-store ({lines:?}): call the use case in styr-app instead, \
             re-exporting from styr-app the store values it needs",
            manifest_path.display()
        );
        let mut sources = Vec::new();
        for folder in ["src", "tests", "benches", "examples", "build.rs"] {
            sources_naming_the_store(&crate_dir(front_end).join(folder), &mut sources);
        }
        assert!(
            sources.is_empty(),
            "{front_end} names styr_store in {sources:?}"
        );
    }
}

#[test]
fn the_check_sees_every_form_of_the_dependency() {
    for manifest in [
        "[dependencies]\nstyr-store.workspace = true\n",
        "[dev-dependencies]\nstyr-store = { path = \"../store\" }\n",
        "[target.'cfg(unix)'.dependencies]\nstore = { package = \"styr-store\", version = \"0\" }\n",
        "[build-dependencies.styr-store]\npath = \"../store\"\n",
    ] {
        assert_eq!(store_lines(manifest).len(), 1, "{manifest}");
    }
    assert!(
        store_lines("[dependencies]\n# not styr-store\nstyr-app.workspace = true\n").is_empty()
    );
}
