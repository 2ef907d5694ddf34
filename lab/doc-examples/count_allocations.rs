use cleanup_lab::count_allocations;

fn main() {
    let (_, count) = count_allocations(|| (vec![1u8], vec![2u8]));
    assert_eq!(count.attempts, 2);
}
