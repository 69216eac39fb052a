//! Integration tests of the plan package: the bundled example, round trips and bad input.

mod bad_input;
mod example;
mod frame_calculation;
mod limits;
mod municipality;

use std::path::PathBuf;

pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021")
}
