use cleanup_lab::OutOfMemory;

#[derive(Debug)]
enum ParseError {
    OutOfMemory,
    BadNumber,
}

impl OutOfMemory for ParseError {
    fn is_out_of_memory(&self) -> bool {
        matches!(self, ParseError::OutOfMemory)
    }
}

fn main() {
    assert!(ParseError::OutOfMemory.is_out_of_memory());
    assert!(!ParseError::BadNumber.is_out_of_memory());
}
