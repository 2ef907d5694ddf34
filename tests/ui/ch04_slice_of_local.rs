use course::staged::alloc_two;

/// Tries to hand out part of a buffer that this function owns.
fn first_three() -> &'static [i32] {
    let (a, _b) = alloc_two(5).expect("5 is within the limit");
    &a[..3] // `a` is freed when this function returns
}

fn main() {
    println!("{:?}", first_three());
}
