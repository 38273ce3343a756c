//! `sqlx::migrate!` embeds the migrations when the crate compiles; without this, adding a
//! migration file (no Rust changed) would leave a binary that lacks it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-env-changed=KYODO_NO_PACKED_RELOCS");
    if packed_relocs_supported() {
        // The server's relative relocations packed (DT_RELR): as a plain table they were 3.4 MiB
        // that the loader reads once at start and that then stayed resident — 5 % of the soak's
        // memory budget (docs/PERFORMANCE.md).
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Packed relocations need glibc ≥ 2.36 where the binary runs (older ones refuse to load it), so
/// only a native Linux/glibc build on such a glibc packs them; `KYODO_NO_PACKED_RELOCS=1` opts out
/// (e.g. to copy the binary to an older system).
fn packed_relocs_supported() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
        || var("TARGET") != var("HOST")
        || !var("KYODO_NO_PACKED_RELOCS").is_empty()
    {
        return false;
    }
    let Ok(out) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    // "glibc 2.36"
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (2, 36)
}
