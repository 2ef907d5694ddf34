use course::raw_buffer::RawBuffer;
use course::TwoBufError;

fn main() -> Result<(), TwoBufError> {
    let buffer = RawBuffer::alloc(4)?;
    let numbers = buffer.as_slice(); // borrows `buffer`
    buffer.free(); // `free` takes `buffer` by value: not while it is borrowed
    println!("{numbers:?}");
    Ok(())
}
