// A wrong answer to ch04_reuse_buffer: it filters in place, but a clone,
// and drops the vector it received.
// ANCHOR: expect
// expect: PLACEHOLDER
// ANCHOR_END: expect

pub fn keep_evens(values: Vec<i32>) -> Vec<i32> {
    let mut evens = values.clone();
    evens.retain(|v| v % 2 == 0);
    evens
}
