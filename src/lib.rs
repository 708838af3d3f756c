//! # gradlab — an optimization playground
//!
//! Data flows one way, and the modules are named after the stages:
//!
//! 1. [`problem`] — *what is minimized*: an [`problem::Objective`] (value, gradient, Hessian) such as
//!    the MATLAB *peaks* surface.
//! 2. [`diff`] — *where derivatives come from*: analytic, finite differences, and the check between them.
//! 3. [`solver`] — *how it is minimized*: each method advances one iteration at a time; one shared
//!    driver ([`solver::run`]) counts evaluations, checks stop criteria and records the trace.
//! 4. [`trace`] — *what happened*: one [`trace::Iterate`] per iteration and a named [`trace::StopReason`].
//! 5. [`experiment`] — a serde config of one whole experiment and `run(config) -> traces`, a pure
//!    function (so a permalink reproduces a run bit for bit).
//! 6. [`plot`] — surface, contour and convergence charts drawn onto *any* plotters backend (a canvas
//!    in the browser, a bitmap in native tests).
//! 7. `web` (wasm32 only) — the single `#[wasm_bindgen]` module: exports and DOM glue.
//!
//! Everything except `web` is plain Rust and is tested natively with `cargo test`.

// Tests tweak a default experiment field by field and index parallel vectors: clearer that way.
#![cfg_attr(
    test,
    allow(clippy::field_reassign_with_default, clippy::needless_range_loop)
)]

pub mod basin;
pub mod controls;
pub mod diff;
pub mod experiment;
pub mod experiment_fit;
pub mod experiment_regression;
pub mod explain;
pub mod link;
pub mod math;
pub mod plot;
pub mod presets;
pub mod problem;
pub mod rng;
pub mod solver;
pub mod trace;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// In WebAssembly, Talc instead of the default dlmalloc: the solvers allocate small vectors every
/// iteration, and dlmalloc's malloc/free were ≈ 10 % of the NIST benchmark's time in wasm
/// (BENCHMARKS.md). Native builds keep the system allocator.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
