//! A leak report stays short however many blocks leaked (its size depends
//! on the places, not on the blocks; `lab/bench` times one of 20 000
//! leaks): blocks are
//! grouped by the place that allocated them, the ten places with the most
//! bytes are shown, and the totals count every block.

use std::time::{Duration, Instant};

use crate::support::{check, check_eq, fn_place};
use cleanup_lab::check_leaks;

/// Twelve places that leak `count` blocks of `size` bytes, one per line.
const SITES: [fn(usize, usize); 12] = [
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![0u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![1u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![2u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![3u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![4u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![5u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![6u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![7u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![8u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![9u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![10u8; size])),
    |count, size| (0..count).for_each(|_| std::mem::forget(vec![11u8; size])),
];

#[test]
fn thousands_of_leaks_make_a_short_report() {
    let place = fn_place("lab/src/leaks/report.rs", "write_sites");
    let ((), report) = check_leaks(|| {
        for (site, leak) in SITES.iter().enumerate() {
            // 100 or 101 blocks per site, 1 201 in all; site 11 the largest
            // blocks, site 0 the smallest.
            let count = 1_201 / 12 + usize::from(site < 1_201 % 12);
            leak(count, 16 + site);
        }
    });
    check_eq(&place, "leaked blocks", 1_201, report.leaks.len());
    let start = Instant::now();
    let text = report.to_string();
    let took = start.elapsed();
    let shown = text.matches("blocks of").count();
    check(
        &place,
        "the report of 1 201 leaks at 12 places",
        shown == 10
            && text.contains("leaked at 2 more places: 201 blocks")
            && text.contains("1201 of 1201 allocations leaked")
            && text.len() < 8_000
            && took < Duration::from_secs(5),
        "10 places shown, the 2 others in one line, the exact totals, under 8 000 bytes \
         and 5 s",
        format!("{} bytes after {took:?}:\n{text}", text.len()),
    );
}
