use gom::source::SourceFile;
use std::collections::BTreeMap;
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or("/usr/share/go-1.19/src".into());
    let mut files = vec![];
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if p.file_name().unwrap() != "testdata" {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "go") {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut ok, mut bad) = (0, 0);
    let mut msgs: BTreeMap<String, usize> = BTreeMap::new();
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let f = SourceFile::new(p.display().to_string(), text);
        let t = std::time::Instant::now();
        let r = gom::syntax::parse_file(&f);
        if t.elapsed().as_millis() > 500 {
            println!("SLOW {} {:?}", p.display(), t.elapsed());
        }
        match r {
            Ok(_) => ok += 1,
            Err(es) => {
                bad += 1;
                let e = &es[0];
                let off = miette::Diagnostic::labels(e)
                    .and_then(|mut l| l.next())
                    .map_or(0, |l| l.offset());
                let (l, c) = f.line_col(off as u32);
                println!("FAIL {}:{l}:{c}: {e}", p.display());
                *msgs.entry(e.to_string()).or_default() += 1;
            }
        }
    }
    let mut v: Vec<_> = msgs.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    for (m, n) in v.iter().take(25) {
        println!("{n:5} {m}");
    }
    println!(
        "ok {ok} bad {bad} pct {:.2}",
        ok as f64 * 100.0 / (ok + bad) as f64
    );
}
