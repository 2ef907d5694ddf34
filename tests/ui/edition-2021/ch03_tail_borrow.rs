use std::cell::RefCell;

fn total() -> usize {
    let log = RefCell::new(vec![1, 2, 3]);
    log.borrow().len() // a temporary `Ref` that borrows `log`
}

fn main() {
    assert_eq!(total(), 3);
}
