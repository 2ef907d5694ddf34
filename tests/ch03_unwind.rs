//! Chapter 3's claim about panics: unwinding runs the guard and frees A,
//! so a panic between A and B leaks nothing. (One test per binary: it
//! replaces the process-wide panic hook.)

use std::panic;

use course::lab::check_leaks;

#[path = "../examples/ch03_unwind.rs"]
#[allow(dead_code)]
mod example;

#[test]
fn a_panic_between_a_and_b_leaks_nothing() {
    // The default hook would print into the test harness's capture buffer,
    // an allocation that outlives the check.
    panic::set_hook(Box::new(|_| {}));
    let (caught, report) =
        check_leaks(|| panic::catch_unwind(|| example::panics_between(3)).is_err());
    let _ = panic::take_hook();
    assert!(caught);
    assert!(report.allocations >= 1, "{report}");
    assert!(report.is_clean(), "{report}");
}
