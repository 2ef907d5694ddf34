// Exercise ch02_parse_count: a solution.

pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}

// What lets `?` turn a failed parse into our error.
impl From<std::num::ParseIntError> for CountError {
    fn from(_: std::num::ParseIntError) -> Self {
        CountError::NotANumber
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
