// family: wrong-elsewhere
// wrong because: a too-big number with a plus sign, e.g. "+99999999999999999999999", is NotANumber instead of TooLarge (it decides overflow by "all digits").
// Written by a tester who had not read the check.
// expect: parse_count("+99999999999999999999999"): returned (Err(NotANumber), allocating nothing), expected (Err(TooLarge { limit: 1000 }), allocating nothing)
pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}


pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(CountError::Empty);
    }
    match t.parse::<usize>() {
        Ok(n) if n > LIMIT => Err(CountError::TooLarge { limit: LIMIT }),
        Ok(n) => Ok(n),
        Err(_) if t.bytes().all(|b| b.is_ascii_digit()) => Err(CountError::TooLarge { limit: LIMIT }),
        Err(_) => Err(CountError::NotANumber),
    }
}
