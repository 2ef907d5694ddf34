//! What this machine cannot check, said out loud. A check that needs what
//! the machine lacks (valgrind, Linux's `/proc` and `/dev/full`, root)
//! calls [`not_checked`] and returns: the reader sees at once, and again at
//! the end of `cargo test` (`tests/what_was_not_checked.rs`), what was not
//! checked and why. CI sets `COURSE_CHECK_EVERYTHING=1`, which turns each
//! of these into a failure: there, nothing passes by being skipped.

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

/// The variable that turns every check this machine cannot make into a
/// failure (`.ci/run` sets it).
pub const CHECK_EVERYTHING: &str = "COURSE_CHECK_EVERYTHING";

/// Says that `what` was not checked here, because `why`; with
/// `COURSE_CHECK_EVERYTHING=1`, fails instead.
#[track_caller]
pub fn not_checked(what: &str, why: &str) {
    if std::env::var_os(CHECK_EVERYTHING).is_some_and(|v| v == "1") {
        panic!("{what}: cannot be checked here: {why} ({CHECK_EVERYTHING}=1 demands every check)");
    }
    // `eprintln!` would go into the test harness's capture, shown only if
    // the test fails: the stream itself is not captured.
    let line = format!("{what}: {why}");
    let _ = writeln!(std::io::stderr().lock(), "not checked here: {line}");
    let dir = records_of_this_run();
    if fs::create_dir_all(&dir).is_ok() {
        let file = dir.join(format!(
            "{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let mut text = fs::read_to_string(&file).unwrap_or_default();
        text.push_str(&line);
        text.push('\n');
        let _ = fs::write(file, text);
    }
}

/// Where the tests of one `cargo test` run leave their records: one
/// directory per run, named after cargo's process, which starts every
/// test binary of the run (on Unix; elsewhere one directory for all).
pub fn records_of_this_run() -> PathBuf {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("not-checked");
    #[cfg(unix)]
    let run = std::os::unix::process::parent_id().to_string();
    #[cfg(not(unix))]
    let run = String::from("run");
    base.join(run)
}

/// Whether `program` can be run from `PATH` (it answers `--version`).
pub fn on_path(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}
