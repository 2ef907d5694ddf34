//! Chapter 7's claims about each buffer design: which ones allocate, that
//! the fallible ones report every failure as out of memory and leak
//! nothing, and that one generic function serves the global allocator and
//! an arena. A failure names the place of the design under test in
//! `course/buffers.rs`, or, for a claim about the standard library, the
//! chapter's line that makes it.

use crate::support;

use allocator_api2::alloc::Global;
use bumpalo::Bump;
use course::TwoBufError;
use course::arena::bytes_in_use;
use course::buffers::{alloc_two_in, double_all, evens, fill_evens, sum, try_evens, try_evens_in};
use course::lab::{LeakReport, check_all_allocation_failures, check_leaks, count_allocations};
use support::{check, check_eq, check_no_panic, fail, fn_place};

/// Where the reader edits `fn name` of `course/buffers.rs`.
fn at(name: &str) -> String {
    fn_place("course/buffers.rs", name)
}

/// `src/ch07-buffers-in-apis.md:LINE`, the chapter's line that says
/// `phrase`: where a claim about the standard library (no course code) is
/// made. Fails if the chapter no longer says it.
fn claim(phrase: &str) -> String {
    support::chapter_place("src/ch07-buffers-in-apis.md", phrase)
}

/// Fails unless the leak check of `call` found nothing.
#[track_caller]
fn no_leak(place: &str, call: &str, report: &LeakReport) {
    let what = format!("{call}, its result dropped");
    // The report is formatted (which resolves stacks: slow) only on failure.
    check(place, &what, report.is_clean(), "no leak", report);
}

/// Each allocation of `f` failing in turn must give an error and leak
/// nothing; `f` must attempt `points` allocations.
#[track_caller]
fn every_failure_is_out_of_memory<T>(
    place: &str,
    call: &str,
    points: u64,
    f: impl FnMut() -> Result<T, TwoBufError> + std::panic::UnwindSafe,
) {
    let check = check_no_panic(
        place,
        &format!("each allocation of {call} failing in turn"),
        "an out-of-memory error and no leak at every failure point",
        || check_all_allocation_failures(f),
    );
    check_eq(
        place,
        &format!("the allocations {call} attempts"),
        points,
        check.failure_points,
    );
}

#[test]
fn borrowing_functions_accept_every_kind_of_buffer_and_allocate_nothing() {
    let vec = vec![1, 2, 3];
    let boxed: Box<[i32]> = Box::new([1, 2, 3]);
    let arena = Bump::new();
    let in_arena: &[i32] = arena.alloc_slice_copy(&[1, 2, 3]);
    let (sums, count) = count_allocations(|| {
        [
            sum(&[1, 2, 3]),
            sum(&vec),
            sum(&boxed),
            sum(in_arena),
            sum(&vec[1..]),
        ]
    });
    let place = at("sum");
    check_eq(
        &place,
        "sum of [1, 2, 3] as an array, a Vec, a Box, an arena slice, then of vec[1..]",
        [6, 6, 6, 6, 5],
        sums,
    );
    check_eq(&place, "allocations those sums attempt", 0, count.attempts);

    let mut values = [1, 2, 3];
    let ((), count) = count_allocations(|| double_all(&mut values));
    check_eq(
        &at("double_all"),
        "double_all(&mut [1, 2, 3]): the values, and the allocations it attempts",
        ([2, 4, 6], 0),
        (values, count.attempts),
    );
}

#[test]
fn the_caller_provided_buffer_is_filled_without_allocating() {
    let mut on_the_stack = [0; 4];
    let ((), count) = count_allocations(|| fill_evens(&mut on_the_stack));
    check_eq(
        &at("fill_evens"),
        "fill_evens(&mut [0; 4]): the values, and the allocations it attempts",
        ([0, 2, 4, 6], 0),
        (on_the_stack, count.attempts),
    );
}

#[test]
fn owned_results_free_themselves() {
    let place = at("evens");
    let ((), report) = check_leaks(|| {
        check_eq(
            &place,
            "what evens(3) returns",
            &[0, 2, 4][..],
            &evens(3)[..],
        );
    });
    no_leak(&place, "evens(3)", &report);

    let place = at("try_evens");
    let ((), report) = check_leaks(|| {
        check_eq(
            &place,
            "what try_evens(3) returns",
            Ok(&[0, 2, 4][..]),
            try_evens(3).as_deref(),
        );
    });
    no_leak(&place, "try_evens(3)", &report);

    let place = at("try_evens_in");
    let ((), report) = check_leaks(|| {
        check_eq(
            &place,
            "what try_evens_in(3, Global) returns",
            Ok(&[0, 2, 4][..]),
            try_evens_in(3, Global).as_deref(),
        );
    });
    no_leak(&place, "try_evens_in(3, Global)", &report);

    let place = at("alloc_two_in");
    let ((), report) = check_leaks(|| {
        check_eq(
            &place,
            "what alloc_two_in(3, Global) returns",
            Ok((&[0, 1, 2][..], &[0, 2, 4][..])),
            alloc_two_in(3, Global)
                .as_ref()
                .map(|(a, b)| (&a[..], &b[..])),
        );
    });
    no_leak(&place, "alloc_two_in(3, Global)", &report);
}

#[test]
fn every_allocation_failure_of_the_fallible_designs_is_out_of_memory_and_leaks_nothing() {
    every_failure_is_out_of_memory(&at("try_evens"), "try_evens(5)", 1, || {
        try_evens(5).map(drop)
    });
    every_failure_is_out_of_memory(&at("try_evens_in"), "try_evens_in(5, Global)", 1, || {
        try_evens_in(5, Global).map(drop)
    });
    let place = at("alloc_two_in");
    // LIMIT elements are allowed (two allocations), more are refused after A.
    let limit = course::staged::LIMIT;
    for (n, points) in [(0, 0), (5, 2), (limit, 2), (limit + 1, 1), (20, 1)] {
        every_failure_is_out_of_memory(
            &place,
            &format!("alloc_two_in({n}, Global)"),
            points,
            || alloc_two_in(n, Global).map(drop),
        );
    }
}

#[test]
fn in_an_arena_the_same_functions_ask_nothing_of_the_global_allocator() {
    let arena = Bump::with_capacity(1024);
    let (evens, count) = count_allocations(|| try_evens_in(5, &arena).map(|v| v.len()));
    let place = at("try_evens_in");
    let what = "try_evens_in(5, &arena)";
    check_eq(&place, &format!("{what}: the length"), Ok(5), evens);
    check_eq(
        &place,
        &format!("{what}: global allocations attempted"),
        0,
        count.attempts,
    );

    let (result, count) = count_allocations(|| {
        let two = alloc_two_in(5, &arena).map(|(a, b)| a.len() + b.len());
        let too_large = alloc_two_in(20, &arena).map(drop);
        (two, too_large)
    });
    let place = at("alloc_two_in");
    let what = "alloc_two_in(5, &arena), then alloc_two_in(20, &arena)";
    check_eq(
        &place,
        &format!("{what}: the total length, then the error"),
        (
            Ok(10),
            Err(TwoBufError::TooLarge {
                requested: 20,
                limit: 10,
            }),
        ),
        result,
    );
    check_eq(
        &place,
        &format!("{what}: global allocations attempted"),
        0,
        count.attempts,
    );
}

#[test]
fn an_arena_vec_gives_back_its_bytes_only_if_it_was_the_last_allocation() {
    let arena = Bump::with_capacity(1024);
    let place = at("try_evens_in");
    let evens = try_evens_in(5, &arena)
        .unwrap_or_else(|e| fail(&place, "try_evens_in(5, &arena)", "Ok", format!("{e:?}")));
    drop(evens); // the last one: given back
    check_eq(
        &place,
        "bytes in use after dropping try_evens_in(5, &arena), the last allocation",
        0,
        bytes_in_use(&arena),
    );
    let place = at("alloc_two_in");
    let (a, b) = alloc_two_in(5, &arena)
        .unwrap_or_else(|e| fail(&place, "alloc_two_in(5, &arena)", "Ok", format!("{e:?}")));
    drop(a); // not the last one: stays in use until a reset
    drop(b); // the last one: given back
    check_eq(
        &place,
        "bytes in use after dropping A, then B, of alloc_two_in(5, &arena): A's 20 stay",
        20,
        bytes_in_use(&arena),
    );
    let _ = alloc_two_in(20, &arena); // A was the last one: given back
    check_eq(
        &place,
        "bytes in use after alloc_two_in(20, &arena) fails: its A is given back",
        20,
        bytes_in_use(&arena),
    );
}

#[test]
fn a_full_arena_is_out_of_memory() {
    let arena = Bump::new();
    arena.set_allocation_limit(Some(0));
    check_eq(
        &at("try_evens_in"),
        "what try_evens_in(5, &arena) returns when the arena may not allocate",
        Some(TwoBufError::OutOfMemory),
        try_evens_in(5, &arena).err(),
    );
    check_eq(
        &at("alloc_two_in"),
        "what alloc_two_in(5, &arena) returns when the arena may not allocate",
        Some(TwoBufError::OutOfMemory),
        alloc_two_in(5, &arena).err(),
    );
}

#[test]
fn the_infallible_design_aborts_when_its_allocation_fails() {
    let place = at("evens");
    let what = "the lab's report when the allocation of evens(5) fails";
    let run = || {
        check_all_allocation_failures(|| Ok::<_, TwoBufError>(evens(5).len()));
    };
    let message = support::panic_of(&place, what, "a report of an abort", run);
    for expected in [
        "1 of 1 failure points went wrong",
        "the process ended without a verdict (signal: 6 (SIGABRT))",
    ] {
        check(
            &place,
            what,
            message.contains(expected),
            format!("a report containing {expected:?}"),
            &message,
        );
    }
}

/// The chapter: `into_boxed_slice` is free after an exact reservation, and
/// a reallocation when the `Vec` has spare capacity.
#[test]
fn into_boxed_slice_reallocates_only_spare_capacity() {
    let exact = try_evens(5)
        .unwrap_or_else(|e| fail(&at("try_evens"), "try_evens(5)", "Ok", format!("{e:?}")));
    let (boxed, count) = count_allocations(|| exact.into_boxed_slice());
    check_eq(
        &at("try_evens"),
        "try_evens(5), into_boxed_slice",
        &[0, 2, 4, 6, 8][..],
        &boxed[..],
    );
    check_eq(
        &claim("which costs nothing after `try_reserve_exact(n)` and `n` elements"),
        "allocations into_boxed_slice attempts on try_evens(5), reserved exactly",
        0,
        count.attempts,
    );

    let mut spare = Vec::with_capacity(8);
    spare.extend([1, 2, 3]);
    let (boxed, count) = count_allocations(|| spare.into_boxed_slice());
    let place = claim("reallocation (that aborts on failure) when the `Vec` has spare capacity");
    let what = "into_boxed_slice of [1, 2, 3] with capacity 8";
    check_eq(&place, what, &[1, 2, 3][..], &boxed[..]);
    check_eq(
        &place,
        &format!("allocations {what} attempts (one reallocation)"),
        1,
        count.attempts,
    );
}
