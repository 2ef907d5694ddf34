//! Chapter 4's claims about raw parts: freeing each part once leaks
//! nothing, on every path; forgetting one is a leak that nothing prevents.
//! A failure names the place of the function under test in
//! `examples/ch04_raw_parts.rs`: `show`, the caller that defers both
//! frees, or `alloc_two_parts`.

use crate::support;

use std::fmt::Display;

use course::lab::{assert_no_leaks, check_all_allocation_failures, check_leaks};
use support::{fail, fn_place};

#[path = "../examples/ch04_raw_parts.rs"]
#[allow(dead_code)]
mod example;

use example::{alloc_two_parts, free_part, show};

// These checks look for the place of the function under test (`fn_place`)
// only when they fail: reading the source takes a second under Miri.

/// Where the reader edits `fn name` of the example.
fn at(name: &str) -> String {
    fn_place("examples/ch04_raw_parts.rs", name)
}

/// Runs `f`, which must not panic (the lab's checks report what they found
/// by panicking); if it does, fails naming the place of `show`.
#[track_caller]
fn show_must_not_panic<R>(
    what: impl Display,
    expected: &str,
    f: impl FnOnce() -> R + std::panic::UnwindSafe,
) -> R {
    match support::catch_expected(f) {
        Ok(value) => value,
        Err(payload) => fail(
            &at("show"),
            &what.to_string(),
            expected,
            support::panic_payload_text(&*payload),
        ),
    }
}

#[test]
fn the_caller_that_defers_both_frees_leaks_nothing() {
    for n in [0, 5, 20] {
        show_must_not_panic(
            format_args!("show({n}), its deferred frees run"),
            "no leak",
            || assert_no_leaks(|| drop(show(n))),
        );
    }
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn every_allocation_failure_is_out_of_memory_and_leaks_nothing() {
    for (n, points) in [(0, 0), (5, 2), (20, 1)] {
        let check = show_must_not_panic(
            format_args!("each allocation of show({n}) failing in turn"),
            "an out-of-memory error and no leak at every failure point",
            || check_all_allocation_failures(|| show(n)),
        );
        if check.failure_points != points {
            fail(
                &at("show"),
                &format!("the allocations show({n}) attempts"),
                points,
                check.failure_points,
            );
        }
    }
}

#[test]
fn forgetting_one_part_leaks_it() {
    let (b, report) = check_leaks(|| {
        let (a, b) = alloc_two_parts(5).unwrap();
        // SAFETY: `a` comes from `alloc_two_parts` and is freed once.
        unsafe { free_part(a) };
        b // "forgotten" inside the check
    });
    if report.leaked_bytes() != 20 {
        fail(
            &at("alloc_two_parts"),
            "what the lab sees leaked when the caller frees A from alloc_two_parts(5) and forgets B",
            "20 bytes leaked (B: 5 i32s)",
            &report, // formatting it resolves stacks: slow, so only on failure
        );
    }
    // SAFETY: `b` comes from `alloc_two_parts` and was never freed.
    unsafe { free_part(b) };
}
