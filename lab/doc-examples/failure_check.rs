use cleanup_lab::check_all_allocation_failures;

fn main() {
    let check = check_all_allocation_failures(|| {
        let mut buffer: Vec<u8> = Vec::new();
        buffer.try_reserve(8)
    });
    assert_eq!(check.failure_points, 1);
    assert!(check.result.is_ok());
}
