//! The helpers of the course's tests (tests/support/ at the root of the
//! repository) that the lab's tests use: failure messages, expected panics
//! and child processes. The rest of tests/support/ reads the rendered book,
//! which only the verification package's build script makes.
#![allow(dead_code)] // each test binary uses a different part

#[path = "../../../tests/support/basics.rs"]
mod basics;
#[path = "../../../tests/support/checks.rs"]
mod checks;
#[path = "../../../tests/support/not_checked.rs"]
mod not_checked_here;

use std::path::Path;

#[allow(unused_imports)] // as above: each test binary uses a different part
pub use basics::{catch_expected, panic_message, panic_payload_text, run_merged};
#[allow(unused_imports)]
pub use checks::{check, check_eq, check_in_output, fail, fn_place};
#[allow(unused_imports)]
pub use not_checked_here::not_checked;

/// The project's root directory, which the paths of messages start from.
pub fn root() -> &'static Path {
    // The lab is the package in lab/; the repository is one up.
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    package.parent().unwrap_or(package)
}
