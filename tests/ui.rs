//! Proves that each program in tests/ui/ fails to compile, with exactly the
//! error in the `.stderr` beside it. The book shows both files.
//! Refresh the errors after a compiler upgrade: `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn compile_fail_proofs() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
