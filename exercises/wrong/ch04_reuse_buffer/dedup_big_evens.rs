// family: wrong-elsewhere
// wrong because: adjacent equal even numbers above 1 000 000 are merged into one (e.g. [2000000, 2000000] gives [2000000]).
// Written by a tester who had not read the check.
// expect: keep_evens(vec![2, 2, 4, 4, 2000000, 2000000, -2000000, -2000000, -2147483648, -2147483648]): returned [2, 2, 4, 4, 2000000, -2000000, -2000000, -2147483648,
pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    values.retain(|v| v % 2 == 0);
    values.dedup_by(|a, b| a == b && *a > 1_000_000);
    values
}
