//! Type expressions: `[]int`, `map[string]*T`, `func(int) error`, `struct{...}`, `pkg.T`.
//!
//! Input: an AST expression in type position. Output: its [`TypeId`], or
//! [`TypeId::INVALID`] after reporting why it is not a type.

use super::basic::BasicKind;
use super::tast::VarRef;
use super::types::{Field, IMethod, Signature, Type, TypeId};
use super::{Checker, ObjId, ObjKind};
use crate::syntax::ast::{self, ArrayLen, ExprKind};
use std::collections::HashSet;

impl Checker {
    /// Resolves a type expression.
    pub(crate) fn resolve_type(&mut self, e: &ast::Expr) -> TypeId {
        self.resolve_type_in_decl(e, ObjId(u32::MAX))
    }

    /// Resolves the right side of `type T ...`; `decl` is T's object, so that T may refer to
    /// itself through pointers, slices, maps, channels and functions, but not directly.
    pub(crate) fn resolve_type_in_decl(&mut self, e: &ast::Expr, decl: ObjId) -> TypeId {
        match &e.kind {
            ExprKind::Name(id) => self.type_name_ref(id, e),
            ExprKind::Selector { x, sel } => self.qualified_type(x, sel, e),
            ExprKind::Paren(inner) => self.resolve_type_in_decl(inner, decl),
            ExprKind::Star(inner) => {
                let elem = self.resolve_type(inner);
                self.types.intern(Type::Pointer(elem))
            }
            ExprKind::ArrayType { len: None, elem } => {
                let elem = self.resolve_type(elem);
                self.types.intern(Type::Slice(elem))
            }
            ExprKind::ArrayType {
                len: Some(len),
                elem,
            } => self.array_type(len, elem, decl),
            ExprKind::MapType { key, value } => self.map_type(key, value),
            ExprKind::ChanType { dir, elem } => {
                let elem = self.resolve_type(elem);
                self.types.intern(Type::Chan(*dir, elem))
            }
            ExprKind::FuncType(sig) => self.resolve_signature(sig, None).0,
            ExprKind::StructType { fields } => self.struct_type(fields, decl),
            ExprKind::InterfaceType { elems } => self.interface_type(elems),
            ExprKind::Index { .. } => {
                self.error_labeled(
                    "generics_unsupported",
                    e.span,
                    "generic types are not supported yet",
                    "type arguments",
                );
                TypeId::INVALID
            }
            ExprKind::Bad => TypeId::INVALID,
            _ => {
                let text = self.text(e.span);
                self.error_labeled(
                    "not_a_type",
                    e.span,
                    format!("{text} is not a type"),
                    "expected a type",
                );
                TypeId::INVALID
            }
        }
    }

    fn type_name_ref(&mut self, id: &ast::Ident, e: &ast::Expr) -> TypeId {
        let Some(obj) = self.lookup(&id.name) else {
            self.error_labeled(
                "undefined",
                e.span,
                format!("undefined: {}", id.name),
                "not declared",
            );
            return TypeId::INVALID;
        };
        self.type_of_object(obj, &id.name, e)
    }

    fn type_of_object(&mut self, obj: ObjId, name: &str, e: &ast::Expr) -> TypeId {
        self.obj_mut(obj).used = true;
        if !matches!(self.obj(obj).kind, ObjKind::TypeName) {
            let what = match &self.obj(obj).kind {
                ObjKind::Var(VarRef::Local(_)) => "local variable",
                ObjKind::Var(_) => "package-level variable",
                ObjKind::Const(_) | ObjKind::Iota => "constant",
                ObjKind::Func(_) => "function",
                ObjKind::Builtin(_) => "built-in function",
                ObjKind::Nil => "untyped nil",
                ObjKind::Package(_) | ObjKind::TypeName => "",
            };
            let message = if matches!(self.obj(obj).kind, ObjKind::Package(_)) {
                format!("use of package {name} without selector")
            } else {
                format!("{name} ({what}) is not a type")
            };
            self.error_labeled("not_a_type", e.span, message, "expected a type");
            return TypeId::INVALID;
        }
        let ty = self.obj(obj).ty;
        // A defined type has its id before its declaration is checked; aliases need resolving.
        if ty == TypeId::INVALID || !self.types.is_named(ty) {
            self.resolve(obj);
        }
        if self.obj(obj).name == "comparable" && self.obj(obj).pkg.is_none() {
            self.error_labeled(
                "generics_unsupported",
                e.span,
                "cannot use type comparable outside a type constraint: interface is (or embeds) comparable",
                "constraint only",
            );
            return TypeId::INVALID;
        }
        self.obj(obj).ty
    }

    fn qualified_type(&mut self, x: &ast::Expr, sel: &ast::Ident, e: &ast::Expr) -> TypeId {
        match self.package_member(x, sel) {
            Some(Some(obj)) => {
                self.type_of_object(obj, &format!("{}.{}", self.text(x.span), sel.name), e)
            }
            Some(None) => TypeId::INVALID,
            None => {
                if let ExprKind::Name(id) = &x.kind {
                    if self.lookup(&id.name).is_none() {
                        self.error_labeled(
                            "undefined",
                            x.span,
                            format!("undefined: {}", id.name),
                            "not declared",
                        );
                        return TypeId::INVALID;
                    }
                }
                let text = self.text(e.span);
                self.error_labeled(
                    "not_a_type",
                    e.span,
                    format!("{text} is not a type"),
                    "expected a type",
                );
                TypeId::INVALID
            }
        }
    }

    /// `pkg.Name`: `Some(Some(obj))` if found, `Some(None)` if `pkg` is a package but the name
    /// is missing or unexported (reported), `None` if `x` is not a package name.
    pub(crate) fn package_member(
        &mut self,
        x: &ast::Expr,
        sel: &ast::Ident,
    ) -> Option<Option<ObjId>> {
        let ExprKind::Name(pkg_name) = &x.kind else {
            return None;
        };
        let obj = self.lookup(&pkg_name.name)?;
        let ObjKind::Package(index) = self.obj(obj).kind else {
            return None;
        };
        self.obj_mut(obj).used = true;
        let scope = self.packages[index].scope;
        let found = self.scopes[scope.0 as usize].names.get(&sel.name).copied();
        let exported = sel.name.starts_with(|c: char| c.is_uppercase());
        match found {
            Some(member) if exported => {
                self.resolve(member);
                Some(Some(member))
            }
            Some(_) => {
                let message = format!(
                    "name {} not exported by package {}",
                    sel.name, pkg_name.name
                );
                self.error_labeled("unexported", sel.span, message, "unexported name");
                Some(None)
            }
            None => {
                let message = format!("undefined: {}.{}", pkg_name.name, sel.name);
                self.error_labeled("undefined", sel.span, message, "not in this package");
                Some(None)
            }
        }
    }

    fn array_type(&mut self, len: &ArrayLen, elem: &ast::Expr, decl: ObjId) -> TypeId {
        let n = match len {
            ArrayLen::Ellipsis(span) => {
                self.error_labeled(
                    "array_len",
                    *span,
                    "invalid use of [...] array (outside a composite literal)",
                    "only in composite literals",
                );
                return TypeId::INVALID;
            }
            ArrayLen::Expr(e) => self.array_length(e),
        };
        let elem = self.resolve_type_in_decl(elem, decl);
        match n {
            Some(n) => self.types.intern(Type::Array(n, elem)),
            None => TypeId::INVALID,
        }
    }

    /// The constant, non-negative length of an array type.
    pub(crate) fn array_length(&mut self, e: &ast::Expr) -> Option<u64> {
        let operand = self.check_expr(e);
        let text = self.text(e.span);
        let Some(value) = operand.constant() else {
            if !self.types.is_invalid(operand.ty) {
                let message = format!(
                    "array length {text} (value of type {}) must be constant",
                    self.type_name(operand.ty)
                );
                self.error_labeled("array_len", e.span, message, "not a constant");
            }
            return None;
        };
        let is_int = self
            .types
            .basic_kind(operand.ty)
            .is_some_and(BasicKind::is_integer)
            || value.to_int().is_some() && self.types.is_untyped(operand.ty);
        match value.to_i64() {
            Some(n) if n >= 0 && is_int => Some(n as u64),
            Some(_) if is_int => {
                self.error_labeled(
                    "array_len",
                    e.span,
                    format!("invalid array length {text}"),
                    "negative length",
                );
                None
            }
            _ => {
                let message = format!(
                    "array length {text} (value of type {}) must be integer",
                    self.type_name(operand.ty)
                );
                self.error_labeled("array_len", e.span, message, "not an integer");
                None
            }
        }
    }

    fn map_type(&mut self, key: &ast::Expr, value: &ast::Expr) -> TypeId {
        let k = self.resolve_type(key);
        let v = self.resolve_type(value);
        if !self.types.is_invalid(k) && !self.types.comparable(k) {
            let name = self.type_name(k);
            self.error_labeled(
                "invalid_map_key",
                key.span,
                format!("invalid map key type {name}"),
                "not comparable",
            );
        }
        self.types.intern(Type::Map(k, v))
    }

    fn struct_type(&mut self, fields: &[ast::Field], decl: ObjId) -> TypeId {
        let mut result: Vec<Field> = Vec::new();
        let mut seen = HashSet::new();
        let pkg = self
            .packages
            .get(self.pkg)
            .map(|p| p.path.clone())
            .unwrap_or_default();
        for f in fields {
            let ty = self.field_type(&f.ty, decl);
            let tag = match &f.tag {
                Some(ast::BasicLit {
                    kind: ast::LitKind::Str(bytes),
                    ..
                }) => String::from_utf8_lossy(bytes).into_owned(),
                _ => String::new(),
            };
            let names: Vec<(String, crate::source::Span)> = if f.embedded {
                vec![(self.embedded_name(&f.ty), f.ty.span)]
            } else {
                f.names.iter().map(|n| (n.name.clone(), n.span)).collect()
            };
            for (name, span) in names {
                if name != "_" && !seen.insert(name.clone()) {
                    self.error_labeled(
                        "duplicate_field",
                        span,
                        format!("{name} redeclared"),
                        "field declared twice",
                    );
                }
                let exported = name.starts_with(|c: char| c.is_uppercase());
                result.push(Field {
                    pkg: if exported { String::new() } else { pkg.clone() },
                    name,
                    ty,
                    embedded: f.embedded,
                    tag: tag.clone(),
                });
            }
        }
        self.types.intern(Type::Struct(result))
    }

    /// A field's type; a struct may not contain itself except through indirection.
    fn field_type(&mut self, e: &ast::Expr, decl: ObjId) -> TypeId {
        // Containing itself (`type A struct{ a A }`) is found once all types are resolved.
        self.resolve_type_in_decl(e, decl)
    }

    /// The field name of an embedded field: the type name without package or `*`.
    fn embedded_name(&self, e: &ast::Expr) -> String {
        match &e.kind {
            ExprKind::Name(id) => id.name.clone(),
            ExprKind::Selector { sel, .. } => sel.name.clone(),
            ExprKind::Star(inner) | ExprKind::Paren(inner) => self.embedded_name(inner),
            ExprKind::Index { x, .. } => self.embedded_name(x),
            _ => "?".to_string(),
        }
    }

    fn interface_type(&mut self, elems: &[ast::InterfaceElem]) -> TypeId {
        let mut methods: Vec<IMethod> = Vec::new();
        for elem in elems {
            match elem {
                ast::InterfaceElem::Method { name, sig } => {
                    let (sig, _) = self.resolve_signature(sig, None);
                    if methods.iter().any(|m| m.name == name.name) {
                        self.error_labeled(
                            "duplicate_method",
                            name.span,
                            format!("duplicate method {}", name.name),
                            "declared twice",
                        );
                        continue;
                    }
                    methods.push(IMethod {
                        name: name.name.clone(),
                        sig,
                    });
                }
                ast::InterfaceElem::Union { terms, span } => {
                    if terms.len() != 1 || terms[0].tilde {
                        self.error_labeled(
                            "generics_unsupported",
                            *span,
                            "type sets (unions and ~T) are only allowed in constraints; generics are not supported yet",
                            "constraint syntax",
                        );
                        continue;
                    }
                    let embedded = self.resolve_type(&terms[0].ty);
                    match self.types.under(embedded).clone() {
                        Type::Interface(inner) => {
                            for m in inner {
                                if !methods.iter().any(|x| x.name == m.name) {
                                    methods.push(m);
                                }
                            }
                        }
                        Type::Invalid => {}
                        _ => {
                            let name = self.type_name(embedded);
                            self.error_labeled(
                                "generics_unsupported",
                                terms[0].ty.span,
                                format!("cannot use {name} in interface: type sets need generics, which are not supported yet"),
                                "not an interface",
                            );
                        }
                    }
                }
            }
        }
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        self.types.intern(Type::Interface(methods))
    }

    /// A function signature; `recv` (for methods) becomes the first parameter. Returns the
    /// [`Type::Func`] and whether it is variadic.
    pub(crate) fn resolve_signature(
        &mut self,
        sig: &ast::FuncType,
        recv: Option<TypeId>,
    ) -> (TypeId, bool) {
        let mut params: Vec<TypeId> = recv.into_iter().collect();
        let mut variadic = false;
        let count = sig.params.len();
        for (i, p) in sig.params.iter().enumerate() {
            let ty = match &p.ty.kind {
                ExprKind::Ellipsis(elem) => {
                    if i + 1 != count || p.names.len() > 1 {
                        self.error_labeled(
                            "misplaced_variadic",
                            p.ty.span,
                            "can only use ... with final parameter",
                            "not last",
                        );
                    }
                    variadic = true;
                    let elem = self.resolve_type(elem);
                    self.types.intern(Type::Slice(elem))
                }
                _ => self.resolve_type(&p.ty),
            };
            params.extend(std::iter::repeat_n(ty, p.names.len().max(1)));
        }
        let mut results = Vec::new();
        for r in &sig.results {
            if let ExprKind::Ellipsis(_) = r.ty.kind {
                self.error_labeled(
                    "misplaced_variadic",
                    r.ty.span,
                    "can only use ... with final parameter",
                    "in results",
                );
            }
            let ty = self.resolve_type(&r.ty);
            results.extend(std::iter::repeat_n(ty, r.names.len().max(1)));
        }
        let ty = self.types.intern(Type::Func(Signature {
            params,
            results,
            variadic,
        }));
        (ty, variadic)
    }
}
