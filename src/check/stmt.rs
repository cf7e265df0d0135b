//! Function bodies and statements (Go spec "Statements"): scopes, labels and jump targets,
//! assignments and definitions, control flow, and the terminating-statement rule behind
//! `missing return`.

use super::basic::BasicKind;
use super::constant::Value;
use super::expr::{Mode, Operand};
use super::tast::{
    self, Builtin, ExprKind as T, LabelId, LocalId, Place, RangeKind, StmtKind as S, VarRef,
};
use super::types::{Type, TypeId};
use super::{Checker, FuncCtx, ObjKind};
use crate::source::Span;
use crate::syntax::ast::{self, AssignOp, BinaryOp, ExprKind, StmtKind};
use std::collections::HashMap;

/// Builds the body call of a go/defer wrapper from its forwarded parameters (`None`: empty).
type WrappedBody = Box<dyn FnOnce(Vec<tast::Expr>) -> Option<T>>;

/// Jump targets of the function being checked.
#[derive(Default, Clone)]
pub(crate) struct Labels {
    next: u32,
    /// Enclosing breakable statements, innermost last.
    targets: Vec<Target>,
    /// Declared labels: id, whether used, where.
    named: HashMap<String, (LabelId, bool, Span)>,
    /// The label written just before the statement being checked.
    pending: Option<(String, LabelId)>,
}

#[derive(Clone)]
struct Target {
    id: LabelId,
    name: Option<String>,
    is_loop: bool,
}

/// State of the `goto` rules pass over one function body.
#[derive(Default)]
struct GotoScan<'a> {
    /// Labels declared so far (in source order) and the block each is in.
    labels: HashMap<&'a str, usize>,
    /// Where each block starts, by block id.
    starts: Vec<Span>,
    /// Enclosing blocks of the statement being scanned, innermost last.
    stack: Vec<usize>,
}

impl Labels {
    fn fresh(&mut self) -> LabelId {
        self.next += 1;
        LabelId(self.next - 1)
    }
}

impl Checker {
    /// Checks a top-level function or method body.
    pub(crate) fn check_func_body(
        &mut self,
        func: tast::FuncId,
        sig: &ast::FuncType,
        recv: Option<&ast::Field>,
        body: &ast::Block,
    ) {
        self.deps = Some(Vec::new());
        let _ = self.check_body(func, sig, recv, body);
        let deps = self.deps.take().unwrap_or_default();
        self.func_deps.insert(func, deps);
    }

    /// Checks a func literal's body; returns the enclosing variables it captures.
    pub(crate) fn check_func_lit_body(
        &mut self,
        func: tast::FuncId,
        sig: &ast::FuncType,
        body: &ast::Block,
    ) -> Vec<VarRef> {
        self.check_body(func, sig, None, body)
    }

    fn check_body(
        &mut self,
        func: tast::FuncId,
        sig: &ast::FuncType,
        recv: Option<&ast::Field>,
        body: &ast::Block,
    ) -> Vec<VarRef> {
        let ty = self.funcs[func.0 as usize].ty;
        let signature = self
            .types
            .signature(ty)
            .cloned()
            .unwrap_or(super::types::Signature {
                params: vec![],
                results: vec![],
                variadic: false,
            });
        let results = signature.results.clone();
        let named_results = sig.results.iter().any(|r| !r.names.is_empty());
        self.fctx.push(FuncCtx {
            func,
            results: results.clone(),
            named_results,
            captures: Vec::new(),
            labels: Labels::default(),
            wrapped_calls: 0,
        });
        self.open_scope();
        let recv_fields: Vec<&ast::Field> = recv.into_iter().collect();
        let param_fields = recv_fields.into_iter().chain(sig.params.iter());
        let params = self.declare_signature_vars(param_fields, &signature.params);
        let result_locals = self.declare_signature_vars(sig.results.iter(), &results);
        self.collect_labels(&body.stmts);
        let stmts = self.stmt_list(&body.stmts);
        if !results.is_empty() && !is_terminating_list(&body.stmts) {
            let end = Span::new(body.span.end.saturating_sub(1), body.span.end);
            self.error_labeled(
                "missing_return",
                end,
                "missing return",
                "function ends without returning",
            );
        }
        self.check_gotos(body);
        self.report_unused_labels();
        self.close_scope();
        let pairs = self.fctx.pop().map(|c| c.captures).unwrap_or_default();
        let capture_types: Vec<TypeId> = pairs.iter().map(|(obj, _)| self.obj(*obj).ty).collect();
        let captures: Vec<VarRef> = pairs.into_iter().map(|(_, r)| r).collect();
        let f = &mut self.funcs[func.0 as usize];
        f.capture_types = capture_types;
        f.params = params;
        f.results = result_locals;
        f.captures = captures.clone();
        f.body = Some(tast::Block {
            stmts,
            span: body.span,
        });
        captures
    }

    /// Declares the parameters or results of a function as locals (marked used: Go does not
    /// report unused parameters), one per name, or one unnamed local per unnamed field.
    fn declare_signature_vars<'f>(
        &mut self,
        fields: impl Iterator<Item = &'f ast::Field>,
        types: &[TypeId],
    ) -> Vec<tast::LocalId> {
        let mut types = types.iter();
        let mut locals = Vec::new();
        for field in fields {
            let names: Vec<(String, Span)> = if field.names.is_empty() {
                vec![(String::new(), field.span)]
            } else {
                field
                    .names
                    .iter()
                    .map(|n| (n.name.clone(), n.span))
                    .collect()
            };
            for (name, span) in names {
                let ty = types.next().copied().unwrap_or(TypeId::INVALID);
                let (obj, local) = self.new_local(&name, ty, span, !name.is_empty());
                self.obj_mut(obj).used = true;
                locals.push(local);
            }
        }
        locals
    }

    fn labels(&mut self) -> &mut Labels {
        let i = self.fctx.len() - 1;
        &mut self.fctx[i].labels
    }

    /// Declares the labels of a function body (labels are function-scoped in Go).
    fn collect_labels(&mut self, stmts: &[ast::Stmt]) {
        for s in stmts {
            self.collect_labels_in(s);
        }
    }

    fn collect_labels_in(&mut self, s: &ast::Stmt) {
        match &s.kind {
            StmtKind::Labeled { label, stmt } => {
                if label.name != "_" {
                    if let Some(prev) = self.labels().named.get(&label.name).map(|(_, _, p)| *p) {
                        let at = self.position(self.file, prev);
                        self.error(
                            "duplicate_label",
                            label.span,
                            format!("label {} already defined at {at}", label.name),
                        );
                    } else {
                        let id = self.labels().fresh();
                        self.labels()
                            .named
                            .insert(label.name.clone(), (id, false, label.span));
                    }
                }
                self.collect_labels_in(stmt);
            }
            StmtKind::Block(b) => self.collect_labels(&b.stmts),
            StmtKind::If { then, els, .. } => {
                self.collect_labels(&then.stmts);
                if let Some(e) = els {
                    self.collect_labels_in(e);
                }
            }
            StmtKind::For { body, .. } | StmtKind::Range { body, .. } => {
                self.collect_labels(&body.stmts)
            }
            StmtKind::Switch { clauses, .. } | StmtKind::TypeSwitch { clauses, .. } => {
                for c in clauses {
                    self.collect_labels(&c.body);
                }
            }
            StmtKind::Select { clauses } => {
                for c in clauses {
                    self.collect_labels(&c.body);
                }
            }
            _ => {}
        }
    }

    /// Go's rules for `goto` (spec "Goto statements"): it must not jump into a block, nor over a
    /// variable declaration in the label's block. Mirrors Go's own branch checker: a goto whose
    /// label is not yet declared in an enclosing block is a forward jump; a block resolves the
    /// forward jumps to its own labels and hands the rest to its parent.
    fn check_gotos(&mut self, body: &ast::Block) {
        let mut scan = GotoScan::default();
        let left = self.goto_block(&mut scan, body.span, &body.stmts);
        for jump in left {
            // An undefined label was reported when the goto was checked.
            if let Some(&block) = scan.labels.get(jump.name.as_str()) {
                let at = self.position(self.file, scan.starts[block]);
                self.error_labeled(
                    "goto_into_block",
                    jump.span,
                    format!("goto {} jumps into block starting at {at}", jump.name),
                    "the label is inside a block this goto is not in",
                );
            }
        }
    }

    fn goto_block<'a>(
        &mut self,
        scan: &mut GotoScan<'a>,
        start: Span,
        body: &'a [ast::Stmt],
    ) -> Vec<&'a ast::Ident> {
        let id = scan.starts.len();
        scan.starts.push(start);
        scan.stack.push(id);
        // The last variable declaration seen in this block, and the forward jumps made before it.
        let mut var: Option<(Span, String)> = None;
        let mut fwd: Vec<&'a ast::Ident> = Vec::new();
        let mut bad: Vec<&'a ast::Ident> = Vec::new();
        for stmt in body {
            let mut s = stmt;
            while let StmtKind::Labeled { label, stmt } = &s.kind {
                if label.name != "_" {
                    scan.labels.entry(label.name.as_str()).or_insert(id);
                    let (hits, rest): (Vec<_>, Vec<_>) =
                        fwd.into_iter().partition(|j| j.name == label.name);
                    fwd = rest;
                    for jump in hits {
                        let over = bad.iter().any(|b| std::ptr::eq(*b, jump));
                        if let (true, Some((at, name))) = (over, &var) {
                            let at = self.position(self.file, *at);
                            self.error_labeled(
                                "goto_over_declaration",
                                jump.span,
                                format!(
                                    "goto {} jumps over declaration of {name} at {at}",
                                    jump.name
                                ),
                                "the jump skips a variable declaration",
                            );
                        }
                    }
                }
                s = stmt;
            }
            let mut record = |at: Span, name: String, fwd: &Vec<&'a ast::Ident>| {
                var = Some((at, name));
                bad.clone_from(fwd);
            };
            match &s.kind {
                StmtKind::Decl(ast::Decl::Var { specs, .. }) => {
                    if let Some(n) = specs.iter().find_map(|sp| sp.names.first()) {
                        record(n.span, n.name.clone(), &fwd);
                    }
                }
                StmtKind::Assign {
                    lhs,
                    op: AssignOp::Define,
                    ..
                } => {
                    let names: Vec<String> = lhs.iter().map(|e| self.text(e.span)).collect();
                    let after = lhs.last().map_or(s.span.start, |e| e.span.end);
                    let file = &self.files[self.file as usize];
                    let op = file
                        .text
                        .get(after as usize..)
                        .and_then(|t| t.find(":="))
                        .map_or(s.span.start, |k| after + k as u32);
                    record(Span::new(op, op + 2), names.join(", "), &fwd);
                }
                StmtKind::Goto(label) => {
                    let backward = scan
                        .labels
                        .get(label.name.as_str())
                        .is_some_and(|b| scan.stack.contains(b));
                    if !backward {
                        fwd.push(label);
                    }
                }
                StmtKind::Block(b) => fwd.extend(self.goto_block(scan, b.span, &b.stmts)),
                StmtKind::If { then, els, .. } => {
                    fwd.extend(self.goto_block(scan, then.span, &then.stmts));
                    if let Some(e) = els {
                        fwd.extend(self.goto_block(scan, e.span, std::slice::from_ref(&**e)));
                    }
                }
                StmtKind::For { body, .. } | StmtKind::Range { body, .. } => {
                    fwd.extend(self.goto_block(scan, body.span, &body.stmts))
                }
                StmtKind::Switch { clauses, .. } | StmtKind::TypeSwitch { clauses, .. } => {
                    for c in clauses {
                        fwd.extend(self.goto_block(scan, c.span, &c.body));
                    }
                }
                StmtKind::Select { clauses } => {
                    for c in clauses {
                        fwd.extend(self.goto_block(scan, c.span, &c.body));
                    }
                }
                _ => {}
            }
        }
        scan.stack.pop();
        fwd
    }

    fn report_unused_labels(&mut self) {
        let mut unused: Vec<(String, Span)> = self
            .labels()
            .named
            .iter()
            .filter(|(_, (_, used, _))| !used)
            .map(|(name, (_, _, span))| (name.clone(), *span))
            .collect();
        unused.sort_by_key(|(_, s)| s.start);
        for (name, span) in unused {
            self.error_labeled(
                "unused_label",
                span,
                format!("label {name} defined and not used"),
                "never jumped to",
            );
        }
    }

    pub(crate) fn stmt_list(&mut self, stmts: &[ast::Stmt]) -> Vec<tast::Stmt> {
        stmts.iter().map(|s| self.stmt(s)).collect()
    }

    fn block(&mut self, b: &ast::Block) -> tast::Block {
        self.open_scope();
        let stmts = self.stmt_list(&b.stmts);
        self.close_scope();
        tast::Block {
            stmts,
            span: b.span,
        }
    }

    fn stmt(&mut self, s: &ast::Stmt) -> tast::Stmt {
        let span = s.span;
        let kind = match &s.kind {
            StmtKind::Empty | StmtKind::Bad => S::Bad,
            StmtKind::Decl(d) => self.local_decl(d),
            StmtKind::Labeled { label, stmt } => self.labeled(label, stmt),
            StmtKind::Expr(e) => self.expr_stmt(e),
            StmtKind::Send { chan, value } => self.send(chan, value, span),
            StmtKind::IncDec { x, inc } => self.inc_dec(x, *inc, span),
            StmtKind::Assign { lhs, op, rhs } => self.assign_stmt(lhs, *op, rhs, span),
            StmtKind::Go(e) => self.go_defer(e, "go").map_or(S::Bad, S::Go),
            StmtKind::Defer(e) => self.go_defer(e, "defer").map_or(S::Bad, S::Defer),
            StmtKind::Return(values) => self.return_stmt(values, span),
            StmtKind::Break(label) => self.branch(label.as_ref(), span, false),
            StmtKind::Continue(label) => self.branch(label.as_ref(), span, true),
            StmtKind::Goto(label) => self.goto(label),
            StmtKind::Fallthrough => {
                self.error(
                    "misplaced_fallthrough",
                    span,
                    "fallthrough statement out of place",
                );
                S::Bad
            }
            StmtKind::Block(b) => S::Block(self.block(b)),
            StmtKind::If {
                init,
                cond,
                then,
                els,
            } => self.if_stmt(init.as_deref(), cond, then, els.as_deref()),
            StmtKind::Switch { init, tag, clauses } => {
                self.switch(init.as_deref(), tag.as_ref(), clauses, span)
            }
            StmtKind::TypeSwitch {
                init,
                bind,
                x,
                clauses,
            } => self.type_switch(init.as_deref(), bind.as_ref(), x, clauses),
            StmtKind::Select { clauses } => self.select(clauses),
            StmtKind::For {
                init,
                cond,
                post,
                body,
            } => self.for_stmt(init.as_deref(), cond.as_ref(), post.as_deref(), body),
            StmtKind::Range {
                key,
                value,
                define,
                x,
                body,
            } => self.range(key.as_ref(), value.as_ref(), *define, x, body, span),
        };
        tast::Stmt { kind, span }
    }

    fn stmt_opt(&mut self, s: Option<&ast::Stmt>) -> Option<Box<tast::Stmt>> {
        s.map(|s| Box::new(self.stmt(s)))
    }

    // ---- Declarations and assignments -----------------------------------------------------------

    fn local_decl(&mut self, d: &ast::Decl) -> S {
        match d {
            ast::Decl::Var { specs, .. } => {
                let mut out = Vec::new();
                for spec in specs {
                    let declared = spec.ty.as_ref().map(|t| self.resolve_type(t));
                    let (types, values) =
                        self.check_var_spec(&spec.names, declared, &spec.values, spec.span, true);
                    let mut locals = Vec::new();
                    for (i, name) in spec.names.iter().enumerate() {
                        let ty = types.get(i).copied().unwrap_or(TypeId::INVALID);
                        let (_, local) = self.new_local(&name.name, ty, name.span, true);
                        locals.push(local);
                    }
                    out.push(self.define_stmt(locals, values, spec.span));
                }
                block_of(out)
            }
            ast::Decl::Const { specs, .. } => {
                self.local_consts(specs);
                S::Bad
            }
            ast::Decl::Type { specs, .. } => {
                for spec in specs {
                    self.local_type(spec);
                }
                S::Bad
            }
            ast::Decl::Func(_) | ast::Decl::Bad(_) => S::Bad,
        }
    }

    fn define_stmt(
        &mut self,
        locals: Vec<LocalId>,
        values: Vec<tast::Expr>,
        span: Span,
    ) -> tast::Stmt {
        tast::Stmt {
            kind: S::Define { locals, values },
            span,
        }
    }

    fn local_consts(&mut self, specs: &[ast::ValueSpec]) {
        let mut source: Option<&ast::ValueSpec> = None;
        for spec in specs {
            if !spec.values.is_empty() || spec.ty.is_some() {
                source = Some(spec);
            }
            let Some(src) = source else {
                for n in &spec.names {
                    self.error(
                        "missing_const_init",
                        n.span,
                        format!("missing init expr for {}", n.name),
                    );
                }
                continue;
            };
            self.iota = Some(u64::from(spec.iota));
            let ty = src.ty.as_ref().map(|t| self.resolve_type(t));
            for (i, name) in spec.names.iter().enumerate() {
                let Some(e) = src.values.get(i) else {
                    // Go reports only the first name without a value.
                    if i == src.values.len() {
                        self.error(
                            "missing_const_init",
                            name.span,
                            format!("missing init expr for {}", name.name),
                        );
                    }
                    continue;
                };
                let (value, ty) = self
                    .const_decl_value(e, ty)
                    .unwrap_or((Value::Bool(false), TypeId::INVALID));
                let id = self.new_object(&name.name, ObjKind::Const(value), ty, name.span);
                self.declare(id);
            }
            self.iota = None;
        }
    }

    fn local_type(&mut self, spec: &ast::TypeSpec) {
        if !spec.type_params.is_empty() {
            self.error(
                "generics_unsupported",
                spec.name.span,
                "generic types are not supported yet",
            );
            return;
        }
        if spec.alias {
            let ty = self.resolve_type(&spec.ty);
            let id = self.new_object(&spec.name.name, ObjKind::TypeName, ty, spec.name.span);
            self.declare(id);
            return;
        }
        let pkg = self.packages[self.pkg].path.clone();
        let named = self.types.new_named(&spec.name.name, &pkg);
        let id = self.new_object(&spec.name.name, ObjKind::TypeName, named, spec.name.span);
        self.declare(id);
        let underlying = self.resolve_type_in_decl(&spec.ty, id);
        self.types.set_underlying(named, underlying);
    }

    /// A constant declaration's value, converted to the declared type if any.
    pub(crate) fn const_decl_value(
        &mut self,
        e: &ast::Expr,
        ty: Option<TypeId>,
    ) -> Option<(Value, TypeId)> {
        let op = self.value(e);
        if op.is_invalid() {
            return None;
        }
        if op.constant().is_none() {
            let text = self.text(e.span);
            let desc = self.describe(&op, &text);
            self.error_labeled(
                "not_constant",
                e.span,
                format!("{desc} is not constant"),
                "not a constant",
            );
            return None;
        }
        let op = match ty {
            Some(t) if !self.types.is_invalid(t) => {
                if self.types.basic_kind(t).is_none() {
                    let name = self.type_name(t);
                    self.error(
                        "invalid_const_type",
                        e.span,
                        format!("invalid constant type {name}"),
                    );
                    return None;
                }
                let expr = self.assign_to(op, t, "constant declaration");
                match expr.kind {
                    T::Const(v) => return Some((v, t)),
                    _ => return None,
                }
            }
            _ => op,
        };
        let value = op.constant().cloned()?;
        Some((value, op.ty))
    }

    /// `names [T] = values` in a var declaration (`decl`) or a `:=` definition: the variables'
    /// types and the typed values.
    pub(crate) fn check_var_spec(
        &mut self,
        names: &[ast::Ident],
        declared: Option<TypeId>,
        values: &[ast::Expr],
        span: Span,
        decl: bool,
    ) -> (Vec<TypeId>, Vec<tast::Expr>) {
        if values.is_empty() {
            let ty = declared.unwrap_or(TypeId::INVALID);
            return (vec![ty; names.len()], Vec::new());
        }
        if values.len() == 1 && (names.len() > 1 || is_call(&values[0])) {
            let op = self.check_expr(&values[0]);
            if names.len() > 1 || self.tuple_len(op.ty).is_some_and(|n| n > 1) {
                return self.unpack_into(
                    names.len(),
                    op,
                    declared.map(|t| vec![t; names.len()]),
                    &values[0],
                    span,
                );
            }
            let op = self.require_value(op);
            let expr = self.declare_value(op, declared, decl);
            return (vec![declared.unwrap_or(expr.ty)], vec![expr]);
        }
        if values.len() != names.len() {
            if decl {
                self.init_arity(names, values);
            } else {
                self.count_mismatch(names.len(), values, span);
            }
            for v in values {
                self.check_expr(v);
            }
            return (vec![TypeId::INVALID; names.len()], Vec::new());
        }
        let mut types = Vec::new();
        let mut exprs = Vec::new();
        for v in values {
            let op = self.value(v);
            let expr = self.declare_value(op, declared, decl);
            types.push(declared.unwrap_or(expr.ty));
            exprs.push(expr);
        }
        (types, exprs)
    }

    /// The initial value of a declared variable: converted to its declared type, or giving it
    /// its type.
    fn declare_value(&mut self, op: Operand, declared: Option<TypeId>, decl: bool) -> tast::Expr {
        match declared {
            Some(t) => self.assign_to(op, t, "variable declaration"),
            None if decl => self.infer_var(op, "variable declaration"),
            None => self.infer_var(op, "assignment"),
        }
    }

    /// How many values a call returns, if `ty` is a call's result tuple.
    fn tuple_len(&self, ty: TypeId) -> Option<usize> {
        match self.types.get(ty) {
            Type::Tuple(items) => Some(items.len()),
            _ => None,
        }
    }

    /// Go's count check for `var`/`const` specs (`types2` `arity`): `extra init expr X` or
    /// `missing init expr for NAME`, at the first unmatched expression or name.
    pub(crate) fn init_arity(&mut self, names: &[ast::Ident], values: &[ast::Expr]) {
        if let Some(extra) = values.get(names.len()) {
            let text = self.text(extra.span);
            self.error(
                "extra_init_expr",
                extra.span,
                format!("extra init expr {text}"),
            );
        } else if let Some(missing) = names.get(values.len()) {
            self.error(
                "missing_init_expr",
                missing.span,
                format!("missing init expr for {}", missing.name),
            );
        }
    }

    /// The type a variable gets from its initialiser (`x := 1` is an int).
    fn infer_var(&mut self, op: Operand, context: &str) -> tast::Expr {
        if self.is_basic(op.ty, BasicKind::UntypedNil) {
            self.error(
                "untyped_nil",
                op.span(),
                format!("use of untyped nil in {context}"),
            );
            return tast::Expr {
                kind: T::Zero,
                ty: TypeId::INVALID,
                span: op.span(),
            };
        }
        if matches!(op.mode, Mode::Invalid) {
            let span = op.span();
            return tast::Expr {
                kind: op.expr.kind,
                ty: TypeId::INVALID,
                span,
            };
        }
        // An untyped constant takes its default type as if assigned (`x := 1 << 100` is
        // `cannot use ... as int value in assignment (overflows)`).
        match self.types.basic_kind(op.ty).filter(|k| k.is_untyped()) {
            Some(kind) if op.constant().is_some() => {
                let target = self.default_type_of(kind);
                self.assign_to(op, target, context)
            }
            _ => self.default_value(op).expr,
        }
    }

    /// Go's `assignment mismatch: 2 variables but 3 values` for `values` on the right side.
    fn count_mismatch(&mut self, vars: usize, values: &[ast::Expr], span: Span) {
        let what = match values {
            [only] => self.mismatch_rhs(only, 1),
            _ => plural(values.len(), "value"),
        };
        self.report_mismatch(vars, what, span);
    }

    fn report_mismatch(&mut self, vars: usize, what: String, span: Span) {
        self.error_labeled(
            "assignment_mismatch",
            span,
            format!(
                "assignment mismatch: {} but {what}",
                plural(vars, "variable")
            ),
            "counts differ",
        );
    }

    /// The right side of a count mismatch with one expression giving `n` values:
    /// `f returns 2 values` for a call, else `1 value` (Go's `assignError`).
    fn mismatch_rhs(&self, rhs: &ast::Expr, n: usize) -> String {
        match &crate::syntax::build::unparen(rhs).kind {
            ExprKind::Call { func, .. } => {
                format!("{} returns {}", self.text(func.span), plural(n, "value"))
            }
            _ => plural(n, "value"),
        }
    }

    /// `a, b := f()` or `v, ok := m[k]`: spreads one expression over several variables.
    fn unpack_into(
        &mut self,
        n: usize,
        op: Operand,
        declared: Option<Vec<TypeId>>,
        rhs: &ast::Expr,
        span: Span,
    ) -> (Vec<TypeId>, Vec<tast::Expr>) {
        if op.is_invalid() {
            return (vec![TypeId::INVALID; n], Vec::new());
        }
        if op.comma_ok && n == 2 {
            let value_ty = op.ty;
            let ok_ty = self.common.bool_;
            let expr = self.comma_ok_form(op);
            let types = declared.unwrap_or_else(|| vec![value_ty, ok_ty]);
            let tuple = self.types.intern(Type::Tuple(vec![value_ty, ok_ty]));
            let expr = tast::Expr { ty: tuple, ..expr };
            return (types, vec![expr]);
        }
        let items = match self.types.get(op.ty) {
            Type::Tuple(items) => items.clone(),
            _ => vec![op.ty],
        };
        if items.len() != n {
            let what = self.mismatch_rhs(rhs, items.len());
            self.report_mismatch(n, what, span);
            return (vec![TypeId::INVALID; n], Vec::new());
        }
        let types = declared.unwrap_or(items);
        (types, vec![op.expr])
    }

    /// The comma-ok variant of a map index, type assertion or receive.
    fn comma_ok_form(&mut self, op: Operand) -> tast::Expr {
        let mut expr = op.expr;
        match &mut expr.kind {
            T::MapIndex { comma_ok, .. }
            | T::TypeAssert { comma_ok, .. }
            | T::Recv { comma_ok, .. } => *comma_ok = true,
            _ => {}
        }
        expr
    }

    fn assign_stmt(&mut self, lhs: &[ast::Expr], op: AssignOp, rhs: &[ast::Expr], span: Span) -> S {
        match op {
            AssignOp::Define => self.short_var_decl(lhs, rhs, span),
            AssignOp::Assign => self.assign(lhs, rhs, span),
            AssignOp::Op(bop) => {
                let (Some(l), Some(r)) = (lhs.first(), rhs.first()) else {
                    return S::Bad;
                };
                self.op_assign(l, bop, r, span)
            }
        }
    }

    fn short_var_decl(&mut self, lhs: &[ast::Expr], rhs: &[ast::Expr], span: Span) -> S {
        let mut idents = Vec::new();
        for l in lhs {
            match &l.kind {
                ExprKind::Name(id) => idents.push(id.clone()),
                _ => {
                    let text = self.text(l.span);
                    self.error(
                        "non_name_define",
                        l.span,
                        format!("non-name {text} on left side of :="),
                    );
                    for r in rhs {
                        self.check_expr(r);
                    }
                    return S::Bad;
                }
            }
        }
        // Values first: `x := x + 1` reads the outer x.
        let (types, values) = self.check_var_spec(&idents, None, rhs, span, false);
        let current = self.scope;
        let mut any_new = false;
        let mut places = Vec::new();
        let mut new_locals = Vec::new();
        let mut seen = Vec::new();
        for (i, id) in idents.iter().enumerate() {
            let ty = types.get(i).copied().unwrap_or(TypeId::INVALID);
            if seen.contains(&id.name) && id.name != "_" {
                self.error(
                    "repeated_define",
                    id.span,
                    format!("{} repeated on left side of :=", id.name),
                );
            }
            seen.push(id.name.clone());
            if id.name == "_" {
                places.push(Place::Blank);
                continue;
            }
            let existing = self.scopes[current.0 as usize].names.get(&id.name).copied();
            match existing {
                Some(obj) => {
                    let op = self.object_operand(obj, id.span, false);
                    let target = op.ty;
                    if !self.types.is_invalid(ty)
                        && !self.types.is_invalid(target)
                        && !self.assignable_type(ty, target)
                    {
                        let t = self.type_name(ty);
                        let tt = self.type_name(target);
                        self.error(
                            "cannot_assign",
                            id.span,
                            format!("cannot use {} value as {tt} value in assignment", t),
                        );
                    }
                    places.push(op.place.unwrap_or(Place::Blank));
                }
                None => {
                    any_new = true;
                    let ty = if self.types.is_untyped(ty) {
                        self.untyped_default(ty)
                    } else {
                        ty
                    };
                    let (_, local) = self.new_local(&id.name, ty, id.span, true);
                    new_locals.push(local);
                    places.push(Place::Var(VarRef::Local(local)));
                }
            }
        }
        if !any_new {
            self.error_labeled(
                "no_new_variables",
                span,
                "no new variables on left side of :=",
                "all already declared",
            );
        }
        if values.len() == 1 && idents.len() > 1 {
            let value = values
                .into_iter()
                .next()
                .unwrap_or_else(|| zero(TypeId::INVALID, span));
            return S::AssignTuple { places, value };
        }
        if new_locals.len() == idents.len() {
            return S::Define {
                locals: new_locals,
                values,
            };
        }
        S::Assign { places, values }
    }

    fn untyped_default(&mut self, ty: TypeId) -> TypeId {
        let kind = self.types.basic_kind(ty).unwrap_or(BasicKind::UntypedInt);
        self.default_type_of(kind)
    }

    fn assign(&mut self, lhs: &[ast::Expr], rhs: &[ast::Expr], span: Span) -> S {
        let targets: Vec<(Option<Place>, TypeId, Span)> =
            lhs.iter().map(|l| self.assignment_target(l)).collect();
        if rhs.len() == 1 && lhs.len() > 1 {
            let op = self.check_expr(&rhs[0]);
            let declared: Vec<TypeId> = targets.iter().map(|t| t.1).collect();
            let (types, values) = self.unpack_into(lhs.len(), op, None, &rhs[0], span);
            for ((_, target, tspan), ty) in targets.iter().zip(&types) {
                if !self.types.is_invalid(*target)
                    && !self.assignable_type(*ty, *target)
                    && !self.types.is_invalid(*ty)
                {
                    let message = format!(
                        "cannot use {} value as {} value in assignment",
                        self.type_name(*ty),
                        self.type_name(*target)
                    );
                    self.error("cannot_assign", *tspan, message);
                }
            }
            let _ = declared;
            let places = targets
                .into_iter()
                .map(|t| t.0.unwrap_or(Place::Blank))
                .collect();
            let Some(value) = values.into_iter().next() else {
                return S::Bad;
            };
            return S::AssignTuple { places, value };
        }
        if lhs.len() != rhs.len() {
            self.count_mismatch(lhs.len(), rhs, span);
            for r in rhs {
                self.check_expr(r);
            }
            return S::Bad;
        }
        let mut values = Vec::new();
        for (r, (place, target, _)) in rhs.iter().zip(&targets) {
            let op = self.value(r);
            let expr = match place {
                Some(Place::Blank) => self.infer_var(op, "assignment"),
                _ => self.assign_to(op, *target, "assignment"),
            };
            values.push(expr);
        }
        let places = targets
            .into_iter()
            .map(|t| t.0.unwrap_or(Place::Blank))
            .collect();
        S::Assign { places, values }
    }

    /// The place an assignment writes to, with its type; reports unassignable operands.
    fn assignment_target(&mut self, l: &ast::Expr) -> (Option<Place>, TypeId, Span) {
        if let ExprKind::Name(id) = &l.kind {
            if id.name == "_" {
                return (Some(Place::Blank), TypeId::INVALID, l.span);
            }
            if let Some(obj) = self.lookup(&id.name) {
                if matches!(self.obj(obj).kind, ObjKind::Var(_)) {
                    let op = self.object_operand(obj, l.span, false);
                    return (op.place, op.ty, l.span);
                }
            }
        }
        let op = self.value(l);
        if op.is_invalid() {
            return (None, TypeId::INVALID, l.span);
        }
        match (&op.mode, op.place) {
            (Mode::Var | Mode::MapIndex, Some(place)) => (Some(place), op.ty, l.span),
            _ => {
                let text = self.text(l.span);
                let why = if matches!(&op.expr.kind, T::Field { x, .. } if matches!(x.kind, T::MapIndex { .. }))
                {
                    format!("cannot assign to struct field {text} in map")
                } else {
                    format!(
                        "cannot assign to {text} (neither addressable nor a map index expression)"
                    )
                };
                self.error_labeled("unassignable", l.span, why, "not assignable");
                (None, TypeId::INVALID, l.span)
            }
        }
    }

    fn op_assign(&mut self, l: &ast::Expr, op: BinaryOp, r: &ast::Expr, span: Span) -> S {
        let (place, target, _) = self.assignment_target(l);
        // Type-check `l op r` as an expression for operator and operand rules.
        let fake = ast::Expr {
            kind: ExprKind::Binary {
                op,
                x: Box::new(l.clone()),
                y: Box::new(r.clone()),
            },
            span,
        };
        let result = self.value(&fake);
        let Some(place) = place else { return S::Bad };
        if result.is_invalid() {
            return S::Bad;
        }
        let value = match result.expr.kind {
            T::Binary { y, .. } => *y,
            other => tast::Expr {
                kind: other,
                ty: target,
                span,
            },
        };
        S::OpAssign { place, op, value }
    }

    fn inc_dec(&mut self, x: &ast::Expr, inc: bool, span: Span) -> S {
        let (place, ty, _) = self.assignment_target(x);
        let Some(place) = place else { return S::Bad };
        // `x++` reads x, as `x += 1` does: Go counts it as a use of the variable.
        if let ExprKind::Name(id) = &x.kind {
            if let Some(obj) = self.lookup(&id.name) {
                self.obj_mut(obj).used = true;
            }
        }
        if !self.types.basic_kind(ty).is_some_and(BasicKind::is_numeric)
            && !self.types.is_invalid(ty)
        {
            let text = self.text(x.span);
            let op = if inc { "++" } else { "--" };
            self.error(
                "invalid_operator",
                span,
                format!(
                    "invalid operation: {text}{op} (non-numeric type {})",
                    self.type_name(ty)
                ),
            );
            return S::Bad;
        }
        let one = Value::int(1);
        let kind = self.types.basic_kind(ty).unwrap_or(BasicKind::Int);
        let value = super::constant::representable(&one, kind).unwrap_or(one);
        let op = if inc { BinaryOp::Add } else { BinaryOp::Sub };
        S::OpAssign {
            place,
            op,
            value: tast::Expr {
                kind: T::Const(value),
                ty,
                span,
            },
        }
    }

    // ---- Simple statements -------------------------------------------------------------------------

    fn expr_stmt(&mut self, e: &ast::Expr) -> S {
        let op = self.check_expr(e);
        if op.is_invalid() {
            return S::Bad;
        }
        let is_call = matches!(crate::syntax::build::unparen(e).kind, ExprKind::Call { .. });
        let is_recv = matches!(
            crate::syntax::build::unparen(e).kind,
            ExprKind::Unary {
                op: ast::UnaryOp::Recv,
                ..
            }
        );
        let discards_builtin = matches!(op.expr.kind, T::CallBuiltin { builtin, .. } if !matches!(builtin, Builtin::Copy | Builtin::Recover | Builtin::Panic | Builtin::Print | Builtin::Println | Builtin::Delete | Builtin::Close | Builtin::Clear));
        let conversion = is_call
            && matches!(
                op.expr.kind,
                T::Convert(_) | T::Const(_) | T::ToInterface(_) | T::Zero
            );
        if !(is_call || is_recv) || discards_builtin || conversion {
            let text = self.text(e.span);
            let desc = match op.mode {
                Mode::Type => format!("{text} (type)"),
                _ => self.describe(&op, &text),
            };
            self.error_labeled(
                "unused_value",
                e.span,
                format!("{desc} is not used"),
                "value computed and dropped",
            );
            return S::Bad;
        }
        S::Expr(op.expr)
    }

    fn send(&mut self, chan: &ast::Expr, value: &ast::Expr, span: Span) -> S {
        let ch = self.value(chan);
        let v = self.value(value);
        if ch.is_invalid() {
            return S::Bad;
        }
        match self.types.under(ch.ty).clone() {
            Type::Chan(ast::ChanDir::Recv, _) => {
                let text = self.text(chan.span);
                let desc = self.describe(&ch, &text);
                self.error_labeled(
                    "send_to_receive_only",
                    span,
                    format!("invalid operation: cannot send to receive-only channel {desc}"),
                    "receive-only",
                );
                S::Bad
            }
            Type::Chan(_, elem) => {
                let value = self.assign_to(v, elem, "send");
                S::Send {
                    chan: ch.expr,
                    value,
                }
            }
            _ => {
                let text = self.text(chan.span);
                let desc = self.describe(&ch, &text);
                self.error_labeled(
                    "send_non_chan",
                    span,
                    format!("invalid operation: cannot send to non-channel {desc}"),
                    "not a channel",
                );
                S::Bad
            }
        }
    }

    fn go_defer(&mut self, e: &ast::Expr, keyword: &str) -> Option<tast::Expr> {
        let mut e = e;
        if let ExprKind::Paren(inner) = &e.kind {
            self.error(
                "parenthesized_call",
                e.span,
                format!("expression in {keyword} must not be parenthesized"),
            );
            e = crate::syntax::build::unparen(inner);
        }
        if !matches!(e.kind, ExprKind::Call { .. } | ExprKind::Bad) {
            self.error_labeled(
                "not_a_call",
                e.span,
                format!("expression in {keyword} must be function call"),
                "not a function call",
            );
            self.check_expr(e);
            return None;
        }
        let op = self.check_expr(e);
        if op.is_invalid() {
            return None;
        }
        let discards = matches!(op.expr.kind, T::CallBuiltin { builtin, .. } if !matches!(builtin, Builtin::Copy | Builtin::Recover | Builtin::Panic | Builtin::Print | Builtin::Println | Builtin::Delete | Builtin::Close | Builtin::Clear));
        if discards {
            let text = self.text(e.span);
            let what = self.describe(&op, &text);
            self.error(
                "discarded_result",
                e.span,
                format!("{keyword} discards result of {what}"),
            );
            return None;
        }
        if matches!(
            op.expr.kind,
            T::Convert(_) | T::Const(_) | T::ToInterface(_) | T::Zero
        ) {
            let text = self.text(e.span);
            let what = self.describe(&op, &text);
            self.error(
                "defer_conversion",
                e.span,
                format!("{keyword} requires function call, not conversion {what}"),
            );
            return None;
        }
        if Self::needs_wrapper(&op.expr, self.common.no_value) {
            if let Some(ctx) = self.fctx.last_mut() {
                ctx.wrapped_calls += 1;
            }
        }
        Some(self.wrap_call(op.expr, keyword))
    }

    /// A go/defer call that Go compiles through a wrapper becomes a call of its wrapper (see
    /// [`Checker::wrapper_call`]), also behind the `Let` of `println(f())`.
    fn wrap_call(&mut self, call: tast::Expr, keyword: &str) -> tast::Expr {
        let tast::Expr { kind, ty, span } = call;
        match kind {
            T::CallBuiltin { builtin, .. }
                if !(keyword == "defer" && builtin == Builtin::Close) =>
            {
                self.wrapper_call(tast::Expr { kind, ty, span }, keyword)
            }
            T::CallStatic { func, .. } if self.is_fmt_native(func) => {
                self.wrapper_call(tast::Expr { kind, ty, span }, keyword)
            }
            T::Let { temps, value, body } => {
                let body = Box::new(self.wrap_call(*body, keyword));
                tast::Expr {
                    kind: T::Let { temps, value, body },
                    ty,
                    span,
                }
            }
            kind => tast::Expr { kind, ty, span },
        }
    }

    /// Whether Go compiles this go/defer call through a wrapper: every call except that of a
    /// function value or function taking no arguments (no receiver) and returning nothing.
    fn needs_wrapper(call: &tast::Expr, no_value: TypeId) -> bool {
        match &call.kind {
            T::CallStatic { args, .. } | T::CallDynamic { args, .. } => {
                !args.is_empty() || call.ty != no_value
            }
            _ => true,
        }
    }

    /// Whether `func` is one of fmt's natives (body-less), which call user methods.
    fn is_fmt_native(&self, func: tast::FuncId) -> bool {
        self.funcs
            .get(func.0 as usize)
            .is_some_and(|f| f.body.is_none() && f.name.starts_with("fmt."))
    }

    /// `go`/`defer` of a built-in (`defer println(x)`, `go panic(v)`, `defer delete(m, k)`)
    /// or of one of fmt's natives (`defer fmt.Println(v)`, `go fmt.Printf(...)`) becomes a
    /// call of a wrapper function taking the evaluated arguments, as Go compiles it (and
    /// names it: `main.main.deferwrap1`, `main.f.gowrap2`, numbered per function). The
    /// compiler then only defers or starts ordinary calls, and fmt runs `String`/`Error`
    /// methods from an ordinary frame, where they may block like any code (a native run
    /// directly by the defer or go machinery can only run them nested, unable to wait).
    /// `defer recover()` and `go recover()` get an empty wrapper: recover called by the
    /// runtime rather than by a deferred function returns nil and stops no panic. (`defer
    /// close(c)` keeps the compiler's dedicated op.)
    fn wrapper_call(&mut self, call: tast::Expr, keyword: &str) -> tast::Expr {
        let tast::Expr { kind, ty, span } = call;
        let (args, body): (Vec<tast::Expr>, WrappedBody) = match kind {
            T::CallBuiltin {
                builtin,
                args,
                spread,
            } => (
                args,
                Box::new(move |forwarded| {
                    (builtin != Builtin::Recover).then_some(T::CallBuiltin {
                        builtin,
                        args: forwarded,
                        spread,
                    })
                }),
            ),
            T::CallStatic { func, args } => (
                args,
                Box::new(move |forwarded| {
                    Some(T::CallStatic {
                        func,
                        args: forwarded,
                    })
                }),
            ),
            kind => return tast::Expr { kind, ty, span },
        };
        let params: Vec<TypeId> = args.iter().map(|a| a.ty).collect();
        let func_ty = self.types.intern(Type::Func(super::types::Signature {
            params: params.clone(),
            results: Vec::new(),
            variadic: false,
        }));
        let name = self.wrapper_name(keyword);
        let func = self.new_func(name, func_ty, span);
        let locals = params
            .iter()
            .enumerate()
            .map(|(i, &ty)| tast::Local {
                name: format!("p{i}"),
                ty,
                boxed: false,
                span,
            })
            .collect();
        let forwarded = params
            .iter()
            .enumerate()
            .map(|(i, &ty)| tast::Expr {
                kind: T::Var(VarRef::Local(LocalId(i as u32))),
                ty,
                span,
            })
            .collect();
        let stmts = body(forwarded)
            .map(|kind| tast::Stmt {
                kind: S::Expr(tast::Expr { kind, ty, span }),
                span,
            })
            .into_iter()
            .collect();
        let f = &mut self.funcs[func.0 as usize];
        f.params = (0..params.len()).map(|i| LocalId(i as u32)).collect();
        f.locals = locals;
        f.body = Some(tast::Block { stmts, span });
        tast::Expr {
            kind: T::CallStatic { func, args },
            ty: self.common.no_value,
            span,
        }
    }

    /// Go's name for the wrapper of the go/defer statement just counted: `gowrapN` or
    /// `deferwrapN`, numbered over both kinds within the enclosing function.
    fn wrapper_name(&self, keyword: &str) -> String {
        let ctx = self.fctx.last();
        let parent = ctx
            .and_then(|ctx| self.funcs.get(ctx.func.0 as usize))
            .map(|f| f.name.clone())
            .unwrap_or_else(|| format!("{}.init", self.packages[self.pkg].path));
        let n = ctx.map_or(1, |ctx| ctx.wrapped_calls);
        format!("{parent}.{keyword}wrap{n}")
    }

    fn return_stmt(&mut self, values: &[ast::Expr], span: Span) -> S {
        let Some(ctx) = self.fctx.last() else {
            return S::Bad;
        };
        let results = ctx.results.clone();
        let named = ctx.named_results;
        if values.is_empty() {
            if !results.is_empty() && !named {
                let want = self.type_list(&results);
                self.error(
                    "missing_return_values",
                    span,
                    format!("not enough return values\n\thave ()\n\twant ({want})"),
                );
            }
            return S::Return(Vec::new());
        }
        if values.len() == 1 && results.len() > 1 {
            let op = self.check_expr(&values[0]);
            let (types, exprs) = self.unpack_into(results.len(), op, None, &values[0], span);
            for (t, want) in types.iter().zip(&results) {
                if !self.types.is_invalid(*t) && !self.assignable_type(*t, *want) {
                    let message = format!(
                        "cannot use {} value as {} value in return statement",
                        self.type_name(*t),
                        self.type_name(*want)
                    );
                    self.error("cannot_assign", values[0].span, message);
                }
            }
            return S::Return(exprs);
        }
        if values.len() != results.len() {
            let ops: Vec<Operand> = values.iter().map(|v| self.value(v)).collect();
            let have: Vec<String> = ops
                .iter()
                .map(|o| {
                    if self.types.is_untyped(o.ty) && o.constant().is_some() {
                        "number".to_string()
                    } else {
                        self.type_name(o.ty)
                    }
                })
                .collect();
            let want = self.type_list(&results);
            let (what, at) = if values.len() > results.len() {
                ("too many", values[results.len()].span)
            } else {
                ("not enough", span)
            };
            self.error(
                "return_count",
                at,
                format!(
                    "{what} return values\n\thave ({})\n\twant ({want})",
                    have.join(", ")
                ),
            );
            return S::Bad;
        }
        let exprs = values
            .iter()
            .zip(&results)
            .map(|(v, t)| {
                let op = self.value(v);
                self.assign_to(op, *t, "return statement")
            })
            .collect();
        S::Return(exprs)
    }

    fn type_list(&self, types: &[TypeId]) -> String {
        types
            .iter()
            .map(|t| self.type_name(*t))
            .collect::<Vec<_>>()
            .join(", ")
    }

    // ---- Labels and jumps -----------------------------------------------------------------------------

    fn labeled(&mut self, label: &ast::Ident, stmt: &ast::Stmt) -> S {
        // A duplicate label (reported already) names nothing: its span is not the recorded one.
        let id = self
            .labels()
            .named
            .get(&label.name)
            .filter(|(_, _, at)| *at == label.span)
            .map(|(id, _, _)| *id);
        let Some(id) = id else {
            return self.stmt(stmt).kind;
        };
        // Only a loop, switch or select can be the target of `break L`/`continue L`; the label
        // of any other statement must not pass to a statement nested in it.
        let breakable = matches!(
            stmt.kind,
            StmtKind::For { .. }
                | StmtKind::Range { .. }
                | StmtKind::Switch { .. }
                | StmtKind::TypeSwitch { .. }
                | StmtKind::Select { .. }
        );
        if breakable {
            self.labels().pending = Some((label.name.clone(), id));
        }
        let inner = self.stmt(stmt);
        self.labels().pending = None;
        S::Labeled {
            label: id,
            stmt: Box::new(inner),
        }
    }

    /// Opens a breakable statement; takes the label written before it, if any.
    fn enter_target(&mut self, is_loop: bool) -> LabelId {
        let pending = self.labels().pending.take();
        let (name, id) = match pending {
            Some((name, id)) => (Some(name), id),
            None => (None, self.labels().fresh()),
        };
        self.labels().targets.push(Target { id, name, is_loop });
        id
    }

    fn leave_target(&mut self) {
        self.labels().targets.pop();
    }

    fn branch(&mut self, label: Option<&ast::Ident>, span: Span, is_continue: bool) -> S {
        let word = if is_continue { "continue" } else { "break" };
        let found = match label {
            Some(l) => {
                let Some(entry) = self.labels().named.get_mut(&l.name) else {
                    let message = format!("{word} label not defined: {}", l.name);
                    self.error("undefined_label", l.span, message);
                    return S::Bad;
                };
                entry.1 = true;
                let hit = self
                    .labels()
                    .targets
                    .iter()
                    .rev()
                    .find(|t| t.name.as_deref() == Some(l.name.as_str()))
                    .map(|t| (t.id, t.is_loop));
                match hit {
                    Some((id, is_loop)) if !is_continue || is_loop => Some(id),
                    _ => {
                        let message = format!("invalid {word} label {}", l.name);
                        self.error_labeled(
                            "invalid_label",
                            l.span,
                            message,
                            "not an enclosing statement of this kind",
                        );
                        return S::Bad;
                    }
                }
            }
            None => self
                .labels()
                .targets
                .iter()
                .rev()
                .find(|t| !is_continue || t.is_loop)
                .map(|t| t.id),
        };
        match found {
            Some(id) if is_continue => S::Continue(id),
            Some(id) => S::Break(id),
            None => {
                let message = if is_continue {
                    "continue is not in a loop"
                } else {
                    "break is not in a loop, switch, or select"
                };
                self.error("misplaced_branch", span, message);
                S::Bad
            }
        }
    }

    fn goto(&mut self, label: &ast::Ident) -> S {
        match self.labels().named.get_mut(&label.name) {
            Some(entry) => {
                entry.1 = true;
                S::Goto(entry.0)
            }
            None => {
                self.error(
                    "undefined_label",
                    label.span,
                    format!("label {} not defined", label.name),
                );
                S::Bad
            }
        }
    }

    // ---- Control flow ---------------------------------------------------------------------------------

    fn condition(&mut self, e: &ast::Expr, what: &str) -> tast::Expr {
        let op = self.value(e);
        if op.is_invalid() {
            return op.expr;
        }
        if !self
            .types
            .basic_kind(op.ty)
            .is_some_and(BasicKind::is_boolean)
        {
            let text = self.text(e.span);
            let desc = self.describe(&op, &text);
            self.error_labeled(
                "non_boolean_condition",
                e.span,
                format!("non-boolean condition in {what} statement"),
                desc,
            );
            return op.expr;
        }
        let bool_ty = self.common.bool_;
        if self.types.is_untyped(op.ty) {
            return self.assign_to(op, bool_ty, "condition");
        }
        op.expr
    }

    fn if_stmt(
        &mut self,
        init: Option<&ast::Stmt>,
        cond: &ast::Expr,
        then: &ast::Block,
        els: Option<&ast::Stmt>,
    ) -> S {
        self.open_scope();
        let init = self.stmt_opt(init);
        let cond = self.condition(cond, "if");
        let then = self.block(then);
        let els = self.stmt_opt(els);
        self.close_scope();
        wrap_init(init, S::If { cond, then, els })
    }

    fn switch(
        &mut self,
        init: Option<&ast::Stmt>,
        tag: Option<&ast::Expr>,
        clauses: &[ast::CaseClause],
        span: Span,
    ) -> S {
        self.open_scope();
        let init = self.stmt_opt(init);
        let tag = tag.map(|t| {
            let op = self.value(t);
            self.default_value(op)
        });
        let label = self.enter_target(false);
        let mut out = Vec::new();
        let mut seen: Vec<(String, Span)> = Vec::new();
        let mut default_seen: Option<Span> = None;
        for (i, c) in clauses.iter().enumerate() {
            if c.exprs.is_none() {
                if let Some(prev) = default_seen {
                    let at = self.position(self.file, prev);
                    self.error(
                        "multiple_defaults",
                        c.span,
                        format!("multiple defaults (first at {at})"),
                    );
                }
                default_seen = Some(c.span);
            }
            let values = c
                .exprs
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .map(|e| self.case_value(e, tag.as_ref(), &mut seen))
                .collect();
            let (body, fallthrough) = self.clause_body(&c.body, i + 1 == clauses.len());
            out.push(tast::CaseClause {
                values,
                is_default: c.exprs.is_none(),
                body,
                fallthrough,
            });
        }
        self.leave_target();
        self.close_scope();
        let _ = span;
        wrap_init(
            init,
            S::Switch {
                label: Some(label),
                tag: tag.map(|t| t.expr),
                clauses: out,
            },
        )
    }

    fn case_value(
        &mut self,
        e: &ast::Expr,
        tag: Option<&Operand>,
        seen: &mut Vec<(String, Span)>,
    ) -> tast::Expr {
        let op = self.value(e);
        let Some(tag) = tag else {
            return self.condition_from(op, e);
        };
        if op.is_invalid() || tag.is_invalid() {
            return op.expr;
        }
        if let Some(v) = op.constant() {
            let key = v.to_string();
            if let Some((_, prev)) = seen.iter().find(|(k, _)| *k == key) {
                let at = self.position(self.file, *prev);
                let text = self.text(e.span);
                let desc = if self.types.is_untyped(op.ty) {
                    let t = self.type_name(tag.ty);
                    format!("{text} (constant of type {t})")
                } else {
                    self.describe(&op, &text)
                };
                self.error(
                    "duplicate_case",
                    e.span,
                    format!("duplicate case {desc} in expression switch\n\t{at}: previous case"),
                );
            } else {
                seen.push((key, e.span));
            }
        }
        // Compare as `tag == value` for the operand rules.
        let tag_copy = Operand {
            mode: tag.mode.clone(),
            ty: tag.ty,
            expr: tag.expr.clone(),
            place: None,
            comma_ok: false,
        };
        let span = e.span;
        let pair = self.match_for_case(tag_copy, op, span);
        pair.unwrap_or_else(|| zero(TypeId::INVALID, span))
    }

    fn match_for_case(&mut self, tag: Operand, value: Operand, span: Span) -> Option<tast::Expr> {
        if self.types.is_untyped(value.ty) {
            let target = tag.ty;
            return Some(self.assign_to(value, target, "switch case"));
        }
        if self.types.identical(value.ty, tag.ty)
            || self.types.is_interface(tag.ty) && self.implements(value.ty, tag.ty)
            || self.types.is_interface(value.ty)
        {
            if self.types.is_interface(tag.ty) && !self.types.is_interface(value.ty) {
                let ty = tag.ty;
                return Some(self.convert_to_interface(value, ty).expr);
            }
            return Some(value.expr);
        }
        let text = self.text(span);
        let message = format!(
            "invalid case {text} in switch on {} (mismatched types {} and {})",
            self.text(tag.span()),
            self.type_name(value.ty),
            self.type_name(tag.ty)
        );
        self.error("mismatched_types", span, message);
        None
    }

    fn condition_from(&mut self, op: Operand, e: &ast::Expr) -> tast::Expr {
        if op.is_invalid() {
            return op.expr;
        }
        if !self
            .types
            .basic_kind(op.ty)
            .is_some_and(BasicKind::is_boolean)
        {
            let text = self.text(e.span);
            let desc = self.describe(&op, &text);
            self.error(
                "mismatched_types",
                e.span,
                format!(
                    "invalid case {text} in switch (mismatched types {} and bool)",
                    desc.split(" of type ")
                        .nth(1)
                        .map_or(self.type_name(op.ty), |t| t
                            .trim_end_matches(')')
                            .to_string())
                ),
            );
            return op.expr;
        }
        let b = self.common.bool_;
        self.assign_to(op, b, "switch case")
    }

    /// A case body; a final `fallthrough` is allowed except in the last clause.
    fn clause_body(&mut self, stmts: &[ast::Stmt], last_clause: bool) -> (tast::Block, bool) {
        let (body, fall) = match stmts.split_last() {
            Some((
                ast::Stmt {
                    kind: StmtKind::Fallthrough,
                    span,
                },
                rest,
            )) => {
                if last_clause {
                    self.error(
                        "final_fallthrough",
                        *span,
                        "cannot fallthrough final case in switch",
                    );
                }
                (rest, true)
            }
            _ => (stmts, false),
        };
        self.open_scope();
        let out = self.stmt_list(body);
        self.close_scope();
        let span = stmts
            .first()
            .map_or(Span::default(), |s| s.span)
            .to(stmts.last().map_or(Span::default(), |s| s.span));
        (tast::Block { stmts: out, span }, fall)
    }

    fn type_switch(
        &mut self,
        init: Option<&ast::Stmt>,
        bind: Option<&ast::Ident>,
        x: &ast::Expr,
        clauses: &[ast::CaseClause],
    ) -> S {
        self.open_scope();
        let init = self.stmt_opt(init);
        let op = self.value(x);
        if !op.is_invalid() && !self.types.is_interface(op.ty) {
            let text = self.text(x.span);
            let desc = self.describe(&op, &text);
            self.error_labeled(
                "not_interface",
                x.span,
                format!("{desc} is not an interface"),
                "not an interface",
            );
        }
        let label = self.enter_target(false);
        let mut out = Vec::new();
        let mut bind_used = false;
        let mut binds = Vec::new();
        let mut seen: Vec<Option<TypeId>> = Vec::new();
        for c in clauses {
            let mut types = Vec::new();
            for e in c.exprs.as_deref().unwrap_or(&[]) {
                let t = self.case_type(e, op.ty);
                if let Some(t) = &t {
                    let canonical = t.map(|t| self.types.canonical(t));
                    if seen.contains(&canonical) {
                        let text = self.text(e.span);
                        let what = if t.is_none() {
                            "duplicate case nil in type switch".to_string()
                        } else {
                            format!("duplicate case {text} in type switch")
                        };
                        self.error("duplicate_case", e.span, what);
                    }
                    seen.push(canonical);
                }
                types.push(t.unwrap_or(Some(TypeId::INVALID)));
            }
            self.open_scope();
            let bound = bind.map(|b| {
                let ty = match types.as_slice() {
                    [Some(t)] => *t,
                    _ => op.ty,
                };
                let (obj, local) = self.new_local(&b.name, ty, b.span, true);
                binds.push(obj);
                local
            });
            let stmts = match c.body.split_last() {
                Some((last, rest)) if matches!(last.kind, StmtKind::Fallthrough) => {
                    self.error(
                        "type_switch_fallthrough",
                        last.span,
                        "cannot fallthrough in type switch",
                    );
                    rest
                }
                _ => &c.body[..],
            };
            let body = tast::Block {
                stmts: self.stmt_list(stmts),
                span: c.span,
            };
            if let Some(&obj) = binds.last() {
                if bind.is_some() {
                    bind_used |= self.obj(obj).used;
                    self.obj_mut(obj).used = true;
                }
            }
            self.close_scope();
            out.push(tast::TypeClause {
                types,
                is_default: c.exprs.is_none(),
                bind: bound,
                body,
            });
        }
        if let Some(b) = bind {
            if !bind_used {
                self.error(
                    "unused_variable",
                    b.span,
                    format!("{} declared and not used", b.name),
                );
            }
        }
        self.leave_target();
        self.close_scope();
        wrap_init(
            init,
            S::TypeSwitch {
                label: Some(label),
                x: op.expr,
                clauses: out,
            },
        )
    }

    /// A type in a type switch case: `Some(None)` for nil, `None` if invalid.
    fn case_type(&mut self, e: &ast::Expr, iface: TypeId) -> Option<Option<TypeId>> {
        if let ExprKind::Name(id) = &e.kind {
            if id.name == "nil"
                && self
                    .lookup("nil")
                    .is_some_and(|o| matches!(self.obj(o).kind, ObjKind::Nil))
            {
                return Some(None);
            }
        }
        let t = self.resolve_type(e);
        if self.types.is_invalid(t) {
            return None;
        }
        if !self.types.is_interface(t)
            && self.types.is_interface(iface)
            && !self.implements(t, iface)
        {
            let text = self.text(e.span);
            let why = self.missing_method_reason(t, iface);
            self.error(
                "impossible_case",
                e.span,
                format!(
                    "impossible type switch case: {text} cannot have dynamic type {}\n\t{why}",
                    self.type_name(t)
                ),
            );
        }
        Some(Some(t))
    }

    fn select(&mut self, clauses: &[ast::CommClause]) -> S {
        let label = self.enter_target(false);
        let mut cases = Vec::new();
        let mut default_seen: Option<Span> = None;
        for c in clauses {
            match c.comm.as_deref() {
                None => {
                    if let Some(prev) = default_seen {
                        let at = self.position(self.file, prev);
                        self.error(
                            "multiple_defaults",
                            c.span,
                            format!("multiple defaults (first at {at})"),
                        );
                    }
                    default_seen = Some(c.span);
                }
                Some(s) if !is_comm(s) => {
                    self.error(
                        "invalid_select_case",
                        s.span,
                        "select case must be send or receive (possibly with assignment)",
                    );
                    continue;
                }
                Some(_) => {}
            }
            self.open_scope();
            let kind = match c.comm.as_deref() {
                None => tast::SelectKind::Default,
                Some(s) => self.comm(s),
            };
            let stmts = self.stmt_list(&c.body);
            self.close_scope();
            cases.push(tast::SelectCase {
                kind,
                body: tast::Block {
                    stmts,
                    span: c.span,
                },
            });
        }
        self.leave_target();
        S::Select {
            label: Some(label),
            cases,
        }
    }

    fn comm(&mut self, s: &ast::Stmt) -> tast::SelectKind {
        match &s.kind {
            StmtKind::Send { chan, value } => match self.send(chan, value, s.span) {
                S::Send { chan, value } => tast::SelectKind::Send { chan, value },
                _ => tast::SelectKind::Default,
            },
            StmtKind::Expr(e) => {
                let op = self.value(e);
                match op.expr.kind {
                    T::Recv { chan, .. } => tast::SelectKind::Recv {
                        chan: *chan,
                        value: None,
                        ok: None,
                    },
                    _ => tast::SelectKind::Default,
                }
            }
            StmtKind::Assign { lhs, op, rhs } => {
                let Some(r) = rhs.first() else {
                    return tast::SelectKind::Default;
                };
                let recv = self.value(r);
                let elem = recv.ty;
                let T::Recv { chan, .. } = recv.expr.kind else {
                    return tast::SelectKind::Default;
                };
                let places: Vec<Option<Place>> = if *op == AssignOp::Define {
                    lhs.iter()
                        .enumerate()
                        .map(|(i, l)| match &l.kind {
                            ExprKind::Name(id) if id.name == "_" => Some(Place::Blank),
                            ExprKind::Name(id) => {
                                let ty = if i == 0 { elem } else { self.common.bool_ };
                                let (_, local) = self.new_local(&id.name, ty, id.span, true);
                                Some(Place::Var(VarRef::Local(local)))
                            }
                            _ => None,
                        })
                        .collect()
                } else {
                    lhs.iter().map(|l| self.assignment_target(l).0).collect()
                };
                let mut it = places.into_iter();
                tast::SelectKind::Recv {
                    chan: *chan,
                    value: it.next().flatten(),
                    ok: it.next().flatten(),
                }
            }
            _ => {
                self.error(
                    "invalid_select_case",
                    s.span,
                    "select case must be send or receive (possibly with assignment)",
                );
                tast::SelectKind::Default
            }
        }
    }

    fn for_stmt(
        &mut self,
        init: Option<&ast::Stmt>,
        cond: Option<&ast::Expr>,
        post: Option<&ast::Stmt>,
        body: &ast::Block,
    ) -> S {
        self.open_scope();
        let locals_before = self.funcs[self.current_func().0 as usize].locals.len();
        let init = self.stmt_opt(init);
        let loop_vars: Vec<LocalId> = (locals_before
            ..self.funcs[self.current_func().0 as usize].locals.len())
            .map(|i| LocalId(i as u32))
            .collect();
        let cond = cond.map(|c| self.condition(c, "for"));
        let label = self.enter_target(true);
        let post = self.stmt_opt(post);
        if let Some(p) = &post {
            if matches!(p.kind, S::Define { .. }) {
                self.error(
                    "post_define",
                    p.span,
                    "cannot declare in post statement of for loop",
                );
            }
        }
        let body = self.block(body);
        self.leave_target();
        self.close_scope();
        wrap_init(
            init,
            S::For {
                label: Some(label),
                cond,
                post,
                body,
                per_iteration: loop_vars,
            },
        )
    }

    fn range(
        &mut self,
        key: Option<&ast::Expr>,
        value: Option<&ast::Expr>,
        define: bool,
        x: &ast::Expr,
        body: &ast::Block,
        span: Span,
    ) -> S {
        self.open_scope();
        let op = self.value(x);
        let int = self.common.int;
        let (kind, key_ty, value_ty) = match self.types.under(op.ty).clone() {
            Type::Basic(k) if k.is_integer() => (
                RangeKind::Int,
                if self.types.is_untyped(op.ty) {
                    int
                } else {
                    op.ty
                },
                None,
            ),
            Type::Basic(k) if k.is_string() => (RangeKind::String, int, Some(self.common.rune)),
            Type::Slice(e) => (RangeKind::Slice, int, Some(e)),
            Type::Array(_, e) => (RangeKind::Array, int, Some(e)),
            Type::Pointer(p) => match self.types.under(p).clone() {
                Type::Array(_, e) => (RangeKind::ArrayPointer, int, Some(e)),
                _ => return self.cannot_range(&op, x),
            },
            Type::Map(k, v) => (RangeKind::Map, k, Some(v)),
            Type::Chan(dir, e) => {
                if dir == ast::ChanDir::Send {
                    let text = self.text(x.span);
                    let desc = self.describe(&op, &text);
                    self.error(
                        "range_send_only",
                        x.span,
                        format!("range over {desc}: receive from send-only channel"),
                    );
                }
                if value.is_some() {
                    let text = self.text(value.map_or(x.span, |v| v.span));
                    let _ = text;
                    self.error(
                        "range_too_many",
                        value.map_or(x.span, |v| v.span),
                        format!(
                            "range over {} permits only one iteration variable",
                            self.describe(&op, &self.text(x.span))
                        ),
                    );
                }
                (RangeKind::Chan, e, None)
            }
            Type::Func(_) => {
                self.error(
                    "unsupported",
                    x.span,
                    "gom: range over functions is not supported yet",
                );
                return S::Bad;
            }
            Type::Invalid => (RangeKind::Slice, TypeId::INVALID, Some(TypeId::INVALID)),
            _ => return self.cannot_range(&op, x),
        };
        if kind == RangeKind::Int && value.is_some() {
            let desc = self.describe(&op, &self.text(x.span));
            self.error(
                "range_too_many",
                value.map_or(x.span, |v| v.span),
                format!("range over {desc} permits only one iteration variable"),
            );
        }
        let x_expr = if kind == RangeKind::Int && self.types.is_untyped(op.ty) {
            self.convert_or_report(op, key_ty).expr
        } else {
            self.default_value(op).expr
        };
        let label = self.enter_target(true);
        let (key_place, value_place) = if define {
            let k = key.map(|k| self.range_var(k, key_ty));
            let v = value.map(|v| self.range_var(v, value_ty.unwrap_or(TypeId::INVALID)));
            (k.flatten(), v.flatten())
        } else {
            let k = key.and_then(|k| self.range_target(k, key_ty));
            let v = value.and_then(|v| self.range_target(v, value_ty.unwrap_or(TypeId::INVALID)));
            (k, v)
        };
        let body = self.block(body);
        self.leave_target();
        self.close_scope();
        let _ = span;
        S::Range {
            label: Some(label),
            kind,
            x: x_expr,
            key: key_place,
            value: value_place,
            body,
        }
    }

    fn cannot_range(&mut self, op: &Operand, x: &ast::Expr) -> S {
        let text = self.text(x.span);
        let desc = self.describe(op, &text);
        self.error_labeled(
            "cannot_range",
            x.span,
            format!("cannot range over {desc}"),
            "not rangeable",
        );
        self.close_scope();
        S::Bad
    }

    fn range_var(&mut self, e: &ast::Expr, ty: TypeId) -> Option<Place> {
        match &e.kind {
            ExprKind::Name(id) if id.name == "_" => Some(Place::Blank),
            ExprKind::Name(id) => {
                let (_, local) = self.new_local(&id.name, ty, id.span, true);
                Some(Place::Var(VarRef::Local(local)))
            }
            _ => {
                let text = self.text(e.span);
                self.error(
                    "non_name_define",
                    e.span,
                    format!("non-name {text} on left side of :="),
                );
                None
            }
        }
    }

    fn range_target(&mut self, e: &ast::Expr, ty: TypeId) -> Option<Place> {
        let (place, target, span) = self.assignment_target(e);
        if !self.types.is_invalid(target) && !self.assignable_type(ty, target) {
            let message = format!(
                "cannot use {} value as {} value in range",
                self.type_name(ty),
                self.type_name(target)
            );
            self.error("cannot_assign", span, message);
        }
        place
    }
}

/// `init; stmt` as one statement: a block holding both (the init's scope already closed).
fn wrap_init(init: Option<Box<tast::Stmt>>, kind: S) -> S {
    match init {
        None => kind,
        Some(init) => {
            let span = init.span;
            S::Block(tast::Block {
                stmts: vec![*init, tast::Stmt { kind, span }],
                span,
            })
        }
    }
}

fn block_of(stmts: Vec<tast::Stmt>) -> S {
    let span = stmts.first().map_or(Span::default(), |s| s.span);
    S::Block(tast::Block { stmts, span })
}

fn zero(ty: TypeId, span: Span) -> tast::Expr {
    tast::Expr {
        kind: T::Zero,
        ty,
        span,
    }
}

/// Go's terminating statements (spec "Terminating statements").
fn is_terminating_list(stmts: &[ast::Stmt]) -> bool {
    stmts.last().is_some_and(is_terminating)
}

fn is_terminating(s: &ast::Stmt) -> bool {
    match &s.kind {
        StmtKind::Return(_) | StmtKind::Goto(_) => true,
        StmtKind::Expr(e) => {
            matches!(&crate::syntax::build::unparen(e).kind, ExprKind::Call { func, .. } if matches!(&func.kind, ExprKind::Name(n) if n.name == "panic"))
        }
        StmtKind::Block(b) => is_terminating_list(&b.stmts),
        StmtKind::If { els, then, .. } => {
            els.as_ref().is_some_and(|e| is_terminating(e)) && is_terminating_list(&then.stmts)
        }
        StmtKind::For { cond, body, .. } => cond.is_none() && !has_break(&body.stmts, None, true),
        StmtKind::Labeled { stmt, label } => match &stmt.kind {
            StmtKind::For { cond, body, .. } => {
                cond.is_none() && !has_break(&body.stmts, Some(&label.name), true)
            }
            _ => is_terminating(stmt),
        },
        StmtKind::Switch { clauses, .. } | StmtKind::TypeSwitch { clauses, .. } => {
            clauses.iter().any(|c| c.exprs.is_none())
                && clauses.iter().all(|c| {
                    !has_break(&c.body, None, true)
                        && (is_terminating_list(&c.body)
                            || matches!(
                                c.body.last().map(|s| &s.kind),
                                Some(StmtKind::Fallthrough)
                            ))
                })
        }
        StmtKind::Select { clauses } => clauses
            .iter()
            .all(|c| !has_break(&c.body, None, true) && is_terminating_list(&c.body)),
        _ => false,
    }
}

/// Whether statements contain a `break` that targets the enclosing statement.
fn has_break(stmts: &[ast::Stmt], label: Option<&str>, top: bool) -> bool {
    stmts.iter().any(|s| stmt_has_break(s, label, top))
}

fn stmt_has_break(s: &ast::Stmt, label: Option<&str>, top: bool) -> bool {
    match &s.kind {
        StmtKind::Break(None) => top,
        StmtKind::Break(Some(l)) => label == Some(l.name.as_str()),
        StmtKind::Block(b) => has_break(&b.stmts, label, top),
        StmtKind::If { then, els, .. } => {
            has_break(&then.stmts, label, top)
                || els.as_ref().is_some_and(|e| stmt_has_break(e, label, top))
        }
        StmtKind::Labeled { stmt, .. } => stmt_has_break(stmt, label, top),
        StmtKind::For { body, .. } | StmtKind::Range { body, .. } => {
            has_break(&body.stmts, label, false)
        }
        StmtKind::Switch { clauses, .. } | StmtKind::TypeSwitch { clauses, .. } => {
            clauses.iter().any(|c| has_break(&c.body, label, false))
        }
        StmtKind::Select { clauses } => clauses.iter().any(|c| has_break(&c.body, label, false)),
        _ => false,
    }
}

/// `1 value`, `2 values`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn is_call(e: &ast::Expr) -> bool {
    matches!(crate::syntax::build::unparen(e).kind, ExprKind::Call { .. })
}

/// Whether a select case is a channel operation: a send, a receive, or an assignment of one.
fn is_comm(s: &ast::Stmt) -> bool {
    let is_recv = |x: &ast::Expr| {
        matches!(
            crate::syntax::build::unparen(x).kind,
            ExprKind::Unary {
                op: ast::UnaryOp::Recv,
                ..
            }
        )
    };
    match &s.kind {
        StmtKind::Send { .. } => true,
        StmtKind::Expr(x) => is_recv(x),
        StmtKind::Assign {
            lhs,
            op: AssignOp::Assign | AssignOp::Define,
            rhs,
        } => lhs.len() <= 2 && rhs.len() == 1 && is_recv(&rhs[0]),
        _ => false,
    }
}
