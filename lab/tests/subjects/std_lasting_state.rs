//! What the standard library allocates once and keeps (stdout's and
//! stdin's buffers, the test harness's captured output, the panic hook's
//! debug information) is not the checked code's leak, however the tests
//! run; and a byte buffer the code itself leaks still is.

use std::collections::TryReserveError;
use std::time::{Duration, Instant};

use crate::support::{check_in_output, fn_place, inner_run, is_inner};
use cleanup_lab::{check_all_allocation_failures, check_leaks};

/// A correct function that prints and reads.
fn greet(n: usize) -> Result<Vec<u8>, TryReserveError> {
    println!("hello, {n} bytes");
    let mut buffer = Vec::new();
    buffer.try_reserve_exact(n)?;
    Ok(buffer)
}

/// Runs the inner part of `test` with `args` and `RUST_BACKTRACE` set to
/// `backtrace`, and fails unless it passes within `limit`.
fn passes_when_run(test: &str, args: &[&str], backtrace: &str, what: &str, limit: Duration) {
    let place = fn_place("lab/src/site.rs", "kept_by_std");
    let mut command = inner_run(test, args);
    command.env("RUST_BACKTRACE", backtrace);
    let start = Instant::now();
    let (output, status) = crate::support::run_merged(command);
    let took = start.elapsed();
    check_in_output(
        &place,
        &format!("{what}, run with {args:?} and RUST_BACKTRACE={backtrace}"),
        status.success() && output.contains("test result: ok. 1 passed") && took < limit,
        format!("a pass within {limit:?}"),
        format!("{status} after {took:?}"),
        &output,
    );
}

/// Prints inside a leak check, and checks a function that prints.
fn prints_inside_checks() {
    let (_, report) = check_leaks(|| println!("printed inside the check"));
    assert!(report.is_clean(), "{report}");
    let check = check_all_allocation_failures(|| greet(10));
    assert!(check.result.is_ok());
}

// The test harness captures what a test prints (into a buffer it
// allocates at the first print) unless run with --nocapture; the children
// of check_all_allocation_failures never capture.
#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn printing_inside_a_check_is_not_a_leak() {
    prints_inside_checks();
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn printing_inside_a_check_is_not_a_leak_with_nocapture() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        return prints_inside_checks();
    }
    let what = "a check of code that prints";
    passes_when_run(test, &["--nocapture"], "0", what, Duration::from_secs(10));
}

/// Catches a panic inside a leak check.
fn catches_a_panic_inside_a_check() {
    let (_, report) = check_leaks(|| {
        let _ = std::panic::catch_unwind(|| panic!("caught inside the check"));
    });
    assert!(report.is_clean(), "{report}");
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_panic_caught_inside_a_check_is_not_a_leak() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        return catches_a_panic_inside_a_check();
    }
    let what = "a check of code that catches a panic";
    passes_when_run(test, &[], "0", what, Duration::from_secs(10));
}

#[test]
#[ignore = "0.6 s of reading debug information for a backtrace: CI runs it, as \
            `cargo test -p cleanup-lab -- --ignored` does"]
fn a_panic_caught_inside_a_check_is_not_a_leak_with_backtraces() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        return catches_a_panic_inside_a_check();
    }
    // The hook reads the debug information to print the backtrace: tens
    // of thousands of blocks, which the lab must judge in seconds.
    let what = "a check of code that catches a panic";
    passes_when_run(test, &[], "1", what, Duration::from_secs(10));
}

#[test]
fn reading_stdin_inside_a_check_is_not_a_leak() {
    let (_, report) = check_leaks(|| {
        let _ = std::io::stdin().lines().next();
    });
    assert!(report.is_clean(), "{report}");
}

#[test]
fn a_byte_buffer_the_code_leaks_is_still_a_leak() {
    let place = fn_place("lab/src/site.rs", "kept_by_std");
    let (_, report) = check_leaks(|| {
        println!("the same check prints");
        std::mem::forget(vec![7u8; 100]);
        std::mem::forget(String::from("a leaked string"));
    });
    crate::support::check_eq(
        &place,
        "leaks of a Vec<u8> and a String beside a println!",
        2,
        report.leaks.len(),
    );
}

#[test]
fn a_leaked_panic_payload_is_a_leak() {
    let place = fn_place("lab/src/site.rs", "kept_by_std");
    let (_, report) = check_leaks(|| {
        // resume_unwind panics without the panic hook (which would print,
        // and with RUST_BACKTRACE=1 read the debug information).
        let payload: Box<dyn std::any::Any + Send> = Box::new(vec![1u8; 64]);
        let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            std::panic::resume_unwind(payload)
        }));
        std::mem::forget(payload);
    });
    crate::support::check(
        &place,
        "a caught panic whose payload (a Vec<u8>) is forgotten",
        report.leaks.iter().any(|leak| leak.size == 64),
        "the 64-byte payload among the leaks",
        format!("{report}"),
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_caught_panic_whose_payload_is_forgotten_leaks_it() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        let (_, report) = check_leaks(|| {
            let payload = std::panic::catch_unwind(|| panic!("caught")).unwrap_err();
            std::mem::forget(payload);
        });
        assert!(!report.is_clean(), "{report}");
        return;
    }
    // In a child without backtraces, where the payload is made as most
    // readers' tests make it (with RUST_BACKTRACE=1 the stack differs).
    let what = "a check of code that catches a panic and forgets its payload (a leak)";
    passes_when_run(test, &[], "0", what, Duration::from_secs(10));
}
