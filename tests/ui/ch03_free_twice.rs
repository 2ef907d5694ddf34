use course::raw_buffer::RawBuffer;
use course::TwoBufError;

fn main() -> Result<(), TwoBufError> {
    let buffer = RawBuffer::alloc(4)?;
    buffer.free();
    buffer.free(); // the first `free` consumed it
    Ok(())
}
