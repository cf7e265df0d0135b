//! The interactive REPL (placeholder).

/// Runs the REPL; returns the exit status.
pub fn main(_style: crate::diag::Style) -> u8 {
    eprintln!("gom: the REPL is not implemented yet");
    1
}
