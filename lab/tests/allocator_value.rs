//! `CheckingAllocator` and `check_all_allocation_failures_in`: the lab's
//! checks for code that takes an allocator, in a test binary that does not
//! install the lab as its global allocator.

mod support;

use std::ptr::NonNull;

use allocator_api2::alloc::{Allocator, Layout};
use allocator_api2::collections::TryReserveError;
use allocator_api2::vec::Vec;
use cleanup_lab::{CheckingAllocator, check_all_allocation_failures_in};
use support::{check, check_eq, fn_place};

#[test]
fn a_block_left_live_is_a_leak_with_its_place() {
    let place = fn_place("lab/src/checking.rs", "report");
    let alloc = CheckingAllocator::new();
    let mut kept: Vec<u8, &CheckingAllocator> = Vec::new_in(&alloc);
    kept.try_reserve_exact(24).unwrap();
    std::mem::forget(kept);
    let report = alloc.report();
    check_eq(&place, "leaked bytes", 24, report.leaked_bytes());
    let text = report.to_string();
    check(
        &place,
        "the report of a vector forgotten",
        text.contains("(lab/tests/allocator_value.rs:20:"),
        "the line of its allocation",
        text,
    );
}

#[test]
fn an_allocator_over_an_arena_checks_what_is_taken_from_it() {
    let place = fn_place("lab/src/checking.rs", "wrapping");
    let arena = bumpalo::Bump::new();
    let alloc = CheckingAllocator::wrapping(&arena);
    let mut kept: Vec<u32, &CheckingAllocator<&bumpalo::Bump>> = Vec::new_in(&alloc);
    kept.try_reserve_exact(10).unwrap();
    check_eq(
        &place,
        "bytes live in the arena's checker",
        40,
        alloc.report().leaked_bytes(),
    );
    check(
        &place,
        "the arena's own count",
        arena.allocated_bytes() >= 40,
        "the 40 bytes in the arena",
        arena.allocated_bytes(),
    );
    drop(kept);
    check_eq(
        &place,
        "bytes live after the vector is dropped",
        0,
        alloc.report().leaked_bytes(),
    );
}

#[test]
fn a_second_free_is_reported_and_not_passed_on() {
    let place = fn_place("lab/src/checking.rs", "released");
    let alloc = CheckingAllocator::new();
    let layout = Layout::new::<[u64; 4]>();
    let block: NonNull<u8> = alloc.allocate(layout).unwrap().cast();
    // SAFETY: allocated just above with `layout`, freed once here.
    unsafe { alloc.deallocate(block, layout) };
    // SAFETY: none: the second free under test, which the allocator must
    // catch before it reaches the global allocator.
    unsafe { alloc.deallocate(block, layout) };
    check_eq(&place, "double frees", 1, alloc.report().double_frees.len());
}

fn two_in(alloc: &CheckingAllocator) -> Result<usize, TryReserveError> {
    let mut first: Vec<u8, _> = Vec::new_in(alloc);
    first.try_reserve_exact(8)?;
    let mut second: Vec<u8, _> = Vec::new_in(alloc);
    second.try_reserve_exact(8)?;
    Ok(first.capacity() + second.capacity())
}

fn leaks_first_in(alloc: &CheckingAllocator) -> Result<usize, TryReserveError> {
    let mut first: Vec<u8, _> = Vec::new_in(alloc);
    first.try_reserve_exact(8)?;
    let mut second: Vec<u8, _> = Vec::new_in(alloc);
    if let Err(error) = second.try_reserve_exact(8) {
        std::mem::forget(first);
        return Err(error);
    }
    Ok(first.capacity() + second.capacity())
}

fn swallows_in(alloc: &CheckingAllocator) -> Result<usize, TryReserveError> {
    let mut first: Vec<u8, _> = Vec::new_in(alloc);
    let _ = first.try_reserve_exact(8);
    Ok(first.capacity())
}

/// The message of a check that must fail (one per test: in the children
/// of a later check, an earlier one would pass through).
fn failure_of(f: fn(&CheckingAllocator) -> Result<usize, TryReserveError>) -> String {
    support::panic_of(|| check_all_allocation_failures_in(f))
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn every_failure_point_of_correct_code_given_an_allocator_passes() {
    let place = fn_place("lab/src/check_all/subject.rs", "failing");
    let correct = check_all_allocation_failures_in(two_in);
    check_eq(&place, "failure points", 2, correct.failure_points);
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_leak_on_a_failure_path_of_code_given_an_allocator_is_caught() {
    let place = fn_place("lab/src/check_all/subject.rs", "failing");
    let message = failure_of(leaks_first_in);
    let expected = "allocation #2: leaked 8 bytes";
    check(
        &place,
        "a function that leaks",
        message.contains(expected),
        expected,
        message,
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_swallowed_failure_of_code_given_an_allocator_is_caught() {
    let place = fn_place("lab/src/check_all/subject.rs", "failing");
    let message = failure_of(swallows_in);
    let expected = "allocation #1: returned Ok although the allocation failed";
    check(
        &place,
        "a function that swallows the error",
        message.contains(expected),
        expected,
        message,
    );
}

#[test]
fn zero_sized_values_are_no_blocks() {
    let place = fn_place("lab/src/checking.rs", "acquired");
    let alloc = CheckingAllocator::new();
    // allocator_api2's Box of a zero-sized value frees a block it never
    // allocated; an empty boxed slice, one of zero bytes.
    drop(allocator_api2::boxed::Box::new_in((), &alloc));
    drop(Vec::<u8, _>::with_capacity_in(0, &alloc).into_boxed_slice());
    let first = alloc.allocate(Layout::new::<()>()).unwrap().cast::<u8>();
    let second = alloc.allocate(Layout::new::<()>()).unwrap().cast::<u8>();
    // SAFETY: each allocated just above with this layout, freed once.
    unsafe {
        alloc.deallocate(first, Layout::new::<()>());
        alloc.deallocate(second, Layout::new::<()>());
    }
    let report = alloc.report();
    check(
        &place,
        "zero-sized allocations and frees",
        report.is_clean(),
        "clean",
        report,
    );
}

#[test]
fn a_second_free_names_where_the_block_was_allocated() {
    let place = fn_place("lab/src/checking.rs", "released");
    let alloc = CheckingAllocator::new();
    let layout = Layout::new::<[u64; 2]>();
    let allocated_line = line!() + 1;
    let block: NonNull<u8> = alloc.allocate(layout).unwrap().cast();
    // SAFETY: allocated just above with `layout`, freed once here.
    unsafe { alloc.deallocate(block, layout) };
    // SAFETY: none: the second free under test.
    unsafe { alloc.deallocate(block, layout) };
    let text = alloc.report().to_string();
    check(
        &place,
        "the report of a block freed twice through the allocator",
        text.contains(&format!("(lab/tests/allocator_value.rs:{allocated_line}:"))
            && text.contains("and freed the second time at:"),
        "the allocation's line, then the second free's",
        text,
    );
}

#[test]
fn a_resize_is_a_reallocation() {
    let place = fn_place("lab/src/checking.rs", "acquired");
    let alloc = CheckingAllocator::new();
    let mut grown: Vec<u8, _> = Vec::new_in(&alloc);
    grown.try_reserve_exact(8).unwrap();
    grown.try_reserve_exact(64).unwrap();
    drop(grown);
    let report = alloc.report();
    check_eq(&place, "allocations", 1, report.allocations);
    check_eq(&place, "reallocations", 1, report.reallocations);
}
