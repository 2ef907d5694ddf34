//! Chapter 3's twin of the guards in reverse order: three errdefers, then
//! an allocation that fails. Zig runs the errdefers registered so far
//! newest first, as Rust drops the guards: C, B, then A.
//!
//! Run: `zig build ch03_guard_order` in `zig/` (the 4th allocation fails).

const std = @import("std");
const lab = @import("lab.zig");

// ANCHOR: alloc_four_raw
/// Four buffers, of 4, 8, 12 and 16 integers; on success the caller must
/// free them all.
fn allocFourRaw(allocator: std.mem.Allocator) std.mem.Allocator.Error![4][]i32 {
    const a = try allocator.alloc(i32, 4);
    errdefer {
        lab.note("errdefer for A runs: free A", .{});
        allocator.free(a);
    }
    lab.note("errdefer for A registered", .{});
    const b = try allocator.alloc(i32, 8);
    errdefer {
        lab.note("errdefer for B runs: free B", .{});
        allocator.free(b);
    }
    lab.note("errdefer for B registered", .{});
    const c = try allocator.alloc(i32, 12);
    errdefer {
        lab.note("errdefer for C runs: free C", .{});
        allocator.free(c);
    }
    lab.note("errdefer for C registered", .{});
    // The last acquisition needs no errdefer: nothing can fail after it.
    const d = try allocator.alloc(i32, 16); // on failure: C's, then B's, then A's
    return .{ a, b, c, d };
}
// ANCHOR_END: alloc_four_raw

pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch03_guard_order", run, .{init.gpa});
}

fn run(gpa: std.mem.Allocator, out: *std.Io.Writer) !void {
    // The trace sees what the failing allocator refuses; it counts from 0.
    var failing = std.testing.FailingAllocator.init(gpa, .{ .fail_index = 3 });
    var trace = lab.Trace.init(failing.allocator());
    trace.begin();
    defer trace.end();
    const allocator = trace.allocator();
    if (allocFourRaw(allocator)) |buffers| {
        lab.note("ok: the caller frees D, C, B, then A", .{});
        for (0..buffers.len) |i| allocator.free(buffers[buffers.len - 1 - i]);
    } else |err| {
        lab.note("error.{s}", .{@errorName(err)});
    }
    try out.print("allocFourRaw(), allocation 4 of 4 refused:\n", .{});
    try trace.write(out);
    try out.flush();
}

fn allocFourRawAndFree(allocator: std.mem.Allocator) !void {
    const buffers = try allocFourRaw(allocator);
    for (buffers) |buffer| allocator.free(buffer);
}

test "every allocation failure of allocFourRaw is error.OutOfMemory and leaks nothing" {
    try std.testing.expectEqual(4, try lab.checkAllAllocationFailures(allocFourRawAndFree, .{}));
}
