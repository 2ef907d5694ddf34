// A wrong answer to ch02_parse_count: LIMIT itself is refused (`>=`
// where the task says "more than LIMIT").
// ANCHOR: expect
// expect: parse_count("1000"): returned (Err(TooLarge { limit: 1000 }), allocating nothing), expected (Ok(1000), allocating nothing)
// ANCHOR_END: expect

pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}

pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CountError::Empty);
    }
    let count: usize = text.parse().map_err(|_| CountError::NotANumber)?;
    if count >= LIMIT {
        return Err(CountError::TooLarge { limit: LIMIT });
    }
    Ok(count)
}
