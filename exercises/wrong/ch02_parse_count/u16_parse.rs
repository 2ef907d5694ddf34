// family: wrong-elsewhere
// wrong because: it parses a u16 ("LIMIT fits"), so "70000" is NotANumber instead of TooLarge { limit: 1000 }.
// Written by a tester who had not read the check.
// expect: parse_count("99999999999999999999999"): returned (Err(NotANumber), allocating nothing), expected (Err(TooLarge { limit: 1000 }), allocating nothing)

pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}

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
    let count: u16 = text.parse()?;
    if count as usize > LIMIT {
        return Err(CountError::TooLarge { limit: LIMIT });
    }
    Ok(count as usize)
}
