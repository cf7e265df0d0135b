//! The parser builds the tree Go's own parser would: precedence, associativity of `<-` in
//! channel types, composite literals in statement headers, parameter grouping, type switches,
//! arrays versus type parameter lists; and it recovers to report several errors.

use gom::source::SourceFile;
use gom::syntax::ast::*;
use gom::syntax::{parse_file, SyntaxError};

fn parse(src: &str) -> Result<File, Vec<SyntaxError>> {
    parse_file(&SourceFile::new("test.go", src))
}

fn parse_ok(src: &str) -> File {
    match parse(src) {
        Ok(file) => file,
        Err(errors) => panic!("unexpected errors: {errors:?}"),
    }
}

/// The statements of `func f() { BODY }`.
fn body(stmts: &str) -> Vec<Stmt> {
    let file = parse_ok(&format!("package p\nfunc f() {{\n{stmts}\n}}\n"));
    match file.decls.into_iter().next() {
        Some(Decl::Func(f)) => f.body.expect("body").stmts,
        other => panic!("expected a func, got {other:?}"),
    }
}

fn only_stmt(src: &str) -> StmtKind {
    let mut stmts = body(src);
    assert_eq!(stmts.len(), 1, "{stmts:?}");
    stmts.remove(0).kind
}

fn expr(src: &str) -> Expr {
    match only_stmt(&format!("_ = {src}")) {
        StmtKind::Assign { mut rhs, .. } => rhs.remove(0),
        other => panic!("{other:?}"),
    }
}

/// A compact rendering of an expression: `(+ a (* b c))`.
fn sexpr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Lit(l) => l.raw.clone(),
        ExprKind::Binary { op, x, y } => format!("({} {} {})", op.symbol(), sexpr(x), sexpr(y)),
        ExprKind::Unary { op, x } => format!("({op:?} {})", sexpr(x)),
        ExprKind::Star(x) => format!("(* {})", sexpr(x)),
        ExprKind::Paren(x) => format!("(paren {})", sexpr(x)),
        ExprKind::Call { func, args, .. } => {
            let args: Vec<String> = args.iter().map(sexpr).collect();
            format!("(call {} {})", sexpr(func), args.join(" "))
        }
        ExprKind::Selector { x, sel } => format!("{}.{}", sexpr(x), sel.name),
        ExprKind::Index { x, indices } => {
            let idx: Vec<String> = indices.iter().map(sexpr).collect();
            format!("{}[{}]", sexpr(x), idx.join(" "))
        }
        ExprKind::ChanType { dir, elem } => format!("(chan {dir:?} {})", sexpr(elem)),
        ExprKind::ArrayType { len: None, elem } => format!("[]{}", sexpr(elem)),
        ExprKind::ArrayType {
            len: Some(ArrayLen::Expr(n)),
            elem,
        } => format!("[{}]{}", sexpr(n), sexpr(elem)),
        ExprKind::ArrayType {
            len: Some(ArrayLen::Ellipsis(_)),
            elem,
        } => format!("[...]{}", sexpr(elem)),
        ExprKind::MapType { key, value } => format!("map[{}]{}", sexpr(key), sexpr(value)),
        ExprKind::Composite { ty, elems } => {
            let ty = ty.as_ref().map_or("_".to_string(), |t| sexpr(t));
            format!("(lit {ty} {})", elems.len())
        }
        ExprKind::TypeAssert { x, ty } => {
            let ty = ty.as_ref().map_or("type".to_string(), |t| sexpr(t));
            format!("{}.({ty})", sexpr(x))
        }
        ExprKind::FuncLit { .. } => "funclit".to_string(),
        ExprKind::FuncType(_) => "functype".to_string(),
        ExprKind::StructType { fields } => format!("struct{{{}}}", fields.len()),
        ExprKind::InterfaceType { elems } => format!("interface{{{}}}", elems.len()),
        ExprKind::Slice { x, full, .. } => format!("(slice {} {full})", sexpr(x)),
        ExprKind::Ellipsis(x) => format!("...{}", sexpr(x)),
        ExprKind::Bad => "BAD".to_string(),
    }
}

#[test]
fn binary_precedence_and_associativity() {
    assert_eq!(sexpr(&expr("a + b * c")), "(+ a (* b c))");
    assert_eq!(sexpr(&expr("a - b - c")), "(- (- a b) c)");
    assert_eq!(sexpr(&expr("a || b && c == d")), "(|| a (&& b (== c d)))");
    assert_eq!(sexpr(&expr("a << 1 | b &^ c")), "(| (<< a 1) (&^ b c))");
    assert_eq!(sexpr(&expr("-x * y")), "(* (Neg x) y)");
    assert_eq!(sexpr(&expr("<-ch + 1")), "(+ (Recv ch) 1)");
    assert_eq!(sexpr(&expr("*p.x")), "(* p.x)");
    assert_eq!(sexpr(&expr("!f(x)[1]")), "(Not (call f x)[1])");
}

#[test]
fn channel_types_associate_left() {
    assert_eq!(
        sexpr(&expr("make(chan<- chan int)")),
        "(call make (chan Send (chan Both int)))"
    );
    assert_eq!(
        sexpr(&expr("make(<-chan <-chan int)")),
        "(call make (chan Recv (chan Recv int)))"
    );
    assert_eq!(
        sexpr(&expr("make(chan (<-chan int))")),
        "(call make (chan Both (paren (chan Recv int))))"
    );
    assert_eq!(
        sexpr(&expr("(<-chan int)(c)")),
        "(call (paren (chan Recv int)) c)"
    );
}

#[test]
fn conversions_and_types_as_arguments() {
    assert_eq!(sexpr(&expr("[]byte(s)")), "(call []byte s)");
    assert_eq!(sexpr(&expr("(*T)(p)")), "(call (paren (* T)) p)");
    assert_eq!(
        sexpr(&expr("make(map[string][]int, 10)")),
        "(call make map[string][]int 10)"
    );
    assert_eq!(sexpr(&expr("new(*[]int)")), "(call new (* []int))");
    assert_eq!(sexpr(&expr("x.(*T)")), "x.((* T))");
    assert_eq!(sexpr(&expr("F[int, string](x)")), "(call F[int string] x)");
}

#[test]
fn composite_literals() {
    assert_eq!(sexpr(&expr("[]Point{{1, 2}, {3, 4}}")), "(lit []Point 2)");
    assert_eq!(sexpr(&expr("[...]int{1, 2, 3}")), "(lit [...]int 3)");
    assert_eq!(
        sexpr(&expr("map[string]int{\"a\": 1}")),
        "(lit map[string]int 1)"
    );
    assert_eq!(sexpr(&expr("pkg.T{X: 1}")), "(lit pkg.T 1)");
    assert_eq!(sexpr(&expr("List[int]{}")), "(lit List[int] 0)");
}

#[test]
fn composite_literals_in_statement_headers() {
    match only_stmt("for _, v := range []int{1, 2} {\n}") {
        StmtKind::Range { x, define, .. } => {
            assert!(define);
            assert_eq!(sexpr(&x), "(lit []int 2)");
        }
        other => panic!("{other:?}"),
    }
    match only_stmt("if x == (T{}) {\n}") {
        StmtKind::If { cond, .. } => assert_eq!(sexpr(&cond), "(== x (paren (lit T 0)))"),
        other => panic!("{other:?}"),
    }
    match only_stmt("if v := []int{1}; len(v) > 0 {\n}") {
        StmtKind::If {
            init: Some(_),
            cond,
            ..
        } => assert_eq!(sexpr(&cond), "(> (call len v) 0)"),
        other => panic!("{other:?}"),
    }
    match only_stmt("if f := func() bool { return true }; f() {\n}") {
        StmtKind::If { cond, .. } => assert_eq!(sexpr(&cond), "(call f )"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn composite_literal_of_named_type_in_header_is_an_error() {
    assert!(parse("package p\nfunc f() {\nif x == T{} {\n}\n}\n").is_err());
}

#[test]
fn parameter_lists_group_names_as_go_does() {
    let file = parse_ok(
        "package p\nfunc f(a, b int, c ...string) (x int, err error)\nfunc g(int, []string) bool\n",
    );
    let sig = |i: usize| match &file.decls[i] {
        Decl::Func(f) => f.sig.clone(),
        other => panic!("{other:?}"),
    };
    let f = sig(0);
    let names: Vec<Vec<&str>> = f
        .params
        .iter()
        .map(|p| p.names.iter().map(|n| n.name.as_str()).collect())
        .collect();
    assert_eq!(names, vec![vec!["a", "b"], vec!["c"]]);
    assert_eq!(sexpr(&f.params[1].ty), "...string");
    assert_eq!(f.results.len(), 2);
    let g = sig(1);
    assert!(g.params.iter().all(|p| p.names.is_empty()));
    assert_eq!(sexpr(&g.params[1].ty), "[]string");
    assert_eq!(sexpr(&g.results[0].ty), "bool");
}

#[test]
fn mixed_named_and_unnamed_parameters_are_reported() {
    let errors = parse("package p\nfunc f(a int, string) {}\n").expect_err("must fail");
    assert!(errors
        .iter()
        .any(|e| e.to_string().contains("missing parameter type")));
}

#[test]
fn arrays_fields_and_generic_types_are_told_apart() {
    let file = parse_ok(
        "package p\ntype A [N]int\ntype G[P any, Q ~int | ~string] struct{}\ntype H[P *C,] struct{}\n\
         type S struct {\n\ta [2]int\n\tList[int]\n\t*pkg.T `json:\"t\"`\n\tx, y float64\n}\n",
    );
    let spec = |i: usize| match &file.decls[i] {
        Decl::Type { specs, .. } => specs[0].clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(sexpr(&spec(0).ty), "[N]int");
    assert!(spec(0).type_params.is_empty());
    assert_eq!(spec(1).type_params.len(), 2);
    assert_eq!(
        sexpr(&spec(1).type_params[1].ty),
        "(| (Tilde int) (Tilde string))"
    );
    assert_eq!(sexpr(&spec(2).type_params[0].ty), "(* C)");
    match &spec(3).ty.kind {
        ExprKind::StructType { fields } => {
            assert_eq!(fields.len(), 4);
            assert!(!fields[0].embedded && fields[1].embedded && fields[2].embedded);
            assert_eq!(sexpr(&fields[0].ty), "[2]int");
            assert_eq!(sexpr(&fields[1].ty), "List[int]");
            assert!(fields[2].tag.is_some());
            assert_eq!(fields[3].names.len(), 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn type_switches() {
    match only_stmt("switch v := x.(type) {\ncase int, string:\ncase nil:\ndefault:\n}") {
        StmtKind::TypeSwitch {
            bind, x, clauses, ..
        } => {
            assert_eq!(bind.map(|b| b.name), Some("v".to_string()));
            assert_eq!(sexpr(&x), "x");
            assert_eq!(clauses.len(), 3);
            assert!(clauses[2].exprs.is_none());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        only_stmt("switch x.(type) {\n}"),
        StmtKind::TypeSwitch { bind: None, .. }
    ));
    assert!(matches!(
        only_stmt("switch x := f(); x {\n}"),
        StmtKind::Switch {
            init: Some(_),
            tag: Some(_),
            ..
        }
    ));
}

#[test]
fn select_cases() {
    let src = "select {\ncase v := <-c:\ncase v, ok := <-c:\ncase <-c:\ncase c <- 1:\ndefault:\n}";
    match only_stmt(src) {
        StmtKind::Select { clauses } => {
            assert_eq!(clauses.len(), 5);
            assert!(matches!(
                clauses[3].comm.as_deref().map(|s| &s.kind),
                Some(StmtKind::Send { .. })
            ));
            assert!(clauses[4].comm.is_none());
        }
        other => panic!("{other:?}"),
    }
    // Go's type checker, not its parser, rejects cases that are not channel operations.
    parse("package p\nfunc f() {\nselect {\ncase x++:\n}\n}\n").expect("parses");
}

#[test]
fn for_forms() {
    assert!(matches!(
        only_stmt("for {\n}"),
        StmtKind::For {
            init: None,
            cond: None,
            post: None,
            ..
        }
    ));
    assert!(matches!(
        only_stmt("for i := 0; i < 10; i++ {\n}"),
        StmtKind::For {
            init: Some(_),
            cond: Some(_),
            post: Some(_),
            ..
        }
    ));
    assert!(matches!(
        only_stmt("for range 10 {\n}"),
        StmtKind::Range { key: None, .. }
    ));
    assert!(matches!(
        only_stmt("for i := range ch {\n}"),
        StmtKind::Range {
            key: Some(_),
            value: None,
            define: true,
            ..
        }
    ));
}

#[test]
fn go_and_defer_of_non_calls_parse() {
    // Go's type checker, not its parser, reports `expression in go must be function call`.
    parse("package p\nfunc f() {\ngo x\ndefer y\n}\n").expect("parses");
}

#[test]
fn recovery_reports_several_errors() {
    let errors = parse("package p\nfunc f() {\nx := \ny := 1 +\n}\nfunc g() {\n)\n}\n")
        .expect_err("must fail");
    assert!(errors.len() >= 2, "{errors:?}");
}

#[test]
fn spans_cover_their_source() {
    let src = "package p\nfunc f() {\n\tx := a + b\n}\n";
    let file = parse_ok(src);
    let Decl::Func(f) = &file.decls[0] else {
        panic!()
    };
    let stmt = &f.body.as_ref().expect("body").stmts[0];
    assert_eq!(
        &src[stmt.span.start as usize..stmt.span.end as usize],
        "x := a + b"
    );
    let StmtKind::Assign { rhs, .. } = &stmt.kind else {
        panic!()
    };
    assert_eq!(
        &src[rhs[0].span.start as usize..rhs[0].span.end as usize],
        "a + b"
    );
}
