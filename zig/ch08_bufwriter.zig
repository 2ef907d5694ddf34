//! Chapter 8's twin of the `BufWriter` trap, where the twins part: a Zig
//! buffered writer has no destructor, so what is left in its buffer is
//! never written unless the program flushes, and an unflushed write loses
//! the data without even an attempt. `/dev/full` stands for a full disk:
//! every write to it fails with ENOSPC.
//!
//! Run: `zig build ch08_bufwriter` in `zig/` (Linux: it needs /dev/full).

const std = @import("std");
const lab = @import("lab.zig");

pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch08_bufwriter", run, .{init.io});
}

// ANCHOR: trap
fn run(io: std.Io, out: *std.Io.Writer) !void {
    const data: [100]u8 = @splat('x'); // fits in the writer's buffer

    // 1. No flush: `writeAll` only fills the buffer and succeeds. Nothing
    //    writes the buffer out later, so the data are lost, and no write
    //    was even attempted.
    {
        const full = try std.Io.Dir.cwd().openFile(io, "/dev/full", .{ .mode = .write_only });
        defer full.close(io);
        var buffered: [8192]u8 = undefined;
        var writer = full.writer(io, &buffered);
        try out.print("writeAll:  {s}\n", .{outcome(writer.interface.writeAll(&data))});
        try out.print("no flush:  {d} bytes still buffered, never written\n", .{writer.interface.end});
    }

    // 2. Flush: the failure comes back, and the file's writer keeps the
    //    error of the system call behind Zig's `error.WriteFailed`.
    {
        const full = try std.Io.Dir.cwd().openFile(io, "/dev/full", .{ .mode = .write_only });
        defer full.close(io);
        var buffered: [8192]u8 = undefined;
        var writer = full.writer(io, &buffered);
        try out.print("writeAll:  {s}\n", .{outcome(writer.interface.writeAll(&data))});
        try out.print("flush:     {s}", .{outcome(writer.interface.flush())});
        if (writer.err) |err| try out.print(" (the file's error: error.{s})", .{@errorName(err)});
        try out.print("\n", .{});
    }
    try out.flush();
}
// ANCHOR_END: trap

/// `ok`, or the error (a writer has one: `error.WriteFailed`).
fn outcome(result: std.Io.Writer.Error!void) []const u8 {
    result catch return "error.WriteFailed";
    return "ok";
}
