//! The `gom` command line (placeholder).
fn main() {
    eprintln!("gom: not built yet");
    std::process::exit(1);
}
