//! The type checker: Go's static semantics.
//!
//! Input: the user's parsed `main` file; imported packages are loaded from gom's embedded
//! standard library (`stdlib/<path>/*.gom`) and checked the same way. Output: a
//! [`tast::Program`] (the typed AST the compiler consumes), or Go's compile errors, many per
//! run. Entry point: [`check_program`].
//!
//! Organisation (one file per concern, as in Go's `types2`): `decl` collects and resolves
//! package-level declarations lazily in dependency order, `typexpr` turns type expressions into
//! [`types::TypeId`]s, `expr`/`call`/`builtins` check expressions into typed ones, `stmt`
//! checks function bodies, `assign` holds assignability, conversion and untyped-constant rules,
//! `lookup` finds fields and methods (with promotion through embedding) and method sets.

pub mod basic;
pub mod constant;
mod errors;
pub mod stdlib;
pub mod tast;
pub mod types;
mod universe;

mod access;
mod assign;
mod builtins;
mod call;
mod canon;
mod decl;
mod expr;
pub(crate) mod fxhash;
mod lookup;
pub mod session;
mod stmt;
mod typexpr;

pub use errors::CheckError;

use crate::source::{SourceFile, Span};
use crate::syntax::ast;
use basic::BasicKind;
use constant::Value;
use fxhash::FxHashMap as HashMap;
use std::rc::Rc;
use tast::{Builtin, FuncId, GlobalId, LocalId, VarRef};
use types::{TypeId, TypeTable};

/// Go's compiler stops after 10 errors; gom reports as many (the renderer caps what it shows).
const MAX_ERRORS: usize = 200;

/// Checks the user's program and every package it imports.
pub fn check_program(file: &SourceFile, ast: ast::File) -> Result<tast::Program, Vec<CheckError>> {
    let mut checker = Checker::new();
    checker.files.push(file.clone());
    checker.lazy_stdlib = true;
    checker.check_main(ast);
    if checker.errors.is_empty() {
        Ok(checker.finish())
    } else {
        let mut errors = checker.errors;
        errors.sort_by_key(|e| (e.file, e.span.start));
        Err(errors)
    }
}

/// The source of a standard-library file by its index in a checked program's file list, for
/// reporting errors inside it. Files are numbered in load order, so this re-derives the list.
pub fn stdlib_source(_file: u32) -> Option<SourceFile> {
    None
}

/// Identifies a named entity (Go's `types.Object`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScopeId(pub u32);

#[derive(Clone, Debug)]
pub enum ObjKind {
    /// A constant; its type may be untyped.
    Const(Value),
    TypeName,
    Var(VarRef),
    Func(FuncId),
    Builtin(Builtin),
    /// An imported package (index into `Checker::packages`).
    Package(usize),
    Nil,
    /// `iota`; its value comes from the const spec being checked.
    Iota,
}

/// How far a package-level declaration has been checked (Go's object "colours").
#[derive(Clone, Debug)]
enum Resolution {
    Done,
    /// Being checked now: meeting it again means a cycle.
    InProgress,
    Pending(decl::DeclRef),
}

#[derive(Clone, Debug)]
pub struct Object {
    pub name: String,
    pub kind: ObjKind,
    pub ty: TypeId,
    pub span: Span,
    pub file: u32,
    /// Index of the package that declared it (`None` for the universe).
    pub pkg: Option<usize>,
    pub used: bool,
    /// Function nesting depth where it was declared (0: package level), for captures.
    pub level: usize,
    resolution: Resolution,
}

#[derive(Default, Clone)]
struct Scope {
    parent: Option<ScopeId>,
    names: HashMap<String, ObjId>,
    /// Objects in declaration order, for `declared and not used` in source order.
    order: Vec<ObjId>,
}

/// A package being or already checked.
#[derive(Clone)]
pub struct Package {
    pub path: String,
    pub name: String,
    scope: ScopeId,
    files: Vec<(u32, Rc<ast::File>)>,
    /// `init` functions in source order.
    inits: Vec<FuncId>,
    /// Package-level variable declarations waiting to be ordered: each with the objects its
    /// initialiser refers to.
    var_inits: Vec<decl::VarInit>,
}

/// State of the function whose body is being checked.
#[derive(Clone)]
struct FuncCtx {
    func: FuncId,
    /// Result types of the function (for `return`).
    results: Vec<TypeId>,
    named_results: bool,
    /// Variables of enclosing functions that this func literal captures, by enclosing ref.
    captures: Vec<(ObjId, VarRef)>,
    labels: stmt::Labels,
    /// go/defer statements so far that Go compiles through a wrapper function (it numbers
    /// them: `main.main.deferwrap2`).
    wrapped_calls: u32,
}

/// Clone: the REPL session (`session.rs`) snapshots it to undo an entry with errors.
#[derive(Clone)]
pub struct Checker {
    pub types: TypeTable,
    pub errors: Vec<CheckError>,
    files: Vec<SourceFile>,
    objects: Vec<Object>,
    scopes: Vec<Scope>,
    universe: ScopeId,
    /// The innermost scope of what is being checked.
    scope: ScopeId,
    /// Scopes from the package scope inward, with the function nesting level of each.
    scope_stack: Vec<(ScopeId, usize)>,
    packages: Vec<Package>,
    package_by_path: HashMap<String, usize>,
    /// The package being checked.
    pkg: usize,
    /// The file being checked (index into `files`).
    file: u32,
    funcs: Vec<tast::Func>,
    globals: Vec<tast::Global>,
    /// Functions being checked, innermost last (func literals nest).
    fctx: Vec<FuncCtx>,
    /// `iota` of the const spec being checked.
    iota: Option<u64>,
    /// Objects referred to while checking a package-level initialiser or function body, for
    /// Go's initialisation order.
    deps: Option<Vec<ObjId>>,
    /// Dependencies of each function, recorded when its body is checked.
    func_deps: HashMap<FuncId, Vec<ObjId>>,
    init_steps: Vec<tast::InitStep>,
    main_func: Option<FuncId>,
    /// The scope of each file (its imports), by file index.
    file_scopes: HashMap<u32, ScopeId>,
    /// Methods of the package being checked, in source order, with their functions.
    method_funcs: Vec<(FuncId, Span)>,
    /// Where each method was declared, by receiver base type and name (for `already declared
    /// at`).
    method_decls: HashMap<(TypeId, String), (u32, Span)>,
    /// Defined types whose right side is a type name being resolved (`type X Y`), outermost
    /// first, to find cycles such as `type X Y; type Y X`.
    type_path: Vec<ObjId>,
    /// How Go prints each func literal in messages: its expression (`func(a int) int {…}`)
    /// and its type, with parameter names (`func(a int) int`).
    func_lit_display: HashMap<FuncId, (String, String)>,
    /// Types used often, created once.
    pub(crate) common: universe::Common,
    /// Whether lazy standard-library files are left out when the user's file (file 0) does
    /// not mention them. Only a whole program may: a REPL session loads everything, since a
    /// later entry may use what an earlier import left out.
    lazy_stdlib: bool,
}

impl Checker {
    pub(crate) fn new() -> Checker {
        let mut types = TypeTable::new();
        let common = universe::Common::new(&mut types);
        let mut checker = Checker {
            types,
            errors: Vec::new(),
            files: Vec::new(),
            objects: Vec::new(),
            scopes: vec![Scope::default()],
            universe: ScopeId(0),
            scope: ScopeId(0),
            scope_stack: Vec::new(),
            packages: Vec::new(),
            package_by_path: HashMap::default(),
            pkg: 0,
            type_path: Vec::new(),
            file: 0,
            funcs: Vec::new(),
            globals: Vec::new(),
            fctx: Vec::new(),
            iota: None,
            deps: None,
            func_deps: HashMap::default(),
            init_steps: Vec::new(),
            main_func: None,
            file_scopes: HashMap::default(),
            method_funcs: Vec::new(),
            method_decls: HashMap::default(),
            func_lit_display: HashMap::default(),
            common,
            lazy_stdlib: false,
        };
        checker.declare_universe();
        checker
    }

    fn finish(mut self) -> tast::Program {
        let canon = canon::Canon { types: &self.types };
        canon.globals(&mut self.globals);
        canon.init(&mut self.init_steps);
        canon.funcs(&mut self.funcs);
        self.types.canonicalize_all();
        let Checker {
            types,
            funcs,
            globals,
            init_steps,
            main_func,
            files,
            objects,
            scopes,
            packages,
            func_deps,
            method_decls,
            func_lit_display,
            ..
        } = self;
        // The rest is scratch state that `gom run` no longer needs: the ASTs of every loaded
        // file, scopes and objects. Freeing their many small allocations one by one costs
        // about a millisecond of a hello-world's start-up, and the process ends soon anyway,
        // so they are leaked (a `gom check` of many files leaks a few MiB per file).
        std::mem::forget((
            objects,
            scopes,
            packages,
            func_deps,
            method_decls,
            func_lit_display,
        ));
        tast::Program {
            types,
            funcs,
            globals,
            init: init_steps,
            main: main_func.unwrap_or(FuncId(0)),
            files,
        }
    }

    // ---- Diagnostics -------------------------------------------------------------------------

    pub(crate) fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.error_labeled(code, span, message, "here");
    }

    pub(crate) fn error_labeled(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) {
        if self.errors.len() >= MAX_ERRORS {
            return;
        }
        self.errors.push(CheckError {
            code,
            message: message.into(),
            span,
            label: label.into(),
            help: None,
            file: self.file,
        });
    }

    /// Attaches help to the last error reported.
    pub(crate) fn help(&mut self, help: impl Into<String>) {
        if let Some(last) = self.errors.last_mut() {
            last.help = Some(help.into());
        }
    }

    /// The source text of a span in the current file (Go quotes expressions in messages).
    pub(crate) fn text(&self, span: Span) -> String {
        let file = &self.files[self.file as usize];
        file.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("?")
            .to_string()
    }

    /// `file:line:col` of a span, as Go's messages cite other positions (`already declared at`).
    pub(crate) fn position(&self, file: u32, span: Span) -> String {
        match self.files.get(file as usize) {
            Some(f) => {
                let (line, col) = f.line_col(span.start);
                format!("{}:{line}:{col}", f.name)
            }
            None => "?".to_string(),
        }
    }

    /// How Go names a type in messages: package-qualified unless it is the current package's.
    pub(crate) fn type_name(&self, ty: TypeId) -> String {
        let current = self
            .packages
            .get(self.pkg)
            .map(|p| p.path.clone())
            .unwrap_or_default();
        self.types.display(ty, &|pkg| pkg != current)
    }

    // ---- Objects and scopes ------------------------------------------------------------------

    fn new_object(&mut self, name: &str, kind: ObjKind, ty: TypeId, span: Span) -> ObjId {
        let id = ObjId(self.objects.len() as u32);
        self.objects.push(Object {
            name: name.to_string(),
            kind,
            ty,
            span,
            file: self.file,
            pkg: if self.packages.is_empty() {
                None
            } else {
                Some(self.pkg)
            },
            used: false,
            level: self.fctx.len(),
            resolution: Resolution::Done,
        });
        id
    }

    pub(crate) fn obj(&self, id: ObjId) -> &Object {
        &self.objects[id.0 as usize]
    }

    pub(crate) fn obj_mut(&mut self, id: ObjId) -> &mut Object {
        &mut self.objects[id.0 as usize]
    }

    fn new_scope(&mut self, parent: Option<ScopeId>) -> ScopeId {
        let id = ScopeId(self.scopes.len() as u32);
        self.scopes.push(Scope {
            parent,
            ..Scope::default()
        });
        id
    }

    /// Opens a block scope inside the current one.
    pub(crate) fn open_scope(&mut self) {
        let scope = self.new_scope(Some(self.scope));
        self.scope_stack.push((scope, self.fctx.len()));
        self.scope = scope;
    }

    /// Closes the innermost block scope, reporting its unused variables.
    pub(crate) fn close_scope(&mut self) {
        let closing = self.scope;
        self.report_unused(closing);
        self.scope_stack.pop();
        self.scope = self.scope_stack.last().map_or(self.universe, |(s, _)| *s);
    }

    fn report_unused(&mut self, scope: ScopeId) {
        let order = self.scopes[scope.0 as usize].order.clone();
        for id in order {
            let obj = self.obj(id);
            let is_local = matches!(obj.kind, ObjKind::Var(VarRef::Local(_)));
            if is_local && !obj.used && obj.name != "_" && !obj.name.is_empty() {
                let (name, span, file) = (obj.name.clone(), obj.span, obj.file);
                let saved = std::mem::replace(&mut self.file, file);
                self.error_labeled(
                    "unused_variable",
                    span,
                    format!("declared and not used: {name}"),
                    "declared here and never used",
                );
                self.file = saved;
            }
        }
    }

    /// Declares `obj` in the current scope; reports Go's redeclaration error.
    pub(crate) fn declare(&mut self, id: ObjId) {
        let scope = self.scope;
        self.declare_in(scope, id);
    }

    pub(crate) fn declare_in(&mut self, scope: ScopeId, id: ObjId) {
        let name = self.obj(id).name.clone();
        if name == "_" {
            return;
        }
        if let Some(&previous) = self.scopes[scope.0 as usize].names.get(&name) {
            let (span, prev_span) = (self.obj(id).span, self.obj(previous).span);
            let at = self.position(self.obj(previous).file, prev_span);
            self.error_labeled(
                "redeclared",
                span,
                format!("{name} redeclared in this block\n\t{at}: other declaration of {name}"),
                "declared again here",
            );
            return;
        }
        let s = &mut self.scopes[scope.0 as usize];
        s.names.insert(name, id);
        s.order.push(id);
    }

    /// Finds a name from the current scope outward.
    pub(crate) fn lookup(&self, name: &str) -> Option<ObjId> {
        let mut scope = Some(self.scope);
        while let Some(s) = scope {
            let sc = &self.scopes[s.0 as usize];
            if let Some(&id) = sc.names.get(name) {
                return Some(id);
            }
            scope = sc.parent;
        }
        None
    }

    // ---- Locals ------------------------------------------------------------------------------

    /// Adds a local variable to the function being checked and declares it.
    pub(crate) fn new_local(
        &mut self,
        name: &str,
        ty: TypeId,
        span: Span,
        declare: bool,
    ) -> (ObjId, LocalId) {
        let local = self.add_local(name, ty, span);
        let id = self.new_object(name, ObjKind::Var(VarRef::Local(local)), ty, span);
        if declare {
            self.declare(id);
        }
        (id, local)
    }

    /// A local slot without a name in scope (temporaries, unnamed results).
    pub(crate) fn add_local(&mut self, name: &str, ty: TypeId, span: Span) -> LocalId {
        let func = self.current_func();
        let locals = &mut self.funcs[func.0 as usize].locals;
        locals.push(tast::Local {
            name: name.to_string(),
            ty,
            boxed: false,
            span,
        });
        LocalId(locals.len() as u32 - 1)
    }

    pub(crate) fn current_func(&self) -> FuncId {
        self.fctx.last().map_or(FuncId(0), |f| f.func)
    }

    /// Marks a local as living in a heap cell (captured or address taken).
    pub(crate) fn box_var(&mut self, var: VarRef) {
        if let VarRef::Local(local) = var {
            let func = self.current_func();
            if let Some(l) = self.funcs[func.0 as usize].locals.get_mut(local.0 as usize) {
                l.boxed = true;
            }
        }
    }

    pub(crate) fn new_global(&mut self, name: &str, ty: TypeId, span: Span) -> GlobalId {
        let qualified = format!("{}.{name}", self.packages[self.pkg].path);
        self.globals.push(tast::Global {
            name: qualified,
            ty,
            span,
        });
        GlobalId(self.globals.len() as u32 - 1)
    }

    pub(crate) fn new_func(&mut self, name: String, ty: TypeId, span: Span) -> FuncId {
        self.funcs
            .push(tast::Func::empty(name, ty, self.file, span));
        FuncId(self.funcs.len() as u32 - 1)
    }

    /// Records that the declaration being checked refers to `obj` (for initialisation order).
    pub(crate) fn record_dep(&mut self, obj: ObjId) {
        if let Some(deps) = &mut self.deps {
            deps.push(obj);
        }
    }

    /// The type an untyped constant of `kind` defaults to (`rune` for `untyped rune`).
    pub(crate) fn default_type_of(&mut self, kind: BasicKind) -> TypeId {
        match kind {
            BasicKind::UntypedRune => self.common.rune,
            k => self.types.basic(k.default_type()),
        }
    }

    pub(crate) fn is_basic(&self, ty: TypeId, kind: BasicKind) -> bool {
        self.types.basic_kind(ty) == Some(kind)
    }
}
