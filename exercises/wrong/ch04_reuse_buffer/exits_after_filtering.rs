// family: ends-process
// wrong because: a debugging leftover: after filtering a vector that held an odd number it prints the result and exits with status 0, so keep_evens(vec![1, 2]) never returns.
// Written by a tester who had not read the check.
// expect: PLACEHOLDER

pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    let before = values.len();
    values.retain(|v| v % 2 == 0);
    if values.len() != before {
        eprintln!("kept {:?}", values);
        std::process::exit(0);
    }
    values
}
