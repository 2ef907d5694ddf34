//! stats_alloc: the system allocator behind counters, read by a `Region`.

use std::alloc::System;

use cleanup_lab_bench as bench;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn main() {
    let region = Region::new(GLOBAL);
    let live = bench::live_blocks(bench::LIVE_BLOCKS);
    let churn = bench::churn(bench::CHURN_ALLOCATIONS);
    // Proof that the counters saw the workloads, which a figure alone
    // would not give.
    let change = region.change();
    assert!(change.allocations >= bench::LIVE_BLOCKS + bench::CHURN_ALLOCATIONS);
    assert_eq!(change.allocations, change.deallocations);
    bench::print_live_and_churn(&live, churn);
}
