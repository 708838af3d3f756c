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
//! 5. [`lab`] — the three labs (surfaces, regression, fit), each a serde config of one whole
//!    experiment, `run(config)` (a pure function, so a permalink reproduces a run bit for bit), the
//!    page's form text → config, and the catalog of what the page offers; plus what the labs share
//!    (presets, explanations, basins of attraction, permalinks).
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

pub mod diff;
pub mod i18n;
pub mod lab;
pub mod math;
pub mod plot;
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
