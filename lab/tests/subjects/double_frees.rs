//! A second free of a block a leak check saw allocated and freed is
//! reported and never reaches the system allocator, however long ago the
//! first free was and however large the block, as long as no allocation
//! has reused its address; and a reused address freed once is no double
//! free.

use crate::support::{check_eq, fn_place};
use cleanup_lab::check_leaks;

#[test]
fn a_double_free_after_thousands_of_frees_is_caught() {
    let place = fn_place("lab/src/leaks/scope.rs", "released");
    let (sum, report) = check_leaks(|| {
        let first = Box::into_raw(Box::new([0u8; 24]));
        // SAFETY: allocated just above by Box, freed once here.
        unsafe { drop(Box::from_raw(first)) };
        // Past the quarantine, so that `first` goes back to the system.
        for _ in 0..5000 {
            drop(std::hint::black_box(Box::new([1u8; 24])));
        }
        // Live blocks of the same size, one of which may now sit where
        // `first` was.
        let kept: Vec<Box<[u8; 24]>> = (0..64).map(|_| Box::new([2u8; 24])).collect();
        // SAFETY: none: this is the double free under test. The lab must
        // catch it before it reaches the system allocator, or it frees one
        // of `kept`, or glibc aborts.
        unsafe { drop(Box::from_raw(first)) };
        kept.iter().map(|block| u32::from(block[0])).sum::<u32>()
    });
    check_eq(&place, "the live blocks after the double free", 128, sum);
    check_eq(
        &place,
        "double frees reported",
        1,
        report.double_frees.len(),
    );
}

#[test]
fn a_double_free_of_a_block_larger_than_the_quarantine_is_caught() {
    let place = fn_place("lab/src/leaks/scope.rs", "quarantine");
    let (_, report) = check_leaks(|| {
        let big = Box::into_raw(vec![0u8; 20 << 20].into_boxed_slice());
        // SAFETY: allocated just above, freed once here.
        unsafe { drop(Box::from_raw(big)) };
        // SAFETY: none: the double free under test (see above).
        unsafe { drop(Box::from_raw(big)) };
    });
    check_eq(
        &place,
        "double frees of a 20 MiB block reported",
        1,
        report.double_frees.len(),
    );
}

#[test]
fn a_reused_address_freed_once_is_not_a_double_free() {
    let place = fn_place("lab/src/leaks/mod.rs", "reused");
    let (_, report) = check_leaks(|| {
        for round in 0..2u8 {
            // Enough frees to push blocks out of the quarantine, then as
            // many allocations of the same size, which reuse their
            // addresses, each freed once.
            let blocks: Vec<Box<[u8; 40]>> = (0..4500).map(|_| Box::new([round; 40])).collect();
            drop(blocks);
        }
        // Another thread's allocations may land on given-back addresses
        // too; freeing them is no double free either.
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let blocks: Vec<Box<[u8; 40]>> = (0..4500).map(|_| Box::new([9; 40])).collect();
                drop(blocks);
            });
        });
    });
    check_eq(
        &place,
        "double frees reported",
        0,
        report.double_frees.len(),
    );
}

#[test]
fn a_block_allocated_before_the_check_and_freed_twice_in_it_is_caught() {
    let place = fn_place("lab/src/leaks/scope.rs", "keep_unknown");
    let before = Box::into_raw(Box::new([7u8; 48]));
    let (_, report) = check_leaks(|| {
        // SAFETY: allocated above by Box, freed once here.
        unsafe { drop(Box::from_raw(before)) };
        // SAFETY: none: the double free under test (see above).
        unsafe { drop(Box::from_raw(before)) };
    });
    check_eq(
        &place,
        "double frees reported",
        1,
        report.double_frees.len(),
    );
}

#[test]
fn resizing_a_freed_block_is_caught() {
    use std::alloc::{Layout, alloc, dealloc, realloc};
    let place = fn_place("lab/src/leaks/mod.rs", "resized_after_free");
    let (resized, report) = check_leaks(|| {
        let layout = Layout::from_size_align(64, 8).unwrap();
        // SAFETY: a valid, non-zero layout; the block is freed once.
        let block = unsafe { alloc(layout) };
        assert!(!block.is_null());
        // SAFETY: allocated above with `layout`.
        unsafe { dealloc(block, layout) };
        // SAFETY: none: a use after free under test; the lab refuses it.
        let resized = unsafe { realloc(block, layout, 4096) };
        resized.is_null()
    });
    check_eq(&place, "whether the resize was refused", true, resized);
    check_eq(
        &place,
        "double frees reported",
        1,
        report.double_frees.len(),
    );
}

#[test]
fn a_double_free_names_where_the_block_was_allocated_and_freed_again() {
    let place = fn_place("lab/src/leaks/report.rs", "write_sites");
    let allocated_line = line!() + 2;
    let (second_line, report) = check_leaks(|| {
        let block = Box::into_raw(Box::new([3u8; 40]));
        // SAFETY: allocated just above, freed once here.
        unsafe { drop(Box::from_raw(block)) };
        let second_line = line!() + 2;
        // SAFETY: none: the double free under test (see above).
        unsafe { drop(Box::from_raw(block)) };
        second_line
    });
    let text = report.to_string();
    let file = "lab/tests/subjects/double_frees.rs";
    crate::support::check(
        &place,
        "the report of a block freed twice",
        text.contains(&format!("({file}:{allocated_line}:"))
            && text.contains("and freed the second time at:")
            && text.contains(&format!("({file}:{second_line}:")),
        format!("the allocation's line ({allocated_line}), then the second free's ({second_line})"),
        text,
    );
}
