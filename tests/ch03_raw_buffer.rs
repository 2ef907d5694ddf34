//! Chapter 3's `RawBuffer` is sound for any safe caller: each argument its
//! `SAFETY:` comments make is tested here from safe code, the way a caller
//! could try to break it. (CI also runs this file under Miri, which reports
//! any read of uninitialised memory, any out-of-bounds access and any
//! mismatched free as undefined behaviour; see `.ci/miri`.)

use std::panic::{catch_unwind, AssertUnwindSafe};

use course::lab::trace::{self, Event};
use course::lab::{assert_no_leaks, count_allocations, with_failure_at};
use course::raw_buffer::RawBuffer;
use course::TwoBufError;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

/// Zig's `alloc` leaves memory undefined; reading it from safe Rust must
/// still be defined, so a fresh buffer reads as zeros.
#[test]
fn a_fresh_buffer_can_be_read_before_any_write() {
    assert_no_leaks(|| {
        let buffer = RawBuffer::alloc(4).unwrap();
        assert_eq!(
            buffer.as_slice(),
            [0, 0, 0, 0],
            "RawBuffer::alloc must zero"
        );
        buffer.free();
    });
}

/// A `fill` cut short by a panic leaves every element initialised.
/// (No leak check here: the panic machinery keeps memory of its own.)
#[test]
fn a_fill_interrupted_by_a_panic_leaves_a_readable_buffer() {
    let mut buffer = RawBuffer::alloc(5).unwrap();
    let fill = catch_unwind(AssertUnwindSafe(|| {
        buffer.fill(|i| if i < 2 { 7 } else { panic!("stop at {i}") })
    }));
    assert!(fill.is_err());
    assert_eq!(buffer.as_slice(), [7, 7, 0, 0, 0]);
    buffer.free();
}

/// Zero bytes are never asked of the allocator, nor given back to it.
#[test]
fn an_empty_buffer_touches_no_memory() {
    let (buffer, count) = count_allocations(|| RawBuffer::alloc(0).unwrap());
    assert_eq!(count.attempts, 0, "no allocation for zero integers");
    assert!(buffer.as_slice().is_empty());
    let ((), events) = trace::record(|| buffer.free());
    assert!(
        events.events().is_empty(),
        "nothing to free, seen:\n{events}"
    );
}

/// A length whose size overflows `isize::MAX` bytes fails before the
/// allocator is asked (so the slice can never claim more than exists).
#[test]
fn impossible_lengths_fail_without_allocating() {
    for len in [usize::MAX, isize::MAX as usize / 4 + 1] {
        let (result, count) = count_allocations(|| RawBuffer::alloc(len));
        assert_eq!(result.err(), Some(TwoBufError::OutOfMemory), "len {len}");
        assert_eq!(count.attempts, 0, "len {len}");
    }
}

/// A refused allocation is an error, not a buffer around a null pointer.
#[test]
fn a_refused_allocation_is_out_of_memory() {
    assert_no_leaks(|| {
        let (result, count) = with_failure_at(0, || RawBuffer::alloc(4));
        assert!(count.injected);
        assert_eq!(result.err(), Some(TwoBufError::OutOfMemory));
    });
}

/// `free` gives back exactly the block `alloc` took, once.
#[test]
fn free_returns_the_block_it_allocated() {
    let ((), events) = trace::record(|| {
        let mut buffer = RawBuffer::alloc(3).unwrap();
        buffer.fill(|i| i as i32);
        assert_eq!(buffer.as_slice(), [0, 1, 2]);
        buffer.as_mut_slice()[2] = 9;
        assert_eq!(buffer.as_slice(), [0, 1, 9]);
        buffer.free();
    });
    assert_eq!(
        events.events(),
        [
            Event::Alloc { id: 1, size: 12 },
            Event::Free {
                id: Some(1),
                size: 12
            }
        ],
        "seen:\n{events}"
    );
}
