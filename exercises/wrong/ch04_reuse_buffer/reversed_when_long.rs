// family: wrong-elsewhere
// wrong because: for a vector of more than 5000 elements the evens come back in reverse order.
// Written by a tester who had not read the check.
// expect: PLACEHOLDER
pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    let long = values.len() > 5000;
    values.retain(|v| v % 2 == 0);
    if long {
        values.reverse();
    }
    values
}
