//! Natives of the runtime that are not `sync`: `time` (Sleep, Now, Sub, timers) and
//! `runtime` (NumGoroutine, Gosched, GOMAXPROCS, Goexit, NumCPU). The `sync` and
//! `sync/atomic` natives live in `syncnatives.rs`.
//!
//! Sleeping and timers park on the scheduler's timer heap (see `sched.rs`); a fired timer
//! sends on its channel or starts its function in a new goroutine.

use super::natives::Native;
use super::sched::{ActiveTimer, Held, Park, ParkTo, TimerTable, WaitReason};
use super::{PanicValue, Unwind, Vm};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The native implementing a body-less runtime function, by qualified name.
pub(crate) fn lookup(name: &str) -> Option<Native> {
    Some(match name {
        "time.Sleep" => |vm, _, a| vm.sleep(a[0] as i64),
        "time.Now" => |vm, _, _| Ok(vec![vm.heap.cells(vec![0, unix_nanos() as u64, 0])]),
        "time.(Time).Sub" | "time.Time.Sub" => |vm, _, a| {
            let (t, u) = (vm.load_word(a[0], 1)?, vm.load_word(a[1], 1)?);
            Ok(vec![(t as i64).wrapping_sub(u as i64) as u64])
        },
        "runtime.NumGoroutine" => |vm, _, _| Ok(vec![vm.rt.live.load(Ordering::Relaxed) as u64]),
        "runtime.GOMAXPROCS" => |vm, _, a| {
            let n = a[0] as i64;
            let old = if n >= 1 {
                vm.rt.maxprocs.swap(n as usize, Ordering::Relaxed)
            } else {
                vm.rt.maxprocs.load(Ordering::Relaxed)
            };
            Ok(vec![old as u64])
        },
        "runtime.Goexit" => |_, _, _| {
            Err(Unwind::Panic(PanicValue::Runtime(
                super::sched::GOEXIT.to_string(),
            )))
        },
        "runtime.NumCPU" => |_, _, _| {
            Ok(vec![
                std::thread::available_parallelism().map_or(1, |n| n.get()) as u64,
            ])
        },
        "time.startTimer" => |vm, _, a| vm.start_timer(a[0], a[1], a[2] as i64, a[3] as i64),
        "time.stopTimer" => |vm, _, a| vm.stop_timer(a[0], a[1]),
        "time.resetTimer" => |vm, _, a| vm.reset_timer(a[0], a[1], a[2], a[3] as i64, a[4] as i64),
        "runtime.Gosched" => |_, _, _| {
            Err(Park::unwind(
                WaitReason::Runnable,
                Held::None,
                ParkTo::Yield,
            ))
        },
        _ => return None,
    })
}

/// `now + nanos` (clamped: a far deadline never overflows).
fn deadline(nanos: i64) -> Instant {
    let now = Instant::now();
    now.checked_add(Duration::from_nanos(nanos.max(0) as u64))
        .or_else(|| now.checked_add(Duration::from_secs(1 << 32)))
        .unwrap_or(now)
}

fn unix_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
}

type NativeResult = Result<Vec<u64>, Unwind>;

impl Vm {
    /// `time.startTimer`: a new Timer/Ticker (channel or function) due in `d`.
    fn start_timer(&mut self, chan: u64, func: u64, d: i64, period: i64) -> NativeResult {
        self.mark_timer_chan(chan);
        let rt = self.rt.clone();
        let mut tab = rt.ttable.lock();
        tab.next_id += 1;
        let id = tab.next_id;
        tab.next_gen += 1;
        let gen = tab.next_gen;
        tab.active.insert(
            id,
            ActiveTimer {
                gen,
                chan,
                func,
                period,
            },
        );
        rt.add_time_timer(deadline(d), id, gen, chan);
        Ok(vec![id])
    }

    /// Deactivates a timer and drains its channel (Go 1.23): true if it had not yet fired,
    /// or had fired but its value was not yet received.
    fn deactivate_timer(&mut self, tab: &mut TimerTable, id: u64, chan: u64) -> bool {
        let pending = tab.active.remove(&id).is_some();
        if pending {
            self.rt.remove_time_timer(id);
        }
        let drained = chan != 0 && self.timer_drain(chan);
        pending || drained
    }

    fn stop_timer(&mut self, id: u64, chan: u64) -> NativeResult {
        let rt = self.rt.clone();
        let mut tab = rt.ttable.lock();
        let pending = self.deactivate_timer(&mut tab, id, chan);
        Ok(vec![u64::from(pending)])
    }

    fn reset_timer(&mut self, id: u64, chan: u64, func: u64, d: i64, period: i64) -> NativeResult {
        let rt = self.rt.clone();
        let mut tab = rt.ttable.lock();
        let pending = self.deactivate_timer(&mut tab, id, chan);
        tab.next_gen += 1;
        let gen = tab.next_gen;
        tab.active.insert(
            id,
            ActiveTimer {
                gen,
                chan,
                func,
                period,
            },
        );
        rt.add_time_timer(deadline(d), id, gen, chan);
        Ok(vec![u64::from(pending)])
    }

    /// A `time.Timer`/`Ticker` fires (called by the scheduler for a current generation):
    /// a Ticker re-arms at its next multiple of the period; the current time is sent on the
    /// channel, or the function starts in a new goroutine.
    pub(crate) fn fire_timer(&mut self, when: Instant, id: u64, gen: u64) {
        let rt = self.rt.clone();
        let mut tab = rt.ttable.lock();
        let Some(t) = tab.active.get(&id).copied() else {
            return;
        };
        if t.gen != gen {
            return;
        }
        if t.period > 0 {
            let period = t.period as u128;
            let behind = Instant::now().saturating_duration_since(when).as_nanos();
            let k = behind / period + 1;
            let step = u64::try_from(k * period).unwrap_or(u64::MAX / 2);
            let next = when
                .checked_add(Duration::from_nanos(step))
                .unwrap_or_else(|| deadline(t.period));
            rt.add_time_timer(next, id, gen, t.chan);
        } else {
            tab.active.remove(&id);
        }
        if t.chan != 0 {
            let now = self.heap.cells(vec![0, unix_nanos() as u64, 0]);
            self.timer_send(t.chan, now);
            drop(tab);
        } else {
            drop(tab);
            let _ = self.go(u32::MAX, t.func, Vec::new(), None);
        }
    }

    fn sleep(&mut self, nanos: i64) -> NativeResult {
        if nanos <= 0 {
            return Ok(vec![]);
        }
        let when = deadline(nanos);
        Err(Park::unwind(
            WaitReason::Sleep,
            Held::None,
            ParkTo::Timer(when),
        ))
    }
}
