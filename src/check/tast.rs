//! The typed AST: the checker's output and the compiler's input.
//!
//! Everything the compiler needs is explicit here, so that it never repeats an analysis: every
//! expression has its final type (untyped constants are converted, implicit conversions to
//! interfaces are [`ExprKind::ToInterface`] nodes), names are resolved to locals, globals or
//! functions, promoted fields and methods are expanded into explicit paths with the implicit
//! `&`/`*` inserted, and calls say whether they are static, dynamic, by interface or builtin.

use super::constant::Value;
use super::types::TypeId;
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, UnaryOp};

/// Index of a function in [`Program::funcs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncId(pub u32);

/// Index of a package-level variable in [`Program::globals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GlobalId(pub u32);

/// Index of a local variable in its function's [`Func::locals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

/// A checked program: every package imported by `main`, in dependency order, flattened.
pub struct Program {
    pub types: super::types::TypeTable,
    pub funcs: Vec<Func>,
    pub globals: Vec<Global>,
    /// Package-level variable initialisation, in Go's order (dependencies first, then source
    /// order), for all packages (dependencies' first), followed by each package's `init`s.
    pub init: Vec<InitStep>,
    /// `main.main`.
    pub main: FuncId,
    /// Source files, indexed by [`Func::file`], for positions in tracebacks.
    pub files: Vec<crate::source::SourceFile>,
}

#[derive(Clone, Debug)]
pub enum InitStep {
    /// `var a, b = values` (one value per variable, or one multi-value expression).
    Vars {
        globals: Vec<GlobalId>,
        values: Vec<Expr>,
    },
    /// A call of a package's `init` function.
    Init(FuncId),
}

#[derive(Clone, Debug)]
pub struct Global {
    /// Qualified name: `main.counter`.
    pub name: String,
    pub ty: TypeId,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Func {
    /// Qualified name as Go prints it in tracebacks: `main.worker`, `main.(*Counter).Inc`,
    /// `main.main.func1` for a func literal.
    pub name: String,
    /// The [`super::types::Type::Func`] of the function; for a method the receiver is the
    /// first parameter.
    pub ty: TypeId,
    /// Parameters (receiver first for methods), then named or unnamed results.
    pub params: Vec<LocalId>,
    pub results: Vec<LocalId>,
    pub variadic: bool,
    pub locals: Vec<Local>,
    /// Captured variables of a func literal: each is a local of the enclosing function
    /// (always boxed there), visible here as [`VarRef::Capture`] with the same index.
    pub captures: Vec<VarRef>,
    /// The type of each captured variable.
    pub capture_types: Vec<TypeId>,
    /// `None` for a native (a body-less declaration in the standard library).
    pub body: Option<Block>,
    /// Which file of [`Program::files`] the function is in.
    pub file: u32,
    pub span: Span,
}

impl Func {
    /// A function with no parameters, locals or body yet (a declaration being checked, a
    /// synthesized wrapper, or the compiler's pseudo-function for an entry point).
    pub fn empty(name: String, ty: TypeId, file: u32, span: Span) -> Func {
        Func {
            name,
            ty,
            params: Vec::new(),
            results: Vec::new(),
            variadic: false,
            locals: Vec::new(),
            captures: Vec::new(),
            capture_types: Vec::new(),
            body: None,
            file,
            span,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub ty: TypeId,
    /// Captured by a closure or has its address taken: lives in a heap cell.
    pub boxed: bool,
    pub span: Span,
}

/// Where a variable lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarRef {
    Local(LocalId),
    /// The n-th captured variable of the current func literal.
    Capture(u32),
    Global(GlobalId),
}

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

/// A place that can be assigned to.
#[derive(Clone, Debug)]
pub enum Place {
    Var(VarRef),
    /// `_`: the value is evaluated and dropped.
    Blank,
    /// `*p` (also the implicit deref of promoted fields through pointers).
    Deref(Box<Expr>),
    /// Field `index` of an addressable struct place or of a struct pointer (`x` is the pointer
    /// expression when `through_pointer`).
    Field {
        x: Box<Expr>,
        index: u32,
        through_pointer: bool,
    },
    /// `a[i]` on an addressable array place, a slice, or a pointer to array.
    Index {
        x: Box<Expr>,
        index: Box<Expr>,
    },
    /// `m[k]`.
    MapIndex {
        map: Box<Expr>,
        key: Box<Expr>,
    },
}

/// Labels are resolved to the statement they name: `Label(n)` is the n-th label of the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LabelId(pub u32);

#[derive(Clone, Debug)]
pub enum StmtKind {
    Expr(Expr),
    /// `var x T = v` / `x := v`: declares (zero-initialises when `value` is `None`).
    Define {
        locals: Vec<LocalId>,
        values: Vec<Expr>,
    },
    /// `a, b = x, y`: all right sides are evaluated before any assignment (Go's rule).
    Assign {
        places: Vec<Place>,
        values: Vec<Expr>,
    },
    /// `a, b = f()` / `v, ok = m[k]` / `v, ok = x.(T)` / `v, ok = <-c`: one tuple-valued
    /// expression spread over the places.
    AssignTuple {
        places: Vec<Place>,
        value: Expr,
    },
    /// `x op= y` (`x` evaluated once); also `x++`/`x--` with `y` the constant 1.
    OpAssign {
        place: Place,
        op: BinaryOp,
        value: Expr,
    },
    Send {
        chan: Expr,
        value: Expr,
    },
    /// `go f(x)`: the call's function and arguments are evaluated now.
    Go(Expr),
    /// `defer f(x)`: the call's function and arguments are evaluated now.
    Defer(Expr),
    /// Results are already converted to the result types; with named results and no
    /// expressions, `values` is empty.
    Return(Vec<Expr>),
    Block(Block),
    If {
        cond: Expr,
        then: Block,
        els: Option<Box<Stmt>>,
    },
    /// A loop; `label` names it for `break`/`continue`. Go 1.22 per-iteration loop variables:
    /// `per_iteration` lists the loop variables that get a fresh copy each iteration (only the
    /// boxed ones need it).
    For {
        label: Option<LabelId>,
        cond: Option<Expr>,
        post: Option<Box<Stmt>>,
        body: Block,
        per_iteration: Vec<LocalId>,
    },
    Range {
        label: Option<LabelId>,
        kind: RangeKind,
        x: Expr,
        key: Option<Place>,
        value: Option<Place>,
        body: Block,
    },
    Switch {
        label: Option<LabelId>,
        tag: Option<Expr>,
        clauses: Vec<CaseClause>,
    },
    TypeSwitch {
        label: Option<LabelId>,
        x: Expr,
        clauses: Vec<TypeClause>,
    },
    Select {
        label: Option<LabelId>,
        cases: Vec<SelectCase>,
    },
    Break(LabelId),
    Continue(LabelId),
    Goto(LabelId),
    /// A statement that a `goto` may target.
    Labeled {
        label: LabelId,
        stmt: Box<Stmt>,
    },
    Fallthrough,
    /// A statement the checker reported as an error; never compiled.
    Bad,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    Int,
    Slice,
    Array,
    /// Over a pointer to an array.
    ArrayPointer,
    String,
    Map,
    Chan,
}

#[derive(Clone, Debug)]
pub struct CaseClause {
    /// Values compared with the tag (or conditions when there is no tag); empty for `default`.
    pub values: Vec<Expr>,
    pub is_default: bool,
    pub body: Block,
    /// The clause ends with `fallthrough`.
    pub fallthrough: bool,
}

#[derive(Clone, Debug)]
pub struct TypeClause {
    /// The types listed; `None` stands for `nil`. Empty for `default`.
    pub types: Vec<Option<TypeId>>,
    pub is_default: bool,
    /// The clause's copy of the switch variable (`switch v := x.(type)`).
    pub bind: Option<LocalId>,
    pub body: Block,
}

#[derive(Clone, Debug)]
pub struct SelectCase {
    pub kind: SelectKind,
    pub body: Block,
}

#[derive(Clone, Debug)]
pub enum SelectKind {
    Send {
        chan: Expr,
        value: Expr,
    },
    /// `case v, ok := <-c` / `case v = <-c` / `case <-c`.
    Recv {
        chan: Expr,
        value: Option<Place>,
        ok: Option<Place>,
    },
    Default,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: TypeId,
    pub span: Span,
}

/// The builtins compiled specially.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Len,
    Cap,
    Make,
    New,
    Append,
    Copy,
    Delete,
    Close,
    Panic,
    Recover,
    Print,
    Println,
    Min,
    Max,
    Clear,
    Complex,
    Real,
    Imag,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A constant of type `ty` (never untyped).
    Const(Value),
    /// The zero value of `ty` (`nil` for pointers, slices, maps, chans, funcs, interfaces).
    Zero,
    Var(VarRef),
    /// A top-level function or method used as a value (methods take the receiver first).
    Func(FuncId),
    /// A func literal: its function and the variables it captures (in the enclosing function).
    Closure {
        func: FuncId,
        captures: Vec<VarRef>,
    },
    /// A call of a known function (also methods, receiver first, already `&`/`*` adjusted).
    /// Calls have exactly one argument per parameter: variadic extras are packed into a slice
    /// literal (or a nil slice) by the checker.
    CallStatic {
        func: FuncId,
        args: Vec<Expr>,
    },
    /// A call of a function value.
    CallDynamic {
        func: Box<Expr>,
        args: Vec<Expr>,
    },
    /// A method call through an interface; `method` indexes the interface's sorted methods.
    CallInterface {
        recv: Box<Expr>,
        method: u32,
        args: Vec<Expr>,
    },
    /// `append(s, t...)` has `spread` set; other builtins never do.
    CallBuiltin {
        builtin: Builtin,
        args: Vec<Expr>,
        spread: bool,
    },
    /// Evaluates `value` (a multi-value call) into `temps`, then `body`, which reads them:
    /// `f(g())` with a multi-value `g`.
    Let {
        temps: Vec<LocalId>,
        value: Box<Expr>,
        body: Box<Expr>,
    },
    /// `x.f` for a struct value `x` (field `index`).
    Field {
        x: Box<Expr>,
        index: u32,
    },
    /// `p.f` for a pointer to struct `p`.
    PtrField {
        x: Box<Expr>,
        index: u32,
    },
    Deref(Box<Expr>),
    /// `&place`, and `&T{...}` (a fresh heap object: see [`ExprKind::New`]).
    AddrOf(Box<Place>),
    /// A fresh heap object initialised with `init` (`&T{...}`).
    New(Box<Expr>),
    /// `a[i]`: array value, slice, string (a byte) or pointer to array.
    Index {
        x: Box<Expr>,
        index: Box<Expr>,
    },
    /// `m[k]`; with `comma_ok` its type is a 2-tuple.
    MapIndex {
        map: Box<Expr>,
        key: Box<Expr>,
        comma_ok: bool,
    },
    Slice {
        x: Box<Expr>,
        lo: Option<Box<Expr>>,
        hi: Option<Box<Expr>>,
        max: Option<Box<Expr>>,
    },
    Unary {
        op: UnaryOp,
        x: Box<Expr>,
    },
    /// Arithmetic and logic on operands of the same type (`ty`); shifts take any unsigned or
    /// non-negative integer count; comparisons have type bool and operands of one type.
    Binary {
        op: BinaryOp,
        x: Box<Expr>,
        y: Box<Expr>,
    },
    /// Conversion between non-interface types (numeric, string <-> []byte/[]rune, int -> string,
    /// and identity conversions between defined types).
    Convert(Box<Expr>),
    /// A concrete value boxed into the interface type `ty` (or interface to interface).
    ToInterface(Box<Expr>),
    /// `x.(T)`; with `comma_ok` its type is a 2-tuple.
    TypeAssert {
        x: Box<Expr>,
        target: TypeId,
        comma_ok: bool,
    },
    /// `<-c`; with `comma_ok` its type is a 2-tuple.
    Recv {
        chan: Box<Expr>,
        comma_ok: bool,
    },
    /// Struct literal: one value per field, in field order (zero values filled in).
    StructLit(Vec<Expr>),
    /// Array or slice literal: `(index, value)` pairs; `len` is the array length.
    ArrayLit {
        elems: Vec<(u64, Expr)>,
        len: u64,
    },
    MapLit(Vec<(Expr, Expr)>),
    /// `x.M` as a value: a closure binding the receiver.
    MethodValue {
        recv: Box<Expr>,
        func: FuncId,
    },
    /// `x.M` on an interface as a value.
    InterfaceMethodValue {
        recv: Box<Expr>,
        method: u32,
    },
}
