//! The example of `LabAllocator::wrapping`, which installs a global
//! allocator of its own, so it cannot share `doc_examples`' binary.

include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/doc-examples/lab_allocator_wrapping.rs"
));

#[test]
fn example() {
    main();
}
