use cleanup_lab::OutOfMemory;

fn main() {
    // More than any allocator can give: `try_reserve` says so with an error.
    let error = Vec::<u8>::new().try_reserve(usize::MAX).unwrap_err();
    assert!(error.is_out_of_memory());
}
