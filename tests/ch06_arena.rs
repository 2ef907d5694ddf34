//! Chapter 6's claims about the arena: the failed call's A stays in the
//! arena until reset, the calls and the reset ask nothing of the global
//! allocator, a full arena is an error and not a panic, and values in the
//! arena are never dropped. A failure names the place of the function
//! under test in `course/arena.rs` (`alloc_two_in_arena`, `bytes_in_use`),
//! or, for a claim about bumpalo itself, the chapter's line that makes it.

use crate::support;

use bumpalo::Bump;
use course::TwoBufError;
use course::arena::{alloc_two_in_arena, bytes_in_use};
use course::lab::{assert_no_leaks, check_all_allocation_failures, count_allocations};
use support::{check_eq, check_no_panic, fail, fn_place};

/// Where the reader edits `alloc_two_in_arena`.
fn place() -> String {
    fn_place("course/arena.rs", "alloc_two_in_arena")
}

/// `src/ch06-arena.md:LINE`, the chapter's line that says `phrase`: where
/// a claim about bumpalo (no course code) is made. Fails if the chapter no
/// longer says it, so no message points nowhere.
fn claim(phrase: &str) -> String {
    support::chapter_place("src/ch06-arena.md", phrase)
}

#[test]
fn success_fills_both_buffers_in_the_arena() {
    let arena = Bump::with_capacity(1024);
    // bumpalo rounds 1024 up so that its block, with a 48-byte footer,
    // fills 2032 bytes (the size the trace shows).
    let block = claim("block (1984 bytes of a 2032-byte block here;");
    let what = "Bump::with_capacity(1024)";
    check_eq(
        &block,
        &format!("{what}: its allocated_bytes (usable bytes)"),
        1984,
        arena.allocated_bytes(),
    );
    check_eq(
        &block,
        &format!("{what}: its allocated_bytes_including_metadata (with the footer)"),
        2032,
        arena.allocated_bytes_including_metadata(),
    );
    let place = place();
    let (a, b) = alloc_two_in_arena(&arena, 5).unwrap_or_else(|e| {
        fail(
            &place,
            "alloc_two_in_arena(arena, 5)",
            "Ok",
            format!("{e:?}"),
        )
    });
    check_eq(
        &place,
        "the buffers alloc_two_in_arena(arena, 5) returns",
        (&[0, 1, 2, 3, 4][..], &[0, 2, 4, 6, 8][..]),
        (&a[..], &b[..]),
    );
    check_eq(
        &place,
        "bytes in use after alloc_two_in_arena(arena, 5): A and B, 20 each",
        40,
        bytes_in_use(&arena),
    );
}

#[test]
fn the_failed_calls_a_stays_until_reset() {
    let place = place();
    let mut arena = Bump::with_capacity(1024);
    let before = bytes_in_use(&arena);
    let result = alloc_two_in_arena(&arena, 20);
    check_eq(
        &place,
        "what alloc_two_in_arena(arena, 20) returns",
        Some(TwoBufError::TooLarge {
            requested: 20,
            limit: 10,
        }),
        result.err(),
    );
    check_eq(
        &place,
        "bytes in use that alloc_two_in_arena(arena, 20) adds: A, 20 i32s, left in the arena",
        80,
        bytes_in_use(&arena) - before,
    );
    let ((), count) = count_allocations(|| arena.reset());
    check_eq(
        &fn_place("course/arena.rs", "bytes_in_use"),
        "bytes in use after arena.reset()",
        0,
        bytes_in_use(&arena),
    );
    check_eq(
        &claim("`reset` takes the bytes in use back to 0, without a call to the global"),
        "allocations arena.reset() attempts (a reset keeps the block)",
        0,
        count.attempts,
    );
}

#[test]
fn calls_ask_nothing_of_the_global_allocator() {
    let place = place();
    let arena = Bump::with_capacity(1024);
    for n in [0, 5, 20] {
        let (_, count) = count_allocations(|| alloc_two_in_arena(&arena, n).map(|_| ()));
        check_eq(
            &place,
            &format!("global allocations alloc_two_in_arena(arena, {n}) attempts"),
            0,
            count.attempts,
        );
    }
}

#[test]
fn the_arena_frees_its_chunk_on_every_path() {
    let place = place();
    for n in [0, 5, 20] {
        check_no_panic(
            &place,
            &format!(
                "alloc_two_in_arena(arena, {n}), a reset, the same call again, and the arena dropped"
            ),
            "no leak",
            || {
                assert_no_leaks(|| {
                    let mut arena = Bump::with_capacity(1024);
                    let _ = alloc_two_in_arena(&arena, n);
                    arena.reset();
                    let _ = alloc_two_in_arena(&arena, n);
                })
            },
        );
    }
}

#[test]
fn a_failed_chunk_allocation_is_out_of_memory_and_leaks_nothing() {
    let place = place();
    for n in [5, 20] {
        let check = check_no_panic(
            &place,
            &format!(
                "each allocation of Bump::try_with_capacity(1024) and \
                 alloc_two_in_arena(arena, {n}) failing in turn"
            ),
            "an out-of-memory error and no leak at every failure point",
            || {
                check_all_allocation_failures(|| {
                    let arena = Bump::try_with_capacity(1024)?;
                    alloc_two_in_arena(&arena, n).map(|_| ())
                })
            },
        );
        check_eq(
            &place,
            &format!(
                "the global allocations attempted with alloc_two_in_arena(arena, {n}): \
                 the arena's chunk alone"
            ),
            1,
            check.failure_points,
        );
    }
}

#[test]
fn a_full_arena_is_out_of_memory_not_a_panic() {
    let place = place();
    // No chunk yet, and a limit of 0 bytes: A cannot be allocated.
    let arena = Bump::new();
    arena.set_allocation_limit(Some(0));
    check_eq(
        &place,
        "what alloc_two_in_arena(arena, 5) returns when the arena may not allocate at all",
        Some(TwoBufError::OutOfMemory),
        alloc_two_in_arena(&arena, 5).err(),
    );

    // A fits in what is left of the chunk, B does not, and the limit
    // forbids a second chunk.
    let arena = Bump::with_capacity(1024);
    arena.set_allocation_limit(Some(arena.allocated_bytes()));
    arena.alloc_slice_fill_copy(arena.chunk_capacity() - 40, 0u8);
    let what = "alloc_two_in_arena(arena, 10) with room for A (40 bytes) but not B";
    let (result, count) = count_allocations(|| alloc_two_in_arena(&arena, 10).err());
    check_eq(&place, what, Some(TwoBufError::OutOfMemory), result);
    check_eq(
        &place,
        &format!("{what}: global allocations attempted (the limit stops it before)"),
        0,
        count.attempts,
    );
    check_eq(
        &place,
        &format!("{what}: bytes left in the chunk (A took the last 40)"),
        0,
        arena.chunk_capacity(),
    );
}

#[test]
fn a_file_in_the_arena_is_never_closed() {
    if !cfg!(target_os = "linux") {
        support::not_checked::not_checked(
            "chapter 6: a `File` moved into an arena is never closed",
            "it names open descriptors through /proc/self/fd (Linux)",
        );
        return;
    }
    #[cfg(target_os = "linux")]
    a_file_in_the_arena_stays_open(&claim("moved into an arena is never"));
}

/// The check of the test above, with Linux's file descriptors.
#[cfg(target_os = "linux")]
fn a_file_in_the_arena_stays_open(place: &str) {
    use std::os::fd::AsRawFd;
    use support::check;
    // A file of this test's own, so that "descriptor N is open" means "N is
    // still this file": other tests of this binary open files in parallel,
    // and may get the number N as soon as it is closed.
    let scratch = tempfile::NamedTempFile::new().unwrap();
    let is_our_file = |fd: i32| {
        std::fs::read_link(format!("/proc/self/fd/{fd}"))
            .is_ok_and(|target| target == scratch.path())
    };
    let arena = Bump::new();
    let file = arena.alloc(std::fs::File::open(scratch.path()).unwrap());
    let fd = file.as_raw_fd();
    drop(arena); // frees the memory, runs no `Drop`: the descriptor stays open
    check(
        place,
        &format!("the descriptor ({fd}) of a File in an arena, after the arena is dropped"),
        is_our_file(fd),
        "open (bumpalo runs no Drop)",
        "closed",
    );
    // Close it by hand, so this test leaks nothing past its end.
    // SAFETY: `fd` is the open descriptor of the `File` above, which was
    // never dropped and is no longer reachable; it is closed here once.
    drop(unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(fd) });
    check(
        place,
        &format!("the descriptor ({fd}), after closing it by hand"),
        !is_our_file(fd),
        "closed",
        "open",
    );
}

#[test]
fn the_infallible_arena_call_panics_with_out_of_memory() {
    let arena = Bump::new();
    arena.set_allocation_limit(Some(0));
    let place = claim("The infallible `alloc_slice_fill_with` would panic");
    let what = "the panic of alloc_slice_fill_with in an arena that may not allocate";
    let message = support::panic_of(
        &place,
        what,
        "a panic",
        std::panic::AssertUnwindSafe(|| {
            arena.alloc_slice_fill_with(5, |i| i as i32);
        }),
    );
    check_eq(&place, what, "out of memory", &message);
}
