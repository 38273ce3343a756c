/// jemalloc instead of the system allocator: on the staff mix glibc's malloc and free were a
/// quarter of the server's CPU, and jemalloc returns freed memory to the system after a short
/// decay (settings in `.cargo/config.toml`; measured in docs/PERFORMANCE.md). It also stands in
/// for the C library's `malloc`, so SQLite's page caches and statements are under the same decay
/// (under glibc they kept two arenas of ~18 MiB each in a soak).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    kyodo::cli::main()
}
