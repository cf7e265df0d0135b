//! Checker diagnostics.
//!
//! Messages are Go's (`declared and not used: x`, `invalid operation: x + y (mismatched types
//! int and string)`), so users learn Go's wording; each also has a stable code
//! (`gom::check::unused_variable`), a label on the offending span and help where it adds
//! something Go does not say.

use crate::source::Span;
use miette::{Diagnostic, LabeledSpan, SourceSpan};
use std::fmt;

#[derive(Debug, Clone)]
pub struct CheckError {
    /// Stable, documented code: the part after `gom::check::`.
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
    /// Which file of the program the span is in (0 is the user's file).
    pub file: u32,
}

impl CheckError {
    pub fn with_help(mut self, help: impl Into<String>) -> CheckError {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CheckError {}

impl Diagnostic for CheckError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("gom::check::{}", self.code)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span: SourceSpan = self.span.into();
        let label = LabeledSpan::new_with_span(Some(self.label.clone()), span);
        Some(Box::new(std::iter::once(label)))
    }
}
