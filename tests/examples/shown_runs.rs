//! The runs the book shows: every case of tests/cmd/, run by trycmd.

use crate::support::{example_binary, example_names};

#[test]
fn shown_runs_print_what_the_book_shows() {
    let cases = trycmd::TestCases::new();
    for name in example_names() {
        cases.register_bin(name.clone(), example_binary(&name));
    }
    cases.case("tests/cmd/*.toml");
}
