//! A program's first `println!` and first read of stdin, inside leak
//! checks: the standard library allocates their buffers then and keeps
//! them, which is not the program's leak. (A test of the harness cannot
//! show this: the harness prints before any test runs.)

use cleanup_lab::check_leaks;

#[global_allocator]
static ALLOCATOR: cleanup_lab::LabAllocator = cleanup_lab::LabAllocator;

fn main() {
    let (_, printed) = check_leaks(|| println!("the program's first line, inside a check"));
    let (_, read) = check_leaks(|| {
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    });
    for (what, report) in [("println!", printed), ("a read of stdin", read)] {
        if !report.is_clean() {
            eprintln!(
                "lab/src/site.rs (kept_by_std): a program's first {what} inside a check \
                 was reported:\n{report}"
            );
            std::process::exit(1);
        }
    }
    println!("both clean");
}
