// family: other: allocates
// wrong because: when fewer than a quarter of a vector of more than 64 elements are even, it shrinks the block (a reallocation).
// Written by a tester who had not read the check.
// expect: keep_evens of 300 values ([0, 3, 5, 7], ...): returned [0, 100, 200, 300, 400, 500], allocating 1 block, expected [0, 100, 200, 300, 400, 500], allocating
pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    let before = values.len();
    values.retain(|v| v % 2 == 0);
    if before > 64 && values.len() * 4 < before {
        values.shrink_to_fit();
    }
    values
}
