//! Integration tests of the checks: the example's report as a snapshot, and golden cases —
//! one change to the example each, with the findings it must cause or clear.

mod acknowledgements;
mod claims;
mod corrections;
mod example;
mod fixtures;
mod frame_calculation;
mod golden;
mod municipality;
mod personnel;
mod statements;

use std::path::PathBuf;
use styr_package::Files;

pub fn example_files() -> Files {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    Files::load(&dir).expect("example loads")
}
