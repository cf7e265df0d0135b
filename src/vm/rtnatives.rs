//! Natives of the runtime that are not `sync`: `time` (Sleep, Now, Sub, the timers),
//! `runtime` (NumGoroutine, Gosched, Goexit, GOMAXPROCS, GC, readMemStats: a walk over gom's
//! heap plus the RSS, Caller, Stack, Version) and `runtime/debug` (readGCStats, the Set*
//! settings, Stack, PrintStack; see [`RtStats`]). The `sync` and `sync/atomic` natives live in
//! `syncnatives.rs`.
//!
//! Sleeping and timers park on the scheduler's timer heap (see `sched.rs`); a fired timer
//! sends on its channel or starts its function in a new goroutine.

use super::natives::Native;
use super::natives::{words, Words};
use super::sched::{ActiveTimer, Held, Park, ParkTo, TimerTable, WaitReason};
use super::{PanicValue, Unwind, Vm};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The native implementing a body-less runtime function, by qualified name.
pub(crate) fn lookup(name: &str) -> Option<Native> {
    Some(match name {
        "time.Sleep" => |vm, _, a| vm.sleep(a[0] as i64),
        "time.Now" => |vm, _, _| Ok(words![vm.time_now()]),
        "time.readZoneFile" => |vm, _, a| {
            let path = String::from_utf8_lossy(vm.heap.str_bytes(a[0])).into_owned();
            Ok(match std::fs::read(path) {
                Ok(data) => words![vm.heap.string(&data), 1],
                Err(_) => words![vm.heap.string(b""), 0],
            })
        },
        "time.(Time).Sub" | "time.Time.Sub" => |vm, _, a| {
            let (t, u) = (vm.load_word(a[0], 1)?, vm.load_word(a[1], 1)?);
            Ok(words![(t as i64).wrapping_sub(u as i64) as u64])
        },
        "runtime.NumGoroutine" => |vm, _, _| Ok(words![vm.rt.live.load(Ordering::Relaxed) as u64]),
        "runtime.GOMAXPROCS" => |vm, _, a| Ok(words![vm.set_maxprocs(a[0] as i64) as u64]),
        "runtime.Goexit" => |_, _, _| {
            Err(Unwind::Panic(PanicValue::Runtime(
                super::sched::GOEXIT.to_string(),
            )))
        },
        "runtime.NumCPU" => |_, _, _| {
            Ok(words![
                std::thread::available_parallelism().map_or(1, |n| n.get()) as u64,
            ])
        },
        "time.startTimer" => |vm, _, a| vm.start_timer(a[0], a[1], a[2] as i64, a[3] as i64),
        "time.stopTimer" => |vm, _, a| vm.stop_timer(a[0], a[1]),
        "time.resetTimer" => |vm, _, a| vm.reset_timer(a[0], a[1], a[2], a[3] as i64, a[4] as i64),
        "runtime.GC" | "runtime/debug.FreeOSMemory" => |vm, _, _| {
            vm.rt.stats.forced_gc();
            Ok(words![])
        },
        "runtime.readMemStats" => |vm, _, _| Ok(vm.mem_stats().into()),
        "runtime/debug.readGCStats" => |vm, _, _| {
            let (n, last) = vm.rt.stats.gc();
            Ok(words![n, last as u64])
        },
        "runtime/debug.SetGCPercent" => |vm, _, a| {
            Ok(words![
                vm.rt.stats.gc_percent.swap(a[0] as i64, Ordering::Relaxed) as u64,
            ])
        },
        "runtime/debug.SetMaxStack" => |vm, _, a| {
            Ok(words![
                vm.rt.stats.max_stack.swap(a[0] as i64, Ordering::Relaxed) as u64,
            ])
        },
        "runtime/debug.SetMemoryLimit" => |vm, _, a| {
            let limit = &vm.rt.stats.mem_limit;
            let old = if (a[0] as i64) < 0 {
                limit.load(Ordering::Relaxed)
            } else {
                limit.swap(a[0] as i64, Ordering::Relaxed)
            };
            Ok(words![old as u64])
        },
        "runtime.Version" => |vm, _, _| Ok(words![vm.heap.string(GO_VERSION.as_bytes())]),
        "runtime.KeepAlive" | "runtime.SetFinalizer" => |_, _, _| Ok(words![]),
        "runtime.Caller" => |vm, g, a| Ok(vm.caller(g, a[0] as i64).into()),
        "runtime.Stack" => |vm, g, a| {
            let text = vm.stack_text(g, &[], a[1] != 0);
            Ok(words![vm.copy_slice(a[0], &bytes_as_words(&text)) as u64])
        },
        "runtime/debug.Stack" => |vm, g, _| {
            let text = vm.stack_text(g, &[DEBUG_STACK], false);
            Ok(words![vm.slice_from(bytes_as_words(&text))])
        },
        "runtime/debug.PrintStack" => |vm, g, _| {
            let frames = [
                DEBUG_STACK,
                ("runtime/debug.PrintStack", "runtime/debug/stack.go:18"),
            ];
            let text = vm.stack_text(g, &frames, false);
            vm.write_fd(2, text.as_bytes());
            Ok(words![])
        },
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

type NativeResult = Result<Words, Unwind>;

/// What `runtime.Version` reports: the Go release whose behaviour gom reproduces (the one
/// go-oracle runs), so programs printing it agree with Go.
const GO_VERSION: &str = "go1.27.3";

/// The frame Go shows for `debug.Stack` (Go's own source position).
const DEBUG_STACK: (&str, &str) = ("runtime/debug.Stack", "runtime/debug/stack.go:26");

/// The bytes of a text as the words of a `[]byte`.
fn bytes_as_words(text: &str) -> Vec<u64> {
    text.bytes().map(u64::from).collect()
}

/// The `runtime/debug` settings and the collection counters behind `runtime.ReadMemStats` and
/// `debug.ReadGCStats`. gom's heap does not collect yet: a "collection" is a forced one
/// (`runtime.GC`, `debug.FreeOSMemory`), counted with its time so programs that force one and
/// read the statistics see it, and the settings are recorded and reported back.
pub(crate) struct RtStats {
    num_gc: std::sync::atomic::AtomicU64,
    last_gc: std::sync::atomic::AtomicI64,
    pub gc_percent: std::sync::atomic::AtomicI64,
    pub max_stack: std::sync::atomic::AtomicI64,
    pub mem_limit: std::sync::atomic::AtomicI64,
}

impl Default for RtStats {
    fn default() -> Self {
        // GOGC as Go reads it: a percentage, or "off" (-1); 100 otherwise.
        let gogc = match std::env::var("GOGC").as_deref() {
            Ok("off") => -1,
            Ok(v) => v.trim().parse().unwrap_or(100),
            Err(_) => 100,
        };
        RtStats {
            num_gc: Default::default(),
            last_gc: Default::default(),
            gc_percent: gogc.into(),
            max_stack: 1_000_000_000.into(),
            mem_limit: i64::MAX.into(),
        }
    }
}

impl RtStats {
    fn forced_gc(&self) {
        self.last_gc.store(unix_nanos(), Ordering::Relaxed);
        self.num_gc.fetch_add(1, Ordering::Relaxed);
    }

    /// The number of collections and the time of the last one (Unix nanoseconds).
    fn gc(&self) -> (u64, i64) {
        (
            self.num_gc.load(Ordering::Relaxed),
            self.last_gc.load(Ordering::Relaxed),
        )
    }
}

/// The process's resident set size in bytes (0 where `/proc` is missing).
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

impl Vm {
    /// `time.startTimer`: a new Timer/Ticker (channel or function) due in `d`.
    fn start_timer(&mut self, chan: u64, func: u64, d: i64, period: i64) -> NativeResult {
        self.mark_timer_chan(chan);
        let id = self.rt.start_timer(deadline(d), chan, func, period);
        Ok(words![id])
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
        Ok(words![u64::from(pending)])
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
        Ok(words![u64::from(pending)])
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
            let now = self.time_now();
            self.timer_send(t.chan, now);
            drop(tab);
        } else {
            drop(tab);
            let _ = self.go(u32::MAX, t.func, Vec::new(), None, None);
        }
    }

    /// `runtime.readMemStats`: the heap's bytes and objects (a walk over every object, as
    /// Go's ReadMemStats stops the world), the resident set size, the collections.
    fn mem_stats(&self) -> Vec<u64> {
        use super::heap::Obj;
        let objects = self.heap.count();
        let slot = std::mem::size_of::<std::sync::OnceLock<Obj>>() as u64;
        let mut bytes = 0u64;
        for id in 1..=objects {
            let payload = match self.heap.get(id) {
                Some(Obj::Cells(words)) => 8 * words.len(),
                Some(Obj::Str(b)) => b.len(),
                Some(Obj::Map(m)) => {
                    let m = m.lock().map_or(0, |m| m.entries.len());
                    // An entry's two words plus its index entry (key and position).
                    m * 64
                }
                Some(Obj::Closure { captures, .. }) => 8 * captures.len(),
                Some(Obj::MapIter(it)) => it.lock().map_or(0, |it| 8 * it.1.len()),
                Some(Obj::Chan(c)) => c.lock().footprint(),
                _ => 0,
            };
            bytes += slot + payload as u64;
        }
        let (num_gc, last_gc) = self.rt.stats.gc();
        vec![bytes, objects, resident_bytes(), num_gc, last_gc as u64]
    }

    /// `runtime.Caller(skip)`: the pc (function and instruction), file and line of the
    /// `skip`th caller of the function calling Caller. Main's caller is the runtime's entry,
    /// reported as Go reports `runtime.main`.
    fn caller(&self, g: &super::Goroutine, skip: i64) -> Vec<u64> {
        let depth = usize::try_from(skip)
            .ok()
            .map(|s| g.frames.len().checked_sub(s + 1));
        let Some(Some(index)) = depth else {
            return vec![0, 0, 0, 0];
        };
        let frame = &g.frames[index];
        if frame.func == self.program.entry {
            return vec![1, self.heap.string(b"runtime/proc.go"), 302, 1];
        }
        let (_, position) = self.frame_position(frame.func, frame.pc);
        let (file, line) = position.rsplit_once(':').unwrap_or((&position, "0"));
        let pc = (u64::from(frame.func) + 1) << 32 | frame.pc as u64;
        vec![
            pc,
            self.heap.string(file.as_bytes()),
            line.parse().unwrap_or(0),
            1,
        ]
    }

    /// A `runtime.Stack`-style text of the calling goroutine: `goroutine N [running]:`, the
    /// frames of the natives Go would show (`extra`: name and line in Go's sources), the
    /// goroutine's frames; with `all`, the other goroutines that are parked.
    fn stack_text(&self, g: &super::Goroutine, extra: &[(&str, &str)], all: bool) -> String {
        let mut text = format!("goroutine {} [running]:\n", g.rt.id);
        for (name, position) in extra {
            text.push_str(&format!("{name}()\n\t{position} +0x0\n"));
        }
        for line in self.traceback(g) {
            text.push_str(&line);
            text.push('\n');
        }
        if all {
            for other in self.parked_goroutines() {
                text.push('\n');
                text.push_str(&other);
            }
        }
        text
    }

    /// A `time.Time` for now: `{wall: 1, ext: Unix nanoseconds, loc: nil}` (see `time.gom`).
    /// A `time.Time` for now: wall 3 marks an instant (bit 0) with a monotonic reading (bit 1,
    /// see stdlib/time/time.gom), ext the Unix nanoseconds, loc nil (Local).
    fn time_now(&self) -> u64 {
        self.heap.cells(vec![3, unix_nanos() as u64, 0])
    }

    fn sleep(&mut self, nanos: i64) -> NativeResult {
        if nanos <= 0 {
            return Ok(words![]);
        }
        let when = deadline(nanos);
        Err(Park::unwind(
            WaitReason::Sleep,
            Held::None,
            ParkTo::Timer(when),
        ))
    }
}
