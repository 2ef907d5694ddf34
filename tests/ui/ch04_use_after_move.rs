use course::staged::alloc_two;
use course::TwoBufError;

fn main() -> Result<(), TwoBufError> {
    let (a, _b) = alloc_two(5)?;
    let keeper = a; // the buffer moves to `keeper`; `a` is no longer usable
    println!("{a:?}");
    drop(keeper);
    Ok(())
}
