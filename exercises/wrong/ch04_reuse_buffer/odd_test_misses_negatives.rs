// family: wrong-elsewhere
// wrong because: it drops the numbers with `v % 2 == 1`, but in Rust -3 % 2 == -1, so negative odd numbers are kept: keep_evens(vec![-3, -2, 1]) returns [-3, -2] instead of [-2].
// Written by a tester who had not read the check.
// expect: keep_evens(vec![-4, -3, -2, -1, 0, 1, 2, 3]): returned [-4, -3, -2, -1, 0, 2], allocating nothing, expected [-4, -2, 0, 2], allocating nothing

pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    values.retain(|v| v % 2 != 1);
    values
}
