//! Index, slice and type-assertion expressions, and composite literals.

use super::constant::Value;
use super::expr::{Mode, Operand};
use super::tast::{self, ExprKind as T, Place};
use super::types::{Type, TypeId};
use super::Checker;
use crate::source::Span;
use crate::syntax::ast::{self, ArrayLen, ExprKind};
use std::collections::HashSet;

impl Checker {
    pub(crate) fn index(&mut self, x: &ast::Expr, indices: &[ast::Expr], span: Span) -> Operand {
        let base = self.check_expr(x);
        if base.is_invalid() {
            return base;
        }
        if matches!(base.mode, Mode::Type)
            || matches!(base.expr.kind, T::Func(_))
                && !indices.is_empty()
                && self.types.signature(base.ty).is_some()
        {
            self.error(
                "generics_unsupported",
                span,
                "generic functions are not supported yet",
            );
            return Operand::invalid(span);
        }
        let base = self.require_value(base);
        if base.is_invalid() {
            return base;
        }
        if indices.len() != 1 {
            self.error("invalid_index", span, "unexpected comma; expecting ]");
            return Operand::invalid(span);
        }
        let index = &indices[0];
        match self.types.under(base.ty).clone() {
            Type::Map(key, value) => {
                let k = self.value(index);
                let k = self.assign_to(k, key, "map index");
                let mut op = Operand::value(
                    T::MapIndex {
                        map: Box::new(base.expr.clone()),
                        key: Box::new(k.clone()),
                        comma_ok: false,
                    },
                    value,
                    span,
                )
                .with_mode(Mode::MapIndex);
                op.place = Some(Place::MapIndex {
                    map: Box::new(base.expr),
                    key: Box::new(k),
                });
                op.comma_ok = true;
                op
            }
            Type::Basic(k) if k.is_string() => {
                let i = self.index_value(index, None);
                let byte = self.common.byte;
                if let (Some(Value::String(s)), Some(T::Const(iv))) =
                    (base.constant(), i.as_ref().map(|e| &e.kind))
                {
                    let idx = iv.to_i64().unwrap_or(-1);
                    if idx < 0 || idx as usize >= s.len() {
                        let text = self.text(index.span);
                        self.error(
                            "index_out_of_range",
                            index.span,
                            format!(
                                "invalid argument: index {text} out of bounds [0:{}]",
                                s.len()
                            ),
                        );
                        return Operand::invalid(span);
                    }
                    let v = Value::int(i64::from(s[idx as usize]));
                    return Operand::value(T::Const(v.clone()), byte, span)
                        .with_mode(Mode::Const(v));
                }
                let base = self.default_value(base);
                let Some(i) = i else {
                    return Operand::invalid(span);
                };
                Operand::value(
                    T::Index {
                        x: Box::new(base.expr),
                        index: Box::new(i),
                    },
                    byte,
                    span,
                )
            }
            Type::Slice(elem) => {
                let Some(i) = self.index_value(index, None) else {
                    return Operand::invalid(span);
                };
                let mut op = Operand::value(
                    T::Index {
                        x: Box::new(base.expr.clone()),
                        index: Box::new(i.clone()),
                    },
                    elem,
                    span,
                )
                .with_mode(Mode::Var);
                op.place = Some(Place::Index {
                    x: Box::new(base.expr),
                    index: Box::new(i),
                });
                op
            }
            Type::Array(n, elem) => {
                let Some(i) = self.index_value(index, Some(n)) else {
                    return Operand::invalid(span);
                };
                let addressable = matches!(base.mode, Mode::Var);
                let mut op = Operand::value(
                    T::Index {
                        x: Box::new(base.expr.clone()),
                        index: Box::new(i.clone()),
                    },
                    elem,
                    span,
                );
                if addressable {
                    op.mode = Mode::Var;
                    op.place = Some(Place::Index {
                        x: Box::new(base.expr),
                        index: Box::new(i),
                    });
                }
                op
            }
            Type::Pointer(p) if matches!(self.types.under(p), Type::Array(..)) => {
                let (n, elem) = match self.types.under(p) {
                    Type::Array(n, e) => (*n, *e),
                    _ => (0, TypeId::INVALID),
                };
                let Some(i) = self.index_value(index, Some(n)) else {
                    return Operand::invalid(span);
                };
                let mut op = Operand::value(
                    T::Index {
                        x: Box::new(base.expr.clone()),
                        index: Box::new(i.clone()),
                    },
                    elem,
                    span,
                )
                .with_mode(Mode::Var);
                op.place = Some(Place::Index {
                    x: Box::new(base.expr),
                    index: Box::new(i),
                });
                op
            }
            _ => {
                let text = self.text(x.span);
                let desc = self.describe(&base, &text);
                self.value(index);
                self.error_labeled(
                    "non_indexable",
                    span,
                    format!("invalid operation: cannot index {desc}"),
                    "not indexable",
                );
                Operand::invalid(span)
            }
        }
    }

    /// An index: an integer, non-negative if constant, within `len` for arrays.
    fn index_value(&mut self, e: &ast::Expr, len: Option<u64>) -> Option<tast::Expr> {
        let expr = self.size_argument(e, "index")?;
        if let (T::Const(v), Some(n)) = (&expr.kind, len) {
            if v.to_u64().is_some_and(|i| i >= n) {
                let text = self.text(e.span);
                self.error(
                    "index_out_of_range",
                    e.span,
                    format!("invalid argument: index {text} out of bounds [0:{n}]"),
                );
                return None;
            }
        }
        Some(expr)
    }

    pub(crate) fn slice_expr(
        &mut self,
        x: &ast::Expr,
        lo: Option<&ast::Expr>,
        hi: Option<&ast::Expr>,
        max: Option<&ast::Expr>,
        span: Span,
    ) -> Operand {
        let base = self.value(x);
        if base.is_invalid() {
            return base;
        }
        let (result_ty, len) = match self.types.under(base.ty).clone() {
            Type::Basic(k) if k.is_string() => {
                if max.is_some() {
                    self.error(
                        "invalid_slice",
                        span,
                        "invalid operation: 3-index slice of string".to_string(),
                    );
                    return Operand::invalid(span);
                }
                let ty = if self.types.is_untyped(base.ty) {
                    self.common.string
                } else {
                    base.ty
                };
                (ty, None)
            }
            Type::Slice(_) => (base.ty, None),
            Type::Array(n, elem) => {
                if !matches!(base.mode, Mode::Var) {
                    let text = self.text(x.span);
                    let desc = self.describe(&base, &text);
                    self.error(
                        "unaddressable",
                        span,
                        format!("invalid operation: {desc} (slice of unaddressable value)"),
                    );
                    return Operand::invalid(span);
                }
                (self.types.intern(Type::Slice(elem)), Some(n))
            }
            Type::Pointer(p) => match self.types.under(p).clone() {
                Type::Array(n, elem) => (self.types.intern(Type::Slice(elem)), Some(n)),
                _ => return self.cannot_slice(&base, x, span),
            },
            _ => return self.cannot_slice(&base, x, span),
        };
        let base_expr = if let (Type::Array(..), Some(place)) =
            (self.types.under(base.ty).clone(), base.place.clone())
        {
            if let Place::Var(v) = &place {
                self.box_var(*v);
            }
            let ptr = self.types.intern(Type::Pointer(base.ty));
            tast::Expr {
                kind: T::AddrOf(Box::new(place)),
                ty: ptr,
                span: base.span(),
            }
        } else {
            self.default_value(base).expr
        };
        let bound = |c: &mut Checker, e: Option<&ast::Expr>| {
            e.and_then(|e| c.index_value(e, len.map(|n| n + 1)))
                .map(Box::new)
        };
        let lo = bound(self, lo);
        let hi = bound(self, hi);
        let max = bound(self, max);
        let consts: Vec<i64> = [&lo, &hi, &max]
            .iter()
            .filter_map(|b| {
                b.as_ref().and_then(|e| match &e.kind {
                    T::Const(v) => v.to_i64(),
                    _ => None,
                })
            })
            .collect();
        if let Some(w) = consts.windows(2).find(|w| w[0] > w[1]) {
            self.error(
                "invalid_slice",
                span,
                format!("invalid slice indices: {} < {}", w[1], w[0]),
            );
        }
        Operand::value(
            T::Slice {
                x: Box::new(base_expr),
                lo,
                hi,
                max,
            },
            result_ty,
            span,
        )
    }

    fn cannot_slice(&mut self, base: &Operand, x: &ast::Expr, span: Span) -> Operand {
        let text = self.text(x.span);
        let desc = self.describe(base, &text);
        self.error("non_sliceable", span, format!("cannot slice {desc}"));
        Operand::invalid(span)
    }

    pub(crate) fn type_assert(
        &mut self,
        x: &ast::Expr,
        ty: Option<&ast::Expr>,
        span: Span,
    ) -> Operand {
        let base = self.value(x);
        let Some(ty) = ty else {
            self.error(
                "type_switch_outside",
                span,
                "invalid syntax tree: use of .(type) outside type switch",
            );
            return Operand::invalid(span);
        };
        let target = self.resolve_type(ty);
        if base.is_invalid() || self.types.is_invalid(target) {
            return Operand::invalid(span);
        }
        if !self.types.is_interface(base.ty) {
            let text = self.text(x.span);
            let desc = self.describe(&base, &text);
            self.error_labeled(
                "not_interface",
                x.span,
                format!("invalid operation: {desc} is not an interface"),
                "not an interface",
            );
            return Operand::invalid(span);
        }
        if !self.types.is_interface(target) && !self.implements(target, base.ty) {
            let text = self.text(span);
            let why = self.missing_method_reason(target, base.ty);
            self.error(
                "impossible_assertion",
                span,
                format!("impossible type assertion: {text}\n\t{why}"),
            );
            return Operand::invalid(span);
        }
        let mut op = Operand::value(
            T::TypeAssert {
                x: Box::new(base.expr),
                target,
                comma_ok: false,
            },
            target,
            span,
        );
        op.comma_ok = true;
        op
    }

    /// A composite literal; `hint` is the element type for an elided literal (`{1, 2}` in
    /// `[]Point{{1, 2}}`).
    pub(crate) fn composite(
        &mut self,
        ty: Option<&ast::Expr>,
        elems: &[ast::Element],
        span: Span,
        hint: Option<TypeId>,
    ) -> Operand {
        let ty = match (ty, hint) {
            (Some(t), _) => match &t.kind {
                ExprKind::ArrayType {
                    len: Some(ArrayLen::Ellipsis(_)),
                    elem,
                } => {
                    let elem = self.resolve_type(elem);
                    let n = self.array_literal_len(elems);
                    self.types.intern(Type::Array(n, elem))
                }
                _ => self.resolve_type(t),
            },
            (None, Some(h)) => h,
            (None, None) => {
                self.error(
                    "missing_type",
                    span,
                    "invalid composite literal type: missing type",
                );
                return Operand::invalid(span);
            }
        };
        // `&T{}` elided inside a literal of pointers: `[]*Point{{1, 2}}`.
        if ty_is_pointer_hint(self, ty) && hint.is_some() {
            let Type::Pointer(inner) = self.types.get(ty).clone() else {
                return Operand::invalid(span);
            };
            let lit = self.composite(None, elems, span, Some(inner));
            return Operand::value(T::New(Box::new(lit.expr)), ty, span);
        }
        match self.types.under(ty).clone() {
            Type::Struct(fields) => self.struct_literal(ty, &fields, elems, span),
            Type::Array(n, elem) => {
                let values = self.indexed_elements(elems, elem, Some(n));
                Operand::value(
                    T::ArrayLit {
                        elems: values,
                        len: n,
                    },
                    ty,
                    span,
                )
            }
            Type::Slice(elem) => {
                let values = self.indexed_elements(elems, elem, None);
                let len = values.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
                Operand::value(T::ArrayLit { elems: values, len }, ty, span)
            }
            Type::Map(key, value) => {
                let mut pairs = Vec::new();
                let mut seen: HashSet<String> = HashSet::new();
                for el in elems {
                    let Some(k) = &el.key else {
                        self.error("missing_key", el.value.span, "missing key in map literal");
                        continue;
                    };
                    let kop = self.element_value(k, key, "map literal");
                    if let T::Const(v) = &kop.kind {
                        if !seen.insert(v.to_string()) {
                            let text = self.text(k.span);
                            self.error(
                                "duplicate_key",
                                k.span,
                                format!("duplicate key {text} in map literal"),
                            );
                        }
                    }
                    let vop = self.element_value(&el.value, value, "map literal");
                    pairs.push((kop, vop));
                }
                Operand::value(T::MapLit(pairs), ty, span)
            }
            Type::Invalid => Operand::invalid(span),
            _ => {
                let t = self.type_name(ty);
                self.error(
                    "invalid_composite",
                    span,
                    format!("invalid composite literal type {t}"),
                );
                Operand::invalid(span)
            }
        }
    }

    fn array_literal_len(&mut self, elems: &[ast::Element]) -> u64 {
        let mut next = 0u64;
        let mut max = 0u64;
        for el in elems {
            if let Some(k) = &el.key {
                let op = self.check_expr(k);
                if let Some(i) = op.constant().and_then(Value::to_u64) {
                    next = i;
                }
            }
            next += 1;
            max = max.max(next);
        }
        max
    }

    /// The value of an element, which may be an elided composite literal; `context` names the
    /// literal kind in Go's `cannot use` message (`map literal`, `struct literal`, ...).
    fn element_value(&mut self, e: &ast::Expr, ty: TypeId, context: &str) -> tast::Expr {
        if let ExprKind::Composite { ty: None, elems } = &e.kind {
            if context == "struct literal" {
                // Only array, slice and map literals may elide their elements' types.
                self.error("missing_type", e.span, "missing type in composite literal");
                return Operand::invalid(e.span).expr;
            }
            return self.composite(None, elems, e.span, Some(ty)).expr;
        }
        let op = self.value(e);
        self.assign_to(op, ty, context)
    }

    fn indexed_elements(
        &mut self,
        elems: &[ast::Element],
        elem: TypeId,
        len: Option<u64>,
    ) -> Vec<(u64, tast::Expr)> {
        let mut out = Vec::new();
        let mut next = 0u64;
        let mut seen = HashSet::new();
        for el in elems {
            if let Some(k) = &el.key {
                let op = self.value(k);
                match op.constant().and_then(Value::to_u64) {
                    Some(i) => next = i,
                    None => {
                        let text = self.text(k.span);
                        self.error(
                            "invalid_index",
                            k.span,
                            format!("index {text} must be integer constant"),
                        );
                    }
                }
            }
            if len.is_some_and(|n| next >= n) {
                let n = len.unwrap_or(0);
                let message = if el.key.is_some() {
                    format!(
                        "invalid argument: index {} out of bounds [0:{n}]",
                        self.text(el.key.as_ref().map_or(el.value.span, |k| k.span))
                    )
                } else {
                    format!("index {next} is out of bounds (>= {n})")
                };
                self.error("index_out_of_range", el.value.span, message);
            }
            if !seen.insert(next) {
                self.error(
                    "duplicate_index",
                    el.span,
                    format!("duplicate index {next} in array or slice literal"),
                );
            }
            let value = self.element_value(&el.value, elem, "array or slice literal");
            out.push((next, value));
            next += 1;
        }
        out
    }

    fn struct_literal(
        &mut self,
        ty: TypeId,
        fields: &[super::types::Field],
        elems: &[ast::Element],
        span: Span,
    ) -> Operand {
        let mut values: Vec<Option<tast::Expr>> = vec![None; fields.len()];
        let keyed = elems.first().is_some_and(|e| e.key.is_some());
        let type_name = self.type_name(ty);
        for (i, el) in elems.iter().enumerate() {
            let index = if keyed {
                let Some(ast::Expr {
                    kind: ExprKind::Name(id),
                    ..
                }) = &el.key
                else {
                    self.error(
                        "mixed_struct_literal",
                        el.span,
                        "mixture of field:value and value elements in struct literal",
                    );
                    continue;
                };
                match fields.iter().position(|f| f.name == id.name) {
                    Some(p) => p,
                    None => {
                        self.error(
                            "unknown_field",
                            id.span,
                            format!(
                                "unknown field {} in struct literal of type {type_name}",
                                id.name
                            ),
                        );
                        continue;
                    }
                }
            } else {
                if el.key.is_some() {
                    self.error(
                        "mixed_struct_literal",
                        el.span,
                        "mixture of field:value and value elements in struct literal",
                    );
                    continue;
                }
                if i >= fields.len() {
                    self.error(
                        "too_many_values",
                        el.value.span,
                        format!("too many values in struct literal of type {type_name}"),
                    );
                    break;
                }
                i
            };
            if values[index].is_some() {
                self.error(
                    "duplicate_field",
                    el.span,
                    format!(
                        "duplicate field name {} in struct literal",
                        fields[index].name
                    ),
                );
                continue;
            }
            let v = self.element_value(&el.value, fields[index].ty, "struct literal");
            values[index] = Some(v);
        }
        if !keyed && !elems.is_empty() && elems.len() < fields.len() {
            let end = Span::new(span.end.saturating_sub(1), span.end);
            self.error(
                "too_few_values",
                end,
                format!("too few values in struct literal of type {type_name}"),
            );
        }
        let values = values
            .into_iter()
            .zip(fields)
            .map(|(v, f)| {
                v.unwrap_or(tast::Expr {
                    kind: T::Zero,
                    ty: f.ty,
                    span,
                })
            })
            .collect();
        Operand::value(T::StructLit(values), ty, span)
    }
}

fn ty_is_pointer_hint(c: &Checker, ty: TypeId) -> bool {
    matches!(c.types.get(ty), Type::Pointer(inner) if matches!(c.types.under(*inner), Type::Struct(_) | Type::Array(..) | Type::Slice(_) | Type::Map(..)))
}
