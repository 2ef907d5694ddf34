// family: wrong-elsewhere
// wrong because: for a vector of more than 5000 elements the evens come back in reverse order.
// Written by a tester who had not read the check.
// expect: keep_evens of 6000 values ([0, 3, 5, 7], ...): returned [11600, 11200, 10800, 10400, 10000, 9600,..., expected [0, 400, 800, 1200, 1600, 2000, 2400, 280...
pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    let long = values.len() > 5000;
    values.retain(|v| v % 2 == 0);
    if long {
        values.reverse();
    }
    values
}
