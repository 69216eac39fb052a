//! Integration tests for styr-sie through its public API, one module per topic.
//! Private helpers are covered by unit tests in `src/`, not here.

mod bad_input;
mod balances;
mod checksum;
mod common;
mod encoding;
mod fast_path;

mod lexing;
mod no_panic;
mod parallel;
mod records;
mod roundtrip;
mod samples;
mod streaming;
mod summary;
mod vouchers;
