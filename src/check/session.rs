//! Incremental checking for the REPL: one package `main` that grows one entry at a time.
//!
//! Input: each REPL entry as a parsed file of package `main` (declarations only; the REPL
//! wraps statements in a function). Output: a [`Delta`] — which functions and globals are new
//! and the initialisation steps to run for them — or the entry's compile errors, in which
//! case the session is exactly as it was before the entry. Entry: [`Session::add`].
//!
//! The package is checked with the same phases as a whole package (`decl.rs`), run on the new
//! file only: earlier declarations are already resolved and stay in the package scope.
//! Differences from a Go package, all deliberate for an interactive session:
//! - imports go into one session-wide file scope, so an `import` entry serves later entries,
//!   and unused imports are not errors;
//! - declaring a name again replaces it for later entries (earlier functions keep using the
//!   object they were checked against), instead of Go's `redeclared in this block`;
//! - function ids, global ids and type ids only ever grow, so code compiled for earlier
//!   entries stays valid in the running VM.
//!
//! The type `runtime.Error` and its `Error` method are declared up front, where a whole-program
//! VM would add them at load time, so that their ids are reserved (see `vm/session.rs`).

use super::canon::Canon;
use super::tast::{self, FuncId};
use super::types::{Method, Signature, Type, TypeId, TypeTable};
use super::{CheckError, Checker, ObjKind, ScopeId};
use crate::source::{SourceFile, Span};
use crate::syntax::ast;
use std::rc::Rc;

/// What one successful entry added.
#[derive(Debug)]
pub struct Delta {
    /// Functions `first_func..` are new (see [`Session::funcs`]).
    pub first_func: usize,
    /// Globals `first_global..` are new (see [`Session::globals`]).
    pub first_global: usize,
    /// Initialisation to run before the entry (new package variables, imported packages).
    pub init: Vec<tast::InitStep>,
}

/// The checked state of a REPL session.
pub struct Session {
    checker: Checker,
    pkg: usize,
    /// The session-wide file scope (imports); its parent is the package scope.
    scope: ScopeId,
    /// Functions and globals with canonical type ids, as the compiler wants them.
    funcs: Vec<tast::Func>,
    globals: Vec<tast::Global>,
    /// The type of runtime errors and the function of its `Error` method.
    runtime_error: (TypeId, FuncId),
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        let mut checker = Checker::new();
        let pkg = checker.add_package("main", "main");
        checker.pkg = pkg;
        let package_scope = checker.packages[pkg].scope;
        let scope = checker.new_scope(Some(package_scope));
        let runtime_error = declare_runtime_error(&mut checker);
        let funcs = checker.funcs.clone();
        Session {
            checker,
            pkg,
            scope,
            funcs,
            globals: Vec::new(),
            runtime_error,
        }
    }

    /// The type id the VM uses for runtime errors (`runtime.Error`).
    pub fn runtime_error_type(&self) -> u32 {
        self.runtime_error.0 .0
    }

    /// Checks one entry; on errors nothing of it remains.
    pub fn add(&mut self, file: SourceFile, ast: ast::File) -> Result<Delta, Vec<CheckError>> {
        let snapshot = self.checker.clone();
        let result = self.add_unchecked(file, ast);
        if !self.checker.errors.is_empty() {
            let mut errors = std::mem::take(&mut self.checker.errors);
            errors.sort_by_key(|e| (e.file, e.span.start));
            self.checker = snapshot;
            self.funcs.truncate(self.checker.funcs.len());
            self.globals.truncate(self.checker.globals.len());
            return Err(errors);
        }
        Ok(result)
    }

    /// Checks `expr_file` (an entry declaring `var NAME = EXPR`) only to learn NAME's type,
    /// then forgets it: `:type`.
    pub fn type_of(
        &mut self,
        file: SourceFile,
        ast: ast::File,
        name: &str,
    ) -> Result<String, Vec<CheckError>> {
        let snapshot = self.checker.clone();
        let result = self.add(file, ast).map(|_| {
            let ty = self
                .checker
                .lookup_in(self.scope, name)
                .map_or(TypeId::INVALID, |id| self.checker.obj(id).ty);
            self.checker.type_name(ty)
        });
        self.checker = snapshot;
        let funcs = self.checker.funcs.len();
        self.funcs.truncate(funcs);
        self.globals.truncate(self.checker.globals.len());
        result
    }

    fn add_unchecked(&mut self, file: SourceFile, ast: ast::File) -> Delta {
        let c = &mut self.checker;
        let first_func = c.funcs.len();
        let first_global = c.globals.len();
        let first_init = c.init_steps.len();
        let file_index = c.files.len() as u32;
        c.files.push(file);
        c.pkg = self.pkg;
        c.file = file_index;
        c.scope = self.scope;
        self.import(&ast, file_index);
        self.forget_redeclared(&ast);
        let c = &mut self.checker;
        c.file_scopes.insert(file_index, self.scope);
        let files = vec![(file_index, Rc::new(ast))];
        let (mut pending, mut methods) = (Vec::new(), Vec::new());
        c.collect_file(
            self.pkg,
            file_index,
            &files[0].1,
            self.scope,
            &mut pending,
            &mut methods,
        );
        for &id in &pending {
            if matches!(c.obj(id).kind, ObjKind::TypeName) {
                c.resolve(id);
            }
        }
        c.valid_types(&pending);
        for method in &methods {
            c.declare_method(method);
        }
        for &id in &pending {
            c.resolve(id);
        }
        c.check_bodies(self.pkg, &files, &methods);
        c.order_var_inits(self.pkg);
        // `init` functions run once, with their own entry.
        c.packages[self.pkg].inits.clear();
        let canon = Canon { types: &c.types };
        let mut new_funcs = c.funcs[first_func..].to_vec();
        canon.funcs(&mut new_funcs);
        let mut new_globals = c.globals[first_global..].to_vec();
        canon.globals(&mut new_globals);
        let mut init = c.init_steps[first_init..].to_vec();
        canon.init(&mut init);
        self.funcs.truncate(first_func);
        self.funcs.extend(new_funcs);
        self.globals.truncate(first_global);
        self.globals.extend(new_globals);
        Delta {
            first_func,
            first_global,
            init,
        }
    }

    /// Declares the entry's imports in the session scope (importing a package again is fine).
    fn import(&mut self, ast: &ast::File, file_index: u32) {
        let c = &mut self.checker;
        for import in &ast.imports {
            let path = match &import.path.kind {
                ast::LitKind::Str(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                _ => String::new(),
            };
            let imported = c.import_package(&path);
            (c.pkg, c.file, c.scope) = (self.pkg, file_index, self.scope);
            let Some(index) = imported else {
                c.error_labeled(
                    "unsupported_package",
                    import.path.span,
                    format!("package {path} is not in gom's standard library"),
                    "not available in gom",
                );
                continue;
            };
            let (name, span) = match &import.name {
                Some(ast::ImportName::Named(id)) => (id.name.clone(), id.span),
                Some(ast::ImportName::Dot(span)) => {
                    c.error("dot_import", *span, "gom does not support dot imports");
                    continue;
                }
                None => (c.packages[index].name.clone(), import.path.span),
            };
            if name == "_" {
                continue;
            }
            c.scopes[self.scope.0 as usize].names.remove(&name);
            let id = c.new_object(&name, ObjKind::Package(index), TypeId::INVALID, span);
            c.obj_mut(id).level = 0;
            c.obj_mut(id).used = true;
            c.declare_in(self.scope, id);
        }
    }

    /// Removes the names this entry declares from the package and session scopes, so that
    /// the new declarations replace the old ones.
    fn forget_redeclared(&mut self, ast: &ast::File) {
        let package_scope = self.checker.packages[self.pkg].scope;
        for name in declared_names(ast) {
            for scope in [package_scope, self.scope] {
                let s = &mut self.checker.scopes[scope.0 as usize];
                if let Some(id) = s.names.remove(&name) {
                    s.order.retain(|o| *o != id);
                }
            }
        }
    }

    /// Every function so far, by [`FuncId`] (canonical types).
    pub fn funcs(&self) -> &[tast::Func] {
        &self.funcs
    }

    /// Every global so far, by global id (canonical types).
    pub fn globals(&self) -> &[tast::Global] {
        &self.globals
    }

    /// Every source file so far (entries and standard-library files), by file index.
    pub fn files(&self) -> &[SourceFile] {
        &self.checker.files
    }

    /// The type table as the compiler and the VM want it (canonical).
    pub fn compiled_types(&self) -> TypeTable {
        let mut types = self.checker.types.clone();
        types.canonicalize_all();
        types
    }

    /// A body-less function for the REPL's own use (the code that runs an entry): it keeps
    /// function ids in step with the compiled program.
    pub fn reserve_func(&mut self, name: &str) -> FuncId {
        let id = self
            .checker
            .new_func(name.to_string(), TypeId::INVALID, Span::default());
        self.funcs.push(self.checker.funcs[id.0 as usize].clone());
        id
    }

    /// The function a package-level name denotes now.
    pub fn func_named(&self, name: &str) -> Option<FuncId> {
        let c = &self.checker;
        match c.obj(c.lookup_in(self.scope, name)?).kind {
            ObjKind::Func(f) => Some(f),
            _ => None,
        }
    }

    /// Names visible at the prompt: the session's declarations and imports, and the universe.
    pub fn names_in_scope(&self) -> Vec<String> {
        let c = &self.checker;
        let package_scope = c.packages[self.pkg].scope;
        let mut names: Vec<String> = [self.scope, package_scope, c.universe]
            .iter()
            .flat_map(|s| c.scopes[s.0 as usize].names.keys().cloned())
            .filter(|n| !n.starts_with("__gom"))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// The exported members of the package imported as `package` (empty if there is none).
    pub fn package_members(&self, package: &str) -> Vec<String> {
        let c = &self.checker;
        let Some(id) = c.lookup_in(self.scope, package) else {
            return Vec::new();
        };
        let ObjKind::Package(index) = c.obj(id).kind else {
            return Vec::new();
        };
        let scope = c.packages[index].scope;
        let mut names: Vec<String> = c.scopes[scope.0 as usize]
            .names
            .keys()
            .filter(|n| n.starts_with(|ch: char| ch.is_uppercase()))
            .cloned()
            .collect();
        names.sort();
        names
    }

    /// The standard-library packages gom provides (for completing `import "...`).
    pub fn packages_available(&self) -> Vec<String> {
        super::stdlib::packages()
            .iter()
            .map(|p| p.to_string())
            .collect()
    }
}

impl Checker {
    /// Finds `name` from `scope` outward.
    fn lookup_in(&self, scope: ScopeId, name: &str) -> Option<super::ObjId> {
        let mut current = Some(scope);
        while let Some(s) = current {
            let sc = &self.scopes[s.0 as usize];
            if let Some(&id) = sc.names.get(name) {
                return Some(id);
            }
            current = sc.parent;
        }
        None
    }
}

/// The package-level names a file declares (methods and `init` declare none).
fn declared_names(ast: &ast::File) -> Vec<String> {
    let mut names = Vec::new();
    for decl in &ast.decls {
        match decl {
            ast::Decl::Const { specs, .. } => names.extend(
                specs
                    .iter()
                    .flat_map(|s| s.names.iter().map(|n| n.name.clone())),
            ),
            ast::Decl::Var { specs, .. } => names.extend(
                specs
                    .iter()
                    .flat_map(|s| s.names.iter().map(|n| n.name.clone())),
            ),
            ast::Decl::Type { specs, .. } => {
                names.extend(specs.iter().map(|s| s.name.name.clone()))
            }
            ast::Decl::Func(f) if f.recv.is_none() && f.name.name != "init" => {
                names.push(f.name.name.clone())
            }
            _ => {}
        }
    }
    names
}

/// `runtime.Error`: a string type whose `Error` method is a native (as `vm::Vm::new` declares
/// it for whole programs).
fn declare_runtime_error(c: &mut Checker) -> (TypeId, FuncId) {
    let string = c.types.basic(super::basic::BasicKind::String);
    let ty = c.types.new_named("Error", "runtime");
    c.types.set_underlying(ty, string);
    let sig = c.types.intern(Type::Func(Signature {
        params: Vec::new(),
        results: vec![string],
        variadic: false,
    }));
    let func = c.new_func("runtime.Error.Error".to_string(), sig, Span::default());
    let recv = c.add_local_to(func, "e", ty);
    let result = c.add_local_to(func, "", string);
    let f = &mut c.funcs[func.0 as usize];
    f.params.push(recv);
    f.results.push(result);
    if let Some(named) = c.types.named_mut(ty) {
        named.methods.push(Method {
            name: "Error".to_string(),
            func: func.0,
            pointer_receiver: false,
            sig,
        });
    }
    (ty, func)
}

impl Checker {
    fn add_local_to(&mut self, func: FuncId, name: &str, ty: TypeId) -> tast::LocalId {
        let locals = &mut self.funcs[func.0 as usize].locals;
        locals.push(tast::Local {
            name: name.to_string(),
            ty,
            boxed: false,
            span: Span::default(),
        });
        tast::LocalId(locals.len() as u32 - 1)
    }
}
