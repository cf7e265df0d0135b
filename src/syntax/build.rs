//! AST construction for the grammar's actions.
//!
//! Input: the pieces a grammar rule matched. Output: AST nodes. Pure constructors are free
//! functions; the [`Builder`] methods are the rules that need to report an error (Go's parser
//! checks such as `expression in go must be function call`), which it collects so that parsing
//! goes on.

use super::ast::*;
use super::errors::SyntaxError;
use super::literal;
use super::token::Token;
use crate::source::Span;
use lalrpop_util::{ErrorRecovery, ParseError};

/// Collects the errors found while building the AST.
pub struct Builder<'src> {
    /// The source text, to quote in messages (`cannot use x := 1 as value`).
    src: &'src str,
    pub errors: Vec<SyntaxError>,
    /// Whether the lexer reported errors (they come before any error at the end of input).
    lexical_errors: bool,
}

/// A parameter as parsed, before the whole list tells whether bare names are names or types.
pub enum Param {
    Bare(Ident, Span),
    Type(Expr),
    Named(Ident, Expr, Span),
}

impl Param {
    pub fn bare(id: Ident, span: Span) -> Param {
        Param::Bare(id, span)
    }
    pub fn ty(t: Expr) -> Param {
        Param::Type(t)
    }
    pub fn named(id: Ident, t: Expr, span: Span) -> Param {
        Param::Named(id, t, span)
    }
}

/// `[a, b,]` after a name, before it is known to be an array length or type arguments.
pub struct Brackets {
    pub args: Vec<Expr>,
    pub trailing_comma: bool,
    /// From `[` to the end of what follows `]`.
    pub span: Span,
}

/// The header of an if or switch statement: `[init;] cond`, as simple statements.
///
/// Boxed, like [`FuncDecl`] in the grammar: every value on lalrpop's parse stack is as large
/// as the largest nonterminal, and two inline statements (480 bytes) made every shift and
/// reduce copy that much.
pub struct Header {
    pub init: Option<Box<Stmt>>,
    pub cond: Option<Box<Stmt>>,
}

impl<'src> Builder<'src> {
    /// `lexical_errors`: whether the lexer already reported errors in `src`.
    pub fn new(src: &'src str, lexical_errors: bool) -> Builder<'src> {
        Builder {
            src,
            errors: Vec::new(),
            lexical_errors,
        }
    }

    /// Records a syntax error, except one at the very end of the input after any earlier error:
    /// as Go's parser says, a meaningless follow-up (an unterminated comment swallows the rest
    /// of the file). The automatic semicolon before the end is a token like any other.
    pub fn report(&mut self, e: ParseError<u32, Token<'src>, ()>) {
        let at_end = matches!(e, ParseError::UnrecognizedEof { .. });
        if at_end && (self.lexical_errors || !self.errors.is_empty()) {
            return;
        }
        self.errors.push(parse_error(e));
    }

    fn text(&self, span: Span) -> &'src str {
        self.src
            .get(span.start as usize..span.end as usize)
            .unwrap_or("statement")
    }

    fn error(&mut self, message: impl Into<String>, label: impl Into<String>, span: Span) {
        self.errors.push(SyntaxError::Invalid {
            message: message.into(),
            label: label.into(),
            span: span.into(),
            help: None,
        });
    }

    /// Records a syntax error the parser recovered from; returns the span it covered.
    fn record(&mut self, e: ErrorRecovery<u32, Token<'src>, ()>) -> Span {
        let span = recovery_span(&e);
        self.report(e.error);
        span
    }

    /// Recovery at top level, where Go words the error differently.
    pub fn recover(&mut self, e: ErrorRecovery<u32, Token<'src>, ()>) -> Decl {
        match outside_function_body(&e.error) {
            Some(error) => {
                let span = recovery_span(&e);
                self.errors.push(error);
                Decl::Bad(span)
            }
            None => Decl::Bad(self.record(e)),
        }
    }

    pub fn recover_stmt(&mut self, e: ErrorRecovery<u32, Token<'src>, ()>) -> Stmt {
        let span = self.record(e);
        stmt(StmtKind::Bad, span)
    }

    pub fn func_decl(
        &mut self,
        recv: Option<Vec<Field>>,
        name: Ident,
        type_params: Vec<Field>,
        mut sig: FuncType,
        body: Option<Block>,
        span: Span,
    ) -> FuncDecl {
        let mut extra_receiver = None;
        let recv = recv.and_then(|fields| self.receiver(fields, &name, &mut extra_receiver));
        sig.type_params = type_params;
        FuncDecl {
            recv,
            extra_receiver,
            name,
            sig,
            body,
            span,
        }
    }

    fn receiver(
        &mut self,
        mut fields: Vec<Field>,
        method: &Ident,
        extra: &mut Option<Span>,
    ) -> Option<Field> {
        let count: usize = fields.iter().map(|f| f.names.len().max(1)).sum();
        match count {
            1 => fields.pop(),
            0 => {
                self.error("method has no receiver", "receiver expected", method.span);
                None
            }
            _ => {
                // `(a, b T)` is one field with two names: there is no second field.
                let span = fields
                    .get(1)
                    .or(fields.first())
                    .map_or(method.span, |f| f.span);
                *extra = Some(span);
                fields.into_iter().next()
            }
        }
    }

    pub fn signature(&mut self, params: Vec<Field>, results: Vec<Field>, span: Span) -> FuncType {
        FuncType {
            type_params: Vec::new(),
            params,
            results,
            span,
        }
    }

    /// Resolves a loosely parsed parameter list, as Go does: if any parameter has a name and a
    /// type, bare identifiers are names that share the type of the next typed parameter
    /// (`a, b int`); otherwise every entry is a type (`int, string`).
    pub fn params(&mut self, list: Vec<Param>) -> Vec<Field> {
        let named = list.iter().any(|p| matches!(p, Param::Named(..)));
        if !named {
            return list.into_iter().map(unnamed_param).collect();
        }
        let mut fields = Vec::new();
        let mut pending: Vec<(Ident, Span)> = Vec::new();
        for param in list {
            match param {
                Param::Bare(id, span) => pending.push((id, span)),
                Param::Named(id, ty, span) => {
                    let start = pending.first().map_or(span, |(_, s)| *s);
                    let mut names: Vec<Ident> = pending.drain(..).map(|(id, _)| id).collect();
                    names.push(id);
                    fields.push(field(names, ty, None, start.to(span)));
                }
                Param::Type(ty) => {
                    let span = ty.span;
                    self.error(
                        "syntax error: missing parameter name",
                        "this parameter has no name",
                        span,
                    );
                    fields.push(unnamed_field(ty, span));
                }
            }
        }
        if let Some((_, span)) = pending.last() {
            self.error(
                "syntax error: missing parameter type",
                "this parameter has no type",
                *span,
            );
        }
        fields
    }

    /// `a [N]T` (with `elem`) is an array of `N` elements named `a`; `List[A, B]` (without) is a
    /// generic type instantiation. The grammar cannot tell them apart before the `]`.
    fn array_or_generic(
        &mut self,
        id: Ident,
        brackets: Brackets,
        elem: Option<Expr>,
    ) -> (Option<Ident>, Expr) {
        let Brackets {
            mut args,
            trailing_comma,
            span: type_span,
        } = brackets;
        match elem {
            Some(elem) => {
                if args.len() != 1 || trailing_comma {
                    self.error(
                        "syntax error: unexpected comma; expecting ]",
                        "an array length is a single expression",
                        type_span,
                    );
                }
                let len = ArrayLen::Expr(Box::new(args.remove(0)));
                (Some(id), array(Some(len), elem, type_span))
            }
            None => {
                let span = id.span.to(type_span);
                (None, index(name(id), args, span))
            }
        }
    }

    pub fn field_or_embedded(
        &mut self,
        id: Ident,
        brackets: Brackets,
        elem: Option<Expr>,
        tag: Option<BasicLit>,
        span: Span,
    ) -> Field {
        match self.array_or_generic(id, brackets, elem) {
            (Some(name), ty) => field(vec![name], ty, tag, span),
            (None, ty) => embedded_field(ty, tag, span),
        }
    }

    pub fn param_array_or_generic(
        &mut self,
        id: Ident,
        brackets: Brackets,
        elem: Option<Expr>,
        span: Span,
    ) -> Param {
        match self.array_or_generic(id, brackets, elem) {
            (Some(name), ty) => Param::Named(name, ty, span),
            (None, ty) => Param::Type(ty),
        }
    }

    /// `type T [N]E` (one group, a length and no constraint) or a generic type declaration.
    #[allow(clippy::too_many_arguments)]
    pub fn array_or_generic_spec(
        &mut self,
        name: Ident,
        mut groups: Vec<(Expr, Option<Expr>)>,
        trailing_comma: bool,
        alias: bool,
        ty: Expr,
        brackets: Span,
        span: Span,
    ) -> TypeSpec {
        let is_array = groups.len() == 1 && groups[0].1.is_none() && !trailing_comma && !alias;
        if is_array {
            let (len, _) = groups.remove(0);
            let ty = array(Some(ArrayLen::Expr(Box::new(len))), ty, brackets.to(span));
            return TypeSpec {
                name,
                type_params: Vec::new(),
                alias,
                ty,
                span,
            };
        }
        let type_params = self.type_param_groups(groups);
        TypeSpec {
            name,
            type_params,
            alias,
            ty,
            span,
        }
    }

    /// Resolves `[P, Q any, R *C | *D]`: bare names share the next constraint; a group with no
    /// constraint of its own is a name followed by a constraint that reads as an expression.
    fn type_param_groups(&mut self, groups: Vec<(Expr, Option<Expr>)>) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut pending: Vec<Ident> = Vec::new();
        let count = groups.len();
        for (i, (x, constraint)) in groups.into_iter().enumerate() {
            match (x.kind, constraint) {
                (ExprKind::Name(id), Some(c)) => {
                    pending.push(id);
                    let span = pending[0].span.to(c.span);
                    fields.push(field(std::mem::take(&mut pending), c, None, span));
                }
                (ExprKind::Name(id), None) if i + 1 < count => pending.push(id),
                (kind, None) => match split_type_param(Expr { kind, span: x.span }) {
                    Some((id, c)) => {
                        pending.push(id);
                        let span = pending[0].span.to(c.span);
                        fields.push(field(std::mem::take(&mut pending), c, None, span));
                    }
                    None => self.error(
                        "syntax error: missing type constraint",
                        "missing constraint",
                        x.span,
                    ),
                },
                (_, Some(c)) => self.error(
                    "syntax error: type parameters must be named",
                    "not a name",
                    x.span.to(c.span),
                ),
            }
        }
        if let Some(id) = pending.last() {
            self.error(
                "syntax error: missing type constraint",
                "type parameter without a constraint",
                id.span,
            );
        }
        fields
    }

    /// `go x` and `defer x` need a call: the checker says so (Go's type checker does).
    pub fn go_stmt(&mut self, x: Expr, span: Span) -> Stmt {
        stmt(StmtKind::Go(x), span)
    }

    pub fn defer_stmt(&mut self, x: Expr, span: Span) -> Stmt {
        stmt(StmtKind::Defer(x), span)
    }

    /// The condition of an if statement must be an expression.
    fn condition(&mut self, cond: Option<Stmt>, keyword_span: Span, what: &str) -> Expr {
        match cond {
            Some(Stmt {
                kind: StmtKind::Expr(x),
                ..
            }) => x,
            Some(s) => {
                let message = format!("syntax error: cannot use {} as value", self.text(s.span));
                self.error(message, format!("expected a {what} condition here"), s.span);
                bad_expr(s.span)
            }
            None => {
                self.error(
                    format!("missing condition in {what} statement"),
                    "condition expected",
                    keyword_span,
                );
                bad_expr(keyword_span)
            }
        }
    }

    pub fn if_stmt(&mut self, h: Header, then: Block, els: Option<Stmt>, span: Span) -> Stmt {
        let cond = self.condition(
            h.cond.map(|c| *c),
            Span::new(then.span.start, then.span.start + 1),
            "if",
        );
        let kind = StmtKind::If {
            init: h.init,
            cond,
            then,
            els: els.map(Box::new),
        };
        stmt(kind, span)
    }

    /// A switch header is an expression switch (`switch [init;] [tag]`) or a type switch
    /// (`switch [init;] [v :=] x.(type)`).
    pub fn switch_stmt(&mut self, h: Header, clauses: Vec<CaseClause>, span: Span) -> Stmt {
        let init = h.init;
        let Some(cond) = h.cond.map(|c| *c) else {
            return stmt(
                StmtKind::Switch {
                    init,
                    tag: None,
                    clauses,
                },
                span,
            );
        };
        match cond.kind {
            StmtKind::Expr(x) => match type_switch_guard(x) {
                Ok(x) => stmt(
                    StmtKind::TypeSwitch {
                        init,
                        bind: None,
                        x,
                        clauses,
                    },
                    span,
                ),
                Err(tag) => stmt(
                    StmtKind::Switch {
                        init,
                        tag: Some(tag),
                        clauses,
                    },
                    span,
                ),
            },
            StmtKind::Assign {
                mut lhs,
                op: AssignOp::Define,
                mut rhs,
            } if lhs.len() == 1 && rhs.len() == 1 => {
                let (target, value) = (lhs.remove(0), rhs.remove(0));
                match (target.kind, type_switch_guard(value)) {
                    (ExprKind::Name(bind), Ok(x)) => stmt(
                        StmtKind::TypeSwitch {
                            init,
                            bind: Some(bind),
                            x,
                            clauses,
                        },
                        span,
                    ),
                    _ => self.bad_switch_header(cond.span, init, clauses, span),
                }
            }
            _ => self.bad_switch_header(cond.span, init, clauses, span),
        }
    }

    fn bad_switch_header(
        &mut self,
        header: Span,
        init: Option<Box<Stmt>>,
        clauses: Vec<CaseClause>,
        span: Span,
    ) -> Stmt {
        let message = format!("syntax error: cannot use {} as value", self.text(header));
        self.error(message, "expected an expression or `v := x.(type)`", header);
        let tag = Some(bad_expr(header));
        stmt(StmtKind::Switch { init, tag, clauses }, span)
    }

    /// A select case is a send, a receive, or an assignment of a receive.
    /// The checker reports cases that are not channel operations (Go's type checker does).
    pub fn comm_clause(&mut self, comm: Option<Stmt>, body: Vec<Stmt>, span: Span) -> CommClause {
        CommClause {
            comm: comm.map(Box::new),
            body,
            span,
        }
    }

    pub fn range_stmt(
        &mut self,
        lhs: Vec<Expr>,
        define: bool,
        x: Expr,
        body: Block,
        span: Span,
    ) -> Stmt {
        if lhs.len() > 2 {
            let extra = lhs[2].span.to(lhs[lhs.len() - 1].span);
            self.error(
                "range clause permits at most two iteration variables",
                "extra iteration variables",
                extra,
            );
        }
        range_stmt(lhs, define, x, body, span)
    }
}

/// Splits `P *C` or `P *C | D` (parsed as an expression) into the name `P` and its constraint.
fn split_type_param(x: Expr) -> Option<(Ident, Expr)> {
    let span = x.span;
    match x.kind {
        ExprKind::Binary {
            op: BinaryOp::Mul,
            x: name_expr,
            y,
        } => match name_expr.kind {
            ExprKind::Name(id) => {
                let c_span = Span::new(id.span.end, span.end);
                Some((id, star(*y, c_span)))
            }
            _ => None,
        },
        ExprKind::Binary {
            op: BinaryOp::Or,
            x: left,
            y,
        } => {
            let (id, c) = split_type_param(*left)?;
            let c_span = c.span.to(y.span);
            Some((id, binary(BinaryOp::Or, c, *y, c_span)))
        }
        _ => None,
    }
}

/// Where a recovered error starts and ends: the offending token and everything dropped after it.
fn recovery_span(e: &ErrorRecovery<u32, Token<'_>, ()>) -> Span {
    let start = error_span(&e.error);
    let end = e.dropped_tokens.last().map_or(start.end, |(_, _, hi)| *hi);
    Span::new(start.start, end.max(start.end))
}

/// The span of the token a parse error points at.
pub fn error_span(e: &ParseError<u32, Token<'_>, ()>) -> Span {
    match e {
        ParseError::InvalidToken { location } | ParseError::UnrecognizedEof { location, .. } => {
            Span::new(*location, *location)
        }
        ParseError::UnrecognizedToken {
            token: (lo, _, hi), ..
        }
        | ParseError::ExtraToken { token: (lo, _, hi) } => Span::new(*lo, *hi),
        ParseError::User { .. } => Span::default(),
    }
}

/// Turns lalrpop's error into Go's wording: `syntax error: unexpected X, expected Y`,
/// `... at end of statement`, `... in argument list; possibly missing comma or )`.
pub fn parse_error(e: ParseError<u32, Token<'_>, ()>) -> SyntaxError {
    let span = error_span(&e);
    let (found, expected) = match &e {
        ParseError::UnrecognizedToken {
            token: (_, tok, _),
            expected,
        } => (tok.describe(), expected.as_slice()),
        ParseError::UnrecognizedEof { expected, .. } => ("EOF".to_string(), expected.as_slice()),
        ParseError::ExtraToken { token: (_, tok, _) } => (tok.describe(), &[][..]),
        ParseError::InvalidToken { .. } | ParseError::User { .. } => ("token".to_string(), &[][..]),
    };
    let names: Vec<&str> = expected.iter().map(|t| terminal_name(t)).collect();
    SyntaxError::UnexpectedToken {
        expected: describe_expected(&names),
        help: help_for(&found, &names),
        found,
        span: span.into(),
    }
}

/// Go's parser errors at top level when something other than a declaration starts.
fn outside_function_body(e: &ParseError<u32, Token<'_>, ()>) -> Option<SyntaxError> {
    let ParseError::UnrecognizedToken {
        token: (lo, tok, hi),
        ..
    } = e
    else {
        return None;
    };
    let starts_decl = matches!(
        tok,
        Token::Func | Token::Var | Token::Const | Token::Type | Token::Import | Token::Semi(_)
    );
    (!starts_decl).then(|| SyntaxError::Invalid {
        message: "syntax error: non-declaration statement outside function body".to_string(),
        label: "statements belong inside a function".to_string(),
        span: Span::new(*lo, *hi).into(),
        help: None,
    })
}

/// What the parser wanted, in Go's phrasing where Go has one.
/// Tokens that continue an expression after an operand.
const BINARY_OPERATORS: &[&str] = &[
    "||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "|", "^", "*", "/", "%", "<<", ">>",
    "&", "&^",
];

fn describe_expected(names: &[&str]) -> String {
    let has = |t: &str| names.contains(&t);
    if has("...") && has(",") && has(")") {
        return " in argument list; possibly missing comma or )".to_string();
    }
    if has("name") && has("int literal") && has("(") && !has("}") {
        return ", expected expression".to_string();
    }
    if has(";") {
        return " at end of statement".to_string();
    }
    // An expression list in a statement position must be assigned (Go's own wording).
    if has("=") && has(":=") && names.len() == 2 {
        return ", expected := or = or comma".to_string();
    }
    // Go never lists the operators that could continue an expression.
    let closers: Vec<&str> = names
        .iter()
        .copied()
        .filter(|t| !BINARY_OPERATORS.contains(t))
        .collect();
    let names = if closers.is_empty() {
        names
    } else {
        &closers[..]
    };
    match names {
        [] => String::new(),
        few if few.len() <= 3 => {
            let words: Vec<&str> = few
                .iter()
                .map(|t| if *t == "," { "comma" } else { t })
                .collect();
            format!(", expected {}", words.join(" or "))
        }
        _ => String::new(),
    }
}

fn help_for(found: &str, expected: &[&str]) -> Option<String> {
    let wants = |t: &str| expected.contains(&t);
    if found == "newline" && wants(")") {
        Some("a list that continues on the next line needs a trailing comma".to_string())
    } else if found == "newline" && wants("{") {
        Some("Go requires the opening brace on the same line".to_string())
    } else {
        None
    }
}

/// lalrpop names terminals by their quoted grammar names: `"\"name\""` becomes `name`.
fn terminal_name(quoted: &str) -> &str {
    match quoted.trim_matches('"') {
        "LBODY" => "{",
        other => other,
    }
}

/// `x.(type)` yields `Ok(x)`; any other expression is returned as `Err`.
fn type_switch_guard(e: Expr) -> Result<Expr, Expr> {
    match e.kind {
        ExprKind::TypeAssert { x, ty: None } => Ok(*x),
        kind => Err(Expr { kind, span: e.span }),
    }
}

pub fn unparen(mut x: &Expr) -> &Expr {
    while let ExprKind::Paren(inner) = &x.kind {
        x = inner;
    }
    x
}

fn unnamed_param(p: Param) -> Field {
    match p {
        Param::Bare(id, span) => unnamed_field(name(id), span),
        Param::Type(ty) => {
            let span = ty.span;
            unnamed_field(ty, span)
        }
        Param::Named(id, ty, span) => field(vec![id], ty, None, span),
    }
}

// ---- Pure constructors ----------------------------------------------------------------------

pub fn expr(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

pub fn bad_expr(span: Span) -> Expr {
    expr(ExprKind::Bad, span)
}

pub fn name(id: Ident) -> Expr {
    let span = id.span;
    expr(ExprKind::Name(id), span)
}

pub fn lit(l: BasicLit) -> Expr {
    let span = l.span;
    expr(ExprKind::Lit(l), span)
}

pub fn string_lit(raw: &str, span: Span) -> BasicLit {
    BasicLit {
        kind: LitKind::Str(literal::string_value(raw)),
        raw: raw.to_string(),
        span,
    }
}

pub fn rune_lit(raw: &str, span: Span) -> BasicLit {
    BasicLit {
        kind: LitKind::Rune(literal::rune_value(raw)),
        raw: raw.to_string(),
        span,
    }
}

pub fn binary(op: BinaryOp, x: Expr, y: Expr, span: Span) -> Expr {
    expr(
        ExprKind::Binary {
            op,
            x: Box::new(x),
            y: Box::new(y),
        },
        span,
    )
}

pub fn unary(op: UnaryOp, x: Expr, span: Span) -> Expr {
    expr(ExprKind::Unary { op, x: Box::new(x) }, span)
}

pub fn star(x: Expr, span: Span) -> Expr {
    expr(ExprKind::Star(Box::new(x)), span)
}

pub fn paren(x: Expr, span: Span) -> Expr {
    expr(ExprKind::Paren(Box::new(x)), span)
}

pub fn selector(x: Expr, sel: Ident, span: Span) -> Expr {
    expr(
        ExprKind::Selector {
            x: Box::new(x),
            sel,
        },
        span,
    )
}

pub fn index(x: Expr, indices: Vec<Expr>, span: Span) -> Expr {
    expr(
        ExprKind::Index {
            x: Box::new(x),
            indices,
        },
        span,
    )
}

pub fn slice(x: Expr, lo: Option<Expr>, hi: Option<Expr>, max: Option<Expr>, span: Span) -> Expr {
    let full = max.is_some();
    let kind = ExprKind::Slice {
        x: Box::new(x),
        lo: lo.map(Box::new),
        hi: hi.map(Box::new),
        max: max.map(Box::new),
        full,
    };
    expr(kind, span)
}

pub fn type_assert(x: Expr, ty: Option<Expr>, span: Span) -> Expr {
    expr(
        ExprKind::TypeAssert {
            x: Box::new(x),
            ty: ty.map(Box::new),
        },
        span,
    )
}

pub fn call(func: Expr, args: Vec<Expr>, spread: Option<Span>, span: Span) -> Expr {
    expr(
        ExprKind::Call {
            func: Box::new(func),
            args,
            spread,
        },
        span,
    )
}

pub fn composite(ty: Option<Expr>, elems: Vec<Element>, span: Span) -> Expr {
    expr(
        ExprKind::Composite {
            ty: ty.map(Box::new),
            elems,
        },
        span,
    )
}

/// A func literal from its parsed type (always an [`ExprKind::FuncType`]) and body.
pub fn func_lit(f: Expr, body: Block, span: Span) -> Expr {
    match f.kind {
        ExprKind::FuncType(sig) => expr(ExprKind::FuncLit { sig, body }, span),
        _ => bad_expr(span),
    }
}

pub fn array(len: Option<ArrayLen>, elem: Expr, span: Span) -> Expr {
    expr(
        ExprKind::ArrayType {
            len,
            elem: Box::new(elem),
        },
        span,
    )
}

pub fn map_type(key: Expr, value: Expr, span: Span) -> Expr {
    expr(
        ExprKind::MapType {
            key: Box::new(key),
            value: Box::new(value),
        },
        span,
    )
}

pub fn chan(dir: ChanDir, elem: Expr, span: Span) -> Expr {
    expr(
        ExprKind::ChanType {
            dir,
            elem: Box::new(elem),
        },
        span,
    )
}

pub fn func_type(mut sig: FuncType, span: Span) -> Expr {
    sig.span = span;
    expr(ExprKind::FuncType(Box::new(sig)), span)
}

pub fn struct_type(fields: Vec<Field>, span: Span) -> Expr {
    expr(ExprKind::StructType { fields }, span)
}

pub fn interface_type(elems: Vec<InterfaceElem>, span: Span) -> Expr {
    expr(ExprKind::InterfaceType { elems }, span)
}

pub fn ellipsis(t: Expr, span: Span) -> Expr {
    expr(ExprKind::Ellipsis(Box::new(t)), span)
}

pub fn field(names: Vec<Ident>, ty: Expr, tag: Option<BasicLit>, span: Span) -> Field {
    Field {
        names,
        ty,
        tag,
        embedded: false,
        span,
    }
}

pub fn unnamed_field(ty: Expr, span: Span) -> Field {
    field(Vec::new(), ty, None, span)
}

pub fn embedded_field(ty: Expr, tag: Option<BasicLit>, span: Span) -> Field {
    Field {
        names: Vec::new(),
        ty,
        tag,
        embedded: true,
        span,
    }
}

/// Gives each spec of a const or var group its index (the value of `iota`).
pub fn number_specs(mut specs: Vec<ValueSpec>) -> Vec<ValueSpec> {
    for (i, spec) in specs.iter_mut().enumerate() {
        spec.iota = u32::try_from(i).unwrap_or(u32::MAX);
    }
    specs
}

pub fn stmt(kind: StmtKind, span: Span) -> Stmt {
    Stmt { kind, span }
}

/// Appends a statement to a list; empty statements (from `;;` or a trailing `;`) are dropped.
pub fn stmt_list(mut list: Vec<Stmt>, s: Stmt) -> Vec<Stmt> {
    if !matches!(s.kind, StmtKind::Empty) {
        list.push(s);
    }
    list
}

pub fn assign(lhs: Vec<Expr>, op: AssignOp, rhs: Vec<Expr>, span: Span) -> Stmt {
    stmt(StmtKind::Assign { lhs, op, rhs }, span)
}

pub fn for_stmt(
    init: Option<Stmt>,
    cond: Option<Expr>,
    post: Option<Stmt>,
    body: Block,
    span: Span,
) -> Stmt {
    let kind = StmtKind::For {
        init: init.map(Box::new),
        cond,
        post: post.map(Box::new),
        body,
    };
    stmt(kind, span)
}

pub fn range_stmt(lhs: Vec<Expr>, define: bool, x: Expr, body: Block, span: Span) -> Stmt {
    let mut vars = lhs.into_iter();
    let kind = StmtKind::Range {
        key: vars.next(),
        value: vars.next(),
        define,
        x,
        body,
    };
    stmt(kind, span)
}
