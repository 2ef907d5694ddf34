//! Chapter 3's `RawBuffer` is sound for any safe caller: each argument its
//! `SAFETY:` comments make is tested here from safe code, the way a caller
//! could try to break it. (CI also runs this file under Miri, which reports
//! any read of uninitialised memory, any out-of-bounds access and any
//! mismatched free as undefined behaviour; see `.ci/miri`.) A failure names
//! the place of the method under test in `course/raw_buffer.rs`.

use crate::support;

use std::fmt::{Debug, Display};
use std::panic::AssertUnwindSafe;

use course::TwoBufError;
use course::lab::trace::{self, Event};
use course::lab::{check_leaks, count_allocations, with_failure_at};
use course::raw_buffer::RawBuffer;
use support::{fail, fn_place};

// These checks format their messages and look for the place of the method
// under test (`fn_place`) only when they fail: under Miri, reading the
// source takes a second, and inside a leak check each allocation records
// its stack.

/// Where the reader edits `RawBuffer::name`.
fn at(name: &str) -> String {
    fn_place("course/raw_buffer.rs", name)
}

/// [`check`](support::check), naming the place of `RawBuffer::name`.
#[track_caller]
fn check(name: &str, what: impl Display, ok: bool, expected: impl Display, seen: impl Display) {
    if !ok {
        fail(&at(name), &what.to_string(), expected, seen);
    }
}

/// [`check_eq`](support::check_eq), naming the place of `RawBuffer::name`.
#[track_caller]
fn check_eq<T: PartialEq + Debug>(name: &str, what: impl Display, expected: T, seen: T) {
    check(
        name,
        what,
        seen == expected,
        format_args!("{expected:?}"),
        format_args!("{seen:?}"),
    );
}

/// `RawBuffer::alloc(len)`, which must succeed.
#[track_caller]
fn alloc(len: usize) -> RawBuffer {
    RawBuffer::alloc(len).unwrap_or_else(|e| {
        let what = format!("RawBuffer::alloc({len})");
        fail(&at("alloc"), &what, "Ok", format!("{e:?}"))
    })
}

/// Zig's `alloc` leaves memory undefined; reading it from safe Rust must
/// still be defined, so a fresh buffer reads as zeros.
#[test]
fn a_fresh_buffer_can_be_read_before_any_write() {
    let ((), report) = check_leaks(|| {
        let buffer = alloc(4);
        check_eq(
            "alloc",
            "RawBuffer::alloc(4), read before any write (alloc must zero)",
            &[0, 0, 0, 0][..],
            buffer.as_slice(),
        );
        buffer.free();
    });
    check(
        "free",
        "RawBuffer::alloc(4), then free",
        report.is_clean(),
        "no leak",
        &report, // formatting it resolves stacks: slow, so only on failure
    );
}

/// A `fill` cut short by a panic leaves every element initialised.
/// (No leak check here: the panic machinery keeps memory of its own.)
#[test]
fn a_fill_interrupted_by_a_panic_leaves_a_readable_buffer() {
    let mut buffer = alloc(5);
    let fill = support::catch_expected(AssertUnwindSafe(|| {
        buffer.fill(|i| if i < 2 { 7 } else { panic!("stop at {i}") })
    }));
    let what = "fill of 5 elements whose value function panics at element 2";
    check(
        "fill",
        what,
        fill.is_err(),
        "the panic passed on",
        "it returned",
    );
    check_eq(
        "fill",
        format_args!("{what}: the buffer after the panic"),
        &[7, 7, 0, 0, 0][..],
        buffer.as_slice(),
    );
    buffer.free();
}

/// Zero bytes are never asked of the allocator, nor given back to it.
#[test]
fn an_empty_buffer_touches_no_memory() {
    let (buffer, count) = count_allocations(|| alloc(0));
    check_eq(
        "alloc",
        "allocations RawBuffer::alloc(0) attempts (none for zero integers)",
        0,
        count.attempts,
    );
    check_eq(
        "as_slice",
        "the length of RawBuffer::alloc(0)'s slice",
        0,
        buffer.as_slice().len(),
    );
    let ((), events) = trace::record(|| buffer.free());
    check(
        "free",
        "what free of an empty buffer asks of the allocator (nothing to free)",
        events.events().is_empty(),
        "nothing",
        &events,
    );
}

/// A length whose size overflows `isize::MAX` bytes fails before the
/// allocator is asked (so the slice can never claim more than exists).
#[test]
fn impossible_lengths_fail_without_allocating() {
    for len in [usize::MAX, isize::MAX as usize / 4 + 1] {
        let (result, count) = count_allocations(|| RawBuffer::alloc(len));
        check_eq(
            "alloc",
            format_args!("RawBuffer::alloc({len}), more than isize::MAX bytes"),
            Some(TwoBufError::OutOfMemory),
            result.err(),
        );
        check_eq(
            "alloc",
            format_args!(
                "RawBuffer::alloc({len}), more than isize::MAX bytes: allocations attempted"
            ),
            0,
            count.attempts,
        );
    }
}

/// A refused allocation is an error, not a buffer around a null pointer.
#[test]
fn a_refused_allocation_is_out_of_memory() {
    let what = "RawBuffer::alloc(4) when the allocator refuses";
    let ((), report) = check_leaks(|| {
        let (result, count) = with_failure_at(0, || RawBuffer::alloc(4));
        check(
            "alloc",
            format_args!("{what}: whether it asked the allocator"),
            count.injected,
            "it asked, and was refused",
            "it never asked",
        );
        check_eq("alloc", what, Some(TwoBufError::OutOfMemory), result.err());
    });
    check("alloc", what, report.is_clean(), "no leak", &report);
}

/// `free` gives back exactly the block `alloc` took, once.
#[test]
fn free_returns_the_block_it_allocated() {
    let ((), events) = trace::record(|| {
        let mut buffer = alloc(3);
        buffer.fill(|i| i as i32);
        check_eq(
            "fill",
            "RawBuffer::alloc(3), filled with its indices",
            &[0, 1, 2][..],
            buffer.as_slice(),
        );
        buffer.as_mut_slice()[2] = 9;
        check_eq(
            "as_mut_slice",
            "the buffer after as_mut_slice()[2] = 9",
            &[0, 1, 9][..],
            buffer.as_slice(),
        );
        buffer.free();
    });
    let expected = [
        Event::Alloc { id: 1, size: 12 },
        Event::Free {
            id: Some(1),
            size: 12,
        },
    ];
    check(
        "free",
        "what RawBuffer::alloc(3), then free, allocate and free: the same 12 bytes, once",
        events.events() == expected,
        format_args!("{expected:?}"),
        format_args!("{:?}\n--- the trace\n{events}", events.events()),
    );
}
