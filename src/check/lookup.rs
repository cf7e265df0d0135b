//! Field and method lookup with promotion through embedded fields, method sets, interface
//! satisfaction, and the selector expression `x.f` built on them (Go spec "Selectors",
//! "Method sets").

use super::expr::{Mode, Operand};
use super::tast::{self, ExprKind as T, FuncId, LocalId, Place, StmtKind, VarRef};
use super::types::{Method, Signature, Type, TypeId};
use super::Checker;
use crate::source::Span;
use crate::syntax::ast;
use std::collections::HashSet;

/// One step of a path through embedded fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Step {
    pub index: u32,
}

#[derive(Clone, Debug)]
pub(crate) enum Selection {
    /// A field, reached through `path` (embedded fields) then `index`.
    Field {
        path: Vec<Step>,
        index: u32,
        ty: TypeId,
    },
    /// A method of a defined type (possibly promoted): the receiver is reached through `path`.
    Method { path: Vec<Step>, method: Method },
    /// A method of an interface value (possibly an embedded interface field).
    Interface {
        path: Vec<Step>,
        index: u32,
        sig: TypeId,
    },
}

pub(crate) enum Lookup {
    Found(Selection),
    NotFound,
    Ambiguous,
}

impl Checker {
    /// Finds `name` in `ty` (dereferencing one pointer), breadth-first through embedded
    /// fields: the shallowest match wins; two at the same depth are ambiguous.
    pub(crate) fn lookup_member(&self, ty: TypeId, name: &str) -> Lookup {
        let start = match self.types.get(ty) {
            Type::Pointer(elem) => *elem,
            _ if matches!(self.types.under(ty), Type::Pointer(_)) && !self.types.is_named(ty) => ty,
            _ => ty,
        };
        let mut level: Vec<(TypeId, Vec<Step>)> = vec![(start, Vec::new())];
        let mut seen: HashSet<TypeId> = HashSet::new();
        while !level.is_empty() {
            let mut found: Vec<Selection> = Vec::new();
            let mut next = Vec::new();
            for (t, path) in level {
                if !seen.insert(t) {
                    continue;
                }
                if let Some(named) = self.types.named(t) {
                    if let Some(m) = named.methods.iter().find(|m| m.name == name) {
                        found.push(Selection::Method {
                            path: path.clone(),
                            method: m.clone(),
                        });
                        continue;
                    }
                }
                match self.types.under(t) {
                    Type::Struct(fields) => {
                        for (i, f) in fields.iter().enumerate() {
                            let mut step_path = path.clone();
                            if f.name == name {
                                found.push(Selection::Field {
                                    path: path.clone(),
                                    index: i as u32,
                                    ty: f.ty,
                                });
                            } else if f.embedded {
                                step_path.push(Step { index: i as u32 });
                                let inner = match self.types.get(f.ty) {
                                    Type::Pointer(e) => *e,
                                    _ => f.ty,
                                };
                                next.push((inner, step_path));
                            }
                        }
                    }
                    Type::Interface(methods) => {
                        if let Some(i) = methods.iter().position(|m| m.name == name) {
                            found.push(Selection::Interface {
                                path: path.clone(),
                                index: i as u32,
                                sig: methods[i].sig,
                            });
                        }
                    }
                    _ => {}
                }
            }
            match found.len() {
                0 => level = next,
                1 => return Lookup::Found(found.remove(0)),
                _ => return Lookup::Ambiguous,
            }
        }
        Lookup::NotFound
    }

    /// Whether the value type `ty` has every method of interface `iface`.
    pub(crate) fn implements(&mut self, ty: TypeId, iface: TypeId) -> bool {
        self.missing_method(ty, iface).is_none()
    }

    /// Why `ty` does not implement `iface`: Go's `(missing method M)` and friends.
    fn missing_method(&self, ty: TypeId, iface: TypeId) -> Option<String> {
        if self.types.is_invalid(ty) || self.types.is_invalid(iface) {
            return None;
        }
        let Type::Interface(wanted) = self.types.under(iface).clone() else {
            return None;
        };
        let is_pointer = matches!(self.types.get(ty), Type::Pointer(_));
        for m in &wanted {
            if let Type::Interface(have) = self.types.under(ty) {
                match have.iter().find(|h| h.name == m.name) {
                    Some(h) if self.types.identical(h.sig, m.sig) => continue,
                    Some(_) => return Some(format!("(wrong type for method {})", m.name)),
                    None => return Some(format!("(missing method {})", m.name)),
                }
            }
            match self.lookup_member(ty, &m.name) {
                Lookup::Found(Selection::Method { path, method }) => {
                    if !self.types.identical(method.sig, m.sig) {
                        let have = self
                            .types
                            .display(method.sig, &|_| true)
                            .trim_start_matches("func")
                            .to_string();
                        let want = self
                            .types
                            .display(m.sig, &|_| true)
                            .trim_start_matches("func")
                            .to_string();
                        return Some(format!(
                            "(wrong type for method {})\n\t\thave {}{have}\n\t\twant {}{want}",
                            m.name, m.name, m.name
                        ));
                    }
                    let through_pointer = is_pointer || self.path_has_pointer(ty, &path);
                    if method.pointer_receiver && !through_pointer {
                        return Some(format!("(method {} has pointer receiver)", m.name));
                    }
                }
                Lookup::Found(Selection::Interface { sig, .. }) => {
                    if !self.types.identical(sig, m.sig) {
                        return Some(format!("(wrong type for method {})", m.name));
                    }
                }
                _ => return Some(format!("(missing method {})", m.name)),
            }
        }
        None
    }

    /// `T does not implement I (missing method M)`.
    pub(crate) fn missing_method_reason(&self, ty: TypeId, iface: TypeId) -> String {
        let why = self.missing_method(ty, iface).unwrap_or_default();
        format!(
            "{} does not implement {} {why}",
            self.type_name(ty),
            self.type_name(iface)
        )
    }

    /// Whether a path of embedded fields from `ty` goes through an embedded pointer.
    fn path_has_pointer(&self, ty: TypeId, path: &[Step]) -> bool {
        let mut t = ty;
        for step in path {
            let Type::Struct(fields) = self.types.under(t) else {
                return false;
            };
            let Some(f) = fields.get(step.index as usize) else {
                return false;
            };
            if matches!(self.types.get(f.ty), Type::Pointer(_)) {
                return true;
            }
            t = f.ty;
        }
        false
    }

    /// `x.sel`: a package member, a method expression, a field, or a method value.
    pub(crate) fn selector(&mut self, x: &ast::Expr, sel: &ast::Ident, span: Span) -> Operand {
        if let Some(member) = self.package_member(x, sel) {
            return match member {
                Some(obj) => self.object_operand(obj, span, true),
                None => Operand::invalid(span),
            };
        }
        let base = self.check_expr(x);
        match base.mode {
            Mode::Invalid => base,
            Mode::Type => self.method_expression(base.ty, sel, span),
            _ => {
                let base = self.require_value(base);
                if base.is_invalid() {
                    return base;
                }
                self.select_from_value(base, sel, span)
            }
        }
    }

    fn select_from_value(&mut self, base: Operand, sel: &ast::Ident, span: Span) -> Operand {
        match self.lookup_member(base.ty, &sel.name) {
            Lookup::Found(Selection::Field { path, index, ty }) => {
                let x = self.follow_path(base, &path);
                self.field_of(x, index, ty, span)
            }
            Lookup::Found(Selection::Method { path, method }) => {
                let recv = self.follow_path(base, &path);
                match self.method_receiver(recv, &method, span) {
                    Some(recv) => {
                        let ty = method.sig;
                        Operand::value(
                            T::MethodValue {
                                recv: Box::new(recv.expr),
                                func: FuncId(method.func),
                            },
                            ty,
                            span,
                        )
                    }
                    None => Operand::invalid(span),
                }
            }
            Lookup::Found(Selection::Interface { path, index, sig }) => {
                let recv = self.follow_path(base, &path);
                Operand::value(
                    T::InterfaceMethodValue {
                        recv: Box::new(recv.expr),
                        method: index,
                    },
                    sig,
                    span,
                )
            }
            Lookup::Ambiguous => {
                let text = self.text(span);
                self.error_labeled(
                    "ambiguous_selector",
                    sel.span,
                    format!("ambiguous selector {text}"),
                    "found at the same depth twice",
                );
                Operand::invalid(span)
            }
            Lookup::NotFound => {
                self.report_missing_member(&base, sel, span);
                Operand::invalid(span)
            }
        }
    }

    fn report_missing_member(&mut self, base: &Operand, sel: &ast::Ident, span: Span) {
        let text = self.text(span);
        let ty = self.type_name(base.ty);
        let is_pointer_to_pointer = matches!(self.types.under(base.ty), Type::Pointer(e) if matches!(self.types.under(*e), Type::Pointer(_)));
        let why = if is_pointer_to_pointer
            || matches!(self.types.under(base.ty), Type::Pointer(e) if self.types.is_interface(*e))
        {
            format!("type {ty} is pointer to interface, not interface")
        } else {
            self.no_member_reason(base.ty, &sel.name)
        };
        self.error_labeled(
            "missing_field_or_method",
            sel.span,
            format!("{text} undefined ({why})"),
            "no such field or method",
        );
    }

    /// `type T has no field or method m`, with Go's hint when the name exists in another case:
    /// `, but does have method M`.
    pub(crate) fn no_member_reason(&self, ty: TypeId, name: &str) -> String {
        let reason = format!("type {} has no field or method {name}", self.type_name(ty));
        match self.member_in_other_case(ty, name) {
            Some((what, other)) => format!("{reason}, but does have {what} {other}"),
            None => reason,
        }
    }

    /// A field or method of `ty` whose name differs from `name` only in case.
    fn member_in_other_case(&self, ty: TypeId, name: &str) -> Option<(&'static str, String)> {
        let base = match self.types.get(ty) {
            Type::Pointer(elem) => *elem,
            _ => ty,
        };
        let fields = match self.types.under(base) {
            Type::Struct(fields) => fields.iter().map(|f| f.name.clone()).collect(),
            Type::Interface(methods) => methods.iter().map(|m| m.name.clone()).collect(),
            _ => Vec::new(),
        };
        let methods: Vec<String> = self
            .types
            .named(base)
            .map(|n| n.methods.iter().map(|m| m.name.clone()).collect())
            .unwrap_or_default();
        fields
            .into_iter()
            .chain(methods)
            .filter(|candidate| candidate != name && candidate.eq_ignore_ascii_case(name))
            .find_map(|candidate| match self.lookup_member(ty, &candidate) {
                Lookup::Found(Selection::Field { .. }) => Some(("field", candidate)),
                Lookup::Found(_) => Some(("method", candidate)),
                _ => None,
            })
    }

    /// Applies a path of embedded fields to a value.
    pub(crate) fn follow_path(&mut self, mut x: Operand, path: &[Step]) -> Operand {
        for step in path {
            let field_ty = self.field_type_at(x.ty, step.index);
            let span = x.span();
            x = self.field_of(x, step.index, field_ty, span);
        }
        x
    }

    fn field_type_at(&self, ty: TypeId, index: u32) -> TypeId {
        let struct_ty = match self.types.under(ty) {
            Type::Pointer(e) => *e,
            _ => ty,
        };
        match self.types.under(struct_ty) {
            Type::Struct(fields) => fields.get(index as usize).map_or(TypeId::INVALID, |f| f.ty),
            _ => TypeId::INVALID,
        }
    }

    /// Field `index` of a struct value or of a pointer to struct.
    fn field_of(&mut self, x: Operand, index: u32, ty: TypeId, span: Span) -> Operand {
        let through_pointer = matches!(self.types.under(x.ty), Type::Pointer(_));
        let addressable = through_pointer || matches!(x.mode, Mode::Var);
        let place_base = x.expr.clone();
        let kind = if through_pointer {
            T::PtrField {
                x: Box::new(x.expr),
                index,
            }
        } else {
            T::Field {
                x: Box::new(x.expr),
                index,
            }
        };
        let mut op = Operand::value(kind, ty, span);
        if addressable {
            op.mode = Mode::Var;
            op.place = Some(Place::Field {
                x: Box::new(place_base),
                index,
                through_pointer,
            });
        }
        op
    }

    /// The receiver for calling `method` on `recv`: takes `&recv` for a pointer method on an
    /// addressable value, `*recv` for a value method on a pointer.
    pub(crate) fn method_receiver(
        &mut self,
        recv: Operand,
        method: &Method,
        span: Span,
    ) -> Option<Operand> {
        let is_pointer = matches!(self.types.under(recv.ty), Type::Pointer(_))
            && !self.types.is_named(recv.ty)
            || matches!(self.types.get(recv.ty), Type::Pointer(_));
        match (method.pointer_receiver, is_pointer) {
            (true, true) | (false, false) => Some(recv),
            (false, true) => {
                let Type::Pointer(elem) = self.types.under(recv.ty).clone() else {
                    return Some(recv);
                };
                let s = recv.span();
                Some(Operand::value(T::Deref(Box::new(recv.expr)), elem, s))
            }
            (true, false) => match (&recv.mode, recv.place.clone()) {
                (Mode::Var, Some(place)) => {
                    if let Place::Var(v) = &place {
                        self.box_var(*v);
                    }
                    let ptr = self.types.intern(Type::Pointer(recv.ty));
                    let s = recv.span();
                    Some(Operand::value(T::AddrOf(Box::new(place)), ptr, s))
                }
                _ => {
                    let text = self.text(span);
                    self.error_labeled(
                        "unaddressable_receiver",
                        span,
                        format!(
                            "cannot call pointer method {} on {}",
                            text.rsplit('.').next().unwrap_or(&text),
                            self.type_name(recv.ty)
                        ),
                        "not addressable",
                    );
                    None
                }
            },
        }
    }

    /// `T.M` or `(*T).M`: the method as a function taking the receiver first.
    fn method_expression(&mut self, ty: TypeId, sel: &ast::Ident, span: Span) -> Operand {
        match self.lookup_member(ty, &sel.name) {
            Lookup::Found(Selection::Method { path, method }) if path.is_empty() => {
                let is_pointer = matches!(self.types.get(ty), Type::Pointer(_));
                if method.pointer_receiver && !is_pointer {
                    let text = self.text(span);
                    let t = self.type_name(ty);
                    self.error_labeled(
                        "method_expression",
                        span,
                        format!(
                            "invalid method expression {text} (needs pointer receiver (*{t}).{})",
                            sel.name
                        ),
                        "needs a pointer receiver",
                    );
                    return Operand::invalid(span);
                }
                let func = FuncId(method.func);
                let func_ty = self.funcs[func.0 as usize].ty;
                if method.pointer_receiver == is_pointer {
                    return Operand::value(T::Func(func), func_ty, span);
                }
                // A value method through a pointer type: `(*T).M` takes a *T.
                let sig = self.types.signature(func_ty).cloned();
                let ty = match sig {
                    Some(mut sig) => {
                        if let Some(first) = sig.params.first_mut() {
                            *first = ty;
                        }
                        self.types.intern(Type::Func(sig))
                    }
                    None => func_ty,
                };
                Operand::value(T::Func(func), ty, span)
            }
            Lookup::NotFound => {
                let text = self.text(span);
                let t = self.type_name(ty);
                self.error_labeled(
                    "missing_field_or_method",
                    sel.span,
                    format!(
                        "{text} undefined (type {t} has no field or method {})",
                        sel.name
                    ),
                    "no such method",
                );
                Operand::invalid(span)
            }
            Lookup::Found(Selection::Field { .. }) => {
                let t = self.type_name(ty);
                self.error_labeled(
                    "field_of_type",
                    sel.span,
                    format!(
                        "operand for field selector {} must be value of type {t}",
                        sel.name
                    ),
                    "a field, not a method",
                );
                Operand::invalid(span)
            }
            Lookup::Found(Selection::Method { path, method }) => {
                let is_pointer = matches!(self.types.get(ty), Type::Pointer(_));
                if method.pointer_receiver && !is_pointer && !self.path_has_pointer(ty, &path) {
                    let text = self.text(span);
                    let t = self.type_name(ty);
                    self.error_labeled(
                        "method_expression",
                        span,
                        format!(
                            "invalid method expression {text} (needs pointer receiver (*{t}).{})",
                            sel.name
                        ),
                        "needs a pointer receiver",
                    );
                    return Operand::invalid(span);
                }
                let sig = method.sig;
                self.method_expression_wrapper(ty, &sel.name, sig, span, |c, recv| {
                    let recv = c.follow_path(recv, &path);
                    let recv = c.method_receiver(recv, &method, span)?;
                    Some((Callee::Static(FuncId(method.func)), recv.expr))
                })
            }
            Lookup::Found(Selection::Interface { path, index, sig })
                if !matches!(self.types.get(ty), Type::Pointer(_)) =>
            {
                self.method_expression_wrapper(ty, &sel.name, sig, span, |c, recv| {
                    let recv = c.follow_path(recv, &path);
                    Some((Callee::Interface(index), recv.expr))
                })
            }
            Lookup::Found(Selection::Interface { .. }) => {
                let text = self.text(span);
                let t = self.type_name(ty);
                self.error_labeled(
                    "missing_field_or_method",
                    sel.span,
                    format!("{text} undefined (type {t} is pointer to interface, not interface)"),
                    "no such method",
                );
                Operand::invalid(span)
            }
            Lookup::Ambiguous => {
                let text = self.text(span);
                self.error_labeled(
                    "ambiguous_selector",
                    sel.span,
                    format!("ambiguous selector {text}"),
                    "found at the same depth twice",
                );
                Operand::invalid(span)
            }
        }
    }

    /// A method expression that needs a wrapper function (a promoted method, or an interface
    /// method): `func(recv T, params...) results { return recv.path.M(params...) }`, built
    /// directly in the typed AST. `call` gives the method and the adjusted receiver from the
    /// receiver parameter.
    fn method_expression_wrapper(
        &mut self,
        ty: TypeId,
        name: &str,
        sig: TypeId,
        span: Span,
        call: impl FnOnce(&mut Checker, Operand) -> Option<(Callee, tast::Expr)>,
    ) -> Operand {
        let Some(sig) = self.types.signature(sig).cloned() else {
            return Operand::invalid(span);
        };
        let mut params = vec![ty];
        params.extend(sig.params.iter().copied());
        let func_ty = self.types.intern(Type::Func(Signature {
            params: params.clone(),
            results: sig.results.clone(),
            variadic: sig.variadic,
        }));
        let pkg = self.packages[self.pkg].path.clone();
        let recv_name = match self.types.get(ty) {
            Type::Pointer(_) => format!("({})", self.type_name(ty)),
            _ => self.type_name(ty),
        };
        let func = self.new_func(format!("{pkg}.{recv_name}.{name}"), func_ty, span);
        let mut locals = Vec::new();
        let local = |name: String, ty: TypeId| tast::Local {
            name,
            ty,
            boxed: false,
            span,
        };
        for (i, &p) in params.iter().enumerate() {
            let n = if i == 0 {
                "recv".to_string()
            } else {
                format!("p{i}")
            };
            locals.push(local(n, p));
        }
        for (i, &r) in sig.results.iter().enumerate() {
            locals.push(local(format!("r{i}"), r));
        }
        let var = |i: usize, ty: TypeId| tast::Expr {
            kind: T::Var(VarRef::Local(LocalId(i as u32))),
            ty,
            span,
        };
        let recv = Operand::value(var(0, ty).kind, ty, span);
        let Some((callee, recv)) = call(self, recv) else {
            return Operand::invalid(span);
        };
        let args: Vec<tast::Expr> = (1..params.len()).map(|i| var(i, params[i])).collect();
        let kind = match callee {
            Callee::Static(f) => {
                let mut all = vec![recv];
                all.extend(args);
                T::CallStatic { func: f, args: all }
            }
            Callee::Interface(method) => T::CallInterface {
                recv: Box::new(recv),
                method,
                args,
            },
        };
        let result_ty = match sig.results.as_slice() {
            [] => self.common.no_value,
            [one] => *one,
            many => self.types.intern(Type::Tuple(many.to_vec())),
        };
        let call = tast::Expr {
            kind,
            ty: result_ty,
            span,
        };
        let stmt = if sig.results.is_empty() {
            StmtKind::Expr(call)
        } else {
            StmtKind::Return(vec![call])
        };
        let n = params.len();
        let f = &mut self.funcs[func.0 as usize];
        f.params = (0..n).map(|i| LocalId(i as u32)).collect();
        f.results = (n..n + sig.results.len())
            .map(|i| LocalId(i as u32))
            .collect();
        f.variadic = sig.variadic;
        f.locals = locals;
        f.body = Some(tast::Block {
            stmts: vec![tast::Stmt { kind: stmt, span }],
            span,
        });
        Operand::value(T::Func(func), func_ty, span)
    }
}

/// What a method-expression wrapper calls.
enum Callee {
    Static(FuncId),
    Interface(u32),
}
