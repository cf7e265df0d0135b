//! Packages and package-level declarations.
//!
//! A package is checked in phases, as Go's type checker does: imports are loaded (and checked)
//! first; every top-level name is then declared without being checked; type declarations,
//! function signatures and methods are resolved; constants and variables are resolved lazily in
//! dependency order (a name used before its declaration is checked on demand, and meeting a
//! declaration that is still in progress is a cycle); function bodies come last. Package
//! variables are then ordered for initialisation by Go's rule: repeatedly the first variable in
//! declaration order whose initialiser depends on no uninitialised variable.

use super::constant::Value;
use super::tast::{self, FuncId, GlobalId, VarRef};
use super::types::{Method, Type, TypeId};
use super::{stdlib, Checker, ObjId, ObjKind, Package, Resolution, ScopeId};
use crate::source::{SourceFile, Span};
use crate::syntax::ast;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Where a package-level declaration is, to check it when it is first needed.
#[derive(Clone, Debug)]
pub struct DeclRef {
    file: Rc<ast::File>,
    file_index: u32,
    /// The file's scope (imports), whose parent is the package scope.
    scope: ScopeId,
    pkg: usize,
    kind: DeclKind,
}

#[derive(Clone, Debug)]
enum DeclKind {
    /// Name `name` of const spec `spec` of declaration `decl`; `values_from` is the spec whose
    /// type and values apply (itself, or the last one with values: Go's implicit repetition).
    Const {
        decl: usize,
        spec: usize,
        name: usize,
        values_from: usize,
    },
    /// All names of a var spec are resolved together.
    Var {
        decl: usize,
        spec: usize,
    },
    Type {
        decl: usize,
        spec: usize,
    },
    Func {
        decl: usize,
    },
}

/// A package-level `var` spec, checked, waiting to be ordered.
#[derive(Debug, Clone)]
pub struct VarInit {
    pub globals: Vec<GlobalId>,
    pub objects: Vec<ObjId>,
    pub values: Vec<tast::Expr>,
    pub deps: Vec<ObjId>,
}

impl Checker {
    /// Checks the user's `main` package and everything it imports.
    pub(super) fn check_main(&mut self, file: ast::File) {
        let pkg = self.add_package("main", &file.package.name);
        self.check_package(pkg, vec![(0, Rc::new(file))]);
        self.require_main(pkg);
    }

    /// Like `go build`, whose package loading fails before any type checking, gom reports a
    /// missing package alone (its uses would only repeat it).
    fn missing_package(&self) -> bool {
        self.errors.iter().any(|e| e.code == "unsupported_package")
    }

    fn require_main(&mut self, pkg: usize) {
        if self.missing_package() {
            return;
        }
        let scope = self.packages[pkg].scope;
        let main = self.scopes[scope.0 as usize].names.get("main").copied();
        if self.packages[pkg].name != "main" {
            self.file = 0;
            let span = Span::new(0, 0);
            self.error(
                "not_main_package",
                span,
                format!("package {} is not a main package", self.packages[pkg].name),
            );
            return;
        }
        match main.map(|id| (id, self.obj(id).kind.clone())) {
            Some((_, ObjKind::Func(f))) => self.main_func = Some(f),
            Some((id, _)) => {
                let (file, span) = (self.obj(id).file, self.obj(id).span);
                self.file = file;
                self.error("main_not_func", span, "cannot declare main - must be func");
            }
            None => {
                self.file = 0;
                self.error(
                    "missing_main",
                    Span::new(0, 0),
                    "function main is undeclared in the main package",
                );
            }
        }
    }

    pub(super) fn add_package(&mut self, path: &str, name: &str) -> usize {
        let universe = self.universe;
        let scope = self.new_scope(Some(universe));
        self.packages.push(Package {
            path: path.to_string(),
            name: name.to_string(),
            scope,
            files: Vec::new(),
            inits: Vec::new(),
            var_inits: Vec::new(),
        });
        let index = self.packages.len() - 1;
        self.package_by_path.insert(path.to_string(), index);
        index
    }

    /// Loads, parses and checks a standard-library package; `None` if gom does not have it.
    pub(super) fn import_package(&mut self, path: &str) -> Option<usize> {
        if let Some(&index) = self.package_by_path.get(path) {
            return Some(index);
        }
        let sources = stdlib::package_files(path);
        if sources.is_empty() {
            return None;
        }
        let mut files = Vec::new();
        let mut name = path.rsplit('/').next().unwrap_or(path).to_string();
        for (file_name, text) in sources {
            if !self.stdlib_file_needed(text) {
                continue;
            }
            let source = SourceFile::new(format!("stdlib/{path}/{file_name}"), text);
            let index = self.files.len() as u32;
            let parsed = crate::syntax::parse_file(&source);
            self.files.push(source);
            match parsed {
                Ok(ast) => {
                    name = ast.package.name.clone();
                    files.push((index, Rc::new(ast)));
                }
                Err(errors) => {
                    let saved = std::mem::replace(&mut self.file, index);
                    for e in errors {
                        let span = e.span();
                        self.error("stdlib_syntax", span, format!("gom internal error: {e}"));
                    }
                    self.file = saved;
                }
            }
        }
        let pkg = self.add_package(path, &name);
        let saved = (
            self.pkg,
            self.file,
            self.scope,
            std::mem::take(&mut self.scope_stack),
        );
        self.check_package(pkg, files);
        (self.pkg, self.file, self.scope, self.scope_stack) = saved;
        Some(pkg)
    }

    /// Whether a standard-library file must be loaded: always, unless it is a lazy file (see
    /// [`stdlib`]) and the user's file (file 0) mentions none of its names.
    fn stdlib_file_needed(&self, text: &str) -> bool {
        match stdlib::lazy_names(text) {
            None => true,
            Some(names) => match self.files.first() {
                Some(user) if self.lazy_stdlib => {
                    names.iter().any(|name| stdlib::mentions(&user.text, name))
                }
                _ => true,
            },
        }
    }

    /// Checks one package: see the module comment for the phases.
    fn check_package(&mut self, pkg: usize, files: Vec<(u32, Rc<ast::File>)>) {
        self.pkg = pkg;
        self.packages[pkg].files = files.clone();
        let mut pending = Vec::new();
        let mut methods = Vec::new();
        let file_scopes: Vec<ScopeId> = files
            .iter()
            .map(|(file_index, file)| {
                self.file = *file_index;
                self.import_file(file)
            })
            .collect();
        if self.missing_package() {
            return;
        }
        for ((file_index, file), file_scope) in files.iter().zip(file_scopes) {
            self.file = *file_index;
            self.collect_file(
                pkg,
                *file_index,
                file,
                file_scope,
                &mut pending,
                &mut methods,
            );
        }
        for &id in &pending {
            if matches!(self.obj(id).kind, ObjKind::TypeName) {
                self.resolve(id);
            }
        }
        self.valid_types(&pending);
        for method in &methods {
            self.declare_method(method);
        }
        for &id in &pending {
            self.resolve(id);
        }
        self.check_bodies(pkg, &files, &methods);
        self.order_var_inits(pkg);
        if self.packages[pkg].path == "main" {
            self.report_unused_imports(&files);
        }
    }

    /// Go's `validType`: a defined type may not contain itself except through indirection
    /// (pointers, slices, maps, channels, functions, interfaces). Each cycle is reported once,
    /// at the type declared first, and its types become invalid.
    pub(super) fn valid_types(&mut self, pending: &[ObjId]) {
        let mut decl_of: HashMap<TypeId, ObjId> = HashMap::new();
        for &id in pending {
            let obj = self.obj(id);
            if matches!(obj.kind, ObjKind::TypeName) && self.types.is_named(obj.ty) {
                decl_of.insert(obj.ty, id);
            }
        }
        let mut done: HashMap<TypeId, bool> = HashMap::new();
        for &id in pending {
            if let Some(&ty) = decl_of.iter().find(|(_, &o)| o == id).map(|(t, _)| t) {
                let mut path = Vec::new();
                self.valid_type(ty, &decl_of, &mut done, &mut path);
            }
        }
    }

    fn valid_type(
        &mut self,
        ty: TypeId,
        decl_of: &HashMap<TypeId, ObjId>,
        done: &mut HashMap<TypeId, bool>,
        path: &mut Vec<TypeId>,
    ) -> bool {
        if decl_of.contains_key(&ty) {
            if let Some(&ok) = done.get(&ty) {
                return ok;
            }
            if let Some(start) = path.iter().position(|&t| t == ty) {
                let cycle: Vec<ObjId> = path[start..].iter().map(|t| decl_of[t]).collect();
                self.report_type_cycle(&cycle);
                for t in &path[start..] {
                    done.insert(*t, false);
                    self.types.set_underlying(*t, TypeId::INVALID);
                }
                return false;
            }
            path.push(ty);
            let under = self.types.underlying(ty);
            let ok = self.valid_type(under, decl_of, done, path);
            path.pop();
            // A cycle found deeper may already have marked this type.
            let ok = ok && done.get(&ty).copied().unwrap_or(true);
            done.insert(ty, ok);
            return ok;
        }
        match self.types.get(ty).clone() {
            Type::Struct(fields) => {
                let mut ok = true;
                for f in fields {
                    ok &= self.valid_type(f.ty, decl_of, done, path);
                }
                ok
            }
            Type::Array(_, elem) => self.valid_type(elem, decl_of, done, path),
            _ => true,
        }
    }

    /// `invalid recursive type: A refers to itself`, or the cycle from its first declared type.
    fn report_type_cycle(&mut self, cycle: &[ObjId]) {
        let Some(first) = (0..cycle.len()).min_by_key(|&i| {
            let o = self.obj(cycle[i]);
            (o.file, o.span.start)
        }) else {
            return;
        };
        let obj = self.obj(cycle[first]).clone();
        let saved = self.file;
        self.file = obj.file;
        if cycle.len() == 1 {
            self.error_labeled(
                "invalid_recursive_type",
                obj.span,
                format!("invalid recursive type: {} refers to itself", obj.name),
                "contains itself",
            );
        } else {
            let mut message = format!("invalid recursive type {}", obj.name);
            for k in 0..cycle.len() {
                let a = &self.obj(cycle[(first + k) % cycle.len()]).name;
                let b = &self.obj(cycle[(first + k + 1) % cycle.len()]).name;
                message.push_str(&format!("\n\t{a} refers to {b}"));
            }
            self.error_labeled(
                "invalid_recursive_type",
                obj.span,
                message,
                "contains itself",
            );
        }
        self.file = saved;
    }

    /// Go's `"os" imported and not used` (`imported as x` when renamed), for each file.
    /// Only the user's package: gom's standard library is not the user's to fix.
    fn report_unused_imports(&mut self, files: &[(u32, Rc<ast::File>)]) {
        for (file_index, _) in files {
            let Some(scope) = self.file_scopes.get(file_index).copied() else {
                continue;
            };
            self.file = *file_index;
            for id in self.scopes[scope.0 as usize].order.clone() {
                let obj = self.obj(id);
                let ObjKind::Package(index) = obj.kind else {
                    continue;
                };
                if obj.used {
                    continue;
                }
                let (name, span) = (obj.name.clone(), obj.span);
                let package = &self.packages[index];
                let message = if package.name == name {
                    format!("{:?} imported and not used", package.path)
                } else {
                    format!("{:?} imported as {name} and not used", package.path)
                };
                self.error_labeled("unused_import", span, message, "imported here");
            }
        }
    }

    /// Declares a file's imports in a new file scope (whose parent is the package scope).
    fn import_file(&mut self, file: &ast::File) -> ScopeId {
        let package_scope = self.packages[self.pkg].scope;
        let file_scope = self.new_scope(Some(package_scope));
        for import in &file.imports {
            let path = String::from_utf8_lossy(match &import.path.kind {
                ast::LitKind::Str(bytes) => bytes,
                _ => &[][..],
            })
            .into_owned();
            let (pkg, file_now, scope_now) = (self.pkg, self.file, self.scope);
            let imported = self.import_package(&path);
            (self.pkg, self.file, self.scope) = (pkg, file_now, scope_now);
            let Some(index) = imported else {
                self.error_labeled(
                    "unsupported_package",
                    import.path.span,
                    format!("package {path} is not in gom's standard library"),
                    "not available in gom",
                );
                self.help(format!("gom provides: {}", stdlib::packages().join(", ")));
                continue;
            };
            let default_name = self.packages[index].name.clone();
            let (name, span) = match &import.name {
                Some(ast::ImportName::Named(id)) => (id.name.clone(), id.span),
                Some(ast::ImportName::Dot(span)) => {
                    self.error("dot_import", *span, "gom does not support dot imports");
                    continue;
                }
                None => (default_name, import.path.span),
            };
            if name == "_" {
                continue;
            }
            let id = self.new_object(&name, ObjKind::Package(index), TypeId::INVALID, span);
            self.obj_mut(id).level = 0;
            self.declare_in(file_scope, id);
        }
        self.file_scopes.insert(self.file, file_scope);
        file_scope
    }

    /// Declares every top-level name of a file, unresolved.
    pub(super) fn collect_file(
        &mut self,
        pkg: usize,
        file_index: u32,
        file: &Rc<ast::File>,
        scope: ScopeId,
        pending: &mut Vec<ObjId>,
        methods: &mut Vec<DeclRef>,
    ) {
        let package_scope = self.packages[pkg].scope;
        let decl_ref = |kind| DeclRef {
            file: file.clone(),
            file_index,
            scope,
            pkg,
            kind,
        };
        for (d, decl) in file.decls.iter().enumerate() {
            match decl {
                ast::Decl::Const { specs, .. } => {
                    let mut values_from = 0;
                    for (s, spec) in specs.iter().enumerate() {
                        if !spec.values.is_empty() || spec.ty.is_some() {
                            values_from = s;
                        }
                        for (n, name) in spec.names.iter().enumerate() {
                            let kind = DeclKind::Const {
                                decl: d,
                                spec: s,
                                name: n,
                                values_from,
                            };
                            let id = self.pending_object(
                                name,
                                ObjKind::Const(Value::Bool(false)),
                                decl_ref(kind),
                            );
                            self.declare_in(package_scope, id);
                            pending.push(id);
                        }
                    }
                }
                ast::Decl::Var { specs, .. } => {
                    for (s, spec) in specs.iter().enumerate() {
                        for name in &spec.names {
                            let kind = DeclKind::Var { decl: d, spec: s };
                            let id = self.pending_object(
                                name,
                                ObjKind::Var(VarRef::Global(GlobalId(u32::MAX))),
                                decl_ref(kind),
                            );
                            self.declare_in(package_scope, id);
                            pending.push(id);
                        }
                    }
                }
                ast::Decl::Type { specs, .. } => {
                    for (s, spec) in specs.iter().enumerate() {
                        let id = self.pending_object(
                            &spec.name,
                            ObjKind::TypeName,
                            decl_ref(DeclKind::Type { decl: d, spec: s }),
                        );
                        if !spec.alias && spec.type_params.is_empty() {
                            let path = self.packages[pkg].path.clone();
                            let named = self.types.new_named(&spec.name.name, &path);
                            self.obj_mut(id).ty = named;
                        }
                        self.declare_in(package_scope, id);
                        pending.push(id);
                    }
                }
                ast::Decl::Func(f) => {
                    if f.recv.is_some() {
                        methods.push(decl_ref(DeclKind::Func { decl: d }));
                        continue;
                    }
                    let id = self.pending_object(
                        &f.name,
                        ObjKind::Func(FuncId(u32::MAX)),
                        decl_ref(DeclKind::Func { decl: d }),
                    );
                    if f.name.name == "init" {
                        pending.push(id);
                        continue;
                    }
                    self.declare_in(package_scope, id);
                    pending.push(id);
                }
                ast::Decl::Bad(_) => {}
            }
        }
    }

    fn pending_object(&mut self, name: &ast::Ident, kind: ObjKind, decl: DeclRef) -> ObjId {
        let id = self.new_object(&name.name, kind, TypeId::INVALID, name.span);
        let obj = self.obj_mut(id);
        obj.level = 0;
        obj.resolution = Resolution::Pending(decl);
        id
    }

    /// Makes sure a package-level object is checked; reports cycles.
    pub(crate) fn resolve(&mut self, id: ObjId) {
        let decl = match &self.obj(id).resolution {
            Resolution::Done => return,
            Resolution::InProgress => {
                self.report_cycle(id);
                return;
            }
            Resolution::Pending(decl) => decl.clone(),
        };
        self.obj_mut(id).resolution = Resolution::InProgress;
        self.with_decl_context(&decl, |c| c.resolve_decl(id, &decl));
        if matches!(self.obj(id).resolution, Resolution::InProgress) {
            self.obj_mut(id).resolution = Resolution::Done;
        }
    }

    fn report_cycle(&mut self, id: ObjId) {
        let obj = self.obj(id).clone();
        // Go leaves cycles through variables to the initialisation order, which reports them
        // as `initialization cycle for a`.
        if matches!(obj.kind, ObjKind::Var(_)) {
            return;
        }
        let (code, message) = match obj.kind {
            ObjKind::TypeName => (
                "invalid_recursive_type",
                format!("invalid recursive type {}", obj.name),
            ),
            ObjKind::Const(_) | ObjKind::Var(_) | ObjKind::Func(_) => (
                "initialization_cycle",
                format!(
                    "initialization cycle or invalid recursive reference to {}",
                    obj.name
                ),
            ),
            _ => ("cycle", format!("invalid cycle through {}", obj.name)),
        };
        let saved = std::mem::replace(&mut self.file, obj.file);
        self.error_labeled(code, obj.span, message, "refers to itself");
        self.file = saved;
        let invalid = TypeId::INVALID;
        let o = self.obj_mut(id);
        o.resolution = Resolution::Done;
        if !matches!(o.kind, ObjKind::TypeName) || o.ty == invalid {
            o.ty = invalid;
        }
    }

    /// Runs `f` with the package, file and scope of a declaration, outside any function.
    fn with_decl_context<T>(&mut self, decl: &DeclRef, f: impl FnOnce(&mut Checker) -> T) -> T {
        let saved_fctx = std::mem::take(&mut self.fctx);
        let saved_stack = std::mem::take(&mut self.scope_stack);
        let saved = (
            self.pkg,
            self.file,
            self.scope,
            self.iota.take(),
            self.deps.take(),
        );
        self.pkg = decl.pkg;
        self.file = decl.file_index;
        self.scope = decl.scope;
        let result = f(self);
        (self.pkg, self.file, self.scope, self.iota, self.deps) = saved;
        self.fctx = saved_fctx;
        self.scope_stack = saved_stack;
        result
    }

    fn resolve_decl(&mut self, id: ObjId, decl: &DeclRef) {
        match decl.kind {
            DeclKind::Const {
                decl: d,
                spec,
                name,
                values_from,
            } => self.resolve_const(id, &decl.file, d, spec, name, values_from),
            DeclKind::Var { decl: d, spec } => self.resolve_var(id, decl, d, spec),
            DeclKind::Type { decl: d, spec } => self.resolve_type_decl(id, &decl.file, d, spec),
            DeclKind::Func { decl: d } => self.resolve_func_decl(id, &decl.file, d),
        }
    }

    fn resolve_const(
        &mut self,
        id: ObjId,
        file: &ast::File,
        d: usize,
        s: usize,
        n: usize,
        values_from: usize,
    ) {
        let ast::Decl::Const { specs, .. } = &file.decls[d] else {
            return;
        };
        let source = &specs[values_from];
        let spec = &specs[s];
        self.iota = Some(u64::from(spec.iota));
        let ty = source.ty.as_ref().map(|t| self.resolve_type(t));
        let name = &spec.names[n];
        let value_expr = source.values.get(n);
        let result = match value_expr {
            Some(expr) => self.const_decl_value(expr, ty),
            None => {
                // Go reports only the first name without a value.
                if n == source.values.len() {
                    self.error_labeled(
                        "missing_const_init",
                        name.span,
                        format!("missing init expr for {}", name.name),
                        "constant without a value",
                    );
                }
                None
            }
        };
        if n == spec.names.len() - 1 && source.values.len() > spec.names.len() {
            let extra = &source.values[spec.names.len()];
            self.error("const_count", extra.span, "extra init expr");
        }
        self.iota = None;
        let (value, ty) = result.unwrap_or((Value::Bool(false), TypeId::INVALID));
        let obj = self.obj_mut(id);
        obj.kind = ObjKind::Const(value);
        obj.ty = ty;
    }

    fn resolve_var(&mut self, id: ObjId, decl: &DeclRef, d: usize, s: usize) {
        let ast::Decl::Var { specs, .. } = &decl.file.decls[d] else {
            return;
        };
        let spec = &specs[s];
        let scope = self.packages[decl.pkg].scope;
        let objects: Vec<ObjId> = spec
            .names
            .iter()
            .map(|n| {
                self.scopes[scope.0 as usize]
                    .names
                    .get(&n.name)
                    .copied()
                    .unwrap_or(id)
            })
            .collect();
        for &o in &objects {
            self.obj_mut(o).resolution = Resolution::InProgress;
        }
        self.deps = Some(Vec::new());
        let declared = spec.ty.as_ref().map(|t| self.resolve_type(t));
        let (types, values) =
            self.check_var_spec(&spec.names, declared, &spec.values, spec.span, true);
        let deps = self.deps.take().unwrap_or_default();
        let mut globals = Vec::new();
        for (i, name) in spec.names.iter().enumerate() {
            let ty = types.get(i).copied().unwrap_or(TypeId::INVALID);
            let global = self.new_global(&name.name, ty, name.span);
            globals.push(global);
            let o = objects[i];
            let obj = self.obj_mut(o);
            obj.kind = ObjKind::Var(VarRef::Global(global));
            obj.ty = ty;
            obj.resolution = Resolution::Done;
            obj.used = true;
        }
        self.packages[decl.pkg].var_inits.push(VarInit {
            globals,
            objects,
            values,
            deps,
        });
    }

    fn resolve_type_decl(&mut self, id: ObjId, file: &ast::File, d: usize, s: usize) {
        let ast::Decl::Type { specs, .. } = &file.decls[d] else {
            return;
        };
        let spec = &specs[s];
        if !spec.type_params.is_empty() {
            self.error_labeled(
                "generics_unsupported",
                spec.name.span,
                "generic types are not supported yet",
                "type parameters",
            );
            return;
        }
        if spec.alias {
            let target = self.resolve_type(&spec.ty);
            self.obj_mut(id).ty = target;
            return;
        }
        let named = self.obj(id).ty;
        // The type is usable (by name) while its right side is resolved: `type L struct{ next *L }`.
        self.obj_mut(id).resolution = Resolution::Done;
        // `type A B` takes B's underlying type, so B must be resolved first; `type E E` and
        // `type X Y; type Y X` are cycles.
        if let ast::ExprKind::Name(n) = &crate::syntax::build::unparen(&spec.ty).kind {
            if let Some(target) = self.lookup(&n.name) {
                if matches!(self.obj(target).kind, ObjKind::TypeName) {
                    if let Some(start) = self.type_path.iter().position(|&o| o == target) {
                        let mut cycle = self.type_path[start..].to_vec();
                        cycle.push(id);
                        self.report_type_cycle(&cycle);
                        return;
                    }
                    if target == id {
                        self.report_type_cycle(&[id]);
                        return;
                    }
                    self.type_path.push(id);
                    self.resolve_named_now(target);
                    self.type_path.pop();
                }
            }
        }
        let underlying = self.resolve_type_in_decl(&spec.ty, id);
        self.types.set_underlying(named, underlying);
    }

    /// Resolves a package-level defined type's declaration if it is still pending.
    fn resolve_named_now(&mut self, id: ObjId) {
        if matches!(self.obj(id).resolution, Resolution::Pending(_)) {
            self.resolve(id);
        }
    }

    /// Resolves the signature of a top-level function and creates it.
    fn resolve_func_decl(&mut self, id: ObjId, file: &ast::File, d: usize) {
        let ast::Decl::Func(f) = &file.decls[d] else {
            return;
        };
        if !f.sig.type_params.is_empty() {
            self.error_labeled(
                "generics_unsupported",
                f.name.span,
                "generic functions are not supported yet",
                "type parameters",
            );
            // Its signature names the type parameters: neither it nor the body is checked, and
            // uses of the function are invalid (silently: the declaration was reported).
            let name = format!("{}.{}", self.packages[self.pkg].path, f.name.name);
            let func = self.new_func(name, TypeId::INVALID, f.span);
            let obj = self.obj_mut(id);
            obj.kind = ObjKind::Func(func);
            obj.ty = TypeId::INVALID;
            return;
        }
        let (ty, variadic) = self.resolve_signature(&f.sig, None);
        let name = format!("{}.{}", self.packages[self.pkg].path, f.name.name);
        let func = self.new_func(name, ty, f.span);
        self.funcs[func.0 as usize].variadic = variadic;
        let obj = self.obj_mut(id);
        obj.kind = ObjKind::Func(func);
        obj.ty = ty;
        if f.name.name == "init" {
            self.check_init_decl(f);
            self.packages[self.pkg].inits.push(func);
        } else if f.name.name == "main"
            && self.packages[self.pkg].name == "main"
            && (!f.sig.params.is_empty() || !f.sig.results.is_empty())
        {
            self.error_labeled(
                "bad_main",
                f.name.span,
                "func main must have no arguments and no return values",
                "main's signature",
            );
        }
        if f.body.is_none() && self.pkg == 0 {
            self.error_labeled(
                "missing_body",
                f.name.span,
                "missing function body",
                "no body",
            );
        }
    }

    fn check_init_decl(&mut self, f: &ast::FuncDecl) {
        if !f.sig.params.is_empty() || !f.sig.results.is_empty() {
            self.error_labeled(
                "bad_init",
                f.name.span,
                "func init must have no arguments and no return values",
                "init's signature",
            );
        }
    }

    /// Go's receiver rules (`types2` `validRecv`): a defined type of this package that is not
    /// a pointer or interface. Reports and returns `false` otherwise.
    fn check_receiver(&mut self, base: TypeId, pointer: bool, recv: &ast::Field) -> bool {
        if self.types.is_invalid(base) {
            return false;
        }
        let local = |c: &Self| {
            c.types
                .named(base)
                .is_some_and(|n| n.pkg == c.packages[c.pkg].path)
        };
        let message = if matches!(self.types.get(base), Type::Basic(_))
            || self.types.is_named(base) && !local(self)
        {
            format!(
                "cannot define new methods on non-local type {}",
                self.type_name(base)
            )
        } else if !self.types.is_named(base) {
            let full = if pointer {
                self.types.intern(Type::Pointer(base))
            } else {
                base
            };
            format!("invalid receiver type {}", self.type_name(full))
        } else if matches!(
            self.types.under(base),
            Type::Pointer(_) | Type::Interface(_)
        ) {
            format!(
                "invalid receiver type {} (pointer or interface type)",
                self.type_name(base)
            )
        } else {
            return true;
        };
        self.error_labeled(
            "invalid_receiver",
            recv.ty.span,
            message,
            "methods can only be declared on defined, non-pointer, non-interface types of this package",
        );
        false
    }

    /// Resolves a method's receiver and signature and attaches it to its type.
    pub(super) fn declare_method(&mut self, decl: &DeclRef) {
        let DeclKind::Func { decl: d } = decl.kind else {
            return;
        };
        let ast::Decl::Func(f) = &decl.file.decls[d] else {
            return;
        };
        let Some(recv) = &f.recv else { return };
        self.with_decl_context(decl, |c| {
            if let Some(span) = f.extra_receiver {
                c.error_labeled(
                    "multiple_receivers",
                    span,
                    "method has multiple receivers",
                    "extra receiver",
                );
            }
            c.attach_method(f, recv)
        });
    }

    fn attach_method(&mut self, f: &ast::FuncDecl, recv: &ast::Field) {
        let (base_expr, pointer) = match &crate::syntax::build::unparen(&recv.ty).kind {
            ast::ExprKind::Star(inner) => (crate::syntax::build::unparen(inner), true),
            _ => (crate::syntax::build::unparen(&recv.ty), false),
        };
        let base = self.resolve_type(base_expr);
        let base_name = self.type_name(base);
        let recv_ok = self.check_receiver(base, pointer, recv);
        let recv_ty = if pointer {
            self.types.intern(Type::Pointer(base))
        } else {
            base
        };
        let (sig_ty, variadic) = self.resolve_signature(&f.sig, Some(recv_ty));
        let plain_sig = self.method_signature(sig_ty);
        let prefix = if pointer {
            format!("(*{})", base_name)
        } else {
            base_name.clone()
        };
        let name = format!("{}.{prefix}.{}", self.packages[self.pkg].path, f.name.name);
        let func = self.new_func(name, sig_ty, f.span);
        self.funcs[func.0 as usize].variadic = variadic;
        self.pending_bodies_push(func, f);
        if !recv_ok {
            return;
        }
        let duplicate = self
            .types
            .named(base)
            .is_some_and(|n| n.methods.iter().any(|m| m.name == f.name.name));
        if duplicate && f.name.name != "_" {
            let first = self.method_decls.get(&(base, f.name.name.clone())).copied();
            let at = first.map_or_else(String::new, |(file, span)| {
                format!(" at {}", self.position(file, span))
            });
            self.error_labeled(
                "duplicate_method",
                f.name.span,
                format!("method {base_name}.{} already declared{at}", f.name.name),
                "declared again here",
            );
            return;
        }
        self.method_decls
            .insert((base, f.name.name.clone()), (self.file, f.name.span));
        if let Type::Struct(fields) = self.types.under(base) {
            if fields.iter().any(|fl| fl.name == f.name.name) {
                self.error_labeled(
                    "field_and_method",
                    f.name.span,
                    format!("field and method with the same name {}", f.name.name),
                    "clashes with a field",
                );
                return;
            }
        }
        if let Some(n) = self.types.named_mut(base) {
            n.methods.push(Method {
                name: f.name.name.clone(),
                func: func.0,
                pointer_receiver: pointer,
                sig: plain_sig,
            });
        }
    }

    /// A method's signature without its receiver (the first parameter).
    pub(crate) fn method_signature(&mut self, with_recv: TypeId) -> TypeId {
        match self.types.get(with_recv).clone() {
            Type::Func(mut sig) => {
                if !sig.params.is_empty() {
                    sig.params.remove(0);
                }
                self.types.intern(Type::Func(sig))
            }
            _ => with_recv,
        }
    }

    fn pending_bodies_push(&mut self, func: FuncId, f: &ast::FuncDecl) {
        self.method_funcs.push((func, f.span));
    }

    /// Checks every function body of the package, in source order.
    pub(super) fn check_bodies(
        &mut self,
        pkg: usize,
        files: &[(u32, Rc<ast::File>)],
        _methods: &[DeclRef],
    ) {
        let scope = self.packages[pkg].scope;
        let method_funcs = std::mem::take(&mut self.method_funcs);
        let mut methods = method_funcs.into_iter();
        for (file_index, file) in files {
            self.file = *file_index;
            let file_scope = self.file_scope_of(*file_index).unwrap_or(scope);
            for decl in &file.decls {
                let ast::Decl::Func(f) = decl else { continue };
                let func = if f.recv.is_some() {
                    methods.next().map(|(func, _)| func)
                } else {
                    self.func_of_decl(scope, f)
                };
                let Some(func) = func else { continue };
                let Some(body) = &f.body else { continue };
                if !f.sig.type_params.is_empty() {
                    continue;
                }
                self.scope = file_scope;
                self.check_func_body(func, &f.sig, f.recv.as_ref(), body);
            }
        }
    }

    fn file_scope_of(&self, file_index: u32) -> Option<ScopeId> {
        self.file_scopes.get(&file_index).copied()
    }

    /// The function created for a top-level func declaration.
    fn func_of_decl(&self, scope: ScopeId, f: &ast::FuncDecl) -> Option<FuncId> {
        if f.name.name == "init" {
            return self.objects.iter().find_map(|o| match o.kind {
                ObjKind::Func(func) if o.name == "init" && o.span == f.name.span => Some(func),
                _ => None,
            });
        }
        let id = self.scopes[scope.0 as usize].names.get(&f.name.name)?;
        match self.obj(*id).kind {
            ObjKind::Func(func) if self.obj(*id).span == f.name.span => Some(func),
            _ => None,
        }
    }

    /// Go's package initialisation order for variables, then the package's `init` functions.
    pub(super) fn order_var_inits(&mut self, pkg: usize) {
        let mut inits = std::mem::take(&mut self.packages[pkg].var_inits);
        let declared: HashSet<ObjId> = inits
            .iter()
            .flat_map(|v| v.objects.iter().copied())
            .collect();
        let var_deps: Vec<HashSet<ObjId>> = inits
            .iter()
            .map(|v| self.var_dependencies(&v.deps, &declared))
            .collect();
        let mut done: HashSet<ObjId> = HashSet::new();
        let mut remaining: Vec<usize> = (0..inits.len()).collect();
        let mut order = Vec::new();
        while !remaining.is_empty() {
            // A variable depending on itself (`var c = f()` where f uses c) is in a cycle.
            let ready = remaining
                .iter()
                .position(|&i| var_deps[i].iter().all(|d| done.contains(d)));
            let pick = match ready {
                Some(p) => p,
                None => {
                    // As Go: the variable with the fewest pending dependencies, first in source.
                    let key = |c: &Self, i: usize| {
                        let pending = var_deps[i].iter().filter(|d| !done.contains(d)).count();
                        let o = c.obj(inits[i].objects[0]);
                        (pending, o.file, o.span.start)
                    };
                    let p = (0..remaining.len())
                        .min_by_key(|&p| key(self, remaining[p]))
                        .unwrap_or(0);
                    let i = remaining[p];
                    let obj = self.obj(inits[i].objects[0]).clone();
                    let saved = std::mem::replace(&mut self.file, obj.file);
                    self.error_labeled(
                        "initialization_cycle",
                        obj.span,
                        format!("initialization cycle for {}", obj.name),
                        "depends on itself",
                    );
                    self.file = saved;
                    p
                }
            };
            let i = remaining.remove(pick);
            done.extend(inits[i].objects.iter().copied());
            order.push(i);
        }
        let mut slots: Vec<Option<VarInit>> = inits.drain(..).map(Some).collect();
        for i in order {
            if let Some(v) = slots[i].take() {
                self.init_steps.push(tast::InitStep::Vars {
                    globals: v.globals,
                    values: v.values,
                });
            }
        }
        for func in self.packages[pkg].inits.clone() {
            self.init_steps.push(tast::InitStep::Init(func));
        }
    }

    /// The package variables an initialiser depends on, directly or through functions it uses.
    fn var_dependencies(&self, deps: &[ObjId], vars: &HashSet<ObjId>) -> HashSet<ObjId> {
        let mut result = HashSet::new();
        let mut seen_funcs = HashSet::new();
        let mut stack: Vec<ObjId> = deps.to_vec();
        while let Some(obj) = stack.pop() {
            if vars.contains(&obj) {
                result.insert(obj);
                continue;
            }
            if let ObjKind::Func(func) = self.obj(obj).kind {
                if seen_funcs.insert(func) {
                    stack.extend(self.func_deps.get(&func).into_iter().flatten().copied());
                }
            }
        }
        result
    }
}
