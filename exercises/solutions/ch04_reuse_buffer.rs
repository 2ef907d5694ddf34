// Exercise ch04_reuse_buffer: a solution.

pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    // Ours since the call: filtered in place, the same block returned.
    values.retain(|v| v % 2 == 0);
    values
}
