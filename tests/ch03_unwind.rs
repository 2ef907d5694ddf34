//! Chapter 3's claim about panics: unwinding runs the guard and frees A,
//! so a panic between A and B leaks nothing. (One test per binary: it
//! replaces the process-wide panic hook.) A failure names
//! `panics_between`'s place in `examples/ch03_unwind.rs`.

use crate::support;

use std::panic;

use course::lab::check_leaks;
use support::{check, fn_place};

#[path = "../examples/ch03_unwind.rs"]
#[allow(dead_code)]
mod example;

#[test]
fn a_panic_between_a_and_b_leaks_nothing() {
    let place = fn_place("examples/ch03_unwind.rs", "panics_between");
    // The default hook would print into the test harness's capture buffer,
    // an allocation that outlives the check.
    panic::set_hook(Box::new(|_| {}));
    let (caught, report) =
        check_leaks(|| panic::catch_unwind(|| example::panics_between(3)).is_err());
    let _ = panic::take_hook();
    check(
        &place,
        "panics_between(3) must panic (its off-by-one index)",
        caught,
        "a panic",
        "it returned",
    );
    check(
        &place,
        "what the lab saw while panics_between(3) unwound",
        report.allocations >= 1 && report.is_clean(),
        "at least A allocated, and nothing leaked",
        &report,
    );
}
