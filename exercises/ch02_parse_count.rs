// Exercise ch02_parse_count (chapter 2). Check it: cargo exercise ch02_parse_count
//
// `parse_count` reads a count of elements from text. Today it panics on
// anything that is not a number. Make it return the right `CountError`
// instead: `Empty` for "" (or only spaces), `NotANumber` for text that is
// not an unsigned number (as `str::parse` reads one), `TooLarge { limit:
// LIMIT }` for any number above LIMIT, however many digits it has.
// Spaces around the number are allowed. An error is an enum: building
// one allocates nothing (the check counts), which matters when the error
// to report is that memory ran out.

pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}

pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let count: usize = text.trim().parse().unwrap();
    Ok(count)
}
