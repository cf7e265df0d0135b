//! Incremental compiling for the REPL: compiles the functions a checked entry added.
//!
//! Input: a [`check::session::Session`] and the [`Delta`] of its last entry. Output: the
//! whole [`bytecode::Program`] so far, whose `entry` is a new function that runs the entry's
//! initialisation steps and then calls the entry's statement function, if any. Entry:
//! [`Session::add`]. Function index `i` is the checker's `FuncId(i)`, as in
//! [`super::compile_program`]; the runner of each entry is a function id reserved in the
//! checker session for it, so the two numberings stay in step. Constants are appended, never
//! renumbered, so the running VM only has to load the new ones.

use super::{Builder, FuncCompiler};
use crate::bytecode::{self, Const, Function, Op};
use crate::check::session::{Delta, Session as CheckSession};
use crate::check::tast::{self, FuncId};
use crate::check::types::{TypeId, TypeTable};
use crate::source::Span;
use std::collections::HashMap;

/// The compiled state of a REPL session.
pub struct Session {
    builder: Builder,
    functions: Vec<Function>,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        Session {
            builder: Builder {
                types: TypeTable::new(),
                consts: vec![Const::Word(0)],
                const_index: HashMap::new(),
                strings: Vec::new(),
                print_types: Vec::new(),
                global_types: Vec::new(),
            },
            functions: Vec::new(),
        }
    }

    /// Compiles the entry's new functions and its runner (`call`: the entry's statement
    /// function); returns the program so far with the runner as its entry.
    pub fn add(
        &mut self,
        check: &mut CheckSession,
        delta: &Delta,
        call: Option<FuncId>,
    ) -> bytecode::Program {
        let runner = check.reserve_func("repl.entry");
        self.builder.types = check.compiled_types();
        self.builder.global_types = check.globals().iter().map(|g| g.ty).collect();
        let funcs = check.funcs();
        // Everything the checker added since the last entry (the first time: also what it
        // declared up front, such as `runtime.Error.Error`).
        let first = self.functions.len().min(delta.first_func);
        self.functions.truncate(first);
        for i in first..runner.0 as usize {
            let f = self.builder.function(FuncId(i as u32), &funcs[i], funcs);
            self.functions.push(f);
        }
        let code = self.runner(&delta.init, call, funcs);
        self.functions.push(code);
        bytecode::Program {
            functions: self.functions.clone(),
            consts: self.builder.consts.clone(),
            strings: self.builder.strings.clone(),
            entry: runner.0,
            types: self.builder.types.clone(),
            files: check.files().to_vec(),
            print_types: self.builder.print_types.clone(),
            globals: self.builder.global_types.iter().map(|t| t.0).collect(),
        }
    }

    /// The disassembly of the functions whose names `wanted` accepts (`None`: there is none).
    pub fn disassemble(&self, wanted: impl Fn(&str) -> bool) -> Option<String> {
        let mut out = String::new();
        for (i, f) in self.functions.iter().enumerate() {
            if !wanted(&f.name) || f.native.is_some() {
                continue;
            }
            out.push_str(&format!(
                "func {i} {} (params {}, results {}, registers {})\n",
                f.name, f.nparams, f.nresults, f.nregs
            ));
            for (pc, op) in f.code.iter().enumerate() {
                out.push_str(&format!("  {pc:4}  {op}\n"));
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// The code of one entry: its initialisation steps, then its statements.
    fn runner(
        &mut self,
        init: &[tast::InitStep],
        call: Option<FuncId>,
        all: &[tast::Func],
    ) -> Function {
        let pseudo =
            tast::Func::empty("main.main".to_string(), TypeId::INVALID, 0, Span::default());
        let mut fc = FuncCompiler::new(&mut self.builder, &pseudo, all);
        for step in init {
            match step {
                tast::InitStep::Vars { globals, values } => fc.init_globals(globals, values),
                tast::InitStep::Init(f) => fc.call_void(*f),
            }
        }
        if let Some(f) = call {
            fc.call_void(f);
        }
        let r = fc.temp();
        fc.emit(Op::Return { src: r, n: 0 }, Span::default());
        fc.finish()
    }
}
