//! trybuild UI tests of `#[api_client]`: every `ui/pass/*.rs` (one per config format and
//! shape) must compile and run; every `ui/fail/*.rs` (one per compile-time error) must fail
//! with exactly the neighbouring `.stderr`. Regenerate those with `TRYBUILD=overwrite` and
//! review the diff.
//!
//! Inside trybuild, `CARGO_MANIFEST_DIR` points into `target/`, so the macro reads fixture
//! paths relative to `CARGO_MANIFEST_DIR_OVERRIDE` instead. Setting a variable in this process
//! would need `unsafe` (edition 2024), so the test runs itself again as a child with it set.

use std::process::Command;

const OVERRIDE: &str = "CARGO_MANIFEST_DIR_OVERRIDE";

#[test]
fn ui() {
    if std::env::var_os(OVERRIDE).is_some() {
        let cases = trybuild::TestCases::new();
        cases.pass("ui/pass/*.rs");
        cases.compile_fail("ui/fail/*.rs");
        return;
    }
    let status = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args(["ui", "--exact", "--nocapture"])
        .env(OVERRIDE, env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("the test binary runs again");
    assert!(
        status.success(),
        "the UI tests failed; see the output above"
    );
}
