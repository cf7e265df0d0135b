//! After checking: rewrites every type id in the typed AST (and the type table) to its
//! canonical id, with the aliases `byte`/`rune` replaced by `uint8`/`int32`. The checker keeps
//! the aliases apart only to print them as written; the compiler and the VM compare types by id.

use super::tast::{
    Block, Expr, ExprKind, Func, Global, InitStep, Local, Place, SelectKind, Stmt, StmtKind,
};
use super::types::{TypeId, TypeTable};

pub(super) struct Canon<'a> {
    pub types: &'a TypeTable,
}

impl Canon<'_> {
    fn ty(&self, t: &mut TypeId) {
        *t = self.types.canonical(*t);
    }

    pub fn globals(&self, globals: &mut [Global]) {
        for g in globals {
            self.ty(&mut g.ty);
        }
    }

    pub fn init(&self, steps: &mut [InitStep]) {
        for step in steps {
            if let InitStep::Vars { values, .. } = step {
                self.exprs(values);
            }
        }
    }

    pub fn funcs(&self, funcs: &mut [Func]) {
        for f in funcs {
            self.ty(&mut f.ty);
            for t in &mut f.capture_types {
                self.ty(t);
            }
            for Local { ty, .. } in &mut f.locals {
                self.ty(ty);
            }
            if let Some(body) = &mut f.body {
                self.block(body);
            }
        }
    }

    fn block(&self, b: &mut Block) {
        for s in &mut b.stmts {
            self.stmt(s);
        }
    }

    fn places(&self, places: &mut [Place]) {
        for p in places {
            self.place(p);
        }
    }

    fn opt_place(&self, p: &mut Option<Place>) {
        if let Some(p) = p {
            self.place(p);
        }
    }

    fn place(&self, p: &mut Place) {
        match p {
            Place::Var(_) | Place::Blank => {}
            Place::Deref(x) | Place::Field { x, .. } => self.expr(x),
            Place::Index { x, index } => {
                self.expr(x);
                self.expr(index);
            }
            Place::MapIndex { map, key } => {
                self.expr(map);
                self.expr(key);
            }
        }
    }

    fn stmt(&self, s: &mut Stmt) {
        match &mut s.kind {
            StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => self.expr(e),
            StmtKind::Define { values, .. } | StmtKind::Return(values) => self.exprs(values),
            StmtKind::Assign { places, values } => {
                self.places(places);
                self.exprs(values);
            }
            StmtKind::AssignTuple { places, value } => {
                self.places(places);
                self.expr(value);
            }
            StmtKind::OpAssign { place, value, .. } => {
                self.place(place);
                self.expr(value);
            }
            StmtKind::Send { chan, value } => {
                self.expr(chan);
                self.expr(value);
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::If { cond, then, els } => {
                self.expr(cond);
                self.block(then);
                if let Some(e) = els {
                    self.stmt(e);
                }
            }
            StmtKind::For {
                cond, post, body, ..
            } => {
                if let Some(c) = cond {
                    self.expr(c);
                }
                if let Some(p) = post {
                    self.stmt(p);
                }
                self.block(body);
            }
            StmtKind::Range {
                x,
                key,
                value,
                body,
                ..
            } => {
                self.expr(x);
                self.opt_place(key);
                self.opt_place(value);
                self.block(body);
            }
            StmtKind::Switch { tag, clauses, .. } => {
                if let Some(t) = tag {
                    self.expr(t);
                }
                for c in clauses {
                    self.exprs(&mut c.values);
                    self.block(&mut c.body);
                }
            }
            StmtKind::TypeSwitch { x, clauses, .. } => {
                self.expr(x);
                for c in clauses {
                    for t in c.types.iter_mut().flatten() {
                        self.ty(t);
                    }
                    self.block(&mut c.body);
                }
            }
            StmtKind::Select { cases, .. } => {
                for c in cases {
                    match &mut c.kind {
                        SelectKind::Send { chan, value } => {
                            self.expr(chan);
                            self.expr(value);
                        }
                        SelectKind::Recv { chan, value, ok } => {
                            self.expr(chan);
                            self.opt_place(value);
                            self.opt_place(ok);
                        }
                        SelectKind::Default => {}
                    }
                    self.block(&mut c.body);
                }
            }
            StmtKind::Labeled { stmt, .. } => self.stmt(stmt),
            StmtKind::Break(_)
            | StmtKind::Continue(_)
            | StmtKind::Goto(_)
            | StmtKind::Fallthrough
            | StmtKind::Bad => {}
        }
    }

    fn exprs(&self, es: &mut [Expr]) {
        for e in es {
            self.expr(e);
        }
    }

    fn opt_expr(&self, e: &mut Option<Box<Expr>>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    fn expr(&self, e: &mut Expr) {
        self.ty(&mut e.ty);
        match &mut e.kind {
            ExprKind::Const(_)
            | ExprKind::Zero
            | ExprKind::Var(_)
            | ExprKind::Func(_)
            | ExprKind::Closure { .. } => {}
            ExprKind::CallStatic { args, .. } | ExprKind::CallBuiltin { args, .. } => {
                self.exprs(args)
            }
            ExprKind::CallDynamic { func, args } => {
                self.expr(func);
                self.exprs(args);
            }
            ExprKind::CallInterface { recv, args, .. } => {
                self.expr(recv);
                self.exprs(args);
            }
            ExprKind::Let { value, body, .. } => {
                self.expr(value);
                self.expr(body);
            }
            ExprKind::Field { x, .. }
            | ExprKind::PtrField { x, .. }
            | ExprKind::Deref(x)
            | ExprKind::New(x)
            | ExprKind::Unary { x, .. }
            | ExprKind::Convert(x)
            | ExprKind::ToInterface(x)
            | ExprKind::MethodValue { recv: x, .. }
            | ExprKind::InterfaceMethodValue { recv: x, .. }
            | ExprKind::Recv { chan: x, .. } => self.expr(x),
            ExprKind::AddrOf(p) => self.place(p),
            ExprKind::Index { x, index } => {
                self.expr(x);
                self.expr(index);
            }
            ExprKind::MapIndex { map, key, .. } => {
                self.expr(map);
                self.expr(key);
            }
            ExprKind::Slice { x, lo, hi, max } => {
                self.expr(x);
                self.opt_expr(lo);
                self.opt_expr(hi);
                self.opt_expr(max);
            }
            ExprKind::Binary { x, y, .. } => {
                self.expr(x);
                self.expr(y);
            }
            ExprKind::TypeAssert { x, target, .. } => {
                self.expr(x);
                self.ty(target);
            }
            ExprKind::StructLit(es) => self.exprs(es),
            ExprKind::ArrayLit { elems, .. } => {
                for (_, e) in elems {
                    self.expr(e);
                }
            }
            ExprKind::MapLit(pairs) => {
                for (k, v) in pairs {
                    self.expr(k);
                    self.expr(v);
                }
            }
        }
    }
}
