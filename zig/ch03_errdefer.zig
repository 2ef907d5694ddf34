//! Chapter 3's twin of the explicit guards: the errdefers that Rust's
//! `scopeguard` imitates, each noting when it is registered and when it
//! runs, so that the trace reads line for line against the Rust program's.
//!
//! Run: `zig build ch03_errdefer` in `zig/` (n = 5, then n = 20).

const std = @import("std");
const lab = @import("lab.zig");
const staged = @import("ch03_staged.zig");

// ANCHOR: alloc_two_raw
/// `allocTwo` with each errdefer saying what it does.
fn allocTwoRaw(allocator: std.mem.Allocator, n: usize) staged.TwoBufError!staged.Two {
    // ---- acquire A, then register its errdefer ----
    const a = try allocator.alloc(i32, n);
    errdefer {
        lab.note("errdefer for A runs: free A", .{});
        allocator.free(a);
    }
    lab.note("errdefer for A registered", .{});

    if (n > staged.limit) return error.TooLarge;

    // ---- acquire B, then register its errdefer ----
    const b = try allocator.alloc(i32, n); // on failure, A's errdefer runs
    errdefer {
        lab.note("errdefer for B runs: free B", .{});
        allocator.free(b);
    }
    lab.note("errdefer for B registered", .{});

    for (a, b, 0..) |*x, *y, i| {
        x.* = @intCast(i);
        y.* = @intCast(2 * i);
    }

    // ---- success: returning a value, not an error, runs no errdefer ----
    lab.note("returning both: no errdefer runs", .{});
    return .{ .a = a, .b = b };
}
// ANCHOR_END: alloc_two_raw

pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch03_errdefer", run, .{init.gpa});
}

fn run(gpa: std.mem.Allocator, out: *std.Io.Writer) !void {
    for ([_]usize{ 5, 20 }) |n| {
        var trace = lab.Trace.init(gpa);
        trace.begin();
        defer trace.end();
        const allocator = trace.allocator();
        if (allocTwoRaw(allocator, n)) |two| {
            lab.note("ok: the caller owns both buffers", .{});
            lab.note("A = {any}", .{two.a});
            lab.note("B = {any}", .{two.b});
            allocator.free(two.b);
            allocator.free(two.a);
        } else |err| {
            lab.note("error.{s}", .{@errorName(err)});
        }
        try out.print("allocTwoRaw({d}):\n", .{n});
        try trace.write(out);
    }
    try out.flush();
}

test "allocTwoRaw leaks nothing, on success and on error.TooLarge" {
    const gpa = std.testing.allocator;
    const two = try allocTwoRaw(gpa, 5);
    gpa.free(two.b);
    gpa.free(two.a);
    try std.testing.expectError(error.TooLarge, allocTwoRaw(gpa, 20));
}

fn allocTwoRawAndFree(allocator: std.mem.Allocator, n: usize) !void {
    const two = allocTwoRaw(allocator, n) catch |err| switch (err) {
        error.TooLarge => return,
        error.OutOfMemory => return err,
    };
    allocator.free(two.b);
    allocator.free(two.a);
}

test "every allocation failure of allocTwoRaw is error.OutOfMemory and leaks nothing" {
    // The same counts and failure points as tests/ch03_errdefer.rs.
    try lab.expectFailurePoints(allocTwoRawAndFree, &.{ .{ 0, 0 }, .{ 1, 2 }, .{ 5, 2 }, .{ 10, 2 }, .{ 11, 1 }, .{ 20, 1 } });
}
