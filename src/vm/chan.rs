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
            self.q.retain(|s| !s.slot.is_done());
            self.purge_at = self.q.len() * 2;
        }
        self.q.push_back(s);
    }

    /// The first waiter that is still waiting, claimed for the caller, with its G.
    fn dequeue(&mut self) -> Option<(Sudog, GBox)> {
        while let Some(s) = self.q.pop_front() {
            if s.slot.claim() {
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
    let mut put = |at: Option<usize>, v: u64| {
        if let Some(r) = at.and_then(|i| g.regs.get_mut(i)) {
            *r = v;
        }
    };
    put(s.value_at, value);
    put(s.ok_at, u64::from(ok));
    if let Some((at, case)) = s.case_at {
        put(Some(at), case);
    }
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
        Some(st.recvq.q.iter().any(|s| !s.slot.is_done()))
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
    pub(crate) fn chan_send(&mut self, word: u64, value: u64) -> Result<(), Unwind> {
        let Some(c) = self.chan_of(word) else {
            return Err(Park::unwind(
                WaitReason::ChanSendNil,
                Held::None,
                ParkTo::Forever,
            ));
        };
        let mut st = c.lock_arc();
        if st.closed {
            return Err(Unwind::Panic(closed_send()));
        }
        if let Some((s, mut g)) = st.recvq.dequeue() {
            drop(st);
            deliver(&mut g, &s, value, true);
            self.ready(g);
            return Ok(());
        }
        if st.buf.len() < st.cap {
            st.buf.push_back(value);
            return Ok(());
        }
        let slot = Arc::new(Slot::default());
        st.sendq.push(Sudog {
            slot: slot.clone(),
            value,
            value_at: None,
            ok_at: None,
            case_at: None,
        });
        Err(Park::unwind(
            WaitReason::ChanSend,
            Held::Chans(vec![st]),
            ParkTo::Slot(slot),
        ))
    }

    /// `R[at] := <-c` (and `R[ok_at] := ok`) (Go's `chanrecv`).
    pub(crate) fn chan_recv(
        &mut self,
        g: &mut Goroutine,
        word: u64,
        at: usize,
        ok_at: Option<usize>,
    ) -> Result<(), Unwind> {
        let Some(c) = self.chan_of(word) else {
            return Err(Park::unwind(
                WaitReason::ChanRecvNil,
                Held::None,
                ParkTo::Forever,
            ));
        };
        let mut st = c.lock_arc();
        if let Some((value, ok)) = self.try_recv(&mut st) {
            let s = Sudog {
                slot: Arc::new(Slot::default()),
                value: 0,
                value_at: Some(at),
                ok_at,
                case_at: None,
            };
            deliver(g, &s, value, ok);
            return Ok(());
        }
        let slot = Arc::new(Slot::default());
        st.recvq.push(Sudog {
            slot: slot.clone(),
            value: 0,
            value_at: Some(at),
            ok_at,
            case_at: None,
        });
        Err(Park::unwind(
            WaitReason::ChanRecv,
            Held::Chans(vec![st]),
            ParkTo::Slot(slot),
        ))
    }

    /// A receive that completes now: from a parked sender (through the buffer when there is
    /// one, keeping FIFO order), from the buffer, or the zero value of a closed channel.
    fn try_recv(&mut self, st: &mut ChanState) -> Option<(u64, bool)> {
        if let Some((s, g)) = st.sendq.dequeue() {
            let value = if st.cap == 0 {
                s.value
            } else {
                let head = st.buf.pop_front().unwrap_or(0);
                st.buf.push_back(s.value);
                head
            };
            let mut g = g;
            deliver(&mut g, &s, 0, true);
            self.ready(g);
            return Some((value, true));
        }
        if let Some(v) = st.buf.pop_front() {
            return Some((v, true));
        }
        if st.closed {
            return Some((self.zero(TypeId(st.elem)), false));
        }
        None
    }

    /// A send that completes now (`Err` if the channel is closed).
    fn try_send(&mut self, st: &mut ChanState, value: u64) -> Result<bool, Unwind> {
        if st.closed {
            return Err(Unwind::Panic(closed_send()));
        }
        if let Some((s, mut g)) = st.recvq.dequeue() {
            deliver(&mut g, &s, value, true);
            self.ready(g);
            return Ok(true);
        }
        if st.buf.len() < st.cap {
            st.buf.push_back(value);
            return Ok(true);
        }
        Ok(false)
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
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn select(
        &mut self,
        g: &mut Goroutine,
        base: usize,
        cases: Reg,
        n: u32,
        sends: u64,
        default: bool,
        dst: Reg,
    ) -> Result<(), Unwind> {
        let reg = |g: &Goroutine, r: Reg| g.regs.get(base + r as usize).copied().unwrap_or(0);
        // (case, channel, is send, value) for the non-nil cases, in random poll order.
        let mut live: Vec<(u32, ChanRef, bool, u64)> = (0..n)
            .filter_map(|i| {
                let c = self.chan_of(reg(g, cases + 2 * i))?;
                let send = i < 64 && sends & (1 << i) != 0;
                Some((i, c, send, reg(g, cases + 2 * i + 1)))
            })
            .collect();
        for i in (1..live.len()).rev() {
            let j = (self.random() % (i as u64 + 1)) as usize;
            live.swap(i, j);
        }
        let out = base + dst as usize;
        if live.is_empty() && !default {
            let reason = if n == 0 {
                WaitReason::SelectNoCases
            } else {
                WaitReason::Select
            };
            return Err(Park::unwind(reason, Held::None, ParkTo::Forever));
        }
        // Lock each distinct channel once, in address order.
        let mut order: Vec<ChanRef> = live.iter().map(|c| c.1.clone()).collect();
        order.sort_by_key(|c| Arc::as_ptr(c) as usize);
        order.dedup_by(|a, b| Arc::ptr_eq(a, b));
        let mut guards: Vec<ChanGuard> = order.iter().map(|c| c.lock_arc()).collect();
        let index = |c: &ChanRef| order.iter().position(|o| Arc::ptr_eq(o, c)).unwrap_or(0);
        // Pass 1: the first ready case in poll order.
        for (i, c, send, value) in &live {
            let st = &mut *guards[index(c)];
            let done = if *send {
                self.try_send(st, *value)?.then_some((0, false))
            } else {
                self.try_recv(st)
            };
            if let Some((v, ok)) = done {
                drop(guards);
                let s = Sudog {
                    slot: Arc::new(Slot::default()),
                    value: 0,
                    value_at: (!*send).then_some(out + 1),
                    ok_at: (!*send).then_some(out + 2),
                    case_at: Some((out, u64::from(*i))),
                };
                deliver(g, &s, v, ok);
                return Ok(());
            }
        }
        if default {
            drop(guards);
            if let Some(r) = g.regs.get_mut(out) {
                *r = u64::from(n);
            }
            return Ok(());
        }
        // Pass 2: wait on every case; one slot for all of them.
        let slot = Arc::new(Slot::default());
        for (i, c, send, value) in &live {
            let st = &mut *guards[index(c)];
            let s = Sudog {
                slot: slot.clone(),
                value: *value,
                value_at: (!*send).then_some(out + 1),
                ok_at: (!*send).then_some(out + 2),
                case_at: Some((out, u64::from(*i))),
            };
            if *send {
                st.sendq.push(s);
            } else {
                st.recvq.push(s);
            }
        }
        Err(Park::unwind(
            WaitReason::Select,
            Held::Chans(guards),
            ParkTo::Slot(slot),
        ))
    }
}
