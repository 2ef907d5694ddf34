// family: wrong-elsewhere
// wrong because: it trims only the ASCII space character, so "\t7\n" is NotANumber instead of Ok(7) (edge: depends on whether tabs/newlines count as spaces).
// Written by a tester who had not read the check.
// expect: parse_count("\t\n"): returned (Err(NotANumber), allocating nothing), expected (Err(Empty), allocating nothing)

pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}

pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let text = text.trim_matches(' ');
    if text.is_empty() {
        return Err(CountError::Empty);
    }
    let count: usize = text.parse().map_err(|_| CountError::NotANumber)?;
    if count > LIMIT {
        return Err(CountError::TooLarge { limit: LIMIT });
    }
    Ok(count)
}
