//! Where a session's program output goes: straight to stdout while an entry runs, and through
//! rustyline's external printer while the prompt is shown, so that goroutines printing in the
//! background do not garble the line being edited.
//!
//! Input: bytes written by the VM (whole `Print` calls). Output: stdout, or one external-printer
//! message per complete line (a partial line waits for its newline, or for the next entry).

use parking_lot::Mutex;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// rustyline's printer, boxed so this module does not name the terminal type.
pub type External = Box<dyn rustyline::ExternalPrinter + Send>;

/// Shared between the REPL loop and the VM's output.
#[derive(Default)]
pub struct Printer {
    at_prompt: AtomicBool,
    external: Mutex<Option<External>>,
    /// Text of an unfinished line printed while at the prompt.
    partial: Mutex<Vec<u8>>,
}

impl Printer {
    pub fn new(external: Option<External>) -> Arc<Printer> {
        Arc::new(Printer {
            at_prompt: AtomicBool::new(false),
            external: Mutex::new(external),
            partial: Mutex::new(Vec::new()),
        })
    }

    /// The prompt is about to be shown (true) or an entry is about to run (false).
    pub fn set_at_prompt(&self, at_prompt: bool) {
        if !at_prompt {
            let pending = std::mem::take(&mut *self.partial.lock());
            let _ = write_stdout(&pending);
        }
        self.at_prompt.store(at_prompt, Ordering::SeqCst);
    }

    fn write(&self, bytes: &[u8]) -> io::Result<()> {
        let mut external = self.external.lock();
        let printer = match external.as_mut() {
            Some(p) if self.at_prompt.load(Ordering::SeqCst) => p,
            _ => return write_stdout(bytes),
        };
        let mut partial = self.partial.lock();
        partial.extend_from_slice(bytes);
        if let Some(end) = partial.iter().rposition(|&b| b == b'\n') {
            let lines: Vec<u8> = partial.drain(..=end).collect();
            let text = String::from_utf8_lossy(&lines[..lines.len() - 1]).into_owned();
            printer
                .print(text)
                .map_err(|e| io::Error::other(e.to_string()))?;
        }
        Ok(())
    }
}

fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// The sink handed to the VM.
pub struct Sink(pub Arc<Printer>);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.write(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
