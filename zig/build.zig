//! Builds the Zig twins of the chapters' programs (Zig 0.17.0).
//!
//!   zig build                 builds every twin into zig-out/bin/
//!   zig build NAME            runs one: `zig build ch03_staged`
//!   zig build test            runs every twin's tests (std.testing.allocator,
//!                             checkAllAllocationFailures) and the lab's
//!
//! The course's `cargo test` runs `zig build install test` when Zig 0.17.0 is
//! on PATH, then runs each twin and compares its output with the file the
//! book shows (`NAME.stdout`, `NAME.stderr` beside `NAME.zig`); `.ci/zig`
//! installs Zig and does both.

const std = @import("std");

/// Every twin: `NAME.zig` here is the twin of `examples/NAME.rs`.
pub const twins = [_][]const u8{
    "ch02_error_sets",
    "ch03_staged",
    "ch03_errdefer",
    "ch03_guard_order",
    "ch03_unwind",
    "ch04_raw_parts",
    "ch04_double_free",
    "ch05_leak",
    "ch06_arena",
    "ch07_buffers",
    "ch08_atomic_save",
    "ch08_bufwriter",
};

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});
    const test_step = b.step("test", "Run the twins' tests and the lab's");

    for (twins) |name| {
        const module = b.createModule(.{
            .root_source_file = b.path(b.fmt("{s}.zig", .{name})),
            .target = target,
            .optimize = optimize,
        });
        const exe = b.addExecutable(.{ .name = name, .root_module = module });
        b.installArtifact(exe);
        const run = b.addRunArtifact(exe);
        b.step(name, b.fmt("Run {s}, the twin of examples/{s}.rs", .{ name, name })).dependOn(&run.step);

        const tests = b.addTest(.{ .root_module = module });
        test_step.dependOn(&b.addRunArtifact(tests).step);
    }
}
