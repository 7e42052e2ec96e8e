//! Rebuilds the crate when a migration is added or changed, so that the
//! embedded migrations are never stale.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
