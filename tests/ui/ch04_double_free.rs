use course::staged::alloc_two;
use course::TwoBufError;

fn main() -> Result<(), TwoBufError> {
    let (a, b) = alloc_two(5)?;
    drop(a); // frees A
    drop(a); // a second free of A: rejected
    drop(b);
    Ok(())
}
