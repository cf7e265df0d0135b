//! Channels and `select`: Go's `hchan`/`sudog` algorithms (`runtime/chan.go`, `select.go`).
//!
//! A channel is a lock around a ring buffer and two FIFO queues of waiters ("sudogs"). An
//! operation that can complete does so under the lock, handing a value straight to a parked
//! partner when there is one (the partner's registers are written by the waker, which owns
//! the partner's G once it claimed its slot). An operation that cannot complete enqueues a
//! sudog and returns `Park` with the lock still held; the scheduler's commit stores the G in
//! the sudog's slot and then unlocks (see `sched.rs`). `select` locks its channels in address
//! order, polls its cases in random order, and otherwise enqueues one sudog per case, all
//! sharing one slot, so the first waker wins and the other cases' sudogs are skipped.

use super::sched::{GBox, Held, Park, ParkTo, Slot, WaitReason};
use super::{Goroutine, PanicValue, Unwind, Vm};
use crate::bytecode::Reg;
use crate::check::types::TypeId;
use parking_lot::{Mutex, RawMutex};
use std::collections::VecDeque;
use std::sync::Arc;

pub(crate) type ChanRef = Arc<Mutex<ChanState>>;
pub(crate) type ChanGuard = parking_lot::ArcMutexGuard<RawMutex, ChanState>;

/// A waiting sender or receiver: where to write what it gets.
struct Sudog {
    slot: Arc<Slot>,
    /// The park of the slot this entry belongs to (see [`Slot::claim_at`]).
    gen: u64,
    /// The value a sender offers.
    value: u64,
    /// Registers (absolute indexes) of the parked G to write: the received value, the ok flag,
    /// the chosen select case.
    value_at: Option<usize>,
    ok_at: Option<usize>,
    case_at: Option<(usize, u64)>,
}

/// A FIFO of sudogs; entries of select cases that lost are skipped and purged lazily.
#[derive(Default)]
struct WaitQ {
    q: VecDeque<Sudog>,
    purge_at: usize,
}

impl WaitQ {
    fn push(&mut self, s: Sudog) {
        if self.q.len() >= self.purge_at.max(16) {
            self.q.retain(|s| !s.slot.is_done_at(s.gen));
            self.purge_at = self.q.len() * 2;
        }
        self.q.push_back(s);
    }

    /// The first waiter that is still waiting, claimed for the caller, with its G.
    fn dequeue(&mut self) -> Option<(Sudog, GBox)> {
        while let Some(s) = self.q.pop_front() {
            if s.slot.claim_at(s.gen) {
                if let Some(g) = s.slot.take() {
                    return Some((s, g));
                }
            }
        }
        None
    }
}

pub struct ChanState {
    cap: usize,
    /// A `time.Timer`/`Ticker` channel: its one-value buffer is invisible (Go 1.23 timer
    /// channels report length and capacity 0).
    timer: bool,
    elem: u32,
    buf: VecDeque<u64>,
    closed: bool,
    recvq: WaitQ,
    sendq: WaitQ,
}

impl ChanState {
    /// Bytes the channel occupies (for `runtime.ReadMemStats`).
    pub(crate) fn footprint(&self) -> usize {
        std::mem::size_of::<ChanState>() + 8 * self.buf.capacity().max(self.cap)
    }
}

impl std::fmt::Debug for ChanState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chan(len {}, cap {})", self.buf.len(), self.cap)
    }
}

/// Writes a woken G's results into its registers.
fn deliver(g: &mut Goroutine, s: &Sudog, value: u64, ok: bool) {
    put(g, s.value_at, s.ok_at, s.case_at, value, ok);
}

/// Writes an operation's results: the received value, the ok flag, the chosen select case.
fn put(
    g: &mut Goroutine,
    value_at: Option<usize>,
    ok_at: Option<usize>,
    case_at: Option<(usize, u64)>,
    value: u64,
    ok: bool,
) {
    let mut put = |at: Option<usize>, v: u64| {
        if let Some(r) = at.and_then(|i| g.regs.get_mut(i)) {
            *r = v;
        }
    };
    put(value_at, value);
    put(ok_at, u64::from(ok));
    if let Some((at, case)) = case_at {
        put(Some(at), case);
    }
}

/// The channel locks a `select` holds, in lock order: up to 8 without allocating.
#[derive(Default)]
pub(crate) struct Guards {
    small: [Option<ChanGuard>; 8],
    len: usize,
    more: Vec<ChanGuard>,
}

impl Guards {
    fn push(&mut self, guard: ChanGuard) {
        match self.small.get_mut(self.len) {
            Some(free) => *free = Some(guard),
            None => self.more.push(guard),
        }
        self.len += 1;
    }

    fn get_mut(&mut self, i: usize) -> Option<&mut ChanState> {
        let small = self.small.len();
        let guard = match self.small.get_mut(i) {
            Some(g) => g.as_mut(),
            None => self.more.get_mut(i - small),
        };
        guard.map(|g| &mut **g)
    }
}

/// A select case that completed at once: the case, the value and ok flag it received, the
/// partner it woke.
type Completed = (SelCase, u64, bool, Option<GBox>);

/// A send that completes now: `Some` with the receiver it woke (the caller readies it once
/// the channel is unlocked), `None` if it must wait; a panic if the channel is closed.
fn try_send(st: &mut ChanState, value: u64) -> Result<Option<Option<GBox>>, Unwind> {
    if st.closed {
        return Err(Unwind::Panic(closed_send()));
    }
    if let Some((s, mut g)) = st.recvq.dequeue() {
        deliver(&mut g, &s, value, true);
        return Ok(Some(Some(g)));
    }
    if st.buf.len() < st.cap {
        st.buf.push_back(value);
        return Ok(Some(None));
    }
    Ok(None)
}

/// A live (non-nil) case of a `select`: its index, its channel, the index of that channel's
/// guard among the select's locks, whether it sends, the value it sends.
#[derive(Clone, Copy)]
pub(crate) struct SelCase {
    case: u32,
    /// The channel, and its lock's address (the lock order).
    word: u64,
    addr: usize,
    chan: usize,
    send: bool,
    value: u64,
}

fn closed_send() -> PanicValue {
    PanicValue::Runtime("send on closed channel".to_string())
}

impl Vm {
    fn chan_of(&self, word: u64) -> Option<ChanRef> {
        match self.heap.get(word) {
            Some(super::heap::Obj::Chan(c)) => Some(c.clone()),
            _ => None,
        }
    }

    /// Locks channel `word` (`None`: a nil channel), holding the lock in a guard that can be
    /// kept across a park.
    fn lock_chan(&self, word: u64) -> Option<ChanGuard> {
        match self.heap.get(word) {
            Some(super::heap::Obj::Chan(c)) => Some(c.lock_arc()),
            _ => None,
        }
    }

    pub(crate) fn make_chan(&mut self, elem: u32, cap: i64) -> Result<u64, Unwind> {
        if !(0..=(1 << 40)).contains(&cap) {
            return Err(self.runtime("makechan: size out of range"));
        }
        let state = ChanState {
            cap: cap as usize,
            elem,
            buf: VecDeque::new(),
            timer: false,
            closed: false,
            recvq: WaitQ::default(),
            sendq: WaitQ::default(),
        };
        Ok(self
            .heap
            .alloc(super::heap::Obj::Chan(Arc::new(Mutex::new(state)))))
    }

    pub(crate) fn chan_len(&self, word: u64, cap: bool) -> u64 {
        match self.chan_of(word) {
            Some(c) => {
                let st = c.lock();
                if st.timer {
                    return 0;
                }
                (if cap { st.cap } else { st.buf.len() }) as u64
            }
            None => 0,
        }
    }

    /// A timer's send (never blocks): to a waiting receiver, else into the empty buffer slot;
    /// a tick that finds the buffer full is dropped, as Go drops it.
    pub(crate) fn timer_send(&mut self, word: u64, value: u64) {
        let Some(c) = self.chan_of(word) else {
            return;
        };
        let mut st = c.lock();
        if st.closed {
            return;
        }
        if let Some((s, mut g)) = st.recvq.dequeue() {
            drop(st);
            deliver(&mut g, &s, value, true);
            self.ready(g);
            return;
        }
        if st.buf.len() < st.cap {
            st.buf.push_back(value);
        }
    }

    /// Whether a receiver is blocked on the channel (`None`: the channel is locked right now,
    /// so someone is operating on it). For the deadlock check, which holds the idle lock and
    /// so must not wait for a channel lock.
    pub(crate) fn chan_has_receiver(&self, word: u64) -> Option<bool> {
        let Some(c) = self.chan_of(word) else {
            return Some(false);
        };
        let st = c.try_lock()?;
        Some(st.recvq.q.iter().any(|s| !s.slot.is_done_at(s.gen)))
    }

    /// Marks a timer's channel (see `ChanState::timer`).
    pub(crate) fn mark_timer_chan(&self, word: u64) {
        if let Some(c) = self.chan_of(word) {
            c.lock().timer = true;
        }
    }

    /// Empties a timer's channel (Stop and Reset: no stale value is received after them);
    /// true if a value was waiting.
    pub(crate) fn timer_drain(&self, word: u64) -> bool {
        let Some(c) = self.chan_of(word) else {
            return false;
        };
        let mut st = c.lock();
        let had = !st.buf.is_empty();
        st.buf.clear();
        had
    }

    /// `c <- v` (Go's `chansend`).
    ///
    /// First under a plain lock, which costs no reference count on the channel: most sends
    /// complete at once. Only a send that must wait locks again with a guard it can keep
    /// across the park (and looks again: the channel may have changed in between).
    pub(crate) fn chan_send(
        &mut self,
        g: &mut Goroutine,
        word: u64,
        value: u64,
    ) -> Result<(), Unwind> {
        let sent = match self.heap.get(word) {
            Some(super::heap::Obj::Chan(c)) => try_send(&mut c.lock(), value)?,
            _ => {
                return Err(Park::unwind(
                    WaitReason::ChanSendNil,
                    Held::None,
                    ParkTo::Forever,
                ))
            }
        };
        if let Some(woken) = sent {
            if let Some(w) = woken {
                self.ready(w);
            }
            return Ok(());
        }
        let Some(mut st) = self.lock_chan(word) else {
            return Err(Park::unwind(
                WaitReason::ChanSendNil,
                Held::None,
                ParkTo::Forever,
            ));
        };
        if let Some(woken) = try_send(&mut st, value)? {
            drop(st);
            if let Some(w) = woken {
                self.ready(w);
            }
            return Ok(());
        }
        let (slot, gen) = self.own_slot(g);
        st.sendq.push(Sudog {
            slot,
            gen,
            value,
            value_at: None,
            ok_at: None,
            case_at: None,
        });
        Err(Park::unwind(
            WaitReason::ChanSend,
            Held::Chan(st),
            ParkTo::Own,
        ))
    }

    /// `R[at] := <-c` (and `R[ok_at] := ok`) (Go's `chanrecv`). (Unlike a send, it takes the
    /// guard it can keep across a park at once: a receive waits more often than a send,
    /// and locking twice costs a waiting receive more than the fast lock saves.)
    pub(crate) fn chan_recv(
        &mut self,
        g: &mut Goroutine,
        word: u64,
        at: usize,
        ok_at: Option<usize>,
    ) -> Result<(), Unwind> {
        let Some(mut st) = self.lock_chan(word) else {
            return Err(Park::unwind(
                WaitReason::ChanRecvNil,
                Held::None,
                ParkTo::Forever,
            ));
        };
        if let Some((value, ok, woken)) = self.try_recv(&mut st) {
            drop(st);
            put(g, Some(at), ok_at, None, value, ok);
            if let Some(w) = woken {
                self.ready(w);
            }
            return Ok(());
        }
        let (slot, gen) = self.own_slot(g);
        st.recvq.push(Sudog {
            slot,
            gen,
            value: 0,
            value_at: Some(at),
            ok_at,
            case_at: None,
        });
        Err(Park::unwind(
            WaitReason::ChanRecv,
            Held::Chan(st),
            ParkTo::Own,
        ))
    }

    /// A receive that completes now: from a parked sender (through the buffer when there is
    /// one, keeping FIFO order), from the buffer, or the zero value of a closed channel.
    /// Returns the value, the ok flag and the sender it woke (the caller readies it once the
    /// channel is unlocked).
    fn try_recv(&self, st: &mut ChanState) -> Option<(u64, bool, Option<GBox>)> {
        if let Some((s, mut g)) = st.sendq.dequeue() {
            let value = if st.cap == 0 {
                s.value
            } else {
                let head = st.buf.pop_front().unwrap_or(0);
                st.buf.push_back(s.value);
                head
            };
            deliver(&mut g, &s, 0, true);
            return Some((value, true, Some(g)));
        }
        if let Some(v) = st.buf.pop_front() {
            return Some((v, true, None));
        }
        if st.closed {
            return Some((self.zero(TypeId(st.elem)), false, None));
        }
        None
    }

    /// `close(c)` (Go's `closechan`): every waiter is woken; receivers get the zero value,
    /// senders panic.
    pub(crate) fn chan_close(&mut self, word: u64) -> Result<(), Unwind> {
        let Some(c) = self.chan_of(word) else {
            return Err(Unwind::Panic(PanicValue::Runtime(
                "close of nil channel".to_string(),
            )));
        };
        let mut woken = Vec::new();
        {
            let mut st = c.lock();
            if st.closed {
                return Err(Unwind::Panic(PanicValue::Runtime(
                    "close of closed channel".to_string(),
                )));
            }
            st.closed = true;
            while let Some((s, mut g)) = st.recvq.dequeue() {
                let zero = self.zero(TypeId(st.elem));
                deliver(&mut g, &s, zero, false);
                woken.push(g);
            }
            while let Some((s, mut g)) = st.sendq.dequeue() {
                deliver(&mut g, &s, 0, false);
                g.rt.pending = Some(closed_send());
                woken.push(g);
            }
        }
        for g in woken {
            self.ready(g);
        }
        Ok(())
    }

    /// `select` (Go's `selectgo`); see [`crate::bytecode::Op::Select`] for the registers.
    ///
    /// The channels are locked in address order (the one lock order of every select), with
    /// guards that can be kept across a park.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn select(
        &mut self,
        g: &mut Goroutine,
        base: usize,
        cases_reg: Reg,
        n: u32,
        sends: u64,
        default: bool,
        dst: Reg,
    ) -> Result<(), Unwind> {
        let reg = |g: &Goroutine, r: Reg| g.regs.get(base + r as usize).copied().unwrap_or(0);
        let out = base + dst as usize;
        // The cases and the distinct channels go into the P's reused buffers, the locks into
        // a fixed array: a select allocates nothing.
        let mut cases = std::mem::take(&mut self.m.sel_cases);
        cases.clear();
        for i in 0..n {
            let word = reg(g, cases_reg + 2 * i);
            if let Some(super::heap::Obj::Chan(c)) = self.heap.get(word) {
                cases.push(SelCase {
                    case: i,
                    word,
                    addr: Arc::as_ptr(c) as usize,
                    chan: 0,
                    send: i < 64 && sends & (1 << i) != 0,
                    value: reg(g, cases_reg + 2 * i + 1),
                });
            }
        }
        if cases.is_empty() && !default {
            self.m.sel_cases = cases;
            let reason = if n == 0 {
                WaitReason::SelectNoCases
            } else {
                WaitReason::Select
            };
            return Err(Park::unwind(reason, Held::None, ParkTo::Forever));
        }
        // `words`: the distinct channels in address order; each case learns its index there.
        cases.sort_unstable_by_key(|c| c.addr);
        let mut words = std::mem::take(&mut self.m.sel_words);
        words.clear();
        let mut last = None;
        for c in cases.iter_mut() {
            if last != Some(c.addr) {
                words.push(c.word);
                last = Some(c.addr);
            }
            c.chan = words.len() - 1;
        }
        // Random poll order.
        for i in (1..cases.len()).rev() {
            let j = (self.random() % (i as u64 + 1)) as usize;
            cases.swap(i, j);
        }
        let mut guards = Guards::default();
        for w in &words {
            if let Some(st) = self.lock_chan(*w) {
                guards.push(st);
            }
        }
        self.m.sel_words = words;
        // Pass 1: the first ready case in poll order.
        let found = match self.poll(&mut guards, &cases) {
            Ok(found) => found,
            Err(e) => {
                self.m.sel_cases = cases;
                return Err(e);
            }
        };
        if found.is_some() || default {
            drop(guards);
            self.m.sel_cases = cases;
            self.select_done(g, out, found, n);
            return Ok(());
        }
        // Pass 2: wait on every case; the G's one slot for all of them.
        let (slot, gen) = self.own_slot(g);
        for c in &cases {
            let Some(st) = guards.get_mut(c.chan) else {
                continue;
            };
            let s = Sudog {
                slot: slot.clone(),
                gen,
                value: c.value,
                value_at: (!c.send).then_some(out + 1),
                ok_at: (!c.send).then_some(out + 2),
                case_at: Some((out, u64::from(c.case))),
            };
            if c.send {
                st.sendq.push(s);
            } else {
                st.recvq.push(s);
            }
        }
        self.m.sel_cases = cases;
        Err(Park::unwind(
            WaitReason::Select,
            Held::Chans(guards),
            ParkTo::Own,
        ))
    }

    /// The first case in poll order that completes now: the case, the value and ok flag it
    /// received, the partner it woke.
    fn poll(&self, guards: &mut Guards, cases: &[SelCase]) -> Result<Option<Completed>, Unwind> {
        for c in cases {
            let Some(st) = guards.get_mut(c.chan) else {
                continue;
            };
            if c.send {
                if let Some(woken) = try_send(st, c.value)? {
                    return Ok(Some((*c, 0, false, woken)));
                }
            } else if let Some((v, ok, woken)) = self.try_recv(st) {
                return Ok(Some((*c, v, ok, woken)));
            }
        }
        Ok(None)
    }

    /// Ends a select that did not park (its channels unlocked): the chosen case's results,
    /// or the default case (`n`), and the partner it woke made runnable.
    fn select_done(&mut self, g: &mut Goroutine, out: usize, found: Option<Completed>, n: u32) {
        let Some((c, v, ok, woken)) = found else {
            if let Some(r) = g.regs.get_mut(out) {
                *r = u64::from(n);
            }
            return;
        };
        let (value_at, ok_at) = if c.send {
            (None, None)
        } else {
            (Some(out + 1), Some(out + 2))
        };
        put(g, value_at, ok_at, Some((out, u64::from(c.case))), v, ok);
        if let Some(w) = woken {
            self.ready(w);
        }
    }
}
