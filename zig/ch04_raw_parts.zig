//! Chapter 4's twin: the caller's side of `allocTwo`. What Rust's
//! `ch04_raw_parts` imitates with raw pointers and `defer!` is plain Zig:
//! the caller frees each buffer with a `defer`, and nothing checks that it
//! does so exactly once.
//!
//! Run: `zig build ch04_raw_parts` in `zig/` (n = 5, then n = 20).

const std = @import("std");
const lab = @import("lab.zig");
const staged = @import("ch03_staged.zig");

// ANCHOR: caller
fn show(allocator: std.mem.Allocator, n: usize) staged.TwoBufError!void {
    const res = try staged.allocTwo(allocator, n);
    // The caller's duty: forget one and its buffer leaks, write one twice
    // and that buffer is freed twice. They run at the end of the function,
    // B first.
    defer allocator.free(res.a);
    defer allocator.free(res.b);

    lab.note("A = {any}", .{res.a});
    lab.note("B = {any}", .{res.b});
}
// ANCHOR_END: caller

pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch04_raw_parts", run, .{init.gpa});
}

fn run(gpa: std.mem.Allocator, out: *std.Io.Writer) !void {
    for ([_]usize{ 5, 20 }) |n| {
        var trace = lab.Trace.init(gpa);
        trace.begin();
        defer trace.end();
        show(trace.allocator(), n) catch |err| lab.note("error.{s}", .{@errorName(err)});
        try out.print("show({d}):\n", .{n});
        try trace.write(out);
    }
    try out.flush();
}

fn showOrTooLarge(allocator: std.mem.Allocator, n: usize) !void {
    show(allocator, n) catch |err| switch (err) {
        error.TooLarge => return,
        error.OutOfMemory => return err,
    };
}

test "show frees both buffers on every path" {
    // std.testing.allocator fails the test on a leak, and panics on a
    // buffer freed twice.
    try showOrTooLarge(std.testing.allocator, 5);
    try std.testing.expectError(error.TooLarge, show(std.testing.allocator, 20));
}

test "every allocation failure of show is error.OutOfMemory and leaks nothing" {
    // The same counts and failure points as tests/ch04_raw_parts.rs.
    try lab.expectFailurePoints(showOrTooLarge, &.{ .{ 0, 0 }, .{ 5, 2 }, .{ 20, 1 } });
}
