import NexusPOSIX

/// Tests keep calling `Subprocess` through NexusTesting; it lives in NexusPOSIX, with the other process
/// plumbing, so the shipped binary's benchmarks can use it without linking test support.
public typealias Subprocess = NexusPOSIX.Subprocess
