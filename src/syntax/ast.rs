//! The abstract syntax tree.
//!
//! Built by the grammar (`grammar/gom.lalrpop`), consumed by the type checker. Every node carries
//! the [`Span`] of its source text. As in Go's own `go/ast`, types are expressions: `[]int`,
//! `map[K]V`, `chan<- T`, `*T` and `pkg.T` are [`ExprKind`] variants, because the parser often
//! cannot know whether `T(x)` or `a[b]` names a type before the checker has resolved the names.

use crate::source::Span;

/// A name as written, with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

impl Ident {
    pub fn new(name: &str, span: Span) -> Ident {
        Ident {
            name: name.to_string(),
            span,
        }
    }

    /// `_`, which declares nothing.
    pub fn is_blank(&self) -> bool {
        self.name == "_"
    }
}

/// One source file: `package` clause, imports, then top-level declarations.
#[derive(Clone, Debug)]
pub struct File {
    pub package: Ident,
    pub imports: Vec<Import>,
    pub decls: Vec<Decl>,
    pub span: Span,
}

/// `import name "path"`.
#[derive(Clone, Debug)]
pub struct Import {
    pub name: Option<ImportName>,
    pub path: BasicLit,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ImportName {
    /// `import x "p"` or `import _ "p"`.
    Named(Ident),
    /// `import . "p"`.
    Dot(Span),
}

/// A top-level or local declaration.
#[derive(Clone, Debug)]
pub enum Decl {
    /// `const ( ... )`: `iota` of each spec is its index in the group.
    Const {
        specs: Vec<ValueSpec>,
        span: Span,
    },
    Var {
        specs: Vec<ValueSpec>,
        span: Span,
    },
    Type {
        specs: Vec<TypeSpec>,
        span: Span,
    },
    Func(Box<FuncDecl>),
    /// A declaration the parser could not make sense of (already reported).
    Bad(Span),
}

/// `a, b T = x, y` in a const or var declaration. In a const group, a spec with neither type nor
/// values repeats the previous spec's (Go's implicit repetition).
#[derive(Clone, Debug)]
pub struct ValueSpec {
    pub names: Vec<Ident>,
    pub ty: Option<Expr>,
    pub values: Vec<Expr>,
    /// Index of the spec within its group: the value of `iota` in a const declaration.
    pub iota: u32,
    pub span: Span,
}

/// `type Name[P any] T` or `type Name = T`.
#[derive(Clone, Debug)]
pub struct TypeSpec {
    pub name: Ident,
    pub type_params: Vec<Field>,
    pub alias: bool,
    pub ty: Expr,
    pub span: Span,
}

/// `func (recv) Name[P any](params) results { body }`; `body` is `None` for a declaration
/// without a body (a native, in gom's standard library).
#[derive(Clone, Debug)]
pub struct FuncDecl {
    pub recv: Option<Field>,
    /// Where a second receiver starts (`func (a, b T) M()`): the checker reports it.
    pub extra_receiver: Option<Span>,
    pub name: Ident,
    pub sig: FuncType,
    pub body: Option<Block>,
    pub span: Span,
}

/// A parameter, result, struct field or type parameter group: `a, b int`, `int`, `...T`, an
/// embedded `*pkg.T` (no names, `embedded` set) with an optional tag.
#[derive(Clone, Debug)]
pub struct Field {
    pub names: Vec<Ident>,
    pub ty: Expr,
    pub tag: Option<BasicLit>,
    pub embedded: bool,
    pub span: Span,
}

/// A function signature.
#[derive(Clone, Debug)]
pub struct FuncType {
    pub type_params: Vec<Field>,
    pub params: Vec<Field>,
    pub results: Vec<Field>,
    pub span: Span,
}

/// An element of an interface type.
#[derive(Clone, Debug)]
pub enum InterfaceElem {
    /// `Name(params) results`.
    Method { name: Ident, sig: FuncType },
    /// An embedded interface or a type-set union: `io.Reader`, `~int | ~string`.
    Union { terms: Vec<UnionTerm>, span: Span },
}

/// One term of a union: `~int`.
#[derive(Clone, Debug)]
pub struct UnionTerm {
    pub tilde: bool,
    pub ty: Expr,
    pub span: Span,
}

/// Channel direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChanDir {
    Both,
    /// `chan<- T`.
    Send,
    /// `<-chan T`.
    Recv,
}

/// A literal: its kind, raw text and (for strings and runes) decoded value.
#[derive(Clone, Debug, PartialEq)]
pub struct BasicLit {
    pub kind: LitKind,
    pub raw: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LitKind {
    Int,
    Float,
    Imag,
    Rune(u32),
    /// The bytes of the string (Go strings need not be UTF-8: `"\xff"`).
    Str(Vec<u8>),
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Name(Ident),
    Lit(BasicLit),
    /// `T{...}`; `ty` is `None` for an elided inner literal (`[]Point{{1, 2}}`).
    Composite {
        ty: Option<Box<Expr>>,
        elems: Vec<Element>,
    },
    FuncLit {
        sig: Box<FuncType>,
        body: Block,
    },
    Paren(Box<Expr>),
    Selector {
        x: Box<Expr>,
        sel: Ident,
    },
    /// `x[i]`, or a generic instantiation `F[int, string]`.
    Index {
        x: Box<Expr>,
        indices: Vec<Expr>,
    },
    /// `x[lo:hi]` or `x[lo:hi:max]` (`full` set for the 3-index form).
    Slice {
        x: Box<Expr>,
        lo: Option<Box<Expr>>,
        hi: Option<Box<Expr>>,
        max: Option<Box<Expr>>,
        full: bool,
    },
    /// `x.(T)`; `ty` is `None` for `x.(type)` in a type switch header.
    TypeAssert {
        x: Box<Expr>,
        ty: Option<Box<Expr>>,
    },
    /// `f(args)`, `f(args...)` when `spread` is set.
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        spread: Option<Span>,
    },
    /// `*x`: a pointer dereference or, in type position, a pointer type.
    Star(Box<Expr>),
    Unary {
        op: UnaryOp,
        x: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        x: Box<Expr>,
        y: Box<Expr>,
    },
    /// `[N]T`, `[...]T` (`len` is [`ArrayLen::Ellipsis`]) or `[]T` (`len` is `None`).
    ArrayType {
        len: Option<ArrayLen>,
        elem: Box<Expr>,
    },
    MapType {
        key: Box<Expr>,
        value: Box<Expr>,
    },
    ChanType {
        dir: ChanDir,
        elem: Box<Expr>,
    },
    FuncType(Box<FuncType>),
    StructType {
        fields: Vec<Field>,
    },
    InterfaceType {
        elems: Vec<InterfaceElem>,
    },
    /// `...T`, only as the type of a final parameter.
    Ellipsis(Box<Expr>),
    /// An expression the parser could not make sense of (already reported).
    Bad,
}

#[derive(Clone, Debug)]
pub enum ArrayLen {
    Expr(Box<Expr>),
    Ellipsis(Span),
}

/// An element of a composite literal: `value` or `key: value`.
#[derive(Clone, Debug)]
pub struct Element {
    pub key: Option<Expr>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `+x`
    Pos,
    /// `-x`
    Neg,
    /// `!x`
    Not,
    /// `^x`
    Complement,
    /// `&x`
    Addr,
    /// `<-x`
    Recv,
    /// `~T`, only in constraints.
    Tilde,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    OrOr,
    AndAnd,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Or,
    Xor,
    Mul,
    Div,
    Rem,
    Shl,
    Shr,
    And,
    AndNot,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        use BinaryOp::*;
        match self {
            OrOr => "||",
            AndAnd => "&&",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Add => "+",
            Sub => "-",
            Or => "|",
            Xor => "^",
            Mul => "*",
            Div => "/",
            Rem => "%",
            Shl => "<<",
            Shr => ">>",
            And => "&",
            AndNot => "&^",
        }
    }
}

/// `{ stmts }`.
#[derive(Clone, Debug)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

/// The operator of an assignment statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Assign,
    /// `:=`
    Define,
    /// `op=`, e.g. `+=`.
    Op(BinaryOp),
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    Decl(Decl),
    Labeled {
        label: Ident,
        stmt: Box<Stmt>,
    },
    Expr(Expr),
    Send {
        chan: Expr,
        value: Expr,
    },
    IncDec {
        x: Expr,
        inc: bool,
    },
    Assign {
        lhs: Vec<Expr>,
        op: AssignOp,
        rhs: Vec<Expr>,
    },
    Go(Expr),
    Defer(Expr),
    Return(Vec<Expr>),
    Break(Option<Ident>),
    Continue(Option<Ident>),
    Goto(Ident),
    Fallthrough,
    Block(Block),
    If {
        init: Option<Box<Stmt>>,
        cond: Expr,
        then: Block,
        /// An `if` statement or a block.
        els: Option<Box<Stmt>>,
    },
    Switch {
        init: Option<Box<Stmt>>,
        tag: Option<Expr>,
        clauses: Vec<CaseClause>,
    },
    /// `switch [init;] [bind :=] x.(type) { ... }`; case lists hold types (and `nil`).
    TypeSwitch {
        init: Option<Box<Stmt>>,
        bind: Option<Ident>,
        x: Expr,
        clauses: Vec<CaseClause>,
    },
    Select {
        clauses: Vec<CommClause>,
    },
    For {
        init: Option<Box<Stmt>>,
        cond: Option<Expr>,
        post: Option<Box<Stmt>>,
        body: Block,
    },
    /// `for [key [, value] (= | :=)] range x { ... }`.
    Range {
        key: Option<Expr>,
        value: Option<Expr>,
        define: bool,
        x: Expr,
        body: Block,
    },
    Empty,
    /// A statement the parser could not make sense of (already reported).
    Bad,
}

/// `case a, b:` or `default:` (`exprs` is `None`) with its statements.
#[derive(Clone, Debug)]
pub struct CaseClause {
    pub exprs: Option<Vec<Expr>>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// A select case: `comm` is a send, a receive expression or a receive assignment
/// (`v, ok := <-c`), or `None` for `default`.
#[derive(Clone, Debug)]
pub struct CommClause {
    pub comm: Option<Box<Stmt>>,
    pub body: Vec<Stmt>,
    pub span: Span,
}
