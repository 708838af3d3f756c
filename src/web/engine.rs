//! The compute side of the page (`www/worker.js`, a module Web Worker running this same wasm
//! module): a request `{lab, config, nist?}` in, the lab's result out as MessagePack bytes that
//! the page's lab object installs with its `accept`. Stateless and without drawing, so the same
//! function runs on the page thread when no worker can be had.
//!
//! Why bytes: the result crosses the thread boundary in one transferred `ArrayBuffer` (no copy,
//! no JSON of big arrays), every f64 bit for bit; MessagePack is self-describing, so the traces'
//! optional fields survive. Runs go solver by solver, reporting the fraction done after each
//! (the solvers of a race are independent: the traces equal those of one joint run, bit for bit —
//! `tests/engine.rs`).

use crate::lab::fit::{self as lab_fit, FitExperiment, FitResult};
use crate::lab::regression::{self as lab_regression, RegressionExperiment};
use crate::lab::surfaces::Experiment;
use crate::trace::TraceColumns;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// A fit and, for a 2-parameter model, its SSR landscape (what the fit lab's `accept` takes).
#[derive(Serialize, Deserialize)]
pub struct FitOutcome {
    pub result: FitResult,
    pub landscape: Option<lab_fit::Landscape>,
}

/// A basin map to compute: the experiment (its first solver, its view box) and cells per side.
#[derive(Serialize, Deserialize)]
pub struct BasinRequest {
    pub experiment: Experiment,
    pub n: usize,
}

/// How often a basin map in the worker sends the rows done so far to the page.
const BASIN_REPORT_MS: f64 = 100.0;

/// Encodes a result for the trip to the page.
fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, JsValue> {
    rmp_serde::to_vec_named(value)
        .map_err(|e| JsValue::from_str(&format!("encoding the result: {e}")))
}

/// Decodes what [`engine_run`] encoded.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsValue> {
    rmp_serde::from_slice(bytes)
        .map_err(|e| JsValue::from_str(&format!("decoding the result: {e}")))
}

/// The request a lab hands to the page for the worker: `{lab, config, nist?}`.
pub(crate) fn request<T: Serialize>(lab: &str, config: &T, nist: Option<&str>) -> JsValue {
    #[derive(Serialize)]
    struct Request<'a, T> {
        lab: &'a str,
        config: &'a T,
        #[serde(skip_serializing_if = "Option::is_none")]
        nist: Option<&'a str>,
    }
    super::to_js(&Request { lab, config, nist })
}

/// Runs one experiment of lab `lab` ("surfaces", "regression", "fit", or "basin" — a basin map
/// of a surfaces experiment, config [`BasinRequest`]) from its serde `config`; `nist` is the NIST
/// StRD file a fit of a NIST model needs; `progress(fraction)` is called after each solver (for a
/// basin map `progress(fraction, bytes)` every ~100 ms with the map so far). Returns the result
/// as bytes, or throws the run's error message.
#[wasm_bindgen]
pub fn engine_run(
    lab: &str,
    config: JsValue,
    nist: Option<String>,
    progress: Option<js_sys::Function>,
) -> Result<Vec<u8>, JsValue> {
    let mut report = |fraction: f64| {
        if let Some(f) = &progress {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_f64(fraction));
        }
    };
    let bad = |e: String| JsValue::from_str(&format!("not a {lab} experiment: {e}"));
    let err = |m: String| JsValue::from_str(&m);
    match lab {
        "surfaces" => {
            let e: Experiment = super::json::from_js(config).map_err(bad)?;
            let traces = e.run_each(&mut report).map_err(err)?;
            encode(&traces.iter().map(TraceColumns::from).collect::<Vec<_>>())
        }
        "regression" => {
            let e: RegressionExperiment = super::json::from_js(config).map_err(bad)?;
            encode(&lab_regression::run_each(&e, &mut report).map_err(err)?)
        }
        "fit" => {
            let e: FitExperiment = super::json::from_js(config).map_err(bad)?;
            let (result, landscape) =
                lab_fit::run_each(&e, nist.as_deref(), &mut report).map_err(err)?;
            encode(&FitOutcome { result, landscape })
        }
        "basin" => {
            let r: BasinRequest = super::json::from_js(config).map_err(bad)?;
            let mut last = js_sys::Date::now();
            let mut send = |cells: &crate::lab::basin::BasinCells| {
                let Some(f) = &progress else { return };
                let now = js_sys::Date::now();
                if now - last < BASIN_REPORT_MS || cells.done() {
                    return;
                }
                last = now;
                if let Ok(bytes) = rmp_serde::to_vec_named(cells) {
                    let bytes = js_sys::Uint8Array::from(&bytes[..]);
                    let _ = f.call2(&JsValue::NULL, &JsValue::from_f64(cells.progress()), &bytes);
                }
            };
            encode(&crate::lab::basin::run_each(&r.experiment, r.n, &mut send).map_err(err)?)
        }
        other => Err(JsValue::from_str(&format!("unknown lab “{other}”"))),
    }
}
