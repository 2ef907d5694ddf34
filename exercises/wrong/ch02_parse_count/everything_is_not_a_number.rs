// A wrong answer to ch02_parse_count: every parse error becomes
// NotANumber, the empty text included.
// ANCHOR: expect
// expect: parse_count(""): returned (Err(NotANumber), allocating nothing), expected (Err(Empty), allocating nothing)
// ANCHOR_END: expect

pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}

pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let count: usize = text.trim().parse().map_err(|_| CountError::NotANumber)?;
    if count > LIMIT {
        return Err(CountError::TooLarge { limit: LIMIT });
    }
    Ok(count)
}
