//! `sqlx::migrate!` embeds the migrations when the crate compiles; without this, adding a
//! migration file (no Rust changed) would leave a binary that lacks it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
