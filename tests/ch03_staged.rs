//! Chapter 3's claims about `alloc_two`: exactly what was acquired is freed,
//! on every path, including every allocation failure. Each failure names
//! `alloc_two`'s place in `course/staged.rs`.

use crate::support;

use course::TwoBufError;
use course::lab::trace::{self, Event};
use course::lab::{assert_no_leaks, check_all_allocation_failures};
use course::staged::alloc_two;
use support::{check, check_eq, check_no_panic, fn_place};

/// Where the reader edits the function under test.
fn place() -> String {
    fn_place("course/staged.rs", "alloc_two")
}

#[test]
fn success_hands_both_buffers_to_the_caller() {
    let place = place();
    let (result, events) = trace::record(|| alloc_two(5));
    check_eq(
        &place,
        "what alloc_two(5) returns",
        Ok((vec![0, 1, 2, 3, 4], vec![0, 2, 4, 6, 8])),
        result,
    );
    // Two allocations and no free: the caller owns both.
    let expected = [
        Event::Alloc { id: 1, size: 20 },
        Event::Alloc { id: 2, size: 20 },
    ];
    check(
        &place,
        "what alloc_two(5) allocates and frees: A and B, and no free (the caller owns both)",
        events.events() == expected,
        format!("{expected:?}"),
        format!("{:?}\n--- the trace\n{events}", events.events()),
    );
}

#[test]
fn failure_between_frees_exactly_a() {
    let place = place();
    let (result, events) = trace::record(|| alloc_two(20));
    check_eq(
        &place,
        "what alloc_two(20) returns",
        Err(TwoBufError::TooLarge {
            requested: 20,
            limit: 10,
        }),
        result,
    );
    let expected = [
        Event::Alloc { id: 1, size: 80 },
        Event::Free {
            id: Some(1),
            size: 80,
        },
    ];
    check(
        &place,
        "what alloc_two(20) allocates and frees: A, then A again when it fails",
        events.events() == expected,
        format!("{expected:?}"),
        format!("{:?}\n--- the trace\n{events}", events.events()),
    );
}

#[test]
fn no_path_leaks() {
    let place = place();
    for n in [0, 1, 5, 10, 11, 20] {
        check_no_panic(
            &place,
            &format!("alloc_two({n}), its result dropped"),
            "no leak",
            || assert_no_leaks(|| drop(alloc_two(n))),
        );
    }
}

#[test]
fn every_allocation_failure_is_out_of_memory_and_leaks_nothing() {
    let place = place();
    for (n, points) in [(0, 0), (1, 2), (5, 2), (10, 2), (11, 1), (20, 1)] {
        let check = check_no_panic(
            &place,
            &format!("each allocation of alloc_two({n}) failing in turn"),
            "an out-of-memory error and no leak at every failure point",
            || check_all_allocation_failures(|| alloc_two(n)),
        );
        check_eq(
            &place,
            &format!("the allocations alloc_two({n}) attempts"),
            points,
            check.failure_points,
        );
    }
}
