//! Chapter 3's claims about the explicit errdefer: each guard frees its
//! buffer on failure, success defuses both, and no failure leaks.
//! Each failure names `alloc_two_raw`'s place in `course/errdefer.rs`.

use crate::support;

use course::TwoBufError;
use course::errdefer::alloc_two_raw;
use course::lab::trace::{self, Event, Trace};
use course::lab::{check_all_allocation_failures, check_leaks};
use support::{check, check_eq, check_no_panic, fail, fn_place};

/// Where the reader edits the function under test.
fn place() -> String {
    fn_place("course/errdefer.rs", "alloc_two_raw")
}

/// The frees of a trace, and the whole trace to show if they are wrong.
fn frees(events: &Trace) -> (Vec<Event>, String) {
    let frees = events
        .events()
        .iter()
        .filter(|e| matches!(e, Event::Free { .. }))
        .copied()
        .collect();
    (frees, format!("--- the trace\n{events}"))
}

#[test]
fn success_defuses_both_guards() {
    let place = place();
    let (result, events) = trace::record(|| alloc_two_raw(3));
    let (a, b) =
        result.unwrap_or_else(|e| fail(&place, "alloc_two_raw(3)", "Ok", format!("{e:?}")));
    check_eq(
        &place,
        "the buffers alloc_two_raw(3) returns",
        (&[0, 1, 2][..], &[0, 2, 4][..]),
        (a.as_slice(), b.as_slice()),
    );
    let text = events.to_string();
    check(
        &place,
        "no guard may fire when alloc_two_raw(3) succeeds",
        !text.contains("fires"),
        "a trace without \"fires\"",
        &text,
    );
    let (frees, trace) = frees(&events);
    check(
        &place,
        "what alloc_two_raw(3) frees (nothing: the caller owns both)",
        frees.is_empty(),
        "[]",
        format!("{frees:?}\n{trace}"),
    );
    a.free();
    b.free();
}

#[test]
fn failure_between_fires_only_the_guard_of_a() {
    let place = place();
    let (result, events) = trace::record(|| alloc_two_raw(20));
    check_eq(
        &place,
        "what alloc_two_raw(20) returns",
        Some(TwoBufError::TooLarge {
            requested: 20,
            limit: 10,
        }),
        result.err(),
    );
    let text = events.to_string();
    check(
        &place,
        "A's guard must fire when alloc_two_raw(20) fails between A and B",
        text.contains("errdefer for A fires"),
        "a trace with \"errdefer for A fires\"",
        &text,
    );
    check(
        &place,
        "B's guard must not exist when alloc_two_raw(20) fails before B",
        !text.contains("errdefer for B"),
        "a trace without \"errdefer for B\"",
        &text,
    );
    let (frees, trace) = frees(&events);
    let expected = [Event::Free {
        id: Some(1),
        size: 80,
    }];
    check(
        &place,
        "what alloc_two_raw(20) frees: A (block #1, 80 bytes), once",
        frees == expected,
        format!("{expected:?}"),
        format!("{frees:?}\n{trace}"),
    );
}

#[test]
fn every_path_and_every_allocation_failure_leaks_nothing() {
    let place = place();
    for (n, points) in [(0, 0), (1, 2), (5, 2), (10, 2), (11, 1), (20, 1)] {
        let check = check_no_panic(
            &place,
            &format!("each allocation of alloc_two_raw({n}) failing in turn"),
            "an out-of-memory error and no leak at every failure point",
            || {
                check_all_allocation_failures(|| {
                    alloc_two_raw(n).map(|(a, b)| {
                        a.free();
                        b.free();
                    })
                })
            },
        );
        check_eq(
            &place,
            &format!("the allocations alloc_two_raw({n}) attempts"),
            points,
            check.failure_points,
        );
    }
}

#[test]
fn the_caller_must_free_a_raw_buffer() {
    // Forgetting `free` is a leak: the lab sees it.
    let (buffers, report) = check_leaks(|| alloc_two_raw(2).unwrap());
    check(
        &place(),
        "what the lab sees leaked when the caller forgets to free alloc_two_raw(2)'s buffers",
        report.leaked_bytes() == 16,
        "16 bytes leaked (A and B, 8 bytes each)",
        &report, // formatting it resolves stacks: slow, so only on failure
    );
    let (a, b) = buffers;
    a.free();
    b.free();
}
