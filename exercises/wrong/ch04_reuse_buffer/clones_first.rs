// A wrong answer to ch04_reuse_buffer: it filters in place, but a clone,
// and drops the vector it received.
// ANCHOR: expect
// expect: keep_evens(vec![1, 2, 3, 4, 5, 6]): returned [2, 4, 6], allocating 1 block, in another block than the caller's, expected [2, 4, 6], allocating nothing
// ANCHOR_END: expect

pub fn keep_evens(values: Vec<i32>) -> Vec<i32> {
    let mut evens = values.clone();
    evens.retain(|v| v % 2 == 0);
    evens
}
