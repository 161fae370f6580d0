//! The default theme is embedded with `include_dir!`, which does not tell cargo
//! which files it read; without this, editing a theme file would not rebuild.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
