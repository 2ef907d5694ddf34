//! Chapter 7's claims about each buffer design: which ones allocate, that
//! the fallible ones report every failure as out of memory and leak
//! nothing, and that one generic function serves the global allocator and
//! an arena.

mod support;

use allocator_api2::alloc::Global;
use bumpalo::Bump;
use course::arena::bytes_in_use;
use course::buffers::{alloc_two_in, double_all, evens, fill_evens, sum, try_evens, try_evens_in};
use course::lab::{assert_no_leaks, check_all_allocation_failures, count_allocations};
use course::TwoBufError;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

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
    assert_eq!(sums, [6, 6, 6, 6, 5]);
    assert_eq!(count.attempts, 0);

    let mut values = [1, 2, 3];
    let ((), count) = count_allocations(|| double_all(&mut values));
    assert_eq!((values, count.attempts), ([2, 4, 6], 0));
}

#[test]
fn the_caller_provided_buffer_is_filled_without_allocating() {
    let mut on_the_stack = [0; 4];
    let ((), count) = count_allocations(|| fill_evens(&mut on_the_stack));
    assert_eq!((on_the_stack, count.attempts), ([0, 2, 4, 6], 0));
}

#[test]
fn owned_results_free_themselves() {
    assert_no_leaks(|| {
        assert_eq!(evens(3), [0, 2, 4]);
        assert_eq!(try_evens(3).unwrap(), [0, 2, 4]);
        assert_eq!(try_evens_in(3, Global).unwrap(), [0, 2, 4]);
        let (a, b) = alloc_two_in(3, Global).unwrap();
        assert_eq!((&a[..], &b[..]), (&[0, 1, 2][..], &[0, 2, 4][..]));
    });
}

#[test]
fn every_allocation_failure_of_the_fallible_designs_is_out_of_memory_and_leaks_nothing() {
    assert_eq!(
        check_all_allocation_failures(|| try_evens(5).map(drop)).failure_points,
        1
    );
    let in_global = check_all_allocation_failures(|| try_evens_in(5, Global).map(drop));
    assert_eq!(in_global.failure_points, 1);
    for (n, points) in [(0, 0), (5, 2), (20, 1)] {
        let check = check_all_allocation_failures(|| alloc_two_in(n, Global).map(drop));
        assert_eq!(check.failure_points, points, "n = {n}");
    }
}

#[test]
fn in_an_arena_the_same_functions_ask_nothing_of_the_global_allocator() {
    let arena = Bump::with_capacity(1024);
    let (result, count) = count_allocations(|| {
        let evens = try_evens_in(5, &arena).map(|v| v.len());
        let two = alloc_two_in(5, &arena).map(|(a, b)| a.len() + b.len());
        let too_large = alloc_two_in(20, &arena).map(drop);
        (evens, two, too_large)
    });
    assert_eq!(
        result,
        (
            Ok(5),
            Ok(10),
            Err(TwoBufError::TooLarge {
                requested: 20,
                limit: 10
            })
        )
    );
    assert_eq!(count.attempts, 0);
}

#[test]
fn an_arena_vec_gives_back_its_bytes_only_if_it_was_the_last_allocation() {
    let arena = Bump::with_capacity(1024);
    drop(try_evens_in(5, &arena).unwrap()); // the last one: given back
    assert_eq!(bytes_in_use(&arena), 0);
    let (a, b) = alloc_two_in(5, &arena).unwrap();
    drop(a); // not the last one: stays in use until a reset
    drop(b); // the last one: given back
    assert_eq!(bytes_in_use(&arena), 20);
    let _ = alloc_two_in(20, &arena); // A was the last one: given back
    assert_eq!(bytes_in_use(&arena), 20);
}

#[test]
fn a_full_arena_is_out_of_memory() {
    let arena = Bump::new();
    arena.set_allocation_limit(Some(0));
    assert_eq!(
        try_evens_in(5, &arena).err(),
        Some(TwoBufError::OutOfMemory)
    );
    assert_eq!(
        alloc_two_in(5, &arena).err(),
        Some(TwoBufError::OutOfMemory)
    );
}

#[test]
fn the_infallible_design_aborts_when_its_allocation_fails() {
    let message = support::panic_message(|| {
        check_all_allocation_failures(|| Ok::<_, TwoBufError>(evens(5).len()));
    });
    assert!(
        message.contains("1 of 1 failure points went wrong"),
        "{message}"
    );
    assert!(
        message.contains("the process ended without a verdict (signal: 6 (SIGABRT))"),
        "{message}"
    );
}

/// The chapter: `into_boxed_slice` is free after an exact reservation, and
/// a reallocation when the `Vec` has spare capacity.
#[test]
fn into_boxed_slice_reallocates_only_spare_capacity() {
    let exact = try_evens(5).unwrap();
    let (boxed, count) = count_allocations(|| exact.into_boxed_slice());
    assert_eq!((&boxed[..], count.attempts), (&[0, 2, 4, 6, 8][..], 0));

    let mut spare = Vec::with_capacity(8);
    spare.extend([1, 2, 3]);
    let (boxed, count) = count_allocations(|| spare.into_boxed_slice());
    assert_eq!((&boxed[..], count.attempts), (&[1, 2, 3][..], 1));
}
