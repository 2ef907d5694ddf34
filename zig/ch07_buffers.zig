//! Chapter 7's twin: the same five designs as Zig signatures. A slice
//! parameter borrows; a function that allocates takes an allocator, and its
//! caller frees the result with that allocator. Each call is counted
//! against the program's allocator, as the Rust program counts the global
//! allocator's.
//!
//! Run: `zig build ch07_buffers` in `zig/`.

const std = @import("std");
const lab = @import("lab.zig");
const staged = @import("ch03_staged.zig");

// ANCHOR: designs
/// Reads a buffer it does not own.
fn sum(values: []const i32) i64 {
    var total: i64 = 0;
    for (values) |value| total += value;
    return total;
}

/// Changes a buffer it does not own; it cannot grow, shrink or free it.
fn doubleAll(values: []i32) void {
    for (values) |*value| value.* *= 2;
}

/// Returns new memory from `allocator`, which the caller frees with it.
/// Zig has no other way to allocate: Rust's `evens`, `try_evens` and
/// `try_evens_in` are all this one function.
fn evens(allocator: std.mem.Allocator, n: usize) error{OutOfMemory}![]i32 {
    const values = try allocator.alloc(i32, n);
    fillEvens(values);
    return values;
}

/// Fills the caller's memory and allocates nothing: it has no allocator.
fn fillEvens(out: []i32) void {
    for (out, 0..) |*slot, i| slot.* = @intCast(2 * i);
}
// ANCHOR_END: designs

pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch07_buffers", run, .{init.gpa});
}

// ANCHOR: calls
fn run(gpa: std.mem.Allocator, out: *std.Io.Writer) !void {
    var counted = lab.Trace.init(gpa); // counts what is asked of `gpa`
    const allocator = counted.allocator();
    const n = 5;

    const numbers = try evens(allocator, n);
    defer allocator.free(numbers);
    try out.print("numbers = evens(allocator, {d}) = {any}\n", .{ n, numbers });
    var before = counted.allocations();

    try out.print("sum(numbers)\n  -> {d}\n", .{sum(numbers)});
    try out.print("  allocations: {d}\n", .{counted.allocations() - before});

    doubleAll(numbers);
    try out.print("doubleAll(numbers)\n  allocations: {d}\n", .{counted.allocations() - before});
    try out.print("numbers = {any}\n", .{numbers});

    before = counted.allocations();
    const more = try evens(allocator, n);
    allocator.free(more);
    try out.print("evens(allocator, {d})\n  allocations: {d}\n", .{ n, counted.allocations() - before });

    before = counted.allocations();
    fillEvens(numbers); // a buffer the caller already has
    try out.print("fillEvens(numbers)\n  allocations: {d}\n", .{counted.allocations() - before});
    try out.print("numbers = {any}\n", .{numbers});

    // An arena of the caller's: 1024 bytes on the stack.
    var memory: [1024]u8 = undefined;
    var fixed: std.heap.FixedBufferAllocator = .init(&memory);
    const arena = fixed.allocator();
    before = counted.allocations();
    const in_arena = try evens(arena, n);
    try out.print("evens(arena, {d}) = {any}\n", .{ n, in_arena });
    for ([_]usize{ n, 20 }) |count| {
        if (staged.allocTwo(arena, count)) |two| {
            try out.print("allocTwo(arena, {d}) = A {any}, B {any}\n", .{ count, two.a, two.b });
        } else |err| {
            try out.print("allocTwo(arena, {d}) = error.{s}\n", .{ count, @errorName(err) });
        }
    }
    try out.print("  allocations: {d}\n", .{counted.allocations() - before});
    try out.print("arena bytes in use at the end: {d}\n", .{fixed.end_index});
    try out.flush();
}
// ANCHOR_END: calls

test "the borrowing functions and fillEvens cannot allocate; evens frees nothing of its own" {
    const numbers = try evens(std.testing.allocator, 5);
    defer std.testing.allocator.free(numbers);
    try std.testing.expectEqual(20, sum(numbers));
    doubleAll(numbers);
    try std.testing.expectEqualSlices(i32, &.{ 0, 4, 8, 12, 16 }, numbers);
}

fn evensAndFree(allocator: std.mem.Allocator, n: usize) !void {
    allocator.free(try evens(allocator, n));
}

test "every allocation failure of evens is error.OutOfMemory and leaks nothing" {
    try lab.expectFailurePoints(evensAndFree, &.{ .{ 0, 0 }, .{ 5, 1 } });
}
