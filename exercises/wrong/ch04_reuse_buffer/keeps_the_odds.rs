// A wrong answer to ch04_reuse_buffer: in place, but the test is upside
// down.
// expect: PLACEHOLDER

pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    values.retain(|v| v % 2 != 0);
    values
}
