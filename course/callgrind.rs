//! Counting instructions with callgrind, for the benchmarks of chapters 3
//! and 7 (`examples/ch03_guard_cost.rs`, `examples/ch07_dispatch.rs`).
//!
//! Wall-clock time varies from run to run; the number of instructions a
//! binary executes does not. A benchmark program asks [`instructions_in`]
//! to run itself again under `valgrind --tool=callgrind`, once per variant,
//! with an environment variable naming the variant. The child sees it with
//! [`variant_to_run`], runs that variant's measured function and nothing
//! else, and callgrind counts only the instructions executed inside that
//! function and everything it calls (`--toggle-collect`). [`per_call`]
//! does all of that for a benchmark's `run`.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::process::Command;

use super::cli::{Stop, Usage};

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

/// How a benchmark is run: optimised, with an optional number of calls.
pub const USAGE: Usage = Usage {
    release: true,
    args: "[CALLS]",
    about: "Counts the instructions per call of each variant under callgrind (valgrind \
            must be installed), over CALLS calls each (10000 without CALLS).",
};
/// Most calls per variant: callgrind runs code about fifty times slower,
/// and a million calls already take it several seconds.
pub const MAX_CALLS: usize = 1_000_000;
/// Calls per variant when the command line gives none.
const DEFAULT_CALLS: usize = 10_000;

/// What a benchmark's `run` does before it prints its figures. It reads the
/// number of calls from the command line (`--help` and bad usage stop the
/// program), then:
/// - in the child that callgrind watches, runs the one variant it names;
/// - in a debug build, runs every variant once (so that `cargo test`
///   exercises them) and says that counts need a release build;
/// - in a release build, counts each variant's instructions in functions
///   matching `*::measured`, and returns them per call, in the order of
///   `variants`, with the number of calls.
///
/// `None` means there is nothing left to print.
pub fn per_call(
    variants: &[&str],
    run_variant: impl Fn(&str, usize),
    out: &mut impl Write,
) -> Result<Option<(usize, Vec<f64>)>, Stop> {
    let calls = super::cli::counts(USAGE, 1..=MAX_CALLS, &[DEFAULT_CALLS])?[0];
    if let Some(variant) = variant_to_run() {
        run_variant(&variant, calls);
        return Ok(None);
    }
    if cfg!(debug_assertions) {
        for variant in variants {
            run_variant(variant, calls);
        }
        let program = std::env::current_exe().ok();
        let name = program
            .as_deref()
            .and_then(|path| path.file_stem())
            .map_or("NAME".into(), |name| name.to_string_lossy());
        writeln!(
            out,
            "debug build: each variant made {calls} calls; instructions are counted"
        )?;
        writeln!(
            out,
            "only in a release build: cargo run --release --example {name}"
        )?;
        return Ok(None);
    }
    let args = [calls.to_string()];
    let per_call = variants
        .iter()
        .map(|variant| {
            let total = instructions_in("*::measured", variant, &args).map_err(Stop::failed)?;
            Ok(total as f64 / calls as f64)
        })
        .collect::<Result<Vec<f64>, Stop>>()?;
    Ok(Some((calls, per_call)))
}
