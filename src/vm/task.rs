//! Recursive natives, interpreter side: a fmt native whose operands have `String()`/`Error()`
//! methods returns a [`Task`] instead of results. The VM runs each method the task asks for as
//! an ordinary frame of the calling goroutine, marked as the task's, and feeds the frame's
//! result back when it returns (or the panic that ended it: fmt prints that as
//! `%!v(PANIC=String method: ...)`). So a `String` method may lock a mutex or receive from a
//! channel and block like any Go code; the formatting engine waits on its own stack
//! ([`super::coro`]).
//!
//! When the job is done, the task's continuation ([`Then`]) turns the text into the native's
//! results, or into a call (`Fprint*` ends by calling the writer's `Write`, whose results are
//! the native's results).
//!
//! Where a native runs to completion at once (a nested invocation, a deferred or `go` native
//! call that reached the VM unwrapped), [`Vm::complete_now`] runs the methods on a nested
//! goroutine instead; those cannot block. The checker wraps `defer fmt.Println(x)` and
//! `go fmt.Println(x)` in wrapper functions (as Go does), so those run as ordinary frames.

use super::coro::{Formatting, Job, Output, Step};
use super::{Goroutine, Reg, Unwind, Vm};
use crate::fmt::{MethodHost, MethodResult, NoHost};
use std::io::Write;

/// A native in progress.
pub(crate) struct Task {
    /// The suspended formatting job (`None` when it needed no method).
    formatting: Option<Formatting>,
    /// What the job needs now.
    next: Option<Step>,
    /// The method calls the job may ask for, by id: (function, receiver).
    calls: Vec<(u32, u64)>,
    then: Then,
    /// Where the native's caller wants its results, or nowhere.
    ret: Reg,
    discard: bool,
}

/// What a fmt native does with the formatted text.
pub(crate) enum Then {
    /// `fmt.Print*`: write it to standard output; results `(n, nil)`.
    Stdout,
    /// `fmt.Sprint*`: results `(string)`.
    String,
    /// `fmt.Fprint*`: call `func(recv, []byte(text))`, whose results are the native's.
    Write { func: u32, recv: u64 },
    /// fmt's Errorf engine: results `(string, []int of wrapped operand indexes)`.
    Errorf,
}

/// How a finished task ends.
enum Finish {
    Results(Vec<u64>),
    Call { func: u32, args: Vec<u64> },
}

/// How many fmt natives may wait for methods at once in one goroutine (a `String` method
/// printing its own receiver recurses forever: Go's stack overflow, reached sooner, since
/// each level holds a formatting stack).
const MAX_NESTED_TASKS: usize = 2048;

/// A method frame of a task calls its function with its receiver only.
const NO_CLOSURE: u64 = 0;

impl Vm {
    /// Runs a fmt job: at once if no operand has methods, else as a task (`Unwind::Task`).
    pub(crate) fn fmt_job(
        &mut self,
        job: Job,
        calls: Vec<(u32, u64)>,
        then: Then,
    ) -> Result<Vec<u64>, Unwind> {
        let (formatting, step) = if calls.is_empty() {
            (None, Step::Done(job.run(&mut NoHost)))
        } else {
            let (formatting, step) = Formatting::start(job);
            (Some(formatting), step)
        };
        if let (Step::Done(output), false) = (&step, matches!(then, Then::Write { .. })) {
            // Nothing left to call: no task needed.
            if let Finish::Results(results) = self.finish(&then, output) {
                return Ok(results);
            }
        }
        Err(Unwind::Task(Box::new(Task {
            formatting,
            next: Some(step),
            calls,
            then,
            ret: 0,
            discard: true,
        })))
    }

    /// Calls a native from a call instruction: its results go to the current frame's `ret`,
    /// or, if it returns a task, the task starts (pushing the frame of its first method).
    pub(crate) fn call_native_into(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        args: &[u64],
        ret: Reg,
    ) -> Result<(), Unwind> {
        // Matched in place, not moved: copying the returned value with wide loads right after
        // the native wrote it with narrow stores stalls store-to-load forwarding.
        let outcome = self.call_native_raw(g, func, args);
        if let Ok(results) = &outcome {
            self.write_results(g, ret, results);
            return Ok(());
        }
        match outcome {
            Ok(_) => Ok(()),
            Err(Unwind::Task(mut task)) => {
                task.ret = ret;
                task.discard = false;
                self.drive(g, *task)
            }
            Err(other) => Err(other),
        }
    }

    /// Advances a task: pushes the frame of the method it needs, or finishes it. A method that
    /// is itself a native (`runtime.Error`'s) runs at once.
    fn drive(&mut self, g: &mut Goroutine, mut task: Task) -> Result<(), Unwind> {
        while let Some(Step::Call(id)) = task.next {
            let Some(&(func, _)) = task.calls.get(id as usize) else {
                return Err(Unwind::Fatal(format!("gom: fmt asked for method {id}")));
            };
            if self.program.functions[func as usize].native.is_none() {
                break;
            }
            let reply = NestedHost {
                vm: self,
                calls: &task.calls,
            }
            .call(id);
            task.next = task.formatting.as_mut().map(|f| f.resume(reply));
        }
        match task.next.take() {
            Some(Step::Call(id)) => {
                let Some(&(func, recv)) = task.calls.get(id as usize) else {
                    return Err(Unwind::Fatal(format!("gom: fmt asked for method {id}")));
                };
                if g.tasks.len() >= MAX_NESTED_TASKS {
                    return Err(Unwind::Fatal("stack overflow".to_string()));
                }
                g.tasks.push(task);
                self.push_frame(g, func, &[recv], 0, NO_CLOSURE, true)?;
                if let Some(frame) = g.frames.last_mut() {
                    frame.task = true;
                }
                Ok(())
            }
            Some(Step::Done(output)) => match self.finish(&task.then, &output) {
                Finish::Results(results) => {
                    if !task.discard {
                        self.write_results(g, task.ret, &results);
                    }
                    Ok(())
                }
                Finish::Call { func, args } => {
                    if self.program.functions[func as usize].native.is_some() {
                        let results = self.call_native(g, func, &args)?;
                        if !task.discard {
                            self.write_results(g, task.ret, &results);
                        }
                        return Ok(());
                    }
                    self.push_frame(g, func, &args, task.ret, NO_CLOSURE, task.discard)
                }
            },
            None => Ok(()),
        }
    }

    /// A task's method frame returned `results` (or ended with a panic, as text): resumes the
    /// innermost task.
    pub(crate) fn resume_task(
        &mut self,
        g: &mut Goroutine,
        outcome: Result<&[u64], String>,
    ) -> Result<(), Unwind> {
        let Some(mut task) = g.tasks.pop() else {
            return Ok(());
        };
        let reply: MethodResult = match outcome {
            Ok(results) => Ok(self
                .heap
                .str_bytes(results.first().copied().unwrap_or(0))
                .to_vec()),
            Err(text) => Err(text.into_bytes()),
        };
        task.next = task.formatting.as_mut().map(|f| f.resume(reply));
        self.drive(g, task)
    }

    /// Finishes a task here and now, running its methods on nested goroutines (which cannot
    /// block): for natives called where no frame can be pushed.
    pub(crate) fn complete_now(&mut self, mut task: Task) -> Result<Vec<u64>, Unwind> {
        loop {
            match task.next.take() {
                Some(Step::Call(id)) => {
                    let reply = NestedHost {
                        vm: self,
                        calls: &task.calls,
                    }
                    .call(id);
                    task.next = task.formatting.as_mut().map(|f| f.resume(reply));
                }
                Some(Step::Done(output)) => {
                    return match self.finish(&task.then, &output) {
                        Finish::Results(results) => Ok(results),
                        Finish::Call { func, args } => self.invoke(func, args),
                    }
                }
                None => return Ok(Vec::new()),
            }
        }
    }

    /// Turns a finished job's text into the native's results or final call.
    fn finish(&mut self, then: &Then, output: &Output) -> Finish {
        match then {
            Then::Stdout => {
                let _ = self.out.write_all(&output.text);
                Finish::Results(vec![output.text.len() as u64, 0])
            }
            Then::String => Finish::Results(vec![self.heap.string(&output.text)]),
            Then::Errorf => {
                let s = self.heap.string(&output.text);
                let wrapped = output.wrapped.iter().map(|i| *i as u64).collect();
                Finish::Results(vec![s, self.slice_from(wrapped)])
            }
            Then::Write { func, recv } => {
                let bytes = output.text.iter().map(|b| u64::from(*b)).collect();
                let slice = self.slice_from(bytes);
                Finish::Call {
                    func: *func,
                    args: vec![*recv, slice],
                }
            }
        }
    }
}

/// Runs a task's methods on nested goroutines (see [`Vm::complete_now`]).
struct NestedHost<'a> {
    vm: &'a mut Vm,
    calls: &'a [(u32, u64)],
}

impl MethodHost for NestedHost<'_> {
    fn call(&mut self, id: u64) -> MethodResult {
        let Some(&(func, recv)) = self.calls.get(id as usize) else {
            return Err(b"?".to_vec());
        };
        match self.vm.invoke(func, vec![recv]) {
            Ok(results) => Ok(self
                .vm
                .heap
                .str_bytes(results.first().copied().unwrap_or(0))
                .to_vec()),
            Err(Unwind::Panic(p)) => Err(self.vm.panic_text(&p).into_bytes()),
            Err(_) => Err(b"gom: method did not return".to_vec()),
        }
    }
}
