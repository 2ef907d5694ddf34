// A wrong answer to ch07_fill_squares: the values are right, but they are
// built in a new Vec and copied: the allocation the caller wanted to avoid.
// ANCHOR: expect
// expect: fill_squares on a buffer of 1 slots, holding u64::MAX: returned every slot i holding i², allocating once, expected every slot i holding i², allocating nothing
// ANCHOR_END: expect

pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

pub fn fill_squares(out: &mut [u64]) {
    out.copy_from_slice(&squares(out.len()));
}
