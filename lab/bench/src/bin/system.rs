//! The baseline: the system allocator with nothing watching it.

use std::alloc::System;

use cleanup_lab_bench as bench;

// Named explicitly, so that every program's allocations go through a
// `#[global_allocator]` the same way and only what the allocator does
// differs.
#[global_allocator]
static ALLOCATOR: System = System;

fn main() {
    let live = bench::live_blocks(bench::LIVE_BLOCKS);
    let churn = bench::churn(bench::CHURN_ALLOCATIONS);
    bench::print_live_and_churn(&live, churn);
}
