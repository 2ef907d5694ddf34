//! Chapter 6's claims about the arena: the failed call's A stays in the
//! arena until reset, the calls and the reset ask nothing of the global
//! allocator, a full arena is an error and not a panic, and values in the
//! arena are never dropped.

mod support;

use bumpalo::Bump;
use course::arena::{alloc_two_in_arena, bytes_in_use};
use course::lab::{assert_no_leaks, check_all_allocation_failures, count_allocations};
use course::TwoBufError;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

#[test]
fn success_fills_both_buffers_in_the_arena() {
    let arena = Bump::with_capacity(1024);
    // bumpalo rounds 1024 up so that its block, with a 48-byte footer,
    // fills 2032 bytes (the size the trace shows).
    assert_eq!(arena.allocated_bytes(), 1984);
    assert_eq!(arena.allocated_bytes_including_metadata(), 2032);
    let (a, b) = alloc_two_in_arena(&arena, 5).unwrap();
    assert_eq!(
        (&a[..], &b[..]),
        (&[0, 1, 2, 3, 4][..], &[0, 2, 4, 6, 8][..])
    );
    assert_eq!(bytes_in_use(&arena), 40);
}

#[test]
fn the_failed_calls_a_stays_until_reset() {
    let mut arena = Bump::with_capacity(1024);
    let before = bytes_in_use(&arena);
    let result = alloc_two_in_arena(&arena, 20);
    assert_eq!(
        result.err(),
        Some(TwoBufError::TooLarge {
            requested: 20,
            limit: 10
        })
    );
    assert_eq!(bytes_in_use(&arena) - before, 80, "A: 20 i32s");
    let ((), count) = count_allocations(|| arena.reset());
    assert_eq!(bytes_in_use(&arena), 0);
    assert_eq!(count.attempts, 0, "a reset keeps the block");
}

#[test]
fn calls_ask_nothing_of_the_global_allocator() {
    let arena = Bump::with_capacity(1024);
    for n in [0, 5, 20] {
        let (_, count) = count_allocations(|| alloc_two_in_arena(&arena, n).map(|_| ()));
        assert_eq!(count.attempts, 0, "n = {n}");
    }
}

#[test]
fn the_arena_frees_its_chunk_on_every_path() {
    for n in [0, 5, 20] {
        assert_no_leaks(|| {
            let mut arena = Bump::with_capacity(1024);
            let _ = alloc_two_in_arena(&arena, n);
            arena.reset();
            let _ = alloc_two_in_arena(&arena, n);
        });
    }
}

#[test]
fn a_failed_chunk_allocation_is_out_of_memory_and_leaks_nothing() {
    for n in [5, 20] {
        let check = check_all_allocation_failures(|| {
            let arena = Bump::try_with_capacity(1024)?;
            alloc_two_in_arena(&arena, n).map(|_| ())
        });
        assert_eq!(check.failure_points, 1, "n = {n}: the chunk");
    }
}

#[test]
fn a_full_arena_is_out_of_memory_not_a_panic() {
    // No chunk yet, and a limit of 0 bytes: A cannot be allocated.
    let arena = Bump::new();
    arena.set_allocation_limit(Some(0));
    assert_eq!(
        alloc_two_in_arena(&arena, 5).err(),
        Some(TwoBufError::OutOfMemory)
    );

    // A fits in what is left of the chunk, B does not, and the limit
    // forbids a second chunk.
    let arena = Bump::with_capacity(1024);
    arena.set_allocation_limit(Some(arena.allocated_bytes()));
    arena.alloc_slice_fill_copy(arena.chunk_capacity() - 40, 0u8);
    let (_, count) = count_allocations(|| {
        assert_eq!(
            alloc_two_in_arena(&arena, 10).err(),
            Some(TwoBufError::OutOfMemory)
        );
    });
    assert_eq!(
        count.attempts, 0,
        "the limit stopped it before the global allocator"
    );
    assert_eq!(arena.chunk_capacity(), 0, "A took the last 40 bytes");
}

#[test]
fn a_file_in_the_arena_is_never_closed() {
    use std::os::fd::AsRawFd;
    let fd_is_open = |fd: i32| std::path::Path::new(&format!("/proc/self/fd/{fd}")).exists();
    let arena = Bump::new();
    let file = arena.alloc(std::fs::File::open("Cargo.toml").unwrap());
    let fd = file.as_raw_fd();
    drop(arena); // frees the memory, runs no `Drop`: the descriptor stays open
    assert!(fd_is_open(fd), "descriptor {fd} was closed");
    // Close it by hand, so this test leaks nothing past its end.
    // SAFETY: `fd` is the open descriptor of the `File` above, which was
    // never dropped and is no longer reachable; it is closed here once.
    drop(unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(fd) });
    assert!(!fd_is_open(fd));
}

#[test]
fn the_infallible_arena_call_panics_with_out_of_memory() {
    let arena = Bump::new();
    arena.set_allocation_limit(Some(0));
    let message = support::panic_message(std::panic::AssertUnwindSafe(|| {
        arena.alloc_slice_fill_with(5, |i| i as i32);
    }));
    assert_eq!(message, "out of memory");
}
