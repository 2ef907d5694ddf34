// Exercise ch02_parse_count: a solution.

use std::num::{IntErrorKind, ParseIntError};

pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}

// What lets `?` turn a failed parse into our error: a number too big for
// a usize is still a number, and too large.
impl From<ParseIntError> for CountError {
    fn from(error: ParseIntError) -> Self {
        match error.kind() {
            IntErrorKind::PosOverflow => CountError::TooLarge { limit: LIMIT },
            _ => CountError::NotANumber,
        }
    }
}

pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CountError::Empty);
    }
    let count: usize = text.parse()?;
    if count > LIMIT {
        return Err(CountError::TooLarge { limit: LIMIT });
    }
    Ok(count)
}
