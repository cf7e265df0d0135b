//! Diagnostic rendering: shows any miette [`Diagnostic`] about one [`SourceFile`] to a user.
//!
//! Input: a source file and the diagnostics found in it (any stage). Output: the text to print on
//! stderr. Each diagnostic is rendered as
//!
//! ```text
//! main.gom:5:7: syntax error: unexpected newline, expected )
//!    ,-[main.gom:5:7]
//!  4 | func main() {
//!  5 |     f(1,
//!    :        ^ unexpected newline
//!  6 | }
//!    `----
//!   help: ...
//! ```
//!
//! The first line is Go's `FILE:LINE:COL: MESSAGE` (FILE as the user typed it, LINE and COL
//! 1-based, COL counted in bytes like Go), taken from the diagnostic's primary label; a
//! diagnostic without a label shows `FILE: MESSAGE`. Then comes miette's snippet (labels, help).
//! A blank line separates diagnostics; nothing follows the last one.
//!
//! Diagnostics are sorted by position and filtered as Go's compiler does: one syntax error per
//! line, and an error repeating the previous message on the same line is dropped. After
//! [`MAX_ERRORS`] of them (or where a stage put its own "too many errors" marker) the line
//! `FILE:LINE:COL: too many errors` (at the last shown error) ends the report, as in Go.
//!
//! [`Style::Plain`] (ASCII, no colour, width 80, tabs as 4 spaces) is byte-for-byte stable and is
//! what golden tests see; [`Style::Fancy`] (unicode, colour) is used when stderr is a terminal
//! and `NO_COLOR` is unset.

use crate::source::SourceFile;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};
use std::fmt;
use std::io::IsTerminal;

/// A diagnostic from any stage, owned and shareable across threads.
pub type BoxedDiagnostic = Box<dyn Diagnostic + Send + Sync + 'static>;

/// Go's compiler stops after this many errors per file.
pub const MAX_ERRORS: usize = 10;

/// The diagnostic code a stage uses for its own "too many errors" marker.
const TOO_MANY_ERRORS_CODE: &str = "too_many_errors";

/// Width the plain style wraps at, so golden files do not depend on the terminal.
const PLAIN_WIDTH: usize = 80;
const FANCY_WIDTH: usize = 100;
const TAB_WIDTH: usize = 4;

/// How diagnostics look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// ASCII art, no colour, fixed width: stable text for files, pipes and tests.
    Plain,
    /// Unicode art and ANSI colour, for terminals.
    Fancy,
}

impl Style {
    /// [`Style::Fancy`] when stderr is a terminal and `NO_COLOR` is unset or empty, else plain.
    pub fn for_stderr() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if !no_color && std::io::stderr().is_terminal() {
            Style::Fancy
        } else {
            Style::Plain
        }
    }
}

/// Renders every diagnostic about `file` (at most [`MAX_ERRORS`]) in `style`.
pub fn render(file: &SourceFile, diagnostics: &[&dyn Diagnostic], style: Style) -> String {
    let source = NamedSource::new(file.name.clone(), file.text.clone());
    let handler = handler(style);
    let sorted = go_order(file, diagnostics);
    let mut blocks: Vec<String> = Vec::new();
    let mut last_location = file.name.clone();
    for (index, diagnostic) in sorted.into_iter().enumerate() {
        if index == MAX_ERRORS || is_too_many_errors_marker(diagnostic) {
            blocks.push(format!("{last_location}: too many errors\n"));
            break;
        }
        last_location = location(file, diagnostic);
        blocks.push(render_one(&handler, file, &source, diagnostic, style));
    }
    blocks.join("\n")
}

/// Renders owned diagnostics (the form every stage returns).
pub fn render_boxed(file: &SourceFile, diagnostics: &[BoxedDiagnostic], style: Style) -> String {
    let refs: Vec<&dyn Diagnostic> = diagnostics
        .iter()
        .map(|d| d.as_ref() as &dyn Diagnostic)
        .collect();
    render(file, &refs, style)
}

fn handler(style: Style) -> GraphicalReportHandler {
    let (theme, width) = match style {
        Style::Plain => (GraphicalTheme::none(), PLAIN_WIDTH),
        Style::Fancy => (GraphicalTheme::unicode(), FANCY_WIDTH),
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_urls(false)
        .tab_width(TAB_WIDTH)
}

/// One diagnostic: the headline, then miette's snippet; ends with exactly one newline.
fn render_one(
    handler: &GraphicalReportHandler,
    file: &SourceFile,
    source: &NamedSource<String>,
    diagnostic: &dyn Diagnostic,
    style: Style,
) -> String {
    let mut body = String::new();
    let snippet = Snippet {
        inner: diagnostic,
        source,
    };
    // Writing into a String cannot fail; a failing Display impl just loses the snippet.
    let _ = handler.render_report(&mut body, &snippet);
    let mut out = headline(file, diagnostic, style);
    out.push('\n');
    let body = strip_cause_line(&body).trim_end();
    if !body.is_empty() {
        out.push_str(body);
        out.push('\n');
    }
    out
}

/// The Go-style first line: `FILE:LINE:COL: MESSAGE` (or `FILE: MESSAGE` without a location).
pub fn headline(file: &SourceFile, diagnostic: &dyn Diagnostic, style: Style) -> String {
    let location = location(file, diagnostic);
    match style {
        Style::Plain => format!("{location}: {diagnostic}"),
        Style::Fancy => format!("\x1b[1m{location}: \x1b[1;31m{diagnostic}\x1b[0m"),
    }
}

/// `FILE:LINE:COL` of the diagnostic's primary label, or `FILE` if it has none.
pub fn location(file: &SourceFile, diagnostic: &dyn Diagnostic) -> String {
    match primary_offset(diagnostic) {
        Some(offset) => {
            let offset = u32::try_from(offset).unwrap_or(u32::MAX);
            let (line, col) = file.line_col(offset);
            format!("{}:{line}:{col}", file.name)
        }
        None => file.name.clone(),
    }
}

/// Sorts by position and drops what Go's compiler drops: a second syntax error on a line, and an
/// error repeating the previous one's message on the same line.
fn go_order<'d>(file: &SourceFile, diagnostics: &[&'d dyn Diagnostic]) -> Vec<&'d dyn Diagnostic> {
    let mut sorted: Vec<&dyn Diagnostic> = diagnostics.to_vec();
    sorted.sort_by_key(|d| primary_offset(*d).unwrap_or(usize::MAX));
    let mut last_syntax_line = None;
    let mut last_other: Option<(u32, String)> = None;
    let mut kept = Vec::with_capacity(sorted.len());
    for diagnostic in sorted {
        let Some(offset) = primary_offset(diagnostic) else {
            kept.push(diagnostic);
            continue;
        };
        let (line, _) = file.line_col(u32::try_from(offset).unwrap_or(u32::MAX));
        let message = diagnostic.to_string();
        if message.starts_with("syntax error") {
            if last_syntax_line == Some(line) {
                continue;
            }
            last_syntax_line = Some(line);
        } else {
            let current = (line, message);
            if last_other.as_ref() == Some(&current) {
                continue;
            }
            last_other = Some(current);
        }
        kept.push(diagnostic);
    }
    kept
}

/// Byte offset of the primary label (the one marked primary, else the first one).
pub fn primary_offset(diagnostic: &dyn Diagnostic) -> Option<usize> {
    let labels: Vec<LabeledSpan> = diagnostic.labels()?.collect();
    let primary = labels.iter().find(|l| l.primary()).or(labels.first())?;
    Some(primary.offset())
}

fn is_too_many_errors_marker(diagnostic: &dyn Diagnostic) -> bool {
    diagnostic
        .code()
        .is_some_and(|code| code.to_string().ends_with(TOO_MANY_ERRORS_CODE))
}

/// miette always writes the message line (`  x MESSAGE`) before the snippet; the snippet
/// wrapper's message is empty, so that first line carries nothing and is dropped here.
fn strip_cause_line(body: &str) -> &str {
    match body.split_once('\n') {
        Some((first, rest)) if first.trim().chars().count() <= 1 => rest,
        _ => body,
    }
}

/// The part of a diagnostic miette draws below the headline: labels on the source, help and
/// related diagnostics. Its own message is empty (the headline already said it).
struct Snippet<'a> {
    inner: &'a dyn Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Snippet<'_> {}

impl Diagnostic for Snippet<'_> {
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceSpan;
    use thiserror::Error;

    #[derive(Debug, Error, Diagnostic)]
    #[error("syntax error: unexpected {what}")]
    #[diagnostic(code(gom::test::unexpected), help("try something else"))]
    struct Unexpected {
        what: &'static str,
        #[label("here")]
        span: SourceSpan,
    }

    fn at(what: &'static str, offset: usize) -> Unexpected {
        Unexpected {
            what,
            span: SourceSpan::new(offset.into(), 1),
        }
    }

    fn file() -> SourceFile {
        SourceFile::new("main.gom", "package main\n\nfunc main() {\n\tx := )\n}\n")
    }

    #[test]
    fn plain_rendering_has_go_headline_and_snippet() {
        let error = at(")", 34);
        let text = render(&file(), &[&error], Style::Plain);
        let expected = "main.gom:4:7: syntax error: unexpected )\n   ,-[main.gom:4:7]\n";
        assert!(text.starts_with(expected), "{text}");
        assert!(text.contains("here"), "{text}");
        assert!(text.contains("help: try something else"), "{text}");
        assert!(text.ends_with("else\n"), "{text:?}");
        assert!(text.is_ascii());
    }

    #[test]
    fn sorted_deduplicated_and_capped() {
        let errors: Vec<Unexpected> = (0..30).map(|i| at("x", i * 2)).collect();
        let refs: Vec<&dyn Diagnostic> = errors.iter().rev().map(|e| e as _).collect();
        let text = render(
            &SourceFile::new("a.gom", "a\n".repeat(30)),
            &refs,
            Style::Plain,
        );
        let headlines: Vec<&str> = text.lines().filter(|l| l.starts_with("a.gom")).collect();
        assert_eq!(headlines.len(), MAX_ERRORS + 1, "{text}");
        assert_eq!(headlines[0], "a.gom:1:1: syntax error: unexpected x");
        assert_eq!(headlines[MAX_ERRORS], "a.gom:10:1: too many errors");
        let same_line = [at("a", 34), at("b", 31)];
        let refs: Vec<&dyn Diagnostic> = same_line.iter().map(|e| e as _).collect();
        assert_eq!(
            render(&file(), &refs, Style::Plain)
                .matches("main.gom:")
                .count(),
            2
        );
    }

    #[test]
    fn fancy_rendering_works() {
        let error = at(")", 34);
        let text = render(&file(), &[&error], Style::Fancy);
        assert!(text.contains("main.gom:4:7"), "{text}");
    }
}
