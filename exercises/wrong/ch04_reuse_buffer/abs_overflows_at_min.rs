// family: wrong-elsewhere
// wrong because: `v.abs()` overflows for i32::MIN (an even number), so keep_evens(vec![i32::MIN]) panics in a debug build instead of returning [i32::MIN].
// Written by a tester who had not read the check.
// expect: keep_evens(vec![-2147483648, 2147483647, -2147483647, 2147483646]): panicked: attempt to negate with overflow

pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    // abs so that negative numbers are handled like positive ones
    values.retain(|v| v.abs() % 2 == 0);
    values
}
