//! The runner believes a check program only when it ends with a verdict
//! carrying the nonce it was given, and with status 0: each test here is a
//! small program (a shell script) that tries to get past it another way.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use course_exercises::run::{Outcome, run_check_program};

/// Runs `script` (the body of a shell script) as the check program of
/// `demo`, with a time limit of `limit`.
fn run(script: &str, limit: Duration) -> Outcome {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let path: PathBuf = dir.path().join("check");
    fs::write(&path, format!("#!/bin/sh\n{script}\n")).expect("the script");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("its mode");
    run_check_program(&path, "demo", limit)
}

const SECOND: Duration = Duration::from_secs(1);

/// A check that reads its nonce and says its verdict the way the grader does.
const HONEST_PASS: &str = r#"read nonce
echo "$nonce ✓ demo: done"
echo "$nonce end pass""#;

#[test]
fn an_honest_verdict_is_believed() {
    let outcome = run(HONEST_PASS, 10 * SECOND);
    assert!(outcome.passed, "{}", outcome.report);
    assert!(
        outcome.report.starts_with("✓ demo: done"),
        "{}",
        outcome.report
    );
}

#[test]
fn a_verdict_printed_without_the_nonce_is_not_believed() {
    let outcome = run("echo '✓ demo: done'\necho 'end pass'\nexit 0", 10 * SECOND);
    assert!(!outcome.passed, "{}", outcome.report);
    assert!(
        outcome.report.contains("std::process::exit(0)"),
        "{}",
        outcome.report
    );
    assert!(
        outcome
            .report
            .contains("Your code printed (not part of the verdict):"),
        "{}",
        outcome.report
    );
}

#[test]
fn a_guessed_nonce_is_not_believed() {
    let outcome = run("read nonce\necho 'course-verdict-0 end pass'", 10 * SECOND);
    assert!(!outcome.passed, "{}", outcome.report);
}

#[test]
fn an_abort_after_a_passing_verdict_fails() {
    let outcome = run(&format!("{HONEST_PASS}\nkill -ABRT $$"), 10 * SECOND);
    assert!(!outcome.passed, "{}", outcome.report);
    assert!(
        outcome
            .report
            .contains("after the checks, the program ended"),
        "{}",
        outcome.report
    );
    assert!(
        !outcome.report.contains("✓ demo: done"),
        "{}",
        outcome.report
    );
}

#[test]
fn an_abort_says_what_was_running() {
    let outcome = run(
        "read nonce\necho \"$nonce running squares(5)\"\nkill -ABRT $$",
        10 * SECOND,
    );
    assert!(!outcome.passed, "{}", outcome.report);
    assert!(outcome.report.contains("aborted"), "{}", outcome.report);
    assert!(
        outcome.report.contains("while the check ran squares(5)"),
        "{}",
        outcome.report
    );
}

#[test]
fn a_panic_outside_the_checks_is_said() {
    let outcome = run(
        "read nonce\necho 'your code panicked outside the checks: boom' >&2\nexit 101",
        10 * SECOND,
    );
    assert!(!outcome.passed, "{}", outcome.report);
    assert!(
        outcome.report.contains("a panic outside the checks"),
        "{}",
        outcome.report
    );
    assert!(
        outcome
            .report
            .contains("| your code panicked outside the checks: boom"),
        "{}",
        outcome.report
    );
}

#[test]
fn a_program_that_runs_too_long_is_stopped_with_its_children() {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let mark = dir.path().join("child-lived");
    // A child of the check (as the lab's are) that would outlive it.
    let script = format!(
        "(sleep 2; touch {}) &\nread nonce\nsleep 30",
        mark.display()
    );
    let start = Instant::now();
    let outcome = run(&script, Duration::from_millis(500));
    assert!(start.elapsed() < 5 * SECOND, "took {:?}", start.elapsed());
    assert!(!outcome.passed, "{}", outcome.report);
    assert!(
        outcome.report.contains("did not finish within 0.5 s"),
        "{}",
        outcome.report
    );
    std::thread::sleep(3 * SECOND);
    assert!(!mark.exists(), "the check's child outlived the time limit");
}

#[test]
fn a_file_left_in_the_temporary_directory_fails() {
    let outcome = run(
        &format!("echo draft > \"$TMPDIR/backup.txt\"\n{HONEST_PASS}"),
        10 * SECOND,
    );
    assert!(!outcome.passed, "{}", outcome.report);
    assert!(
        outcome
            .report
            .contains("your code left `backup.txt` in the temporary directory"),
        "{}",
        outcome.report
    );
}
