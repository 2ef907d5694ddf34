//! Chapter 8's twin of the atomic save, with the standard library's atomic
//! file (`Dir.createFileAtomic`): a temporary file beside the target, which
//! `deinit` removes on every path that does not end in the rename. The
//! stages and their cleanups are the Rust tool's; what Zig's atomic file
//! does not do is the difference the run shows: it gives the new file the
//! default mode, not the old file's, so a secret of mode 600 is replaced
//! by a file of mode 644 (666 less the usual umask, 022) that every user
//! can read.
//!
//! Run: `zig build ch08_atomic_save` in `zig/` (it works in a directory
//! `ch08-scratch` of the current directory, and removes it at the end).

const std = @import("std");
const Io = std.Io;
const lab = @import("lab.zig");

// ANCHOR: save_upper
/// Saves an upper-cased copy of `input` as `target`, atomically: `target`
/// is the old file or the complete new one, never a part.
fn saveUpper(io: Io, gpa: std.mem.Allocator, dir: Io.Dir, input: []const u8, target: []const u8) !void {
    // ---- 1, 2: the input's contents, in memory (freed on every path);
    //      more than 1 MiB is `error.StreamTooLong` ----
    const contents = try dir.readFileAlloc(io, input, gpa, .limited(1 << 20));
    defer gpa.free(contents);
    for (contents) |*byte| byte.* = std.ascii.toUpper(byte.*);

    // ---- 3: a temporary file beside the target, with the default mode
    //      (`.permissions` could give it the old file's) ----
    var atomic = try dir.createFileAtomic(io, target, .{ .replace = true });
    defer atomic.deinit(io); // removes the temporary file unless it was renamed

    // ---- 4: the bytes, on the disk ----
    try atomic.file.writeStreamingAll(io, contents);
    try atomic.file.sync(io);

    // ---- 5: the rename over the target ----
    try atomic.replace(io);
}
// ANCHOR_END: save_upper

pub fn main(init: std.process.Init) void {
    lab.runWithStdout(init, "ch08_atomic_save", run, .{ init.io, init.gpa });
}

fn run(io: Io, gpa: std.mem.Allocator, out: *Io.Writer) !void {
    const cwd = Io.Dir.cwd();
    cwd.deleteTree(io, "ch08-scratch") catch {};
    var dir = try cwd.createDirPathOpen(io, "ch08-scratch", .{ .open_options = .{ .iterate = true } });
    defer {
        dir.close(io);
        cwd.deleteTree(io, "ch08-scratch") catch {};
    }
    try dir.writeFile(io, .{ .sub_path = "input.txt", .data = "hello, zig\n" });
    try dir.writeFile(io, .{
        .sub_path = "saved.txt",
        .data = "old secret\n",
        .flags = .{ .permissions = .fromMode(0o600) },
    });
    // A target that cannot be replaced: the save fails at the rename, after
    // its temporary file was written.
    try dir.createDir(io, "a-directory", .default_dir);
    try out.print("before any save\n", .{});
    try show(io, gpa, dir, out);

    const saves = [_][2][]const u8{
        .{ "input.txt", "saved.txt" },
        .{ "missing.txt", "saved.txt" },
        .{ "input.txt", "a-directory" },
    };
    for (saves) |save| {
        const input, const target = save;
        try out.print("saveUpper({s}, {s})\n", .{ input, target });
        if (saveUpper(io, gpa, dir, input, target)) {
            try out.print("  ok\n", .{});
        } else |err| {
            try out.print("  error.{s}\n", .{@errorName(err)});
        }
        try show(io, gpa, dir, out);
    }
    try out.flush();
}

/// The target's contents and mode, and every name in the directory.
fn show(io: Io, gpa: std.mem.Allocator, dir: Io.Dir, out: *Io.Writer) !void {
    const contents = try dir.readFileAlloc(io, "saved.txt", gpa, .limited(1024));
    defer gpa.free(contents);
    const stat = try dir.statFile(io, "saved.txt", .{});
    try out.print("  saved.txt: \"{f}\", mode {o}\n", .{
        std.zig.fmtString(contents),
        stat.permissions.toMode() & 0o777,
    });

    var names: [8][]const u8 = undefined;
    var count: usize = 0;
    defer for (names[0..count]) |name| gpa.free(name);
    var entries = dir.iterate();
    while (try entries.next(io)) |entry| {
        if (count == names.len) return error.TooManyFiles;
        names[count] = try gpa.dupe(u8, entry.name);
        count += 1;
    }
    std.mem.sort([]const u8, names[0..count], {}, lessThan);
    try out.print("  directory:", .{});
    for (names[0..count]) |name| try out.print(" {s}", .{name});
    try out.print("\n", .{});
}

fn lessThan(_: void, a: []const u8, b: []const u8) bool {
    return std.mem.lessThan(u8, a, b);
}

test "a failed save leaves the target and no temporary file; no path leaks memory" {
    var tmp = std.testing.tmpDir(.{ .iterate = true });
    defer tmp.cleanup();
    const io = std.testing.io;
    try tmp.dir.writeFile(io, .{ .sub_path = "in", .data = "abc" });
    try tmp.dir.writeFile(io, .{ .sub_path = "out", .data = "old" });
    try std.testing.expectError(error.FileNotFound, saveUpper(io, std.testing.allocator, tmp.dir, "none", "out"));
    try saveUpper(io, std.testing.allocator, tmp.dir, "in", "out");
    const saved = try tmp.dir.readFileAlloc(io, "out", std.testing.allocator, .limited(16));
    defer std.testing.allocator.free(saved);
    try std.testing.expectEqualStrings("ABC", saved);
    var count: usize = 0;
    var entries = tmp.dir.iterate();
    while (try entries.next(io)) |_| count += 1;
    try std.testing.expectEqual(2, count); // in, out: no temporary file

    // A failure after the temporary file was written: the rename over a
    // directory. `deinit` removes the temporary file.
    try tmp.dir.createDir(io, "dir", .default_dir);
    try std.testing.expectError(error.IsDir, saveUpper(io, std.testing.allocator, tmp.dir, "in", "dir"));
    count = 0;
    entries = tmp.dir.iterate();
    while (try entries.next(io)) |_| count += 1;
    try std.testing.expectEqual(3, count); // in, out, dir: no temporary file
}

fn saveInTmp(gpa: std.mem.Allocator, dir: Io.Dir) !void {
    try saveUpper(std.testing.io, gpa, dir, "in", "out");
}

test "every allocation failure of saveUpper is error.OutOfMemory and leaks nothing" {
    var tmp = std.testing.tmpDir(.{});
    defer tmp.cleanup();
    try tmp.dir.writeFile(std.testing.io, .{ .sub_path = "in", .data = "abc" });
    // One allocation: the input's contents (the Rust tool's read_upper
    // makes one too, for the contents).
    try std.testing.expectEqual(1, try lab.checkAllAllocationFailures(saveInTmp, .{tmp.dir}));
}
