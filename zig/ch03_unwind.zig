//! Chapter 3's twin of the unwinding panic, and where the twins part: a Zig
//! panic does not unwind. No errdefer and no defer runs; the panic handler
//! prints the message and the stack, and the process aborts. Here the
//! handler first prints the trace so far (the process ends before the
//! program could print it), so that the run shows what was acquired and
//! that nothing was released.
//!
//! Run: `zig build` in `zig/`, then `zig-out/bin/ch03_unwind` (it aborts,
//! which `zig build ch03_unwind` reports as a failed step).

const std = @import("std");
const lab = @import("lab.zig");
const staged = @import("ch03_staged.zig");

// ANCHOR: panics_between
/// Like `allocTwo`, but a bug panics between A and B.
fn panicsBetween(allocator: std.mem.Allocator, n: usize) staged.TwoBufError!staged.Two {
    const a = try allocator.alloc(i32, n);
    errdefer {
        lab.note("the errdefer runs: free A", .{});
        allocator.free(a);
    }
    defer lab.note("the defer runs", .{});

    for (a, 0..) |*x, i| x.* = @intCast(i);
    const index = n; // an off-by-one bug: the last index is n - 1
    const last = a[index]; // panics: index out of bounds

    const b = try allocator.alloc(i32, 1);
    b[0] = last;
    return .{ .a = a, .b = b };
}
// ANCHOR_END: panics_between

/// Zig's panic handler, with the trace printed first.
pub const panic = std.debug.FullPanic(printTraceThenPanic);

fn printTraceThenPanic(message: []const u8, first_trace_address: ?usize) noreturn {
    lab.note("panic: {s}", .{message});
    lab.printCurrentOnStderr();
    std.debug.defaultPanic(message, first_trace_address);
}

pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch03_unwind", run, .{init.gpa});
}

fn run(gpa: std.mem.Allocator, out: *std.Io.Writer) !void {
    const n = 3;
    try out.print("panicsBetween({d}):\n", .{n});
    try out.flush(); // the panic ends the process: nothing is flushed after it
    var trace = lab.Trace.init(gpa);
    trace.begin();
    defer trace.end();
    const two = try panicsBetween(trace.allocator(), n);
    try out.print("never printed: {any}\n", .{two.b});
}
