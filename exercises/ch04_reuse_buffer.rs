// Exercise ch04_reuse_buffer (chapter 4). Check it: cargo exercise ch04_reuse_buffer
//
// `keep_evens` receives a vector by value and returns the even numbers
// it holds, in order. Received by value, the vector is the function's:
// it may give the same block back instead of allocating a new one. Make
// `keep_evens` allocate nothing (the check counts): the result is the
// caller's vector, its odd numbers gone.

pub fn keep_evens(values: Vec<i32>) -> Vec<i32> {
    values.iter().copied().filter(|v| v % 2 == 0).collect()
}
