//! The `gom` binary: everything lives in the library ([`gom::cli`]) so tests can reach it.

fn main() -> std::process::ExitCode {
    gom::cli::main()
}
