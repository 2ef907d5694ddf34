//! The end of `cargo test`'s test programs (cargo runs them in the order of
//! their names, and this one's comes last): the list of checks this machine
//! could not make, and why, gathered from the records `support::not_checked`
//! left during this run. No list, one line saying so.

mod support;

use std::fs;

fn main() {
    let dir = support::not_checked::records_of_this_run();
    let mut lines: Vec<String> = fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| fs::read_to_string(entry.path()).ok())
        .flat_map(|text| text.lines().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let _ = fs::remove_dir_all(&dir);
    lines.sort();
    lines.dedup();
    if lines.is_empty() {
        println!("\nEvery check of this run could be made on this machine.\n");
        return;
    }
    println!(
        "\nNot checked on this machine ({} of them; CI checks them all, and \
         {}=1 makes each a failure here too):",
        lines.len(),
        support::not_checked::CHECK_EVERYTHING
    );
    for line in lines {
        println!("  - {line}");
    }
    println!();
}
