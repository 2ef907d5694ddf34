//! Counting instructions with callgrind, for the benchmarks of chapters 3
//! and 7 (`examples/ch03_guard_cost.rs`, `examples/ch07_dispatch.rs`).
//!
//! Wall-clock time varies from run to run; the number of instructions a
//! binary executes does not. A benchmark program asks [`instructions_in`]
//! to run itself again under `valgrind --tool=callgrind`, once per variant,
//! with an environment variable naming the variant. The child sees it with
//! [`variant_to_run`], runs that variant's measured function and nothing
//! else, and callgrind counts only the instructions executed inside that
//! function and everything it calls (`--toggle-collect`).

use std::fmt;
use std::fs;
use std::io;
use std::process::Command;

/// The environment variable that makes a benchmark the measured child, and
/// names the variant it runs.
const VARIANT: &str = "COURSE_CALLGRIND_VARIANT";

/// In a child started by [`instructions_in`]: the variant to run.
pub fn variant_to_run() -> Option<String> {
    std::env::var(VARIANT).ok()
}

/// Why instructions could not be counted.
#[derive(Debug)]
pub enum CountError {
    /// valgrind could not be started.
    NoValgrind(io::Error),
    /// valgrind ran, but failed; its report.
    Failed(String),
    /// callgrind counted nothing: no function matched the pattern.
    NothingCounted(String),
    /// callgrind's output file is missing or unreadable.
    Output(String),
}

impl fmt::Display for CountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CountError::NoValgrind(e) => write!(
                f,
                "cannot run valgrind ({e}); install it (Debian or Ubuntu: apt-get install valgrind)"
            ),
            CountError::Failed(report) => write!(f, "valgrind failed:\n{report}"),
            CountError::NothingCounted(function) => {
                write!(f, "callgrind counted no instruction inside {function}")
            }
            CountError::Output(why) => write!(f, "cannot read callgrind's output: {why}"),
        }
    }
}

impl std::error::Error for CountError {}

/// Runs this program again under callgrind, with `args` and with
/// [`variant_to_run`] returning `variant`, and returns the number of
/// instructions executed inside the functions that match `function` (a
/// callgrind pattern, such as `*::measured`) and everything they called.
pub fn instructions_in(function: &str, variant: &str, args: &[String]) -> Result<u64, CountError> {
    let program = std::env::current_exe().map_err(|e| CountError::Output(e.to_string()))?;
    let dir = tempfile::tempdir().map_err(|e| CountError::Output(e.to_string()))?;
    let out_file = dir.path().join("callgrind.out");
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg("--collect-atstart=no")
        .arg(format!("--toggle-collect={function}"))
        .arg(&program)
        .args(args)
        .env(VARIANT, variant)
        .output()
        .map_err(CountError::NoValgrind)?;
    if !output.status.success() {
        return Err(CountError::Failed(
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    let profile = fs::read_to_string(&out_file)
        .map_err(|e| CountError::Output(format!("{}: {e}", out_file.display())))?;
    // The file ends with the total of the counted events: `totals: N`
    // (`summary: N` in older versions).
    let total = profile
        .lines()
        .find_map(|line| {
            line.strip_prefix("totals: ")
                .or_else(|| line.strip_prefix("summary: "))
        })
        .and_then(|n| n.trim().parse::<u64>().ok())
        .ok_or_else(|| CountError::Output(format!("no total in {}", out_file.display())))?;
    if total == 0 {
        return Err(CountError::NothingCounted(function.to_string()));
    }
    Ok(total)
}
