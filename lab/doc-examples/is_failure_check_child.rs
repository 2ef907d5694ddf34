use cleanup_lab::is_failure_check_child;

fn main() {
    // A program run as usual (or a test) is not one of the lab's children:
    // its standard input is its own.
    assert!(!is_failure_check_child());
}
