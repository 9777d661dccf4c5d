//! Reading back what criterion measured in this run, to print ratios against a baseline.

use std::path::PathBuf;
use std::time::SystemTime;

/// Where criterion writes its results: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`,
/// else `<target>/criterion` next to this bench binary (`<target>/release/deps/<bench>`).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    let exe = std::env::current_exe().unwrap_or_default();
    exe.ancestors().nth(3).map_or_else(
        || PathBuf::from("target/criterion"),
        |t| t.join("criterion"),
    )
}

/// The median time (ns) criterion measured for `group/function/parameter`, if it was measured
/// after `since` (so a figure from an earlier run is never mixed into this run's ratios).
pub(crate) fn median_ns(
    group: &str,
    function: &str,
    parameter: &str,
    since: SystemTime,
) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(function)
        .join(parameter)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// A duration in ns, in a readable unit.
pub(crate) fn human_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}
