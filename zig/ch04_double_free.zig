//! The Zig twin of chapter 4's `tests/ui/ch04_double_free.rs`, the Rust
//! program that does not compile because it drops A twice. The Zig program
//! compiles; at run time, Zig's leak-checking allocator (the kind
//! `std.testing.allocator` is, and what `main` gets in a debug build)
//! catches the second free and panics, and the process aborts.
//!
//! Run: `zig build` in `zig/`, then `zig-out/bin/ch04_double_free`.

const std = @import("std");
const staged = @import("ch03_staged.zig");

// ANCHOR: main
pub fn main(init: std.process.Init) !void {
    const gpa = init.gpa;
    const res = try staged.allocTwo(gpa, 5);
    gpa.free(res.a); // frees A
    gpa.free(res.a); // a second free of A: compiles
    gpa.free(res.b);
}
// ANCHOR_END: main
