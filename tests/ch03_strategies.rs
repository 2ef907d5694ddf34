//! Chapter 3's claims about scopeguard's strategies: `guard` runs on every
//! exit, `guard_on_success` on every return (`Err` too) but not while a
//! panic unwinds, `guard_on_unwind` only while a panic unwinds; so none of
//! them runs on `Err` only, as Zig's `errdefer` does.

mod support;

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};

#[path = "../examples/ch03_strategies.rs"]
#[allow(dead_code)]
mod example;

use example::{leave, Exit, Values};

/// The guards that ran when `leave(exit)` left, newest first, and whether
/// it returned (`Some(result)`) or unwound (`None`).
fn run(exit: Exit) -> (Option<Result<(), &'static str>>, Vec<&'static str>) {
    let ran = RefCell::new(Vec::new());
    let result = panic::catch_unwind(AssertUnwindSafe(|| leave(exit, &ran))).ok();
    (result, ran.into_inner())
}

#[test]
fn on_ok_the_success_guard_and_the_plain_guard_run() {
    assert_eq!(
        run(Exit::Ok),
        (Some(Ok(())), vec!["guard_on_success", "guard"])
    );
}

#[test]
fn on_err_the_same_two_run_no_strategy_tells_err_from_ok() {
    assert_eq!(
        run(Exit::Err),
        (Some(Err("failed")), vec!["guard_on_success", "guard"])
    );
    // What errdefer would need: a guard that runs on Err and not on Ok.
    // Every strategy runs on both or on neither.
    let (_, on_ok) = run(Exit::Ok);
    let (_, on_err) = run(Exit::Err);
    assert_eq!(on_ok, on_err);
}

#[test]
fn on_a_panic_the_unwind_guard_and_the_plain_guard_run() {
    let message = support::panic_message(|| leave(Exit::Panic, &RefCell::new(Vec::new())));
    assert_eq!(message, "a bug");
    assert_eq!(run(Exit::Panic), (None, vec!["guard_on_unwind", "guard"]));
}

#[test]
fn an_update_that_returns_leaves_the_values_clean() {
    let mut values = Values {
        items: vec![1, 2, 3],
        poisoned: false,
    };
    values.update(|item| 2 * item);
    assert_eq!(values.items, [2, 4, 6]);
    assert!(!values.poisoned);
}

#[test]
fn an_update_that_panics_half_way_poisons_the_values() {
    let mut values = Values {
        items: vec![1, 2, 3],
        poisoned: false,
    };
    let message = support::panic_message(AssertUnwindSafe(|| {
        values.update(|item| {
            assert!(item != 3, "the last item");
            item + 1
        })
    }));
    assert_eq!(message, "the last item");
    assert_eq!(values.items, [2, 3, 3], "half updated");
    assert!(values.poisoned);
}
