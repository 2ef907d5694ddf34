use cleanup_lab::check_leaks;

fn main() {
    let line = line!() + 1; // the line that allocates
    let ((), report) = check_leaks(|| std::mem::forget(vec![0u8; 8]));
    let stack = report.leaks[0].stack();
    // Innermost first: `function (file:line:column)`, in your own code.
    assert!(stack[0].contains(&format!(".rs:{line}:")), "{stack:?}");
}
