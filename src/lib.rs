//! gom: an interpreter for Go-concurrency programs.
//!
//! The pipeline, one module per stage (see `src/README.md`):
//! source text --[`syntax`]--> AST --check--> typed AST --compile--> bytecode --runtime--> output.
//! This file only wires the stages together.

pub mod bytecode;
pub mod check;
pub mod cli;
pub mod compile;
pub mod diag;
pub mod driver;
pub mod fmt;
pub mod gomtest;
pub mod repl;
pub mod source;
pub mod syntax;
pub mod vm;

/// Stack size for the thread that runs the pipeline. Deeply nested user programs recurse in
/// every tree walk (checker, printer, `Drop`); a big, lazily committed stack makes that safe.
pub const PIPELINE_STACK_BYTES: usize = 512 << 20;

/// Runs `f` on a fresh thread with a [`PIPELINE_STACK_BYTES`] stack and returns its result.
/// A panic inside `f` is resumed on the caller's thread.
pub fn with_large_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let handle = std::thread::Builder::new()
        .name("gom-pipeline".into())
        .stack_size(PIPELINE_STACK_BYTES)
        .spawn(f);
    match handle {
        Ok(handle) => match handle.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        // Not enough address space for a big stack: run on this thread instead.
        Err(_) => unreachable_stack_fallback(),
    }
}

fn unreachable_stack_fallback<T>() -> T {
    eprintln!("gom: cannot create the pipeline thread (out of memory)");
    std::process::exit(3)
}
