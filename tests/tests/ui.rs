//! trybuild UI tests of `#[api_client]`: every `ui/pass/*.rs` (one per config format and
//! shape) must compile and run; every `ui/fail/*.rs` (one per compile-time error) must fail
//! with exactly the neighbouring `.stderr`. Regenerate those with `TRYBUILD=overwrite` and
//! review the diff.
//!
//! Inside trybuild, `CARGO_MANIFEST_DIR` points into `target/`, so the macro reads fixture
//! paths relative to `CARGO_MANIFEST_DIR_OVERRIDE` instead. Setting a variable in this process
//! would need `unsafe` (edition 2024), so the test runs itself again as a child with it set.
//! The parent checks that the child ran this test and that trybuild checked every file: a
//! child whose filter matched nothing would print "0 passed" and succeed.

use std::io::Write;
use std::process::Command;

const OVERRIDE: &str = "CARGO_MANIFEST_DIR_OVERRIDE";

/// The `.rs` files of `ui/<dir>`.
fn cases(dir: &str) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("ui")
        .join(dir);
    std::fs::read_dir(&dir)
        .expect("the UI test directory")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "rs"))
        })
        .count()
}

/// `bytes` as text without terminal colour codes (`ESC [ ... m`), which trybuild may write.
fn plain(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Skip to the end of the escape sequence.
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn ui() {
    if std::env::var_os(OVERRIDE).is_some() {
        let cases = trybuild::TestCases::new();
        cases.pass("ui/pass/*.rs");
        cases.compile_fail("ui/fail/*.rs");
        return;
    }
    let output = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args(["ui", "--exact", "--nocapture"])
        .env(OVERRIDE, env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the test binary runs again");
    std::io::stdout()
        .write_all(&output.stdout)
        .expect("stdout is writable");
    std::io::stderr()
        .write_all(&output.stderr)
        .expect("stderr is writable");
    assert!(
        output.status.success(),
        "the UI tests failed; see the output above"
    );
    let stdout = plain(&output.stdout);
    let stderr = plain(&output.stderr);
    assert!(
        stdout.contains("1 passed"),
        "the child ran no test (its filter matched nothing): {stdout}"
    );
    let checked = stdout
        .lines()
        .chain(stderr.lines())
        .filter(|l| l.starts_with("test ui/") && l.contains(".rs [") && l.contains("] ... "))
        .count();
    let expected = cases("pass") + cases("fail");
    assert_eq!(
        checked, expected,
        "trybuild checked {checked} of the {expected} UI test files"
    );
}
