//! The options of the failure check: nothing allocated after the failure,
//! a spread of points for functions that allocate thousands of times, and
//! one point tried again alone.

use std::collections::TryReserveError;

use crate::functions::leaks_at_the_second;
use crate::support::{check, check_eq, check_in_output, fn_place, inner_run, is_inner};
use cleanup_lab::{AllocationFailures, check_all_allocation_failures};

/// The line of this file that contains `needle`.
fn line_of(needle: &str) -> usize {
    include_str!("failure_options.rs")
        .lines()
        .position(|line| line.contains(needle) && !line.contains("line_of("))
        .map_or(0, |index| index + 1)
}

/// Frees everything on failure, but builds a message on the way out.
fn allocates_on_the_way_out() -> Result<Vec<u8>, String> {
    let mut buffer = Vec::new();
    buffer
        .try_reserve_exact(32)
        .map_err(|error| format!("no buffer: {error}"))?;
    Ok(buffer)
}

/// `String` errors here are out of memory: they come from a failed
/// allocation only.
struct Message(String);

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl cleanup_lab::OutOfMemory for Message {
    fn is_out_of_memory(&self) -> bool {
        true
    }
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn an_allocation_after_the_failure_is_reported_when_asked() {
    let place = fn_place("lab/src/check_all/child.rs", "run");
    let f = || allocates_on_the_way_out().map_err(Message);
    let plain = check_all_allocation_failures(f);
    check_eq(
        &place,
        "failure points, without the option",
        1,
        plain.failure_points,
    );
    let message = crate::support::panic_of(|| {
        AllocationFailures::new()
            .nothing_after_the_failure()
            .check(f)
    });
    check(
        &place,
        "the check with nothing_after_the_failure of a function that formats an error message",
        message.contains("allocation #1: allocated ")
            && message.contains(&format!(
                "more times after the failed allocation, first at {{closure#0}} \
                 (lab/tests/subjects/failure_options.rs:{}:",
                line_of(".map_err(|error| format!(\"no buffer")
            )),
        "allocation #1 goes wrong, naming the place of the message's allocation",
        message,
    );
}

/// 40 allocations at one place, one at another, 40 at a third.
fn three_places() -> Result<(), TryReserveError> {
    let mut kept: Vec<Vec<u8>> = Vec::new();
    kept.try_reserve_exact(81)?;
    for _ in 0..39 {
        let mut a = Vec::new();
        a.try_reserve_exact(8)?;
        kept.push(a);
    }
    let mut b: Vec<u8> = Vec::new();
    b.try_reserve_exact(16)?;
    kept.push(b);
    for _ in 0..40 {
        let mut c = Vec::new();
        c.try_reserve_exact(24)?;
        kept.push(c);
    }
    Ok(())
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn at_most_tries_a_spread_and_names_the_places_never_failed() {
    let place = fn_place("lab/src/check_all/parent.rs", "run_all");
    let spread = AllocationFailures::new().at_most(2).check(three_places);
    check_eq(&place, "failure points", 81, spread.failure_points);
    check_eq(&place, "points tried", 2, spread.tried);
    let (a, b) = (
        line_of("a.try_reserve_exact(8)?"),
        line_of("b.try_reserve_exact(16)?"),
    );
    let expected = [a, b].map(|line| format!("(lab/tests/subjects/failure_options.rs:{line}:"));
    check(
        &place,
        "the places never failed, with the first and the last point tried",
        spread.never_failed.len() == 2
            && spread.never_failed[0].contains(&expected[0])
            && spread.never_failed[1].contains(&expected[1]),
        format!("the loop of a (line {a}), then b (line {b})"),
        format!("{:?}", spread.never_failed),
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_failing_check_says_how_to_try_a_point_again_alone() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        check_all_allocation_failures(leaks_at_the_second);
        return;
    }
    let place = fn_place("lab/src/check_all/parent.rs", "fail_each");
    // The command a failing check prints names the check's place, so that
    // the test's other checks run all their points, and runs the test
    // ignored or not.
    let call = line_of("check_all_allocation_failures(leaks_at_the_second);");
    let here = format!("2@lab/tests/subjects/failure_options.rs:{call}");
    let hint = format!("CLEANUP_LAB_ONLY={here} cargo test {test} -- --exact --include-ignored");
    // Side by side: each run waits for its child processes.
    let runs: Vec<_> = [
        // The check fails, and says how to try the failing point alone,
        // which this run does.
        (
            "2".to_string(),
            "1 of 1 tried (2 in all) failure points went wrong",
        ),
        (
            here.clone(),
            "1 of 1 tried (2 in all) failure points went wrong",
        ),
        // Another check's place: this one runs all its points.
        (
            "2@elsewhere.rs:1".to_string(),
            "1 of 2 failure points went wrong",
        ),
        ("1".to_string(), "test result: ok. 1 passed"),
        (
            "3".to_string(),
            "CLEANUP_LAB_ONLY names failure point 3, but the function attempts 2 allocations",
        ),
        (
            "two".to_string(),
            "CLEANUP_LAB_ONLY=two: not a list of failure points",
        ),
    ]
    .into_iter()
    .map(|(only, expected)| {
        let mut command = inner_run(test, &[]);
        command.env("CLEANUP_LAB_ONLY", &only);
        let run = std::thread::spawn(move || crate::support::run_merged(command));
        (only, expected, run)
    })
    .collect();
    for (only, expected, run) in runs {
        let (output, status) = run.join().expect("a run's thread");
        if only == "2" {
            check_in_output(
                &place,
                "a check of a function that leaks when its second allocation fails",
                output.contains(&hint),
                format!("a failure that says: {hint}"),
                status,
                &output,
            );
        }
        check_in_output(
            &place,
            &format!("the same check with CLEANUP_LAB_ONLY={only}"),
            output.contains(expected) && status.success() == (only == "1"),
            expected,
            status,
            &output,
        );
    }
}
