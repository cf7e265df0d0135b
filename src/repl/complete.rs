//! Tab completion: identifiers in scope, package names, members after `pkg.`, and package
//! paths inside `import "`.
//!
//! Input: the line and cursor. Output: the start of the word and the candidates. The names
//! come from the session after each entry ([`Names::refresh`]).

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Go's keywords, completed as well.
const KEYWORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
];

/// What can be completed, as of the last entry.
#[derive(Default)]
pub struct Names {
    pub in_scope: Vec<String>,
    pub members: HashMap<String, Vec<String>>,
    pub packages: Vec<String>,
}

impl Names {
    pub fn refresh(&mut self, session: &super::session::Session) {
        self.in_scope = session.names();
        self.members = self
            .in_scope
            .iter()
            .map(|n| (n.clone(), session.members(n)))
            .filter(|(_, m)| !m.is_empty())
            .collect();
        self.packages = session.packages();
    }
}

/// The rustyline helper: completion only.
pub struct GomHelper {
    pub names: Rc<RefCell<Names>>,
}

impl GomHelper {
    fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = &line[..pos];
        let names = self.names.borrow();
        if let Some(quote) = before.rfind('"') {
            if before[..quote].trim_end().ends_with("import") {
                let partial = &before[quote + 1..];
                let found = names.packages.iter().filter(|p| p.starts_with(partial));
                return (quote + 1, found.cloned().collect());
            }
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let partial = &before[start..];
        if start > 0 && before[..start].ends_with('.') {
            let qualifier_end = start - 1;
            let qualifier_start = before[..qualifier_end]
                .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(0, |i| i + 1);
            let qualifier = &before[qualifier_start..qualifier_end];
            let members = names.members.get(qualifier).cloned().unwrap_or_default();
            let found = members.into_iter().filter(|m| m.starts_with(partial));
            return (start, found.collect());
        }
        if partial.is_empty() {
            return (start, Vec::new());
        }
        let mut found: Vec<String> = names
            .in_scope
            .iter()
            .map(String::as_str)
            .chain(KEYWORDS.iter().copied())
            .filter(|n| n.starts_with(partial))
            .map(str::to_string)
            .collect();
        found.sort();
        found.dedup();
        (start, found)
    }
}

impl Completer for GomHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, found) = self.candidates(line, pos);
        let pairs = found
            .into_iter()
            .map(|n| Pair {
                display: n.clone(),
                replacement: n,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for GomHelper {
    type Hint = String;
}

impl Highlighter for GomHelper {}

impl Validator for GomHelper {}

impl Helper for GomHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper() -> GomHelper {
        let members = HashMap::from([(
            "fmt".to_string(),
            vec!["Printf".to_string(), "Println".to_string()],
        )]);
        let names = Names {
            in_scope: vec!["fmt".into(), "counter".into(), "count".into()],
            members,
            packages: vec!["strings".into(), "sync".into()],
        };
        GomHelper {
            names: Rc::new(RefCell::new(names)),
        }
    }

    #[test]
    fn completes_names_members_and_packages() {
        let h = helper();
        assert_eq!(
            h.candidates("x := cou", 8),
            (5, vec!["count".into(), "counter".into()])
        );
        assert_eq!(
            h.candidates("fmt.Pri", 7),
            (4, vec!["Printf".into(), "Println".into()])
        );
        assert_eq!(
            h.candidates("import \"s", 9),
            (8, vec!["strings".into(), "sync".into()])
        );
    }
}
