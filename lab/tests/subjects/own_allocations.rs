//! The lab never counts, traces, fails or checks its own allocations, and
//! the program's code it calls (a note's `Display`) always runs observed.

use std::cell::RefCell;
use std::fmt;

use crate::support::{check, check_eq, fn_place};
use cleanup_lab::{assert_no_leaks, check_leaks, count_allocations, trace, with_failure_at};

#[test]
fn the_lab_allocates_nothing_a_count_sees() {
    let place = fn_place("lab/src/hooks.rs", "quietly");
    let (_, traced) = count_allocations(|| trace::record(|| ()));
    check_eq(
        &place,
        "allocations counted around an empty trace",
        0,
        traced.attempts,
    );
    let (_, checked) = count_allocations(|| check_leaks(|| ()));
    check_eq(
        &place,
        "allocations counted around an empty leak check",
        0,
        checked.attempts,
    );
}

#[test]
fn a_planned_failure_never_reaches_the_lab() {
    // Each would abort the test binary if the lab's own allocation got
    // the failure.
    let (_, count) = with_failure_at(0, || assert_no_leaks(|| ()));
    check_eq(
        &fn_place("lab/src/hooks.rs", "quietly"),
        "whether with_failure_at(0) around an empty assert_no_leaks failed anything",
        false,
        count.injected,
    );
    let (_, count) = with_failure_at(0, || trace::record(|| ()));
    check_eq(
        &fn_place("lab/src/hooks.rs", "quietly"),
        "whether with_failure_at(0) around an empty trace failed anything",
        false,
        count.injected,
    );
}

/// A note whose `Display` frees the block it holds.
struct FreesWhenShown(RefCell<Option<Vec<u8>>>);

impl fmt::Display for FreesWhenShown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        drop(self.0.borrow_mut().take());
        f.write_str("freed while shown")
    }
}

/// A note whose `Display` leaks.
struct LeaksWhenShown;

impl fmt::Display for LeaksWhenShown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        std::mem::forget(vec![3u8; 3000]);
        f.write_str("leaked while shown")
    }
}

/// A note whose `Display` runs a leak check of its own.
struct ChecksWhenShown;

impl fmt::Display for ChecksWhenShown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (_, report) = check_leaks(|| drop(vec![1u8; 10]));
        write!(f, "{} allocations", report.allocations)
    }
}

#[test]
fn a_notes_display_runs_observed() {
    let place = fn_place("lab/src/trace.rs", "note");
    let (_, report) = check_leaks(|| {
        let shown = FreesWhenShown(RefCell::new(Some(vec![0u8; 3000])));
        let ((), events) = trace::record(|| trace::note(&shown));
        check(
            &place,
            "the trace of a note whose Display frees a 3000-byte block",
            events
                .to_string()
                .contains("free    (older block)  3000 bytes"),
            "the free in the trace",
            events.to_string(),
        );
    });
    check(
        &place,
        "a check around a note whose Display frees its block",
        report.is_clean(),
        "clean",
        report.to_string(),
    );
    let (_, report) = check_leaks(|| trace::record(|| trace::note(LeaksWhenShown)));
    check(
        &place,
        "a check around a note whose Display leaks 3000 bytes",
        report.leaked_bytes() == 3000,
        "3000 bytes leaked",
        report.to_string(),
    );
    let ((), events) = trace::record(|| trace::note(ChecksWhenShown));
    check(
        &place,
        "a leak check inside a note's Display",
        events.to_string().contains("1 allocations"),
        "the inner check sees the one allocation",
        events.to_string(),
    );
}
