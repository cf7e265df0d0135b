//! Natives of `os/signal`: real operating-system signals delivered into the scheduler.
//!
//! Input: the three body-less functions of `stdlib/os/signal/signal.gom` — `watch(sig,
//! deliver, idle)`, `unwatch(sig)`, `ignore(sig)` — which set the action for one signal
//! number. Output: that action, carried out when the signal arrives. Entry: [`lookup`].
//!
//! The registry of channels lives in the language (`Notify`/`Stop` keep it); this module only
//! knows, per signal number, whether to *deliver* it (start a goroutine running the
//! language's `deliver` closure, which sends to the channels without blocking), *ignore* it,
//! or apply the *default* action (SIGINT/SIGTERM end the process, as if no handler existed).
//!
//! A signal-hook iterator thread receives the signals. It starts the `deliver` closure the way
//! `time.AfterFunc` starts its function: a timer due now, so the scheduler (which may be idle,
//! waiting on its timer heap) wakes and runs it. The first `watch` also arms a ticker with an
//! empty function an hour apart: like Go's signal-handling goroutine, it keeps a program that
//! waits only for signals from being reported as deadlocked (the deadlock detector counts a
//! pending function timer as a possible waker).
//!
//! The state is process-global (one watcher thread, one table), as signals are: gom runs one
//! program per process.

use super::natives::Native;
use super::natives::{words, Words};
use super::sched::Sched;
use super::{Unwind, Vm};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What happens to one signal number.
#[derive(Clone, Copy)]
enum Action {
    /// The operating system's default (no handler installed, or emulated).
    Default,
    Ignore,
    /// Start a goroutine running this closure.
    Deliver(u64),
}

/// The process's signal watcher: the scheduler to deliver into, the handle that installs
/// handlers, and the action per signal number.
struct Watcher {
    rt: Arc<Sched>,
    handle: signal_hook::iterator::Handle,
    actions: HashMap<i32, Action>,
}

static WATCHER: Mutex<Option<Watcher>> = Mutex::new(None);

/// How often the keep-alive ticker fires (its function does nothing).
const KEEP_ALIVE: Duration = Duration::from_secs(3600);

type NativeResult = Result<Words, Unwind>;

/// The native implementing a body-less `os/signal` function, by qualified name.
pub(crate) fn lookup(name: &str) -> Option<Native> {
    Some(match name {
        "os/signal.watch" => |vm, _, a| vm.signal_watch(a[0] as i64, a[1], a[2]),
        "os/signal.unwatch" => |vm, _, a| vm.signal_set(a[0] as i64, Action::Default),
        "os/signal.ignore" => |vm, _, a| vm.signal_set(a[0] as i64, Action::Ignore),
        _ => return None,
    })
}

/// Starts `func` in a new goroutine through a timer due now (see the module comment);
/// a positive `period` makes it a ticker.
fn start_func(rt: &Sched, func: u64, period: Duration) {
    rt.start_timer(Instant::now() + period, 0, func, period.as_nanos() as i64);
}

/// Runs on the watcher thread for each signal received.
fn dispatch(sig: i32) {
    let guard = WATCHER.lock();
    let Some(w) = guard.as_ref() else { return };
    match w.actions.get(&sig).copied().unwrap_or(Action::Default) {
        Action::Ignore => {}
        Action::Deliver(func) => start_func(&w.rt, func, Duration::ZERO),
        Action::Default => {
            drop(guard);
            // The handler stays installed (signal-hook cannot remove it), so the default
            // action is carried out by hand: for SIGINT/SIGTERM, the process ends.
            let _ = signal_hook::low_level::emulate_default_handler(sig);
        }
    }
}

/// Creates the watcher (thread, handle, keep-alive ticker) on first use.
fn watcher<'a>(
    guard: &'a mut Option<Watcher>,
    rt: &Arc<Sched>,
    idle: u64,
) -> Option<&'a mut Watcher> {
    if guard.is_none() {
        let mut signals = signal_hook::iterator::Signals::new(std::iter::empty::<i32>()).ok()?;
        let handle = signals.handle();
        std::thread::Builder::new()
            .name("gom-signals".to_string())
            .spawn(move || {
                for sig in signals.forever() {
                    dispatch(sig);
                }
            })
            .ok()?;
        if idle != 0 {
            start_func(rt, idle, KEEP_ALIVE);
        }
        *guard = Some(Watcher {
            rt: rt.clone(),
            handle,
            actions: HashMap::new(),
        });
    }
    guard.as_mut()
}

impl Vm {
    /// `watch(sig, deliver, idle)`: deliver `sig` by running `deliver` in a new goroutine.
    fn signal_watch(&mut self, sig: i64, deliver: u64, idle: u64) -> NativeResult {
        self.signal_action(sig, Action::Deliver(deliver), idle);
        Ok(words![])
    }

    /// `unwatch(sig)` / `ignore(sig)`.
    fn signal_set(&mut self, sig: i64, action: Action) -> NativeResult {
        self.signal_action(sig, action, 0);
        Ok(words![])
    }

    /// Sets the action for `sig`, installing the handler unless the action is the default
    /// and none is installed yet. Signals that cannot be caught (SIGKILL, SIGSTOP) or that
    /// signal-hook refuses are left alone, as Go's Notify ignores them.
    fn signal_action(&mut self, sig: i64, action: Action, idle: u64) {
        let Ok(sig) = i32::try_from(sig) else { return };
        let mut guard = WATCHER.lock();
        if guard.is_none() && matches!(action, Action::Default) {
            return;
        }
        let Some(w) = watcher(&mut guard, &self.rt, idle) else {
            return;
        };
        if !w.actions.contains_key(&sig) && w.handle.add_signal(sig).is_err() {
            return;
        }
        w.actions.insert(sig, action);
    }
}
