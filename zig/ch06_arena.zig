//! Chapter 6's twin: `allocTwo` in Zig's `std.heap.ArenaAllocator`. As
//! with bumpalo, there is no cleanup code: nothing is freed one buffer at a
//! time, and what a failed call leaves behind stays in the arena until it
//! is reset or deinitialised. The arena hides a missing errdefer: its tests
//! show the leak that the same function has without it.
//!
//! Run: `zig build ch06_arena` in `zig/` (n = 5, then n = 20).

const std = @import("std");
const lab = @import("lab.zig");
const staged = @import("ch03_staged.zig");

// ANCHOR: alloc_two_in_arena
/// `allocTwo` for an arena's allocator, without its errdefer, as the Rust
/// version has no guard: the arena's memory comes back all at once.
fn allocTwoInArena(arena: std.mem.Allocator, n: usize) staged.TwoBufError!staged.Two {
    const a = try arena.alloc(i32, n);
    // No errdefer: A stays in the arena until the arena is reset.
    if (n > staged.limit) return error.TooLarge;

    const b = try arena.alloc(i32, n);
    for (a, b, 0..) |*x, *y, i| {
        x.* = @intCast(i);
        y.* = @intCast(2 * i);
    }
    return .{ .a = a, .b = b };
}
// ANCHOR_END: alloc_two_in_arena

// ANCHOR: main
pub fn main(init: std.process.Init) void {
    // Behind the arena, 4 KiB of this process's memory: whether the
    // program's allocator can grow a block in place depends on what lies
    // next to it, and the run must print the same trace every time.
    var memory: [4096]u8 = undefined;
    var fixed: std.heap.FixedBufferAllocator = .init(&memory);
    lab.runWithStdout(init, "ch06_arena", run, .{fixed.allocator()});
}

fn run(gpa: std.mem.Allocator, out: *std.Io.Writer) !void {
    var trace = lab.Trace.init(gpa);
    trace.begin();
    defer trace.end();

    lab.note("ArenaAllocator.init(traced)", .{});
    var arena: std.heap.ArenaAllocator = .init(trace.allocator());
    for ([_]usize{ 5, 20 }) |n| {
        lab.note("allocTwoInArena(arena, {d})", .{n});
        if (allocTwoInArena(arena.allocator(), n)) |two| {
            lab.note("  ok: A = {any}, B = {any}", .{ two.a, two.b });
        } else |err| {
            lab.note("  error.{s}: A stays in the arena", .{@errorName(err)});
        }
        lab.note("  capacity: {d} bytes", .{arena.queryCapacity()});
    }
    lab.note("arena.reset(.retain_capacity)", .{});
    _ = arena.reset(.retain_capacity);
    lab.note("  capacity: {d} bytes", .{arena.queryCapacity()});
    lab.note("arena.deinit()", .{});
    arena.deinit();

    try trace.write(out);
    try out.flush();
}
// ANCHOR_END: main

test "in an arena, the missing errdefer leaks nothing that std.testing.allocator sees" {
    var arena: std.heap.ArenaAllocator = .init(std.testing.allocator);
    defer arena.deinit(); // frees A of the failed call, with everything else
    _ = try allocTwoInArena(arena.allocator(), 5);
    try std.testing.expectError(error.TooLarge, allocTwoInArena(arena.allocator(), 20));
}

test "without the arena, the same function leaks A: 80 bytes allocated, none freed" {
    var buffer: [1024]u8 = undefined;
    var fixed: std.heap.FixedBufferAllocator = .init(&buffer);
    var counting: std.testing.FailingAllocator = .init(fixed.allocator(), .{});
    try std.testing.expectError(error.TooLarge, allocTwoInArena(counting.allocator(), 20));
    try std.testing.expectEqual(80, counting.allocated_bytes);
    try std.testing.expectEqual(0, counting.freed_bytes);
}

/// `allocTwoInArena` in an arena of its own over `allocator`.
fn inAnArena(allocator: std.mem.Allocator, n: usize) !void {
    var arena: std.heap.ArenaAllocator = .init(allocator);
    defer arena.deinit();
    _ = allocTwoInArena(arena.allocator(), n) catch |err| switch (err) {
        error.TooLarge => return,
        error.OutOfMemory => return err,
    };
}

test "every allocation failure of the arena's blocks is error.OutOfMemory and leaks nothing" {
    // The arena asks its allocator for a block only when the one it has is
    // full: one block serves both buffers here.
    try lab.expectFailurePoints(inAnArena, &.{ .{ 0, 0 }, .{ 5, 1 }, .{ 20, 1 } });
}
