//! Build steps: generates the parser from `grammar/gom.lalrpop`, and the table of embedded
//! standard-library sources (`stdlib/<import path>/*.gom`) into `OUT_DIR`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    lalrpop::Configuration::new()
        .set_out_dir(&out_dir)
        .emit_rerun_directives(true)
        .process_file("grammar/gom.lalrpop")
        .expect("grammar/gom.lalrpop must generate a parser");
    write_stdlib_table(Path::new(&out_dir).join("stdlib_files.rs"));
    // A position-dependent `gom` binary: a PIE makes the dynamic loader apply ~16,000
    // relocations (and copy the pages they touch) at every start, a sizeable part of a
    // hello-world's start-up. Linux/x86-64 only, where that is known to work.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if os == "linux" && arch == "x86_64" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// `pub static FILES: &[(&str, &str, &str)]`: (import path, file name, contents) for every
/// `.gom` file under `stdlib/`, sorted, embedded with `include_str!`.
fn write_stdlib_table(out: PathBuf) {
    println!("cargo:rerun-if-changed=stdlib");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("stdlib");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &str, &str)] = &[\n");
    for file in files {
        let rel = file.strip_prefix(&root).expect("under stdlib/");
        let package = rel
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!("cargo:rerun-if-changed={}", file.display());
        writeln!(
            code,
            "    ({package:?}, {name:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    std::fs::write(out, code).expect("write stdlib table");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
            if let Some(name) = path.to_str() {
                println!("cargo:rerun-if-changed={name}");
            }
        } else if path.extension().is_some_and(|e| e == "gom") {
            files.push(path);
        }
    }
}
