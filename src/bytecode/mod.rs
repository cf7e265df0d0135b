//! The bytecode: typed register instructions.
//!
//! Input: built by [`crate::compile`]. Output: executed by [`crate::vm`]. Every value is one
//! 64-bit word in a register (`R[n]`): integers, floats (their bits), bools (0/1), and
//! references to heap objects (strings, pointers, slices, structs, maps, closures, interfaces;
//! 0 is nil or the empty string). Registers are untyped; each instruction knows the type it
//! operates on, which the compiler chose from the static types — the VM never inspects a
//! value's kind to decide what an operation means.
//!
//! Each [`Op`] documents its effect in one notation and its fuel cost (the unit of preemption:
//! roughly one simple instruction). Fuel is charged only where the goroutine may be preempted
//! (DESIGN.md: backward jumps and calls): a taken backward branch charges the length of the loop
//! it closes (`pc - target`, so every simple instruction of the loop body pays its 1), a call
//! charges its listed cost, and the few instructions whose cost depends on their operands
//! (`n`) are charged when they run. Straight-line code between safepoints is bounded by the
//! function's length, so this keeps every goroutine preemptible without a per-instruction
//! counter.

use std::fmt;

pub type Reg = u32;

/// Integer widths for wrap-around after arithmetic on sized integer types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    I8,
    I16,
    I32,
    U8,
    U16,
    U32,
}

/// Arithmetic and bitwise operators on integers (64-bit, wrapped to `Width` afterwards).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOp {
    Add,
    Sub,
    Mul,
    /// Signed division (panics on zero).
    Div,
    /// Unsigned division.
    DivU,
    Rem,
    RemU,
    And,
    Or,
    Xor,
    AndNot,
    Shl,
    /// Arithmetic shift right.
    Shr,
    /// Logical shift right.
    ShrU,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatOp {
    Add,
    Sub,
    Mul,
    Div,
    /// Go's `min`: NaN if either is NaN, and -0 below +0.
    Min,
    /// Go's `max`.
    Max,
}

/// Comparisons; the operand kind decides signedness and float/string semantics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpKind {
    Int,
    Uint,
    Float,
    String,
    /// Words compared for identity (bools, channels, maps, funcs against nil).
    Word,
    /// Pointers: equal when they point at the same variable (pointers to fields and
    /// elements are headers allocated per `&`, so the targets are compared).
    Pointer,
    /// Any type compared structurally at run time through its type descriptor `ty`
    /// (structs, arrays, interfaces).
    Deep(u32),
}

/// Numeric conversions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conv {
    IntToFloat,
    UintToFloat,
    FloatToInt,
    FloatToUint,
    /// Round a float64 to float32 precision.
    ToF32,
    /// Wrap an integer to a width.
    Wrap(Width),
    /// `string(rune)`.
    RuneToString,
    StringToBytes,
    BytesToString,
    StringToRunes,
    RunesToString,
}

/// Which backing store Go's compiler gives an `append` site (Go 1.25+ stack buffers; decided
/// per slice variable by `compile::escape`; capacities in `vm::values`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Growth {
    /// The slice lives on the heap: every growth is `growslice`.
    Heap,
    /// The slice never escapes: a growth that fits in the 32-byte stack buffer takes all of it.
    StackBuffer,
    /// The slice escapes only by being stored or returned whole: while it fits in the 32-byte
    /// stack buffer, each growth bumps the capacity to the next size class only (Go moves the
    /// buffer to the heap where the slice escapes).
    StackBump,
}

/// One instruction. `R[x]` is register x of the current frame, `K[k]` constant k.
///
/// Calls: the callee's frame starts at the caller's register `args` (its parameters are the
/// arguments already in place, as in Lua), so the compiler places arguments in the highest
/// registers in use; results are copied back to `R[dst..]`.
// A plain one-byte tag (no niche packed into a field) makes dispatch a single table jump.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
pub enum Op {
    /// `R[dst] := K[k]` (cost 1)
    Const { dst: Reg, k: u32 },
    /// `R[dst] := R[src]` (cost 1)
    Move { dst: Reg, src: Reg },
    /// `R[dst] := R[a] op R[b]` on 64-bit integers (cost 1; division panics on zero)
    Int { op: IntOp, dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] + R[b]` on 64-bit integers (`Int` specialised: cost 1)
    AddInt { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] - R[b]` on 64-bit integers (cost 1)
    SubInt { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] * R[b]` on 64-bit integers (cost 1)
    MulInt { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] + R[b]` on float64 bits (`Float` specialised: cost 1)
    AddFloat { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] - R[b]` on float64 bits (cost 1)
    SubFloat { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] * R[b]` on float64 bits (cost 1)
    MulFloat { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] / R[b]` on float64 bits (cost 1)
    DivFloat { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] + imm` on 64-bit integers (cost 1)
    AddImm { dst: Reg, a: Reg, imm: i32 },
    /// `R[dst] := wrap(R[dst])` to a sized integer type (cost 1)
    Wrap { dst: Reg, width: Width },
    /// `R[dst] := -R[src]` (integer) (cost 1)
    NegInt { dst: Reg, src: Reg },
    /// `R[dst] := ^R[src]` (cost 1)
    Complement { dst: Reg, src: Reg },
    /// `R[dst] := R[a] op R[b]` on float64 bits (cost 1)
    Float {
        op: FloatOp,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `R[dst] := -R[src]` (float) (cost 1)
    NegFloat { dst: Reg, src: Reg },
    /// `R[dst] := !R[src]` (bool) (cost 1)
    Not { dst: Reg, src: Reg },
    /// `R[dst] := R[a] cmp R[b]` as a bool (cost 1; strings and deep comparisons cost more)
    Compare {
        cmp: Cmp,
        kind: CmpKind,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `R[dst] := conv(R[src])` (cost 1; string conversions allocate)
    Convert { conv: Conv, dst: Reg, src: Reg },
    /// `R[dst] := [N]T(R[src])` (a copy), or `(*[N]T)(R[src])` when `pointer` (the backing
    /// array itself); panics if the slice is shorter than N (cost 2 + N)
    SliceToArray {
        dst: Reg,
        src: Reg,
        /// The array type `[N]T`.
        ty: u32,
        pointer: bool,
    },
    /// `pc := target` (cost 1; backward: the loop's length, and fuel is checked)
    Jump { target: u32 },
    /// `if R[a] cmp R[b] { pc := target }`, signed integers (cost 1; taken backward: the
    /// loop's length)
    JumpCmpInt {
        cmp: Cmp,
        a: Reg,
        b: Reg,
        target: u32,
    },
    /// `if R[a] cmp imm { pc := target }`, signed integers (cost 1; taken backward: the loop's
    /// length)
    JumpCmpImm {
        cmp: Cmp,
        a: Reg,
        imm: i32,
        target: u32,
    },
    /// `if R[cond] { pc := target }` (cost 1; taken backward: the loop's length)
    JumpIf { cond: Reg, target: u32 },
    /// `if !R[cond] { pc := target }` (cost 1; taken backward: the loop's length)
    JumpIfNot { cond: Reg, target: u32 },
    /// Call function `func` with arguments `R[args..args+nargs]` (its frame starts at `args`);
    /// its results go to `R[dst..]` (cost 5)
    Call {
        func: u32,
        args: Reg,
        nargs: u32,
        dst: Reg,
    },
    /// Call the closure `R[callee]` the same way (cost 5)
    CallClosure {
        callee: Reg,
        args: Reg,
        nargs: u32,
        dst: Reg,
    },
    /// Call method `method` (index in the interface's sorted method list) of the interface
    /// value `R[args]` of static interface type `iface` (the receiver is replaced by the
    /// dynamic value) (cost 6)
    CallIface {
        iface: u32,
        method: u32,
        args: Reg,
        nargs: u32,
        dst: Reg,
    },
    /// Call native `native` (cost 5 + what it does)
    CallNative {
        native: u32,
        args: Reg,
        nargs: u32,
        dst: Reg,
    },
    /// Return `R[src..src+n]` to the caller (after running deferred calls) (cost 2)
    Return { src: Reg, n: u32 },
    /// `R[dst] := new zeroed object of type ty` (struct, array) (cost 2)
    NewZero { dst: Reg, ty: u32 },
    /// `R[dst] := new cell holding R[src]` (a boxed variable or `new(T)` of a scalar) (cost 2)
    NewCell { dst: Reg, src: Reg },
    /// `R[dst] := field i of object R[obj]` (cost 1)
    Load { dst: Reg, obj: Reg, index: u32 },
    /// `field i of object R[obj] := R[src]` (cost 1)
    Store { obj: Reg, index: u32, src: Reg },
    /// `R[dst] := copy of struct/array object R[src]` of type ty (deep for nested values) (cost n)
    CopyValue { dst: Reg, src: Reg, ty: u32 },
    /// Copy the words of struct/array object R[src] into object R[dst] (cost n)
    CopyInto { dst: Reg, src: Reg, ty: u32 },
    /// `R[dst] := pointer to element R[index] of object R[obj]` (cost 2)
    ElemPtr { dst: Reg, obj: Reg, index: Reg },
    /// `R[dst] := pointer to field i of object R[obj]` (cost 2)
    FieldPtr { dst: Reg, obj: Reg, index: u32 },
    /// `R[dst] := *R[ptr]` for a pointer to a scalar (cost 1; nil panics)
    LoadPtr { dst: Reg, ptr: Reg },
    /// `*R[ptr] := R[src]` (cost 1; nil panics)
    StorePtr { ptr: Reg, src: Reg },
    /// Panics with a nil dereference if `R[src]` is nil (cost 1)
    NilCheck { src: Reg },
    /// `R[dst] := make([]T, R[len], R[cap])` of element type ty (cost 2 + len)
    MakeSlice {
        dst: Reg,
        ty: u32,
        len: Reg,
        cap: Reg,
    },
    /// `R[dst] := R[slice][R[index]]` (bounds-checked; strings give a byte) (cost 1)
    Index {
        dst: Reg,
        x: Reg,
        index: Reg,
        kind: SeqKind,
    },
    /// `R[dst] := R[x][R[i]][R[j]]` for a slice of slices (both bounds-checked, in order)
    /// (cost 1)
    Index2 { dst: Reg, x: Reg, i: Reg, j: Reg },
    /// `R[slice][R[index]] := R[src]` (bounds-checked) (cost 1)
    SetIndex {
        x: Reg,
        index: Reg,
        src: Reg,
        kind: SeqKind,
    },
    /// `R[dst] := len(R[x])` (cost 1)
    Len { dst: Reg, x: Reg, kind: SeqKind },
    /// `R[dst] := cap(R[x])` (cost 1)
    Cap { dst: Reg, x: Reg, kind: SeqKind },
    /// `R[dst] := R[x][R[lo]:R[hi]:R[max]]` (absent bounds are u32::MAX) (cost 2)
    SliceOf {
        dst: Reg,
        x: Reg,
        lo: Reg,
        hi: Reg,
        max: Reg,
        kind: SeqKind,
    },
    /// `R[dst] := append(R[slice], R[src..src+n]...)` of element type ty (cost 2 + n)
    Append {
        dst: Reg,
        slice: Reg,
        src: Reg,
        n: u32,
        ty: u32,
        growth: Growth,
    },
    /// `R[dst] := append(R[slice], R[other]...)` (also a string into []byte) (cost 2 + n)
    AppendSlice {
        dst: Reg,
        slice: Reg,
        other: Reg,
        from_string: bool,
        /// The element type (for capacity growth).
        ty: u32,
        growth: Growth,
    },
    /// `R[dst] := copy(R[to], R[from])` (cost 2 + n)
    CopySlice {
        dst: Reg,
        to: Reg,
        from: Reg,
        from_string: bool,
    },
    /// `R[dst] := R[a] + R[b]` for strings (cost 2 + n)
    Concat { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := make(map of type ty)` (cost 2)
    MakeMap { dst: Reg, ty: u32 },
    /// `R[dst] := R[map][R[key]]` (zero if absent); with `ok`, `R[dst+1] := present` (cost 3)
    MapGet {
        dst: Reg,
        map: Reg,
        key: Reg,
        ok: bool,
    },
    /// `R[map][R[key]] := R[src]` (nil map panics) (cost 3)
    MapSet { map: Reg, key: Reg, src: Reg },
    /// `delete(R[map], R[key])` (cost 3)
    MapDelete { map: Reg, key: Reg },
    /// `clear(R[x])` for a map or slice of type ty (cost 2 + n)
    Clear { x: Reg, ty: u32 },
    /// `R[dst] := iterator over map R[map]` (random start, as Go) (cost 2 + n)
    MapIter { dst: Reg, map: Reg },
    /// Advance iterator `R[iter]`: `R[key], R[value] := next`, or jump to `done` (cost 2)
    MapNext {
        iter: Reg,
        key: Reg,
        value: Reg,
        done: u32,
    },
    /// `R[dst], R[dst+1] := decode rune at byte R[index] of string R[s]` (rune, width) (cost 2)
    DecodeRune { dst: Reg, s: Reg, index: Reg },
    /// `R[dst] := interface holding R[src] of dynamic type ty` (cost 2)
    ToIface { dst: Reg, src: Reg, ty: u32 },
    /// `R[dst] := R[src].(ty)`; panics on mismatch unless `ok`, then `R[dst+1] := matched`.
    /// A target interface type checks the method set; `from` is the operand's static
    /// interface type, for the panic message. (cost 3)
    AssertType {
        dst: Reg,
        src: Reg,
        ty: u32,
        ok: bool,
        from: u32,
    },
    /// `R[dst] := closure of func with captures R[captures..captures+n]` (cost 2)
    MakeClosure {
        dst: Reg,
        func: u32,
        captures: Reg,
        n: u32,
    },
    /// `R[dst] := capture i of the running closure` (cost 1)
    LoadCapture { dst: Reg, index: u32 },
    /// `R[dst] := method value: func bound to receiver R[recv]` (cost 2)
    BindMethod { dst: Reg, func: u32, recv: Reg },
    /// `R[dst] := interface method value` (cost 2)
    BindIfaceMethod {
        dst: Reg,
        recv: Reg,
        iface: u32,
        method: u32,
    },
    /// Defer a call of function `func` (or of closure R[callee] when `func` is u32::MAX)
    /// with arguments R[args..args+nargs], evaluated now (cost 3)
    Defer {
        func: u32,
        callee: Reg,
        args: Reg,
        nargs: u32,
        native: bool,
    },
    /// Defer `close(R[chan])`, the channel evaluated now (cost 3)
    DeferClose { chan: Reg },
    /// `panic(R[src])` (an interface value) (cost 1)
    Panic { src: Reg },
    /// `R[dst] := recover()` (cost 1)
    Recover { dst: Reg },
    /// `print`/`println` of R[args..args+n] with their types (cost n)
    Print {
        args: Reg,
        types: u32,
        newline: bool,
    },
    /// Run this frame's deferred calls, most recent first (the pc stays here until none is
    /// left) (cost 1)
    RunDefers,
    /// `go f(R[args..args+nargs])`: a new goroutine calls function `func`, or the closure
    /// `R[callee]` when `func` is u32::MAX, or method `iface.1` of the interface `R[args]` of
    /// type `iface.0`; arguments are evaluated now (cost 10)
    Go {
        func: u32,
        callee: Reg,
        args: Reg,
        nargs: u32,
        iface: Option<(u32, u32)>,
    },
    /// `R[dst] := make(chan T, R[cap])` with element type ty (cost 3)
    MakeChan { dst: Reg, ty: u32, cap: Reg },
    /// `R[chan] <- R[src]`; may park (cost 3)
    Send { chan: Reg, src: Reg },
    /// `R[dst] := <-R[chan]`; with `ok`, `R[dst+1] := received`; may park (cost 3)
    Recv { dst: Reg, chan: Reg, ok: bool },
    /// `close(R[chan])` (cost 3)
    Close { chan: Reg },
    /// `R[dst] := len(R[chan])`, or `cap` (cost 1)
    ChanLen { dst: Reg, chan: Reg, cap: bool },
    /// `select` over `n` cases: case i's channel is `R[cases+2i]` and, for a send case (bit i
    /// of `sends`), its value `R[cases+2i+1]`. `R[dst] :=` the chosen case (n for `default`),
    /// `R[dst+1] :=` the received value, `R[dst+2] :=` received ok; may park (cost 5 + n)
    Select {
        cases: Reg,
        n: u32,
        sends: u64,
        default: bool,
        dst: Reg,
    },
    /// Raise a runtime error with a fixed message (e.g. a missing return reached) (cost 1)
    Fail { message: u32 },

    // ---- Superinstructions -------------------------------------------------------------------
    // Made by [`fuse`] from an instruction and the one (or two) after it, which stay in place
    // (jumps may land on them). Each does what its instructions do and continues after the
    // last, charging exactly what they charge; the general path (`vm::Vm::exec`) runs only the
    // first one ([`Op::first_half`]) and then continues at the second, still in the code.
    /// `R[dst] := R[a] + imm; if R[dst] cmp lim { pc := target }` (`AddImm`, `JumpCmpImm`)
    IncJumpCmpImm {
        dst: Reg,
        a: Reg,
        imm: i32,
        cmp: Cmp,
        lim: i32,
        target: u32,
    },
    /// `R[dst] := R[a] + imm; if R[dst] cmp R[b] { pc := target }` (`AddImm`, `JumpCmpInt`)
    IncJumpCmpInt {
        dst: Reg,
        a: Reg,
        imm: i32,
        cmp: Cmp,
        b: Reg,
        target: u32,
    },
    /// `R[dst] := R[a] + R[b]; if R[dst] cmp lim { pc := target }` (`AddInt`, `JumpCmpImm`)
    AddJumpCmpImm {
        dst: Reg,
        a: Reg,
        b: Reg,
        cmp: Cmp,
        lim: i32,
        target: u32,
    },
    /// `R[src] := K[k]; R[x][R[index]] := R[src]` on a slice (`Const`, `SetIndex`)
    SetIndexConst {
        x: Reg,
        index: Reg,
        src: Reg,
        k: u32,
    },
    /// `R[dst] := R[x][R[index]]` on a slice, then `if R[dst] == jump_if { pc := target }`
    /// (`Index`, `JumpIf` or `JumpIfNot`)
    IndexJump {
        dst: Reg,
        x: Reg,
        index: Reg,
        jump_if: bool,
        target: u32,
    },
    /// `R[tmp] := R[a] * R[b]; R[dst] := R[acc] + R[tmp]` on float64 bits, rounded after
    /// each step as Go does (`MulFloat`, `AddFloat`)
    MulAddFloat {
        dst: Reg,
        acc: Reg,
        tmp: Reg,
        a: Reg,
        b: Reg,
    },
    /// `R[args] := R[a] + imm`, then `Call { func, args, nargs, dst }` (`AddImm`, `Call`)
    CallAddImm {
        a: Reg,
        imm: i32,
        func: u32,
        args: Reg,
        nargs: u32,
        dst: Reg,
    },
    /// `R[dst] := R[a] + R[b]`, then `Return { src: dst, n: 1 }` (`AddInt`, `Return`)
    AddIntReturn { dst: Reg, a: Reg, b: Reg },
    /// `if R[a] cmp imm { pc := target }`, else `Return { src, n }` (`JumpCmpImm`, `Return`)
    JumpCmpImmElseReturn {
        cmp: Cmp,
        a: Reg,
        imm: i32,
        target: u32,
        src: Reg,
        n: u32,
    },
    /// `Index2 { dst, x, i, j }`, then `MulAddFloat { dst: sum, acc, tmp, a, b: dst }`: a
    /// step of a dot product over a slice of slices (three instructions; registers below
    /// 2^16, so the instruction stays 32 bytes)
    Index2MulAdd {
        dst: u16,
        x: u16,
        i: u16,
        j: u16,
        sum: u16,
        acc: u16,
        tmp: u16,
        a: u16,
    },
}

// Dispatch reads one instruction per step: keep them at 32 bytes.
const _: () = assert!(std::mem::size_of::<Op>() <= 32);

impl Op {
    /// The first instruction of a superinstruction's pair (`None` for other instructions).
    pub fn first_half(&self) -> Option<Op> {
        Some(match *self {
            Op::IncJumpCmpImm { dst, a, imm, .. }
            | Op::IncJumpCmpInt { dst, a, imm, .. }
            | Op::CallAddImm {
                args: dst, a, imm, ..
            } => Op::AddImm { dst, a, imm },
            Op::AddJumpCmpImm { dst, a, b, .. } | Op::AddIntReturn { dst, a, b } => {
                Op::AddInt { dst, a, b }
            }
            Op::JumpCmpImmElseReturn {
                cmp,
                a,
                imm,
                target,
                ..
            } => Op::JumpCmpImm {
                cmp,
                a,
                imm,
                target,
            },
            Op::SetIndexConst { src, k, .. } => Op::Const { dst: src, k },
            Op::IndexJump { dst, x, index, .. } => Op::Index {
                dst,
                x,
                index,
                kind: SeqKind::Slice,
            },
            Op::MulAddFloat { tmp, a, b, .. } => Op::MulFloat { dst: tmp, a, b },
            Op::Index2MulAdd { dst, x, i, j, .. } => Op::Index2 {
                dst: dst.into(),
                x: x.into(),
                i: i.into(),
                j: j.into(),
            },
            _ => return None,
        })
    }
}

/// Fuses hot pairs of instructions into superinstructions, in place: the superinstruction
/// replaces the first of the pair and the second stays, so every pc, jump target and span
/// keeps its meaning. Pairs are read from the original code (a superinstruction's second
/// half may itself start another pair; the first one then runs its original).
pub fn fuse(code: &mut [Op]) {
    let original = code.to_vec();
    for (i, pair) in original.windows(2).enumerate() {
        let fused = match (pair[0], pair[1]) {
            (
                Op::AddImm { dst, a, imm },
                Op::JumpCmpImm {
                    cmp,
                    a: c,
                    imm: lim,
                    target,
                },
            ) if c == dst => Op::IncJumpCmpImm {
                dst,
                a,
                imm,
                cmp,
                lim,
                target,
            },
            (
                Op::AddImm { dst, a, imm },
                Op::JumpCmpInt {
                    cmp,
                    a: c,
                    b,
                    target,
                },
            ) if c == dst => Op::IncJumpCmpInt {
                dst,
                a,
                imm,
                cmp,
                b,
                target,
            },
            (
                Op::AddInt { dst, a, b },
                Op::JumpCmpImm {
                    cmp,
                    a: c,
                    imm: lim,
                    target,
                },
            ) if c == dst => Op::AddJumpCmpImm {
                dst,
                a,
                b,
                cmp,
                lim,
                target,
            },
            (
                Op::Const { dst, k },
                Op::SetIndex {
                    x,
                    index,
                    src,
                    kind: SeqKind::Slice,
                },
            ) if src == dst && x != dst && index != dst => Op::SetIndexConst { x, index, src, k },
            (
                Op::Index {
                    dst,
                    x,
                    index,
                    kind: SeqKind::Slice,
                },
                Op::JumpIf { cond, target } | Op::JumpIfNot { cond, target },
            ) if cond == dst => Op::IndexJump {
                dst,
                x,
                index,
                jump_if: matches!(pair[1], Op::JumpIf { .. }),
                target,
            },
            (Op::MulFloat { dst: tmp, a, b }, Op::AddFloat { dst, a: acc, b: t }) if t == tmp => {
                Op::MulAddFloat {
                    dst,
                    acc,
                    tmp,
                    a,
                    b,
                }
            }
            (
                Op::AddImm { dst, a, imm },
                Op::Call {
                    func,
                    args,
                    nargs,
                    dst: ret,
                },
            ) if args == dst => Op::CallAddImm {
                a,
                imm,
                func,
                args,
                nargs,
                dst: ret,
            },
            (Op::AddInt { dst, a, b }, Op::Return { src, n: 1 }) if src == dst => {
                Op::AddIntReturn { dst, a, b }
            }
            (
                Op::JumpCmpImm {
                    cmp,
                    a,
                    imm,
                    target,
                },
                Op::Return { src, n },
            ) => Op::JumpCmpImmElseReturn {
                cmp,
                a,
                imm,
                target,
                src,
                n,
            },
            _ => continue,
        };
        code[i] = fused;
    } // Triples: an instruction before a fused pair.
    let pairs = code.to_vec();
    for (i, pair) in pairs.windows(2).enumerate() {
        if let (
            Op::Index2 { dst, x, i: r, j },
            Op::MulAddFloat {
                dst: sum,
                acc,
                tmp,
                a,
                b,
            },
        ) = (pair[0], pair[1])
        {
            let small = |r: Reg| u16::try_from(r).ok();
            if b != dst {
                continue;
            }
            if let (
                Some(dst),
                Some(x),
                Some(r),
                Some(j),
                Some(sum),
                Some(acc),
                Some(tmp),
                Some(a),
            ) = (
                small(dst),
                small(x),
                small(r),
                small(j),
                small(sum),
                small(acc),
                small(tmp),
                small(a),
            ) {
                code[i] = Op::Index2MulAdd {
                    dst,
                    x,
                    i: r,
                    j,
                    sum,
                    acc,
                    tmp,
                    a,
                };
            }
        }
    }
}

impl Op {
    /// The fuel this instruction charges when it runs outside a loop's bulk charge: calls
    /// and instructions whose cost grows with their operands (see the module comment).
    /// `safepoint`: preemption may happen right after it.
    pub fn charge(&self) -> (i64, bool) {
        match self {
            Op::Call { .. } | Op::CallClosure { .. } | Op::CallNative { .. } => (5, true),
            Op::CallIface { .. } => (6, true),
            Op::Go { .. } => (10, true),
            Op::Select { n, .. } => (5 + i64::from(*n), false),
            Op::Append { n, .. } => (2 + i64::from(*n), false),
            Op::Print { .. } => (2, false),
            _ => (0, false),
        }
    }
}

/// What an index/len/slice operation works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeqKind {
    Slice,
    String,
    /// An array object (its length is its word count).
    Array,
}

/// A compiled function.
#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    pub code: Vec<Op>,
    /// Line table: the source span of each instruction (parallel to `code`).
    pub spans: Vec<crate::source::Span>,
    pub nregs: u32,
    pub nparams: u32,
    pub nresults: u32,
    /// Index of the source file (for tracebacks).
    pub file: u32,
    /// For a native (body-less) function: its native index.
    pub native: Option<u32>,
    /// Where execution resumes after a deferred call recovers a panic: the epilogue that runs
    /// the remaining deferred calls and returns the result variables.
    pub recover_pc: u32,
}

/// A compiled program.
pub struct Program {
    pub functions: Vec<Function>,
    /// Constant words; strings are interned heap references created at load time.
    pub consts: Vec<Const>,
    /// Messages of `Fail` instructions and other fixed texts.
    pub strings: Vec<String>,
    /// Package initialisation, then `main.main`.
    pub entry: u32,
    pub types: crate::check::types::TypeTable,
    pub files: Vec<crate::source::SourceFile>,
    /// Type lists of `print` instructions.
    pub print_types: Vec<Vec<u32>>,
    /// The type of each global (slot of the globals object, `K[0]`).
    pub globals: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    Word(u64),
    Str(Vec<u8>),
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl Program {
    /// The disassembly of every function (`gom run --dump-bytecode`).
    pub fn disassemble(&self) -> String {
        let mut out = String::new();
        for (i, func) in self.functions.iter().enumerate() {
            if func.native.is_some() {
                continue;
            }
            out.push_str(&format!(
                "func {i} {} (params {}, results {}, registers {})\n",
                func.name, func.nparams, func.nresults, func.nregs
            ));
            for (pc, op) in func.code.iter().enumerate() {
                out.push_str(&format!("  {pc:4}  {op}\n"));
            }
        }
        for (k, c) in self.consts.iter().enumerate() {
            match c {
                Const::Word(w) => out.push_str(&format!("K[{k}] = {w}\n")),
                Const::Str(s) => {
                    out.push_str(&format!("K[{k}] = {:?}\n", String::from_utf8_lossy(s)))
                }
            }
        }
        out
    }
}
