// family: ends-process
// wrong because: a debugging leftover: after filtering a vector that held an odd number it prints the result and exits with status 0, so keep_evens(vec![1, 2]) never returns.
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 0): your code ended the program (std::process::exit(0)?), or closed the standard output the check

pub fn keep_evens(mut values: Vec<i32>) -> Vec<i32> {
    let before = values.len();
    values.retain(|v| v % 2 == 0);
    if values.len() != before {
        eprintln!("kept {:?}", values);
        std::process::exit(0);
    }
    values
}
