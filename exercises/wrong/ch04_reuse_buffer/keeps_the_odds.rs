// A wrong answer to ch04_reuse_buffer: in place, but the test is upside
// down.
// expect: keep_evens(vec![1, 2, 3, 4, 5, 6]): returned [1, 3, 5], allocating nothing, expected [2, 4, 6], allocating nothing

pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    values.retain(|v| v % 2 != 0);
    values
}
