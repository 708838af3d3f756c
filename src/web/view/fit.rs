//! The curve-fitting lab: built-in, typed (formula) or NIST models; generated, pasted or NIST data;
//! Levenberg–Marquardt and Gauss–Newton on the same plots (data + curves, residuals, convergence
//! with λ, SSR landscape for 2-parameter models), the results table and the trace as CSV.

use crate::lab::fit::{
    self, landscape_grid, landscape_view, resolve_model, trace_csv, AnyModel, FitExperiment,
    FitForm, FitModel, FitResult,
};
use crate::lab::form::FieldError;
use crate::plot::contour::MapOverlay;
use crate::plot::fit::{
    draw_fit, draw_lsq_convergence, draw_residuals, fit_color, CurveSeries, ResidualSeries,
};
use crate::plot::{solver_color, Grid, PlotStyle};
use crate::problem::least_squares::{CurveModel, Data, ModelId};
use crate::problem::nist;
use crate::trace::{StopReason, Trace};
use crate::web::{backend, draw_map_on_canvas, fit_canvas, to_js, Layouts};
use plotters::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Points along each drawn curve.
const CURVE_POINTS: usize = 300;

/// The state of the curve-fitting lab.
#[wasm_bindgen]
pub struct FitLab {
    experiment: FitExperiment,
    result: FitResult,
    nist: BTreeMap<String, String>,
    step: usize,
    landscape: Option<Grid>,
    layouts: Layouts,
    /// Fits go to the Web Worker: a changed experiment waits here until the page hands its
    /// result (and SSR landscape) to `accept`.
    deferred: bool,
    pending: Option<FitExperiment>,
    /// Bumped whenever the experiment the page shows (`latest()`) may have changed: the page
    /// re-encodes its link only when this (or its own state) changed.
    revision: u32,
}

/// One solver's fit, as `window.gradlab.lastRun()` reports it.
#[derive(Serialize)]
struct RunSummary<'a> {
    solver: &'a str,
    method: &'static str,
    color: String,
    params: &'a [f64],
    std_errors: &'a [f64],
    ssr: f64,
    r_squared: Option<f64>,
    residual_sd: f64,
    dof: usize,
    grad_norm: f64,
    iterations: usize,
    nfev: usize,
    njev: usize,
    stop: &'a StopReason,
    stop_label: &'a str,
    converged: bool,
    /// Caveats for the standard errors (not converged; rank-deficient J).
    notes: Vec<String>,
}

#[derive(Serialize)]
struct Summary<'a> {
    lab: &'static str,
    model: &'a FitModel,
    model_name: &'a str,
    formula: &'a str,
    param_names: &'a [String],
    points: usize,
    start: &'a [f64],
    certified: Option<&'a [f64]>,
    step: usize,
    max_step: usize,
    solvers: Vec<RunSummary<'a>>,
}

#[derive(Serialize)]
struct ApplyResult<'a> {
    ok: bool,
    errors: Vec<FieldError>,
    summary: Option<Summary<'a>>,
}

/// What the live formula check reports.
#[derive(Serialize)]
struct FormulaCheck {
    ok: bool,
    params: Vec<String>,
    message: String,
    column: usize,
    caret: String,
    /// Remarks on a valid formula (a bare `e` is Euler's number).
    notes: Vec<String>,
    /// The parse shown back, e.g. `read as: y = a·e^(−b·x)` (empty on an error).
    read_as: String,
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn default_experiment() -> FitExperiment {
    FitExperiment {
        model: FitModel::Builtin {
            id: ModelId::MichaelisMenten,
        },
        ..Default::default()
    }
}

impl Default for FitLab {
    fn default() -> Self {
        FitLab::new()
    }
}

#[wasm_bindgen]
impl FitLab {
    /// The lab with its default fit (Michaelis–Menten, generated data, LM and Gauss–Newton), run.
    #[wasm_bindgen(constructor)]
    pub fn new() -> FitLab {
        let experiment = default_experiment();
        let result = fit::run(&experiment).expect("the default fit runs");
        let step = max_step(&result);
        FitLab {
            experiment,
            result,
            nist: BTreeMap::new(),
            step,
            landscape: None,
            layouts: Layouts::default(),
            deferred: false,
            pending: None,
            revision: 0,
        }
    }

    /// From now on, fits are left to the page's worker (see [`FitLab::pending`]).
    pub fn set_deferred(&mut self, on: bool) {
        self.deferred = on;
    }

    /// The fit the page must have done, `{lab: "fit", config, nist}`, or `null`.
    pub fn pending(&self) -> JsValue {
        match &self.pending {
            Some(e) => crate::web::engine::request("fit", e, self.nist_for(e)),
            None => JsValue::NULL,
        }
    }

    /// Installs the worker's result (`engine_run` bytes: the fit and its SSR landscape).
    pub fn accept(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        let e = self
            .pending
            .take()
            .ok_or_else(|| JsValue::from_str("no fit is pending"))?;
        let outcome: crate::web::engine::FitOutcome = crate::web::engine::decode(bytes)?;
        self.install(e, outcome.result);
        self.landscape = outcome
            .landscape
            .map(|l| Grid::from_values(l.view, l.nx, l.ny, l.values));
        Ok(())
    }

    /// Forgets the pending experiment (its fit was cancelled or failed): the previous one stays.
    pub fn drop_pending(&mut self) {
        self.pending = None;
        self.revision = self.revision.wrapping_add(1);
    }

    /// Changes whenever the experiment the page shows may have changed (a cheap test for the
    /// page's link: no re-encoding of large data on unrelated clicks).
    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// Models, NIST names and solvers with hyperparameters: `{models, nist, solvers}`.
    pub fn catalog(&self) -> JsValue {
        to_js(&fit::catalog())
    }

    /// The experiment as its serde config (see `experiment_fit`).
    pub fn get_state(&self) -> JsValue {
        to_js(self.latest())
    }

    /// Replaces the experiment by `config` after validating and running it; on error nothing
    /// changes and the message is returned. NIST configs need the file added first ([`Self::add_nist`]).
    pub fn set_state(&mut self, config: JsValue) -> Result<(), JsValue> {
        let e: FitExperiment = crate::web::json::from_js(config)
            .map_err(|e| JsValue::from_str(&format!("not a curve-fitting experiment: {e}")))?;
        self.set_experiment(e).map_err(|m| JsValue::from_str(&m))
    }

    /// The form for the current experiment (text fields; start values resolved).
    pub fn form(&self) -> JsValue {
        // Start values resolved from the current fit; a pending one resolves them in the worker.
        let start = self
            .pending
            .is_none()
            .then_some(self.result.start.as_slice());
        to_js(&FitForm::from_experiment(self.latest(), start))
    }

    /// Applies what the user typed: `{ok: true, summary}` after a new fit, or
    /// `{ok: false, errors: [{field, message}]}` with nothing changed.
    pub fn apply_form(&mut self, form: JsValue) -> JsValue {
        let fail = |errors: Vec<FieldError>| {
            to_js(&ApplyResult {
                ok: false,
                errors,
                summary: None,
            })
        };
        let form: FitForm = match crate::web::json::from_js(form) {
            Ok(f) => f,
            Err(e) => {
                return fail(vec![FieldError {
                    field: "form".into(),
                    message: e.to_string(),
                }])
            }
        };
        match form.apply().map(|mut e| {
            // Runs the form cannot show (a second LM with a frozen Jacobian) survive the edit.
            e.solvers = fit::merge_solvers(&self.latest().solvers, e.solvers);
            e
        }) {
            Ok(e) => match self.set_experiment(e) {
                Ok(()) => to_js(&ApplyResult {
                    ok: true,
                    errors: vec![],
                    summary: self.pending.is_none().then(|| self.summary_data()),
                }),
                Err(message) => fail(vec![FieldError {
                    field: "form".into(),
                    message,
                }]),
            },
            Err(errors) => fail(errors),
        }
    }

    /// Live check of a typed model: `{ok, params, message, column, caret, notes, read_as}` (column
    /// 1-based; caret is the formula and a `^` line under the column). The same check as the
    /// surfaces lab's (`formula::check`), in curve mode.
    pub fn check_formula(&self, text: &str) -> JsValue {
        use crate::problem::formula::{check, Mode};
        let r = match check(text, Mode::Curve) {
            Ok(info) => FormulaCheck {
                ok: true,
                params: info.params,
                message: String::new(),
                column: 0,
                caret: String::new(),
                notes: fit::formula_notes(text),
                read_as: info.read_as,
            },
            Err(e) => FormulaCheck {
                ok: false,
                params: vec![],
                caret: e.caret(text),
                message: e.message,
                column: e.column,
                notes: vec![],
                read_as: String::new(),
            },
        };
        to_js(&r)
    }

    /// Adds the text of a NIST StRD `.dat` file; returns the dataset name, or an error.
    pub fn add_nist(&mut self, text: &str) -> Result<String, JsValue> {
        let d = nist::parse(text).map_err(|e| JsValue::from_str(&e))?;
        self.nist.insert(d.name.clone(), text.to_string());
        Ok(d.name)
    }

    /// Whether the NIST file for `name` has been added.
    pub fn has_nist(&self, name: &str) -> bool {
        self.nist.contains_key(name)
    }

    /// The text of the NIST file for `name` when it has been added (for trace export and
    /// fingerprints of NIST fits, which need the data).
    pub fn nist_text(&self, name: &str) -> Option<String> {
        self.nist.get(name).cloned()
    }

    /// The latest fit, per solver: estimates, standard errors, SSR, R², iterations, nfev, njev,
    /// stop reason (see README: `window.gradlab.lastRun()`).
    pub fn summary(&self) -> JsValue {
        to_js(&self.summary_data())
    }

    /// The last record index over all runs (the step slider's maximum).
    pub fn max_step(&self) -> usize {
        max_step(&self.result)
    }

    /// The record shown by the plots (clamped to [0, max_step]).
    pub fn step(&self) -> usize {
        self.step
    }

    /// Chooses the record k shown as "the fit at iteration k".
    pub fn set_step(&mut self, k: usize) {
        self.step = k.min(self.max_step());
    }

    /// Per solver at the chosen step: `[{solver, k, params, ssr, grad_norm, lambda, lambda_text,
    /// lines}]` (`lambda_text`: λ with 4 significant digits, as the explanation writes it).
    pub fn step_info(&self) -> JsValue {
        #[derive(Serialize)]
        struct S<'a> {
            solver: &'a str,
            k: usize,
            params: &'a [f64],
            ssr: f64,
            grad_norm: f64,
            lambda: Option<f64>,
            lambda_text: Option<String>,
            /// The step written out with the trace's numbers (λ, ρ, accepted; or the line search).
            lines: Vec<String>,
        }
        let v: Vec<S> = self
            .result
            .runs
            .iter()
            .zip(&self.experiment.solvers)
            .map(|(r, solver)| {
                let t = &r.run.trace;
                let k = self.step.min(t.iterates.len() - 1);
                let it = &t.iterates[k];
                let accel_limit = match solver {
                    fit::FitSolver::LevenbergMarquardt(st) => Some(st.acceleration_ratio),
                    fit::FitSolver::GaussNewton(_) => None,
                };
                S {
                    solver: &t.solver,
                    k: it.k,
                    params: &it.x,
                    ssr: 2.0 * it.f,
                    grad_norm: it.grad_norm,
                    lambda: it.extra("lambda"),
                    lambda_text: it.extra("lambda").map(crate::lab::explain::num),
                    lines: crate::lab::explain::least_squares_step(t, k, accel_limit)
                        .iter()
                        .map(|l| crate::plot::translate(l))
                        .collect(),
                }
            })
            .collect();
        to_js(&v)
    }

    /// The fitted data as CSV text (`x,y` header): a starting point for the CSV box.
    pub fn data_csv(&self) -> String {
        let d = &self.result.data;
        if d.predictors != 1 {
            return String::new();
        }
        fit::points_csv(&d.x, &d.y)
    }

    /// The traces as CSV (`solver,k,<params>…,ssr,grad_norm,lambda,step,accepted`).
    pub fn trace_csv(&self) -> String {
        trace_csv(&self.result)
    }

    /// Whether the SSR landscape can be drawn (2-parameter models).
    pub fn has_landscape(&self) -> bool {
        self.result.param_names.len() == 2
    }

    /// Where the text of the plot last drawn on the canvas with id `canvas_id` is, in CSS px of
    /// that canvas (for layout checks): `{width, height, labels: [{x, y, w, h, text, role,
    /// font_px}], min_font_px, plot: {x, y, w, h}, legend: {x, y, w, h} | null,
    /// x_units_per_px?, y_units_per_px?}` — `role` is `x_tick`, `y_tick`, `y2_tick`, `bar_tick`,
    /// `x_title`, `y_title`, `y2_title`, `bar_title` or `legend`; the units per px are given for
    /// the SSR landscape. `null` when nothing was drawn there.
    pub fn layout(&self, canvas_id: &str) -> JsValue {
        self.layouts.get(canvas_id)
    }

    /// Draws the data with the final fitted curves, or, when a step before the end is chosen, the
    /// curves at that step (solid) and the final ones (dashed).
    pub fn draw_fit(&self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let data = &self.result.data;
        let xs: Vec<f64> = (0..data.len()).map(|i| data.x_row(i)[0]).collect();
        let mut curves = vec![];
        if let Ok(model) = resolve_model(&self.experiment.model) {
            if data.predictors == 1 {
                let grid = curve_xs(&xs);
                let at_end = self.step >= self.max_step();
                for (n, r) in self.result.runs.iter().enumerate() {
                    let t = &r.run.trace;
                    let c = fit_color(n);
                    let final_pts = curve(&model, &grid, &r.run.params);
                    if at_end {
                        curves.push(CurveSeries {
                            points: final_pts,
                            color: c,
                            dashed: false,
                            label: t.solver.clone(),
                            marker: Some(crate::plot::solver_marker(n)),
                        });
                    } else {
                        let it = &t.iterates[self.step.min(t.iterates.len() - 1)];
                        curves.push(CurveSeries {
                            points: final_pts,
                            color: RGBColor(c.0, c.1, c.2),
                            dashed: true,
                            label: String::new(),
                            marker: None,
                        });
                        curves.push(CurveSeries {
                            points: curve(&model, &grid, &it.x),
                            color: c,
                            dashed: false,
                            label: format!("{} at k = {}", t.solver, it.k),
                            marker: Some(crate::plot::solver_marker(n)),
                        });
                    }
                }
            }
        }
        let layout = draw_fit(&root, &xs, &data.y, &curves, &PlotStyle { scale: dpr })?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Draws the residuals f(xᵢ; p) − yᵢ of every solver at the chosen step.
    pub fn draw_residuals(&self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let mut series = vec![];
        if let Ok(model) = resolve_model(&self.experiment.model) {
            for (n, t) in self.traces().enumerate() {
                let p = &t.iterates[self.step.min(t.iterates.len() - 1)].x;
                series.push(ResidualSeries {
                    points: residual_points(&model, &self.result.data, p),
                    color: fit_color(n),
                });
            }
        }
        let layout = draw_residuals(&root, &series, &PlotStyle { scale: dpr })?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Draws SSR and ‖Jᵀr‖ (log) with λ on the second axis; a marker at the chosen step.
    pub fn draw_convergence(&self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let traces: Vec<Trace> = self.traces().cloned().collect();
        let upto = (self.step < self.max_step()).then_some(self.step);
        let layout = draw_lsq_convergence(&root, &traces, upto, &PlotStyle { scale: dpr })?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Draws the SSR landscape with the solver paths (2-parameter models); `false` otherwise.
    pub fn draw_landscape(&mut self, canvas: &HtmlCanvasElement) -> Result<bool, JsValue> {
        if !self.has_landscape() {
            self.layouts.clear(canvas);
            return Ok(false);
        }
        let _dpr = fit_canvas(canvas);
        if self.landscape.is_none() {
            let Some(view) = landscape_view(&self.result) else {
                self.layouts.clear(canvas);
                return Ok(false);
            };
            let g = landscape_grid(
                &self.result,
                &self.experiment.model,
                view,
                fit::landscape_resolution(self.result.data.len()),
                fit::landscape_resolution(self.result.data.len()),
            )
            .map_err(|e| JsValue::from_str(&e))?;
            self.landscape = Some(g);
        }
        let grid = self.landscape.as_ref().expect("just set");
        let traces: Vec<Trace> = self.traces().cloned().collect();
        let best: Vec<(f64, f64)> = self.result.certified.iter().map(|c| (c[0], c[1])).collect();
        let overlay = MapOverlay {
            traces: &traces,
            upto: (self.step < self.max_step()).then_some(self.step),
            lengths: &[],
            marks: &best,
            axes: (
                self.result.param_names.first().map_or("", String::as_str),
                self.result.param_names.get(1).map_or("", String::as_str),
            ),
            value: "SSR",
            // Two parameters in different units: the map fills its plot area.
            equal_scale: None,
        };
        // The landscape changes with the step shown: no raster cache (it is cheap at this size).
        let (_, layout) = draw_map_on_canvas(
            canvas,
            grid,
            &overlay,
            &mut None,
            &|map: crate::plot::PixelMap| {
                let (w, h) = map.size();
                grid.rgba(w, h)
            },
            false,
        )?;
        self.layouts.record(canvas, layout);
        Ok(true)
    }

    /// The landscape's colours per solver (they differ from the white-background plots):
    /// `["#rrggbb", …]`.
    pub fn landscape_colors(&self) -> Vec<String> {
        (0..self.result.runs.len())
            .map(|i| hex(solver_color(i)))
            .collect()
    }
}

/// Equally spaced x over the data range (a little wider).
fn curve_xs(xs: &[f64]) -> Vec<f64> {
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !(lo.is_finite() && hi.is_finite()) {
        return vec![];
    }
    if hi <= lo {
        return vec![lo];
    }
    (0..CURVE_POINTS)
        .map(|i| lo + (hi - lo) * i as f64 / (CURVE_POINTS - 1) as f64)
        .collect()
}

fn curve(model: &AnyModel, xs: &[f64], p: &[f64]) -> Vec<(f64, f64)> {
    xs.iter().map(|&x| (x, model.value(&[x], p))).collect()
}

fn residual_points(model: &AnyModel, data: &Data, p: &[f64]) -> Vec<(f64, f64)> {
    (0..data.len())
        .map(|i| {
            let x = data.x_row(i);
            (x[0], model.value(x, p) - data.y[i])
        })
        .collect()
}

fn max_step(r: &FitResult) -> usize {
    r.runs
        .iter()
        .map(|r| r.run.trace.iterations())
        .max()
        .unwrap_or(0)
}

impl FitLab {
    fn traces(&self) -> impl Iterator<Item = &Trace> {
        self.result.runs.iter().map(|r| &r.run.trace)
    }

    /// The experiment the page shows in its form and links: the pending one, else the current.
    fn latest(&self) -> &FitExperiment {
        self.pending.as_ref().unwrap_or(&self.experiment)
    }

    /// The NIST StRD file a NIST model needs (`None` for other models or when not loaded).
    fn nist_for(&self, e: &FitExperiment) -> Option<&str> {
        match &e.model {
            FitModel::Nist { name } => self.nist.get(name).map(String::as_str),
            _ => None,
        }
    }

    fn set_experiment(&mut self, e: FitExperiment) -> Result<(), String> {
        if let FitModel::Nist { name } = &e.model {
            if !self.nist.contains_key(name) {
                return Err(format!(
                    "the NIST data for {name} are not loaded (is www/pkg/nist/ there?)"
                ));
            }
        }
        if self.deferred {
            if e.solvers.is_empty() {
                return Err("choose at least one solver".into());
            }
            self.revision = self.revision.wrapping_add(1);
            self.pending = Some(e);
            return Ok(());
        }
        let result = fit::run_with_nist(&e, self.nist_for(&e))?;
        self.install(e, result);
        Ok(())
    }

    fn install(&mut self, e: FitExperiment, result: FitResult) {
        self.revision = self.revision.wrapping_add(1);
        self.experiment = e;
        self.result = result;
        self.step = max_step(&self.result);
        self.landscape = None;
    }

    fn summary_data(&self) -> Summary<'_> {
        let r = &self.result;
        Summary {
            lab: "fit",
            model: &self.experiment.model,
            model_name: &r.model_name,
            formula: &r.formula,
            param_names: &r.param_names,
            points: r.data.len(),
            start: &r.start,
            certified: r.certified.as_deref(),
            step: self.step,
            max_step: self.max_step(),
            solvers:
                r.runs
                    .iter()
                    .zip(&self.experiment.solvers)
                    .enumerate()
                    .map(|(i, (fr, s))| RunSummary {
                        solver: &fr.run.trace.solver,
                        method: match s {
                            fit::FitSolver::LevenbergMarquardt(_) => "levenberg_marquardt",
                            fit::FitSolver::GaussNewton(_) => "gauss_newton",
                        },
                        // The same in both themes (the table's swatch; lastRun() is theme-free).
                        color: hex(
                            crate::plot::fit::FIT_COLORS[i % crate::plot::fit::FIT_COLORS.len()]
                        ),
                        params: &fr.run.params,
                        std_errors: &fr.statistics.std_errors,
                        ssr: fr.run.ssr,
                        r_squared: fr.statistics.r_squared,
                        residual_sd: fr.statistics.residual_sd,
                        dof: fr.statistics.dof,
                        grad_norm: fr.run.trace.last().grad_norm,
                        iterations: fr.run.trace.iterations(),
                        nfev: fr.run.nfev(),
                        njev: fr.run.njev(),
                        stop: fr.run.stop(),
                        stop_label: &fr.stop_label,
                        converged: fr.run.stop().is_converged(),
                        notes: fit::run_notes(fr, &r.param_names),
                    })
                    .collect(),
        }
    }
}

/// Benchmark hook (bench/nist-wasm.mjs): one NIST StRD problem, parsed once, solved by
/// Levenberg–Marquardt with its default settings and the analytic Jacobian exactly as
/// `examples/nist.rs` does natively (so timings compare the solve only).
#[wasm_bindgen]
pub struct NistProblem {
    dataset: nist::NistDataset,
    fit: crate::problem::least_squares::CurveFit<nist::NistModel>,
}

#[wasm_bindgen]
impl NistProblem {
    /// Parses a `.dat` file.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<NistProblem, JsValue> {
        let dataset = nist::parse(text).map_err(|e| JsValue::from_str(&e))?;
        let fit = dataset.curve_fit().map_err(|e| JsValue::from_str(&e))?;
        Ok(NistProblem { dataset, fit })
    }

    /// Fits from certified start 1 or 2: `{problem, start, params, ssr, nfev, njev, stop}`.
    pub fn solve(&self, start: u8) -> Result<JsValue, JsValue> {
        use crate::solver::least_squares::{levenberg_marquardt, JacobianSettings, LmSettings};
        let p0 = self
            .dataset
            .start(start)
            .map_err(|e| JsValue::from_str(&e))?;
        let run = levenberg_marquardt(
            &self.fit,
            &JacobianSettings::default(),
            p0,
            &LmSettings::default(),
        )
        .map_err(|e| JsValue::from_str(&e))?;
        #[derive(Serialize)]
        struct Out<'a> {
            problem: &'a str,
            start: u8,
            params: &'a [f64],
            ssr: f64,
            nfev: usize,
            njev: usize,
            stop: &'a StopReason,
        }
        Ok(to_js(&Out {
            problem: &self.dataset.name,
            start,
            params: &run.params,
            ssr: run.ssr,
            nfev: run.nfev(),
            njev: run.njev(),
            stop: run.stop(),
        }))
    }
}

/// Benchmark hook: the parsed NIST StRD `.dat` file as JSON (name, starts, certified values, data
/// with `x` row-major by `predictors`, `y`), so comparisons in Node use the same parse.
#[wasm_bindgen]
pub fn nist_dataset(text: &str) -> Result<JsValue, JsValue> {
    nist::parse(text)
        .map(|d| to_js(&d))
        .map_err(|e| JsValue::from_str(&e))
}

impl crate::web::view::teach::Taught for FitLab {
    fn run_view(&self) -> crate::lab::teach::run::RunView<'_> {
        crate::lab::teach::run::RunView::Fit {
            experiment: &self.experiment,
            result: &self.result,
        }
    }
}

/// Accessibility (issue 16): the plots as text and the run's announcement (src/lab/describe.rs).
#[wasm_bindgen]
impl FitLab {
    /// The text description of the plot on canvas `canvas_id` (`fit-curve-canvas`,
    /// `fit-residuals`, `fit-convergence`, `fit-landscape`); empty for another id.
    pub fn describe(&self, canvas_id: &str) -> String {
        crate::i18n::say_sentences(
            crate::plot::language(),
            &crate::lab::describe::fit_sentences(canvas_id, &self.result),
        )
    }

    /// One short sentence for the page's live region.
    pub fn announce(&self) -> String {
        crate::i18n::say(
            crate::plot::language(),
            &crate::lab::describe::announce_fit(&self.result),
        )
    }
}
