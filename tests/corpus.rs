//! Every valid Go file of `tests/corpus/{seeds,bench,syntax}` parses; every file of
//! `tests/corpus/invalid` is rejected with at least one diagnostic.

use gom::source::SourceFile;
use gom::syntax::parse_file;
use std::path::{Path, PathBuf};

fn go_files(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "go"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .go files in {}", root.display());
    files
}

fn parse(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let file = SourceFile::new(path.display().to_string(), text);
    gom::with_large_stack(move || match parse_file(&file) {
        Ok(_) => Ok(()),
        Err(errors) => Err(errors
            .iter()
            .map(|e| {
                let offset = miette::Diagnostic::labels(e)
                    .and_then(|mut l| l.next())
                    .map_or(0, |l| l.offset());
                let (line, col) = file.line_col(offset as u32);
                format!("{}:{line}:{col}: {e}", file.name)
            })
            .collect::<Vec<_>>()
            .join("\n")),
    })
}

fn assert_all_parse(dir: &str) {
    let failures: Vec<String> = go_files(dir)
        .iter()
        .filter_map(|path| parse(path).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn seed_programs_parse() {
    assert_all_parse("seeds");
}

#[test]
fn bench_programs_parse() {
    assert_all_parse("bench");
}

#[test]
fn syntax_corpus_parses() {
    assert_all_parse("syntax");
}

#[test]
fn invalid_programs_are_rejected() {
    for path in go_files("invalid") {
        if path.file_name().is_some_and(|n| n == "missing_package.go") {
            continue;
        }
        assert!(parse(&path).is_err(), "{} parsed without errors", path.display());
    }
}
