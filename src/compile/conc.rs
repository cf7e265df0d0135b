//! Concurrency statements and expressions: `go`, channel send and receive, `close`, `len`/`cap`
//! of channels, `make(chan T, n)`, `for range ch` and `select` (a case table in registers, then
//! a jump to the chosen case's body).

use super::FuncCompiler;
use crate::bytecode::{Cmp, CmpKind, Op, Reg};
use crate::check::tast::{Block, Expr, ExprKind as E, LabelId, Place, SelectCase, SelectKind};
use crate::check::types::{Type, TypeId};
use crate::source::Span;

impl FuncCompiler<'_> {
    /// `go f(x)`: the function and arguments are evaluated here, the call runs in a new
    /// goroutine.
    pub(super) fn go_stmt(&mut self, call: &Expr, span: Span) {
        let (func, callee, regs, iface) = match &call.kind {
            E::CallStatic { func, args } => {
                let regs: Vec<Reg> = args.iter().map(|a| self.value(a)).collect();
                (func.0, 0, regs, None)
            }
            E::CallDynamic { func, args } => {
                let callee = self.expr(func);
                let regs: Vec<Reg> = args.iter().map(|a| self.value(a)).collect();
                (u32::MAX, callee, regs, None)
            }
            E::CallInterface { recv, method, args } => {
                let mut regs = vec![self.expr(recv)];
                regs.extend(args.iter().map(|a| self.value(a)));
                (u32::MAX, 0, regs, Some((recv.ty.0, *method)))
            }
            E::Let { temps, value, body } => {
                // `go f(g())` with a multi-value `g`: g runs here, f in the new goroutine.
                let first = self.tuple(value);
                for (i, t) in temps.iter().enumerate() {
                    let r = self.local_reg(*t);
                    let src = first + i as u32;
                    self.emit(Op::Move { dst: r, src }, span);
                }
                return self.go_stmt(body, span);
            }
            _ => {
                self.unsupported("this kind of call in a go statement", span);
                return;
            }
        };
        let first = self.consecutive_fresh(&regs);
        self.emit(
            Op::Go {
                func,
                callee,
                args: first,
                nargs: regs.len() as u32,
                iface,
            },
            span,
        );
    }

    pub(super) fn send_stmt(&mut self, chan: &Expr, value: &Expr, span: Span) {
        let c = self.expr(chan);
        let v = self.value(value);
        self.emit(Op::Send { chan: c, src: v }, span);
    }

    /// `<-c`, or `v, ok := <-c` into two consecutive registers.
    pub(super) fn recv_expr(&mut self, chan: &Expr, comma_ok: bool, span: Span) -> Reg {
        let c = self.expr(chan);
        let r = self.temps(if comma_ok { 2 } else { 1 });
        self.emit(
            Op::Recv {
                dst: r,
                chan: c,
                ok: comma_ok,
            },
            span,
        );
        r
    }

    pub(super) fn close_chan(&mut self, chan: &Expr, span: Span) -> Reg {
        let c = self.expr(chan);
        self.emit(Op::Close { chan: c }, span);
        self.temp()
    }

    pub(super) fn chan_len(&mut self, chan: &Expr, cap: bool, span: Span) -> Reg {
        let c = self.expr(chan);
        let r = self.temp();
        self.emit(
            Op::ChanLen {
                dst: r,
                chan: c,
                cap,
            },
            span,
        );
        r
    }

    /// `make(chan T)` / `make(chan T, n)`.
    pub(super) fn make_chan(&mut self, ty: TypeId, args: &[Expr], span: Span) -> Reg {
        let elem = match self.b.types.under(ty) {
            Type::Chan(_, elem) => *elem,
            _ => return self.unsupported("make of this type", span),
        };
        let cap = match args.first() {
            Some(n) => self.expr(n),
            None => {
                let r = self.temp();
                let k = self.b.word(0);
                self.emit(Op::Const { dst: r, k }, span);
                r
            }
        };
        let r = self.temp();
        self.emit(
            Op::MakeChan {
                dst: r,
                ty: elem.0,
                cap,
            },
            span,
        );
        r
    }

    /// `for v := range ch`: receive with ok until the channel is closed and drained.
    pub(super) fn range_chan(
        &mut self,
        label: Option<LabelId>,
        x: &Expr,
        key: Option<&Place>,
        body: &Block,
        span: Span,
    ) {
        let c = self.expr(x);
        let ch = self.temp();
        self.emit(Op::Move { dst: ch, src: c }, span);
        let v = self.temps(2);
        self.enter_loop(label);
        let top = self.pc();
        self.emit(
            Op::Recv {
                dst: v,
                chan: ch,
                ok: true,
            },
            span,
        );
        let exit = self.emit(
            Op::JumpIfNot {
                cond: v + 1,
                target: 0,
            },
            span,
        );
        self.assign_iteration(key, v, span);
        self.block(body);
        self.set_continue(label, top);
        self.emit(Op::Jump { target: top as u32 }, span);
        let end = self.pc();
        self.patch(exit, end);
        self.leave_loop(label, end);
    }

    /// `select`: channels and send values are evaluated in source order, `Op::Select` picks a
    /// case, then a jump table runs its body.
    pub(super) fn select_stmt(&mut self, label: Option<LabelId>, cases: &[SelectCase], span: Span) {
        self.enter_loop(label);
        let comm: Vec<&SelectCase> = cases
            .iter()
            .filter(|c| !matches!(c.kind, SelectKind::Default))
            .collect();
        let default = cases.iter().find(|c| matches!(c.kind, SelectKind::Default));
        let n = comm.len() as u32;
        if n > 64 {
            self.unsupported("select with more than 64 cases", span);
            return;
        }
        let mut regs = Vec::new();
        let mut sends = 0u64;
        for (i, c) in comm.iter().enumerate() {
            match &c.kind {
                SelectKind::Send { chan, value } => {
                    let ch = self.expr(chan);
                    let v = self.value(value);
                    regs.extend([ch, v]);
                    sends |= 1 << i;
                }
                SelectKind::Recv { chan, .. } => {
                    let ch = self.expr(chan);
                    regs.extend([ch, ch]);
                }
                SelectKind::Default => {}
            }
        }
        let first = self.consecutive_fresh(&regs);
        let dst = self.temps(3);
        self.emit(
            Op::Select {
                cases: first,
                n,
                sends,
                default: default.is_some(),
                dst,
            },
            span,
        );
        // The jump table: one test per case (default is case n).
        let mut bodies: Vec<(usize, &SelectCase)> = Vec::new();
        let all = comm.iter().copied().chain(default);
        for (i, c) in all.enumerate() {
            let k = self.temp();
            let word = self.b.word(i as u64);
            self.emit(Op::Const { dst: k, k: word }, span);
            let hit = self.temp();
            self.emit(
                Op::Compare {
                    cmp: Cmp::Eq,
                    kind: CmpKind::Int,
                    dst: hit,
                    a: dst,
                    b: k,
                },
                span,
            );
            let at = self.emit(
                Op::JumpIf {
                    cond: hit,
                    target: 0,
                },
                span,
            );
            bodies.push((at, c));
        }
        let mut ends = vec![self.emit(Op::Jump { target: 0 }, span)];
        for (at, c) in bodies {
            let here = self.pc();
            self.patch(at, here);
            if let SelectKind::Recv { value, ok, .. } = &c.kind {
                self.assign_iteration(value.as_ref(), dst + 1, span);
                self.assign_iteration(ok.as_ref(), dst + 2, span);
            }
            self.block(&c.body);
            ends.push(self.emit(Op::Jump { target: 0 }, span));
        }
        let end = self.pc();
        for at in ends {
            self.patch(at, end);
        }
        self.leave_loop(label, end);
    }
}
