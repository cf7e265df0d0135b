//! Stackful coroutines for the natives that call back into user code (DESIGN.md's *recursive
//! natives*): fmt's printing natives, which need a value's `String()`/`Error()` method from
//! deep inside the formatting engine.
//!
//! Contract: [`Formatting::start`] runs a formatting job on a pooled corosensei stack until it
//! needs its first method result or finishes. A [`Step::Call`] hands the method call back to
//! the interpreter, which runs it as an ordinary frame of the same goroutine (so it may block,
//! be preempted, migrate to another M or panic) and passes its outcome back with
//! [`Formatting::resume`] when that frame returns. The goroutine holds the stack only while
//! such a native is in progress; a finished job gives its stack back to the pool.
//!
//! This is the only module with `unsafe` (one `impl Send`), see the SAFETY note below.
#![allow(unsafe_code)]

use crate::fmt::{self as gofmt, FmtValue, MethodHost, MethodResult};
use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult, Yielder};
use parking_lot::Mutex;

/// A formatting stack: deep enough for the engine's bounded recursion over nested values.
const STACK_BYTES: usize = 256 * 1024;
/// Idle stacks kept for reuse (each is address space reserved with `mmap`).
const POOL_SIZE: usize = 32;

static POOL: Mutex<Vec<DefaultStack>> = Mutex::new(Vec::new());

/// What a fmt native formats.
pub(crate) enum Job {
    Print(Vec<FmtValue>),
    Println(Vec<FmtValue>),
    Printf(Vec<u8>, Vec<FmtValue>),
    /// `fmt.Errorf`'s engine: the text and the operand indexes `%w` wrapped.
    Errorf(Vec<u8>, Vec<FmtValue>),
}

/// A finished job: the formatted bytes, and for `Errorf` the wrapped operands.
pub(crate) struct Output {
    pub text: Vec<u8>,
    pub wrapped: Vec<usize>,
}

impl Job {
    /// Runs the job; each method result comes from `host`.
    pub(crate) fn run(self, host: &mut dyn MethodHost) -> Output {
        let text = |text| Output {
            text,
            wrapped: Vec::new(),
        };
        match self {
            Job::Print(values) => text(gofmt::sprint_with(host, &values)),
            Job::Println(values) => text(gofmt::sprintln_with(host, &values)),
            Job::Printf(format, values) => text(gofmt::sprintf_with(host, &format, &values)),
            Job::Errorf(format, values) => {
                let (text, wrapped) = gofmt::errorf_with(host, &format, &values);
                Output { text, wrapped }
            }
        }
    }
}

/// Where a formatting job is.
pub(crate) enum Step {
    /// It needs the result of method call number `id` (an index the native chose).
    Call(u64),
    Done(Output),
}

type Co = Coroutine<MethodResult, u64, Output, DefaultStack>;

/// A formatting job suspended on its own stack, waiting for a method result.
pub(crate) struct Formatting(Option<Co>);

// SAFETY: a coroutine is `!Send` because, in general, its stack may hold non-`Send` data while
// suspended. This one runs only `Job::run`: the formatting engine of `crate::fmt`, which owns
// its data (`FmtValue` trees of `Vec`s and `Arc<str>`, byte buffers), uses no thread-locals
// and no `Rc`, and reaches the interpreter only through `Suspender`, which holds nothing but
// the coroutine's own `Yielder`. `Job` is `Send` (checked by `start`'s bound on the closure's
// captures), so everything on the suspended stack may move to another thread with the
// goroutine that owns it.
unsafe impl Send for Formatting {}

/// The engine's method host on the coroutine: asks the interpreter by suspending.
struct Suspender<'y> {
    yielder: &'y Yielder<MethodResult, u64>,
}

impl MethodHost for Suspender<'_> {
    fn call(&mut self, id: u64) -> MethodResult {
        self.yielder.suspend(id)
    }
}

impl Formatting {
    /// Starts `job` on a pooled stack; runs it until its first method call or its end.
    pub(crate) fn start(job: Job) -> (Formatting, Step) {
        let stack = POOL
            .lock()
            .pop()
            .map_or_else(|| DefaultStack::new(STACK_BYTES), Ok);
        let Ok(stack) = stack else {
            // No address space for a stack: format without methods rather than fail.
            return (Formatting(None), Step::Done(job.run(&mut gofmt::NoHost)));
        };
        let co = Co::with_stack(stack, move |yielder, _first: MethodResult| {
            job.run(&mut Suspender { yielder })
        });
        let mut formatting = Formatting(Some(co));
        let step = formatting.resume(Ok(Vec::new()));
        (formatting, step)
    }

    /// Passes the result of the method call asked for, and runs to the next call or the end.
    pub(crate) fn resume(&mut self, reply: MethodResult) -> Step {
        let Some(co) = self.0.as_mut() else {
            return Step::Done(Output {
                text: Vec::new(),
                wrapped: Vec::new(),
            });
        };
        match co.resume(reply) {
            CoroutineResult::Yield(id) => Step::Call(id),
            CoroutineResult::Return(output) => {
                if let Some(done) = self.0.take() {
                    let mut pool = POOL.lock();
                    if pool.len() < POOL_SIZE {
                        pool.push(done.into_stack());
                    }
                }
                Step::Done(output)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn stringer(id: u64) -> FmtValue {
        FmtValue::Methods {
            methods: Box::new(gofmt::Methods {
                error: None,
                string: Some(gofmt::MethodCall::Deferred(id)),
                go_string: None,
            }),
            inner: Box::new(FmtValue::String {
                ty: Arc::from("main.T"),
                v: b"inner".to_vec(),
            }),
        }
    }

    #[test]
    fn method_results_come_from_resume_even_on_another_thread() {
        let job = Job::Println(vec![stringer(0), stringer(1)]);
        let (mut f, step) = Formatting::start(job);
        assert!(matches!(step, Step::Call(0)));
        let step = std::thread::spawn(move || {
            let step = f.resume(Ok(b"first".to_vec()));
            (f, step)
        })
        .join();
        let Ok((mut f, Step::Call(1))) = step else {
            panic!("expected the second call")
        };
        match f.resume(Err(b"boom".to_vec())) {
            Step::Done(out) => assert_eq!(
                String::from_utf8_lossy(&out.text),
                "first %!v(PANIC=String method: boom)\n"
            ),
            Step::Call(_) => panic!("expected the end"),
        }
    }
}
