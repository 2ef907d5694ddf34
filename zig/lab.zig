//! The Zig side of the course's lab: an allocator that wraps another and
//! records every allocation and free, in order, with the program's notes in
//! between, in the words of the Rust lab's trace (`alloc   #1  20 bytes`),
//! so that a twin's output reads line for line against its Rust program's.
//!
//! Zig hands the allocator to each function, so a trace is just one more
//! allocator: wrap the real one, pass the wrapper. Recording allocates
//! nothing: the lines go into fixed arrays, and a trace that fills up says
//! how many events it lost.

const std = @import("std");
const Allocator = std.mem.Allocator;
const Alignment = std.mem.Alignment;

/// The trace that `note` writes to: the one begun last and not yet ended.
/// Zig has no destructors, so a twin notes its cleanup (`errdefer`,
/// `defer`) itself, the way the Rust programs note theirs.
threadlocal var current: ?*Trace = null;

/// A twin's `main`: calls `run(args..., out)`, with `out` a buffered
/// stdout, flushed at the end. An error (stdout closed or full, or the
/// run's own) is one line on stderr, `NAME: error.X`, and exit status 1,
/// never a stack trace.
pub fn runWithStdout(init: std.process.Init, name: []const u8, comptime run: anytype, args: anytype) void {
    var buffer: [1024]u8 = undefined;
    var stdout = std.Io.File.stdout().writer(init.io, &buffer);
    const out = &stdout.interface;
    @call(.auto, run, args ++ .{out}) catch |err| exitWith(name, err);
    out.flush() catch |err| exitWith(name, err);
}

fn exitWith(name: []const u8, err: anyerror) noreturn {
    std.debug.print("{s}: error.{s}\n", .{ name, @errorName(err) });
    std.process.exit(1);
}

/// Adds a line of the program's own to the current trace, if there is one.
pub fn note(comptime format: []const u8, args: anytype) void {
    if (current) |trace| trace.record(format, args);
}

/// Prints the current trace on stderr, for a panic handler: a Zig panic
/// ends the process (nothing unwinds), so the program itself never gets to
/// print it.
pub fn printCurrentOnStderr() void {
    const trace = current orelse return;
    var buffer: [max_text]u8 = undefined;
    var out: std.Io.Writer = .fixed(&buffer);
    trace.write(&out) catch {}; // a longer trace is cut short
    std.debug.print("{s}", .{out.buffered()});
}

const max_text = Trace.max_lines * (Trace.line_len + 3);

pub const Trace = struct {
    child: Allocator,
    lines: [max_lines][line_len]u8 = undefined,
    line_lens: [max_lines]usize = undefined,
    line_count: usize = 0,
    lost: usize = 0,
    /// Blocks allocated during the trace and not yet freed.
    live: [max_live]Live = undefined,
    live_count: usize = 0,
    next_id: u32 = 1,

    const max_lines = 64;
    const line_len = 96;
    const max_live = 32;
    const Live = struct { address: usize, id: u32 };

    /// A trace of what goes through `child`. Call `begin` before using
    /// its allocator, so that `note` finds it.
    pub fn init(child: Allocator) Trace {
        return .{ .child = child };
    }

    /// Makes this trace the one `note` writes to.
    pub fn begin(self: *Trace) void {
        current = self;
    }

    /// Stops `note` writing to this trace.
    pub fn end(self: *Trace) void {
        if (current == self) current = null;
    }

    /// How many blocks were allocated through this trace so far.
    pub fn allocations(self: *const Trace) u32 {
        return self.next_id - 1;
    }

    pub fn allocator(self: *Trace) Allocator {
        return .{ .ptr = self, .vtable = &vtable };
    }

    /// Writes the trace, one event a line, indented as the Rust lab's.
    pub fn write(self: *const Trace, out: *std.Io.Writer) std.Io.Writer.Error!void {
        for (self.lines[0..self.line_count], self.line_lens[0..self.line_count]) |*line, len| {
            try out.print("  {s}\n", .{line[0..len]});
        }
        if (self.lost > 0) {
            try out.print("  ... and {d} more events (the trace was full)\n", .{self.lost});
        }
    }

    const vtable: Allocator.VTable = .{
        .alloc = alloc,
        .resize = resize,
        .remap = remap,
        .free = free,
    };

    fn record(self: *Trace, comptime format: []const u8, args: anytype) void {
        if (self.line_count == max_lines) {
            self.lost += 1;
            return;
        }
        const buffer = &self.lines[self.line_count];
        // A note longer than a line is cut short, never lost.
        const len = if (std.mem.print(buffer, format, args)) |line| line.len else |_| line_len;
        self.line_lens[self.line_count] = len;
        self.line_count += 1;
    }

    /// Numbers a new block; a block beyond `max_live` keeps no number.
    fn remember(self: *Trace, address: usize) ?u32 {
        if (self.live_count == max_live) return null;
        const id = self.next_id;
        self.next_id += 1;
        self.live[self.live_count] = .{ .address = address, .id = id };
        self.live_count += 1;
        return id;
    }

    /// The number of a live block, which stops being live; `null` for a
    /// block allocated before the trace began.
    fn forget(self: *Trace, address: usize) ?u32 {
        for (self.live[0..self.live_count], 0..) |block, i| {
            if (block.address == address) {
                self.live[i] = self.live[self.live_count - 1];
                self.live_count -= 1;
                return block.id;
            }
        }
        return null;
    }

    fn idOf(self: *const Trace, address: usize) ?u32 {
        for (self.live[0..self.live_count]) |block| {
            if (block.address == address) return block.id;
        }
        return null;
    }

    fn alloc(context: *anyopaque, len: usize, alignment: Alignment, ret_addr: usize) ?[*]u8 {
        const self: *Trace = @ptrCast(@alignCast(context));
        const memory = self.child.rawAlloc(len, alignment, ret_addr) orelse {
            self.record("alloc   FAILED  {d} bytes", .{len});
            return null;
        };
        if (self.remember(@intFromPtr(memory))) |id| {
            self.record("alloc   #{d}  {d} bytes", .{ id, len });
        } else {
            self.record("alloc   (unnumbered)  {d} bytes", .{len});
        }
        return memory;
    }

    fn resize(context: *anyopaque, memory: []u8, alignment: Alignment, new_len: usize, ret_addr: usize) bool {
        const self: *Trace = @ptrCast(@alignCast(context));
        if (!self.child.rawResize(memory, alignment, new_len, ret_addr)) return false;
        self.recordRealloc(self.idOf(@intFromPtr(memory.ptr)), memory.len, new_len);
        return true;
    }

    fn remap(context: *anyopaque, memory: []u8, alignment: Alignment, new_len: usize, ret_addr: usize) ?[*]u8 {
        const self: *Trace = @ptrCast(@alignCast(context));
        const moved = self.child.rawRemap(memory, alignment, new_len, ret_addr) orelse return null;
        const id = self.forget(@intFromPtr(memory.ptr));
        if (id) |known| {
            self.live[self.live_count] = .{ .address = @intFromPtr(moved), .id = known };
            self.live_count += 1;
        }
        self.recordRealloc(id, memory.len, new_len);
        return moved;
    }

    fn recordRealloc(self: *Trace, id: ?u32, old_len: usize, new_len: usize) void {
        if (id) |known| {
            self.record("realloc #{d}  {d} -> {d} bytes", .{ known, old_len, new_len });
        } else {
            self.record("realloc (older block)  {d} -> {d} bytes", .{ old_len, new_len });
        }
    }

    fn free(context: *anyopaque, memory: []u8, alignment: Alignment, ret_addr: usize) void {
        const self: *Trace = @ptrCast(@alignCast(context));
        if (self.forget(@intFromPtr(memory.ptr))) |id| {
            self.record("free    #{d}  {d} bytes", .{ id, memory.len });
        } else {
            self.record("free    (older block)  {d} bytes", .{memory.len});
        }
        self.child.rawFree(memory, alignment, ret_addr);
    }
};

test "a trace numbers blocks and frees them by number, with notes between" {
    var trace = Trace.init(std.testing.allocator);
    trace.begin();
    defer trace.end();
    const gpa = trace.allocator();
    const a = try gpa.alloc(u32, 5);
    note("between", .{});
    const b = try gpa.alloc(u8, 3);
    gpa.free(a);
    gpa.free(b);

    var buffer: [512]u8 = undefined;
    var out: std.Io.Writer = .fixed(&buffer);
    try trace.write(&out);
    try std.testing.expectEqualStrings(
        \\  alloc   #1  20 bytes
        \\  between
        \\  alloc   #2  3 bytes
        \\  free    #1  20 bytes
        \\  free    #2  3 bytes
        \\
    , out.buffered());
}

test "a refused allocation is a line of its own" {
    var failing: std.testing.FailingAllocator = .init(std.testing.allocator, .{ .fail_index = 0 });
    var trace = Trace.init(failing.allocator());
    try std.testing.expectError(error.OutOfMemory, trace.allocator().alloc(u32, 20));

    var buffer: [128]u8 = undefined;
    var out: std.Io.Writer = .fixed(&buffer);
    try trace.write(&out);
    try std.testing.expectEqualStrings("  alloc   FAILED  80 bytes\n", out.buffered());
}

/// Fails each allocation of `function(allocator, args...)` in turn with
/// `std.testing.checkAllAllocationFailures` (each failure must come back as
/// `error.OutOfMemory`, with nothing leaked), and returns how many
/// allocations there were to fail: the failure points, the figure the Rust
/// lab's `check_all_allocation_failures` reports for the same function.
pub fn checkAllAllocationFailures(comptime function: anytype, args: anytype) !usize {
    var counting: std.testing.FailingAllocator = .init(std.testing.allocator, .{});
    try @call(.auto, function, .{counting.allocator()} ++ args);
    try std.testing.checkAllAllocationFailures(std.testing.allocator, function, args);
    return counting.alloc_index;
}

/// For each `{ n, points }` of `cases`, `function(allocator, n)` makes
/// `points` allocations, and failing each in turn gives `error.OutOfMemory`
/// and leaks nothing ([`checkAllAllocationFailures`]).
pub fn expectFailurePoints(comptime function: anytype, cases: []const [2]usize) !void {
    for (cases) |case| {
        const n, const points = case;
        try std.testing.expectEqual(points, try checkAllAllocationFailures(function, .{n}));
    }
}
