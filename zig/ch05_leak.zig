//! Chapter 5's twin: chapter 3's `allocTwo` with its `errdefer` deleted.
//! It compiles, it works for n = 5, and for n = 20 it leaks A. The lab's
//! trace shows the block that is never freed, and Zig's own leak-checking
//! allocator (`std.heap.SafeAllocator`) reports it, with the stack of the
//! allocation, when it is deinitialised at the end of the program.
//!
//! Run: `zig build ch05_leak` in `zig/` (n = 5, then n = 20).

const std = @import("std");
const lab = @import("lab.zig");
const staged = @import("ch03_staged.zig");

// ANCHOR: alloc_two_forgetful
/// `allocTwo` of chapter 3 without its errdefer: A leaks whenever the
/// function fails after allocating it.
fn allocTwoForgetful(allocator: std.mem.Allocator, n: usize) staged.TwoBufError!staged.Two {
    const a = try allocator.alloc(i32, n);
    // errdefer allocator.free(a);   <- forgotten

    if (n > staged.limit) return error.TooLarge; // A is lost

    const b = try allocator.alloc(i32, n); // if this fails, A is lost too
    for (a, b, 0..) |*x, *y, i| {
        x.* = @intCast(i);
        y.* = @intCast(2 * i);
    }
    return .{ .a = a, .b = b };
}
// ANCHOR_END: alloc_two_forgetful

// ANCHOR: main
pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch05_leak", run, .{});
}

fn run(out: *std.Io.Writer) !void {
    // Zig's leak-checking allocator, the kind `std.testing.allocator` is.
    var safe: std.heap.SafeAllocator = .init(std.heap.page_allocator, .{});
    for ([_]usize{ 5, 20 }) |n| {
        var trace = lab.Trace.init(safe.allocator());
        trace.begin();
        defer trace.end();
        const allocator = trace.allocator();
        if (allocTwoForgetful(allocator, n)) |two| {
            lab.note("ok: the caller frees B, then A", .{});
            allocator.free(two.b);
            allocator.free(two.a);
        } else |err| {
            lab.note("error.{s}: nothing frees A", .{@errorName(err)});
        }
        try out.print("allocTwoForgetful({d}):\n", .{n});
        try trace.write(out);
    }
    try out.flush();
    // Reports each block still allocated on stderr, with its stack.
    const leaks = safe.deinit();
    try out.print("SafeAllocator.deinit(): {d} leaked\n", .{leaks});
    try out.flush();
}
// ANCHOR_END: main

// The leaks are real, so these tests give the function an allocator over a
// buffer of their own: std.testing.allocator would (rightly) fail them.

test "allocTwoForgetful(20) leaks A: 80 bytes allocated, none freed" {
    var buffer: [1024]u8 = undefined;
    var fixed: std.heap.FixedBufferAllocator = .init(&buffer);
    var counting: std.testing.FailingAllocator = .init(fixed.allocator(), .{});
    try std.testing.expectError(error.TooLarge, allocTwoForgetful(counting.allocator(), 20));
    try std.testing.expectEqual(80, counting.allocated_bytes);
    try std.testing.expectEqual(0, counting.freed_bytes);
}

test "failing each allocation of allocTwoForgetful(5) in turn: failing B leaks A" {
    // What checkAllAllocationFailures does, with the leak of each failure
    // point kept instead of a stop at the first (as the Rust lab reports
    // "1 of 2 failure points went wrong").
    for ([_]usize{ 0, 20 }, 0..) |leaked, fail_index| {
        var buffer: [1024]u8 = undefined;
        var fixed: std.heap.FixedBufferAllocator = .init(&buffer);
        var failing: std.testing.FailingAllocator = .init(fixed.allocator(), .{ .fail_index = fail_index });
        try std.testing.expectError(error.OutOfMemory, allocTwoForgetful(failing.allocator(), 5));
        try std.testing.expectEqual(leaked, failing.allocated_bytes - failing.freed_bytes);
    }
}
