//! Chapter 2's twin: an error set instead of an error enum, and `try`
//! instead of `?`. Zig's allocators report failure as `error.OutOfMemory`
//! by design, so nothing here needs Rust's `try_reserve_exact`.
//!
//! Run: `zig build ch02_error_sets` in `zig/` (the counts are fixed: the
//! three runs the chapter shows, in one program).

const std = @import("std");

// ANCHOR: alloc_numbers
/// The most elements `allocNumbers` accepts.
const limit = 10;

/// Everything that can go wrong: Rust's `TwoBufError`, without the data
/// (a Zig error is a name, it carries no values). `||` merges our own
/// error into the allocator's set, `error{OutOfMemory}`.
const TwoBufError = error{TooLarge} || std.mem.Allocator.Error;

/// Returns `{ 0, 1, ..., n - 1 }`, which the caller frees, or why it could not.
fn allocNumbers(allocator: std.mem.Allocator, n: usize) TwoBufError![]i32 {
    // `try`: on error, return it at once, as Rust's `?` does.
    const numbers = try allocator.alloc(i32, n);
    // Registered now, run only if this function returns an error from here on.
    errdefer allocator.free(numbers);

    if (n > limit) return error.TooLarge; // the errdefer frees `numbers`

    for (numbers, 0..) |*number, i| number.* = @intCast(i);
    return numbers;
}
// ANCHOR_END: alloc_numbers

// ANCHOR: main
pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch02_error_sets", run, .{init.gpa});
}

fn run(gpa: std.mem.Allocator, out: *std.Io.Writer) !void {
    // 10^17 integers: more than any machine's memory, so refused at once.
    for ([_]usize{ 5, 20, 100_000_000_000_000_000 }) |n| {
        if (allocNumbers(gpa, n)) |numbers| {
            defer gpa.free(numbers);
            try out.print("allocNumbers({d}): {any}\n", .{ n, numbers });
        } else |err| {
            try out.print("allocNumbers({d}): error.{s}\n", .{ n, @errorName(err) });
        }
    }
    try out.flush();
}
// ANCHOR_END: main

test "allocNumbers leaks nothing, on success and on error.TooLarge" {
    const gpa = std.testing.allocator; // fails the test on any leak
    const numbers = try allocNumbers(gpa, 5);
    defer gpa.free(numbers);
    try std.testing.expectEqualSlices(i32, &.{ 0, 1, 2, 3, 4 }, numbers);
    try std.testing.expectError(error.TooLarge, allocNumbers(gpa, 20));
}

const lab = @import("lab.zig");

/// `allocNumbers`, its result freed; `error.TooLarge` is an answer too.
fn allocNumbersAndFree(allocator: std.mem.Allocator, n: usize) !void {
    const numbers = allocNumbers(allocator, n) catch |err| switch (err) {
        error.TooLarge => return,
        error.OutOfMemory => return err,
    };
    allocator.free(numbers);
}

test "every allocation failure of allocNumbers is error.OutOfMemory and leaks nothing" {
    // The same counts and failure points as tests/ch02_error_sets.rs.
    try lab.expectFailurePoints(allocNumbersAndFree, &.{ .{ 0, 0 }, .{ 1, 1 }, .{ 5, 1 }, .{ 10, 1 }, .{ 11, 1 }, .{ 20, 1 } });
}
