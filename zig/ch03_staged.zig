//! Chapter 3's twin: staged acquisition with `errdefer`. Where the Rust
//! function lets `Drop` free A on every early return, this one registers
//! the cleanup by hand, the line after A exists; the lab's trace shows
//! that both free exactly what was acquired.
//!
//! Run: `zig build ch03_staged` in `zig/` (n = 5, then n = 20).

const std = @import("std");
const lab = @import("lab.zig");

// ANCHOR: alloc_two
/// The most elements `allocTwo` accepts.
pub const limit = 10;

pub const TwoBufError = error{TooLarge} || std.mem.Allocator.Error;

/// A and B of `allocTwo`: both the caller's to free.
pub const Two = struct { a: []i32, b: []i32 };

/// Returns A = { 0, 1, ..., n - 1 } and B = { 0, 2, ..., 2(n - 1) }.
pub fn allocTwo(allocator: std.mem.Allocator, n: usize) TwoBufError!Two {
    // ---- acquire A, then register its cleanup ----
    const a = try allocator.alloc(i32, n);
    errdefer allocator.free(a); // runs only if an error is returned below

    // ---- fail in between, on purpose ----
    if (n > limit) return error.TooLarge; // the errdefer frees A

    // ---- acquire B ----
    const b = try allocator.alloc(i32, n); // on failure, the errdefer frees A

    // ---- fill both ----
    for (a, b, 0..) |*x, *y, i| {
        x.* = @intCast(i);
        y.* = @intCast(2 * i);
    }

    // ---- success: no errdefer runs, both slices go to the caller ----
    return .{ .a = a, .b = b };
}
// ANCHOR_END: alloc_two

// ANCHOR: main
pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch03_staged", run, .{init.gpa});
}

fn run(gpa: std.mem.Allocator, out: *std.Io.Writer) !void {
    for ([_]usize{ 5, 20 }) |n| {
        var trace = lab.Trace.init(gpa);
        trace.begin();
        defer trace.end();
        const allocator = trace.allocator();
        if (allocTwo(allocator, n)) |two| {
            // The caller's duty, which Rust's `Drop` takes on: one defer
            // each, run at the end of this block, in reverse order.
            defer allocator.free(two.a);
            defer allocator.free(two.b);
            lab.note("ok: the caller owns both buffers", .{});
            lab.note("A = {any}", .{two.a});
            lab.note("B = {any}", .{two.b});
            lab.note("end of the caller's block: its defers free B, then A", .{});
        } else |err| {
            lab.note("error.{s}", .{@errorName(err)});
        }
        try out.print("allocTwo({d}):\n", .{n});
        try trace.write(out);
    }
    try out.flush();
}
// ANCHOR_END: main

test "allocTwo leaks nothing, on success and on error.TooLarge" {
    const gpa = std.testing.allocator; // fails the test on any leak
    const two = try allocTwo(gpa, 5);
    defer gpa.free(two.a);
    defer gpa.free(two.b);
    try std.testing.expectEqualSlices(i32, &.{ 0, 2, 4, 6, 8 }, two.b);
    try std.testing.expectError(error.TooLarge, allocTwo(gpa, 20));
}

/// `allocTwo`, its buffers freed; `error.TooLarge` is an answer too.
fn allocTwoAndFree(allocator: std.mem.Allocator, n: usize) !void {
    const two = allocTwo(allocator, n) catch |err| switch (err) {
        error.TooLarge => return,
        error.OutOfMemory => return err,
    };
    allocator.free(two.a);
    allocator.free(two.b);
}

test "every allocation failure of allocTwo is error.OutOfMemory and leaks nothing" {
    // The same counts and failure points as tests/ch03_staged.rs.
    try lab.expectFailurePoints(allocTwoAndFree, &.{ .{ 0, 0 }, .{ 1, 2 }, .{ 5, 2 }, .{ 10, 2 }, .{ 11, 1 }, .{ 20, 1 } });
}
