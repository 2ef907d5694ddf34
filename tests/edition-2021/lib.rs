//! Nothing: this package exists for its example, chapter 3's temporaries
//! program compiled as edition 2021 (see `Cargo.toml`). Cargo wants a
//! package to have a library or a binary.
