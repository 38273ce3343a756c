//! glibc's malloc gives threads that allocate at once their own arenas, up to eight per core.
//! Under the server's mix of async workers and SQLite connection threads its memory then creeps
//! up (soak: 65 → 73 MiB in five minutes) while two arenas stay flat at 59 MiB at the same
//! throughput (docs/PERFORMANCE.md). The limit is read when the process starts, and the crate
//! has no unsafe code to call `mallopt`, so `kyodo serve` starts itself again once with
//! `MALLOC_ARENA_MAX=2` — same process id, same arguments — unless the variable is set already
//! (set it to choose another limit).

/// Replaces this process with itself under two malloc arenas; returns only when that was not
/// needed or not possible (the server then runs as it is).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn bound_malloc_arenas() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let failed = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("MALLOC_ARENA_MAX", "2")
        .exec();
    eprintln!("kyodo: running with glibc's default malloc arenas ({failed})");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn bound_malloc_arenas() {}
