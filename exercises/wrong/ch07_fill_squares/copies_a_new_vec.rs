// A wrong answer to ch07_fill_squares: the values are right, but they are
// built in a new Vec and copied: the allocation the caller wanted to avoid.
// ANCHOR: expect
// expect: PLACEHOLDER
// ANCHOR_END: expect

pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

pub fn fill_squares(out: &mut [u64]) {
    out.copy_from_slice(&squares(out.len()));
}
