//! The linear-regression lab: data (generated or CSV), batch GD / mini-batch SGD against the exact
//! least-squares answer; data with fitted lines, the loss surface over (w, b) with the paths,
//! loss per epoch, and predicted-vs-actual / residual plots for several features.
//!
//! The page sends its form as text ([`RegressionForm`]); Rust validates it field by field, runs
//! [`crate::lab::regression::run`] and draws. A bad form or bad CSV leaves the previous
//! experiment (and its data) in place and returns messages naming the field (and, for CSV, the
//! row and column).

use crate::lab::form::FieldError;
use crate::lab::regression::{
    fe, run, shown_run, DataSource, RegressionExperiment, RegressionForm, RegressionResult, Replay,
    ShownRun, WorkedUpdate,
};
use crate::plot::contour::MapOverlay;
use crate::plot::regression::{
    draw_fan, draw_losses, draw_xy, fan_scale, loss_grid, quadratic_loss, thin, Axes, Fan,
    LossSeries, Mark, Series,
};
use crate::plot::surface::Camera;
use crate::plot::{
    solver_color_on_white, solver_line_color, solver_marker, Grid, PixelMap, PlotStyle,
};
use crate::problem::regression::Dataset;
use crate::problem::surfaces::ViewBox;
use crate::solver::minibatch::{EpochBench, MiniBatchConfig, Shuffle};
use crate::trace::{StopReason, Trace};
use crate::web::{backend, draw_map_on_canvas, fit_canvas, to_js, Layouts};
use plotters::prelude::*;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Heat-map grid resolution.
const MAP_GRID: usize = 120;
/// Resolution of the 3-D surface mesh: the cells are rasterized in Rust (src/plot/raster.rs),
/// so a 100×100 mesh rotates within a frame.
const SURFACE_GRID: usize = 100;

/// The lab's state.
#[wasm_bindgen]
pub struct RegressionLab {
    experiment: RegressionExperiment,
    result: RegressionResult,
    /// The (polynomial) design the model sees.
    design: Dataset,
    /// Per run, the step path with f = the full-data loss (for the 3-D surface).
    paths: Vec<Trace>,
    /// The fingerprint of each run's steps, computed once per result (the summary is read on
    /// every playback frame).
    fingerprints: Vec<u64>,
    /// Playback position (epoch); `None` = the end.
    epoch: Option<usize>,
    /// (A, θ*, L*) of the quadratic loss when the model is y = w·x + b.
    quad: Option<([[f64; 2]; 2], [f64; 2], f64)>,
    view: Option<ViewBox>,
    map_grid: Option<std::rc::Rc<Grid>>,
    surface_grid: Option<std::rc::Rc<Grid>>,
    raster: crate::web::RasterCache,
    map: Option<PixelMap>,
    camera: Camera,
    layouts: Layouts,
    /// Runs go to the Web Worker: a changed experiment waits here (with the map view to keep
    /// after it, for a click on the map) until the page hands its result to `accept`.
    deferred: bool,
    pending: Option<(RegressionExperiment, Option<ViewBox>)>,
    /// Bumped whenever the experiment the page shows (`latest()`) may have changed: the page
    /// re-encodes its link only when this (or its own state) changed.
    revision: u32,
    /// The first run replayed for the worked update and the gradient fan (built when first
    /// asked for), and the worked update last computed, by epoch.
    replay: Option<Replay>,
    worked: Option<(usize, Option<WorkedUpdate>)>,
    /// Draw the mini-batch gradient fan on the loss map.
    fan: bool,
}

/// The worked update and the fan's caption, as the page shows them.
#[derive(Serialize)]
struct LessonView {
    /// The run it is about.
    run: String,
    epoch: usize,
    lines: Vec<String>,
    /// Said under the map (with the drawing scale), or the spread alone without a map.
    caption: String,
    /// Whether the fan is on the map.
    drawn: bool,
}

#[derive(Serialize)]
struct ExactSummary {
    theta: Vec<f64>,
    sd: Vec<f64>,
    r2: f64,
    resid_sd: f64,
    mse: f64,
    dof: usize,
}

#[derive(Serialize)]
struct RunSummary {
    name: String,
    color: String,
    batch_size: usize,
    learning_rate: f64,
    theta: Vec<f64>,
    loss: f64,
    distance_to_exact: Option<f64>,
    epochs: usize,
    updates: usize,
    stop: crate::trace::StopReason,
    stop_label: &'static str,
    /// Something the stop reason does not say: a loss that grew by orders of magnitude
    /// (diverging, but still below the divergence bound), or a batch size ≥ n.
    warning: Option<String>,
    converged: bool,
    fingerprint: String,
    /// The run at the playback epoch (what the tables show).
    shown: ShownRun,
}

#[derive(Serialize)]
struct Summary {
    lab: &'static str,
    source: &'static str,
    nist_name: Option<String>,
    n: usize,
    raw_features: Vec<String>,
    target: String,
    features: Vec<String>,
    /// Names of θ's entries: the features, then "b" with an intercept ("(intercept)" when a
    /// feature is called b).
    coefficients: Vec<String>,
    /// The model's parameter names: "w" and "b" with one feature, else "w₁ (name)", …, and "b".
    parameters: Vec<String>,
    intercept: bool,
    standardize: bool,
    formula: String,
    exact: Option<ExactSummary>,
    exact_error: Option<String>,
    /// Which plots apply: "line" (1 feature, degree 1 with intercept: loss surface over (w, b))
    /// or "multi" (predicted vs actual, residuals); `data_fit` when the raw data has 1 feature.
    mode: &'static str,
    data_fit: bool,
    epoch: usize,
    max_epoch: usize,
    runs: Vec<RunSummary>,
}

#[derive(Serialize)]
struct ApplyResult {
    ok: bool,
    errors: Vec<FieldError>,
    summary: Option<Summary>,
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

impl Default for RegressionLab {
    fn default() -> Self {
        RegressionLab::new()
    }
}

#[wasm_bindgen]
impl RegressionLab {
    /// The default experiment (100 generated points, SGD with M = 10 against batch GD), run.
    #[wasm_bindgen(constructor)]
    pub fn new() -> RegressionLab {
        let experiment = page_default();
        let result = run(&experiment).expect("the default experiment runs");
        let mut lab = RegressionLab {
            design: result.data.clone(),
            experiment,
            result,
            paths: Vec::new(),
            fingerprints: Vec::new(),
            epoch: None,
            quad: None,
            view: None,
            map_grid: None,
            surface_grid: None,
            raster: None,
            map: None,
            camera: Camera {
                yaw: 0.6,
                pitch: 0.45,
            },
            layouts: Layouts::default(),
            deferred: false,
            pending: None,
            revision: 0,
            replay: None,
            worked: None,
            fan: true,
        };
        lab.derive();
        lab
    }

    /// From now on, runs are left to the page's worker (see [`RegressionLab::pending`]).
    pub fn set_deferred(&mut self, on: bool) {
        self.deferred = on;
    }

    /// The run the page must have done, `{lab: "regression", config}`, or `null`.
    pub fn pending(&self) -> JsValue {
        match &self.pending {
            Some((e, _)) => crate::web::engine::request("regression", e, None),
            None => JsValue::NULL,
        }
    }

    /// Installs the worker's result (`engine_run` bytes) for the pending experiment.
    pub fn accept(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        let (e, keep_view) = self
            .pending
            .take()
            .ok_or_else(|| JsValue::from_str("no run is pending"))?;
        let result: RegressionResult = crate::web::engine::decode(bytes)?;
        self.install(e, result, keep_view);
        Ok(())
    }

    /// Forgets the pending experiment (its run was cancelled or failed): the previous one stays.
    pub fn drop_pending(&mut self) {
        self.pending = None;
        self.revision = self.revision.wrapping_add(1);
    }

    /// Changes whenever the experiment the page shows may have changed (a cheap test for the
    /// page's link: no re-encoding of large data on unrelated clicks).
    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// Where the text of the plot last drawn on the canvas with id `canvas_id` is, in CSS px of
    /// that canvas (for layout checks): `{width, height, labels: [{x, y, w, h, text, role,
    /// font_px}], min_font_px, plot: {x, y, w, h}, legend: {x, y, w, h} | null,
    /// x_units_per_px?, y_units_per_px?}` — `role` is `x_tick`, `y_tick`, `y2_tick`, `bar_tick`,
    /// `z_tick`, `x_title`, `y_title`, `y2_title`, `bar_title`, `z_title` or `legend`; the units
    /// per px are given for the loss map. `null` when nothing is drawn there.
    pub fn layout(&self, canvas_id: &str) -> JsValue {
        self.layouts.get(canvas_id)
    }

    /// The experiment as its serde config (see [`crate::lab::regression`]).
    pub fn get_state(&self) -> JsValue {
        to_js(self.latest())
    }

    /// Encodes the page's link with this lab's experiment as its config: `shell` is the page
    /// state without a config (`{lab, embed, step?, …}`); returns what `encode_link` returns.
    /// The experiment never crosses to JS and back — with 25 MB of pasted data that round trip
    /// was most of a 600 ms task on the page thread after every data change.
    pub fn encode_link(&self, shell: JsValue) -> Result<JsValue, JsValue> {
        let fail = |m: String| JsValue::from_str(&m);
        let mut v: serde_json::Value =
            crate::web::json::from_js(shell).map_err(|e| fail(e.to_string()))?;
        let config = serde_json::to_value(self.latest()).map_err(|e| fail(e.to_string()))?;
        match v.as_object_mut() {
            Some(o) => {
                o.insert("config".into(), config);
            }
            None => return Err(fail("not a gradlab page state".into())),
        }
        let state: crate::lab::link::PageState = serde_json::from_value(v)
            .map_err(|e| fail(format!("not a gradlab page state: {e}")))?;
        state.validate().map_err(fail)?;
        crate::lab::link::encode(&state)
            .map(|e| to_js(&e))
            .map_err(fail)
    }

    /// Replaces the experiment by `config` after validating and running it; a bad config leaves
    /// everything as it was and returns the reason.
    pub fn set_state(&mut self, config: JsValue) -> Result<(), JsValue> {
        let e: RegressionExperiment = crate::web::json::from_js(config)
            .map_err(|e| JsValue::from_str(&format!("not a regression experiment: {e}")))?;
        for s in &e.solvers {
            s.validate().map_err(|m| JsValue::from_str(&m))?;
        }
        self.set_experiment(e).map_err(|m| JsValue::from_str(&m))
    }

    /// The form for the current experiment, as text.
    pub fn form(&self) -> JsValue {
        to_js(&RegressionForm::from_experiment(self.latest()))
    }

    /// Applies what the user typed: `{ok: true, summary}` after a new run, or
    /// `{ok: false, errors: [{field, message}]}` with the previous run and data kept.
    pub fn apply_form(&mut self, form: JsValue) -> JsValue {
        let fail = |errors: Vec<FieldError>| {
            to_js(&ApplyResult {
                ok: false,
                errors,
                summary: None,
            })
        };
        let form: RegressionForm = match crate::web::json::from_js(form) {
            Ok(f) => f,
            Err(e) => return fail(vec![fe("form", e.to_string())]),
        };
        match form.apply(self.latest()) {
            Ok(e) => match self.set_experiment(e) {
                Ok(()) => to_js(&ApplyResult {
                    ok: true,
                    errors: vec![],
                    summary: self.pending.is_none().then(|| self.summary_data()),
                }),
                Err(m) => {
                    let field = if m.contains("polynomial") {
                        "degree"
                    } else {
                        "form"
                    };
                    fail(vec![fe(field, m)])
                }
            },
            Err(errors) => fail(errors),
        }
    }

    /// The latest run as plain JSON (what `window.gradlab.lastRun()` returns on this lab).
    pub fn summary(&self) -> JsValue {
        to_js(&self.summary_data())
    }

    /// Shows the runs as they were after epoch `e` (clamped; ≥ the last epoch = the end).
    pub fn set_epoch(&mut self, e: f64) -> usize {
        let max = self.max_epoch();
        let e = if e.is_finite() {
            e.max(0.0) as usize
        } else {
            max
        };
        self.epoch = (e < max).then_some(e);
        e.min(max)
    }

    /// Shows or hides the mini-batch gradient fan on the loss map.
    pub fn set_fan(&mut self, on: bool) {
        self.fan = on;
    }

    /// The first run's update at the playback epoch written out with its numbers, and the fan's
    /// caption: `{run, epoch, lines, caption, drawn}`, or `null` without a run. At epoch k ≥ 1
    /// it is epoch k's first update (from the point where epoch k began); at epoch 0, epoch 1's.
    pub fn worked_update(&mut self) -> JsValue {
        // Written in English by Rust (lab::regression::worked), shown in the page's language.
        let lang = crate::plot::language();
        let Some(l) = self.current_worked() else {
            let e = self.epoch.unwrap_or_else(|| self.max_epoch()).max(1);
            return match self.replay.as_ref().and_then(|r| r.refused(e)) {
                Some(note) => {
                    to_js(&serde_json::json!({ "note": crate::i18n::say(lang, &note), "epoch": e }))
                }
                None => JsValue::NULL,
            };
        };
        let drawn = self.fan && self.quad.is_some();
        let caption = if self.quad.is_none() {
            crate::i18n::say(lang, &l.spread_text)
        } else if !self.fan {
            crate::i18n::say(
                lang,
                "Mini-batch gradients hidden (tick “batch gradients” to draw them).",
            )
        } else {
            let scale = self.view.map_or(1.0, |v| fan_scale(&v, &fan_of(&l)));
            if scale == 1.0 {
                crate::i18n::say(lang, &l.caption)
            } else {
                crate::i18n::say_sentences(
                    lang,
                    &[
                        l.caption.clone(),
                        format!(
                            "Rays drawn ×{} (all alike) so they can be seen.",
                            crate::lab::explain::num(scale)
                        ),
                    ],
                )
            }
        };
        to_js(&LessonView {
            run: self
                .result
                .traces
                .first()
                .map(|t| crate::i18n::say(lang, &t.steps.solver))
                .unwrap_or_default(),
            epoch: l.epoch,
            lines: l.lines.iter().map(|x| crate::i18n::say(lang, x)).collect(),
            caption,
            drawn,
        })
    }

    /// Starts every run from (w, b) under CSS pixel (css_x, css_y) of the contour canvas and
    /// re-runs; `false` outside the plot area or when there is no (w, b) map.
    pub fn click_contour(&mut self, canvas: &HtmlCanvasElement, css_x: f64, css_y: f64) -> bool {
        let Some(p) = self.contour_point(canvas, css_x, css_y) else {
            return false;
        };
        let mut e = self.latest().clone();
        let q = |v: f64| format!("{v:.4e}").parse().unwrap_or(v);
        e.start = Some(vec![q(p[0]), q(p[1])]);
        // Keep the map where it was, so the click lands where the user pointed.
        self.set_experiment_keeping(e, self.view).is_ok()
    }

    /// Back to θ₀ = 0.
    pub fn reset_start(&mut self) -> bool {
        let mut e = self.latest().clone();
        e.start = None;
        self.set_experiment(e).is_ok()
    }

    /// (w, b, loss) under CSS pixel (css_x, css_y) of the contour canvas, or `undefined`.
    pub fn contour_point(
        &self,
        canvas: &HtmlCanvasElement,
        css_x: f64,
        css_y: f64,
    ) -> Option<Vec<f64>> {
        let dpr = canvas.width() as f64 / canvas.client_width().max(1) as f64;
        let (w, b) = self.map?.to_data(css_x * dpr, css_y * dpr)?;
        let (a, t, l) = self.quad?;
        Some(vec![w, b, quadratic_loss(a, t, l, [w, b])])
    }

    /// Rotates the 3-D camera by a drag of (dx, dy) CSS pixels.
    pub fn rotate(&mut self, dx: f64, dy: f64) {
        self.camera.yaw = (self.camera.yaw + dx * 0.01).rem_euclid(std::f64::consts::TAU);
        self.camera.pitch = (self.camera.pitch + dy * 0.01).clamp(0.05, 1.5);
    }

    /// Draws the data with the exact fit and each run's fit at the playback epoch (1 raw feature).
    pub fn draw_data(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let raw = &self.result.data;
        let mut series = Vec::new();
        let axes = Axes {
            x_desc: raw.feature_names.first().cloned().unwrap_or_default(),
            y_desc: raw.target_name.clone(),
            ..Default::default()
        };
        if raw.d() == 1 {
            series.push(Series {
                points: raw.x.iter().copied().zip(raw.y.iter().copied()).collect(),
                color: crate::plot::palette().data,
                mark: Mark::Dots {
                    radius: 2.2,
                    alpha: 0.45,
                },
                label: "data".into(),
                marker: None,
            });
            let (lo, hi) = raw
                .x
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            let degree = self.design.d();
            let curve = |theta: &[f64]| -> Vec<(f64, f64)> {
                let k = if degree == 1 { 2 } else { 240 };
                (0..k)
                    .map(|i| {
                        let x = lo + (hi - lo) * i as f64 / (k - 1) as f64;
                        let mut p = 1.0;
                        let mut y = if self.result.intercept {
                            theta[degree]
                        } else {
                            0.0
                        };
                        for w in &theta[..degree] {
                            p *= x;
                            y += w * p;
                        }
                        (x, y)
                    })
                    .collect()
            };
            if let Ok(f) = &self.result.exact {
                series.push(Series {
                    points: curve(&f.theta()),
                    color: crate::plot::palette().fg,
                    mark: Mark::Line {
                        width: 1.5,
                        dashed: true,
                    },
                    label: "exact (QR)".into(),
                    marker: None,
                });
            }
            for (i, t) in self.result.traces.iter().enumerate() {
                let theta = &t.epochs[self.epoch_index(t.epochs.len())].x;
                series.push(Series {
                    points: curve(theta),
                    color: solver_line_color(i),
                    mark: Mark::Line {
                        width: 2.0,
                        dashed: false,
                    },
                    label: t.steps.solver.clone(),
                    marker: Some(solver_marker(i)),
                });
            }
        }
        let layout = draw_xy(&root, &series, &axes, &PlotStyle { scale: dpr })?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Predicted against actual y: the exact fit and each run at the playback epoch.
    pub fn draw_predicted(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        self.draw_diagnostic(canvas, false)
    }

    /// Residuals y − ŷ against fitted ŷ: the exact fit and each run at the playback epoch.
    pub fn draw_residuals(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        self.draw_diagnostic(canvas, true)
    }

    /// The first run's learning-rate schedule α_e/α over its epochs (marker at the shown epoch);
    /// `false` (nothing drawn) without decay.
    pub fn draw_schedule(&mut self, canvas: &HtmlCanvasElement) -> Result<bool, JsValue> {
        let Some(cfg) = self.experiment.solvers.first() else {
            self.layouts.clear(canvas);
            return Ok(false);
        };
        let schedule = cfg.decay.schedule();
        if schedule == crate::solver::schedule::Schedule::Constant {
            self.layouts.clear(canvas);
            return Ok(false);
        }
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let epoch = self.epoch.unwrap_or(cfg.epochs);
        let layout = crate::plot::schedule::draw_schedule(
            &root,
            &schedule,
            cfg.epochs,
            Some(epoch),
            &PlotStyle { scale: dpr },
        )?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        Ok(true)
    }

    /// Loss per epoch (log): per-batch losses faint, epoch losses bold, the exact minimum dashed.
    pub fn draw_loss(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let n = self.result.data.n();
        let runs: Vec<LossSeries> = self
            .result
            .traces
            .iter()
            .zip(&self.experiment.solvers)
            .enumerate()
            .map(|(i, (t, cfg))| {
                let m = if cfg.batch_size == 0 || cfg.batch_size >= n {
                    n
                } else {
                    cfg.batch_size
                };
                let per_epoch = n.div_ceil(m) as f64;
                LossSeries {
                    batches: t
                        .steps
                        .iterates
                        .iter()
                        .skip(1)
                        .map(|r| {
                            // The batch loss is taken before update j of epoch e, i.e. at epoch
                            // time e − 1 + j/(updates per epoch): for batch GD (j = 0) it falls on
                            // the previous epoch's full loss, as it must.
                            let e = r.extra("epoch").unwrap_or(0.0);
                            let j = r.extra("batch").unwrap_or(0.0);
                            (e - 1.0 + j / per_epoch, r.f)
                        })
                        .collect(),
                    epochs: t.epochs.iter().map(|r| (r.k as f64, r.f)).collect(),
                    color: solver_line_color(i),
                    label: t.steps.solver.clone(),
                }
            })
            .collect();
        let minimum = self.result.exact.as_ref().ok().map(|f| f.mse);
        let layout = draw_losses(
            &root,
            &runs,
            minimum,
            self.epoch.map(|e| e as f64),
            &PlotStyle { scale: dpr },
        )?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// The loss over (w, b) as a heat map with contour lines and the GD/SGD paths (1 feature
    /// with intercept only; otherwise the canvas is cleared).
    pub fn draw_contour(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let Some(grid) = self.map_grid() else {
            fit_canvas(canvas);
            backend(canvas)?
                .into_drawing_area()
                .fill(&crate::plot::palette().background)
                .map_err(|e| JsValue::from_str(&e.to_string()))?;
            self.map = None;
            self.layouts.clear(canvas);
            return Ok(());
        };
        let lengths = self.shown_lengths();
        let marks: Vec<(f64, f64)> = self.quad.iter().map(|q| (q.1[0], q.1[1])).collect();
        let overlay = MapOverlay {
            traces: &self.paths,
            upto: None,
            lengths: &lengths,
            marks: &marks,
            axes: ("w", "b"),
            value: "MSE",
            // (w, b) have different units: the map fills its plot area.
            equal_scale: None,
        };
        let raster = |map: PixelMap| {
            let (w, h) = map.size();
            grid.rgba(w, h)
        };
        let (map, layout) =
            draw_map_on_canvas(canvas, &grid, &overlay, &mut self.raster, &raster, true)?;
        self.map = Some(map);
        if self.fan {
            if let Some(l) = self.current_worked() {
                let fan = fan_of(&l);
                let scale = fan_scale(&map.view, &fan);
                let dpr = fit_canvas(canvas);
                let root = backend(canvas)?.into_drawing_area();
                draw_fan(&root, &map, &fan, scale, &PlotStyle { scale: dpr })?;
                root.present()
                    .map_err(|e| JsValue::from_str(&e.to_string()))?;
            }
        }
        self.layouts.record(canvas, layout);
        Ok(())
    }

    /// The loss surface over (w, b) in 3-D with the paths (1 feature with intercept only).
    pub fn draw_surface(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let Some(grid) = self.surface_grid() else {
            root.fill(&crate::plot::palette().background)
                .map_err(|e| JsValue::from_str(&e.to_string()))?;
            self.layouts.clear(canvas);
            return Ok(());
        };
        let lengths = self.shown_lengths();
        let overlay = MapOverlay {
            traces: &self.paths,
            upto: None,
            lengths: &lengths,
            marks: &[],
            axes: ("w", "b"),
            value: "MSE",
            equal_scale: None,
        };
        let layout = crate::plot::draw_surface_with(
            &root,
            &grid,
            &overlay,
            self.camera,
            &PlotStyle { scale: dpr },
            &mut |img| crate::web::blit(canvas, img),
        )?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }
}

/// Times one batch-GD epoch and one SGD epoch on n × d generated data, `reps` times each, in
/// this browser: `{n, d, reps, stream_ms, gd_ms, sgd_in_order_ms, sgd_batches_ms, sgd_samples_ms}` with the median
/// of each (ms; SGD with M = 32). `stream_ms` is one pass summing every value (the memory
/// bandwidth baseline).
#[wasm_bindgen]
pub fn bench_regression_epochs(n: usize, d: usize, seed: u32, reps: usize) -> JsValue {
    #[derive(Serialize)]
    struct Out {
        n: usize,
        d: usize,
        reps: usize,
        stream_ms: f64,
        gd_ms: f64,
        sgd_in_order_ms: f64,
        sgd_batches_ms: f64,
        sgd_samples_ms: f64,
        checksum: f64,
    }
    let now = || {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or_else(js_sys::Date::now)
    };
    let n = n.clamp(1, 10_000_000);
    let d = d.clamp(1, 100);
    let reps = reps.clamp(1, 100);
    let mut b = EpochBench::new(n, d, seed as u64);
    let mut checksum = 0.0;
    let mut time = |f: &mut dyn FnMut() -> f64| {
        let mut t: Vec<f64> = (0..reps)
            .map(|_| {
                let t0 = now();
                checksum += f();
                now() - t0
            })
            .collect();
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    let stream_ms = time(&mut || b.stream());
    let gd_ms = time(&mut || b.gd_epoch(1e-3));
    let sgd_in_order_ms = time(&mut || b.sgd_epoch(1e-4, 32, Shuffle::None));
    let sgd_batches_ms = time(&mut || b.sgd_epoch(1e-4, 32, Shuffle::Batches));
    let sgd_samples_ms = time(&mut || b.sgd_epoch(1e-4, 32, Shuffle::Samples));
    to_js(&Out {
        n,
        d,
        reps,
        stream_ms,
        gd_ms,
        sgd_in_order_ms,
        sgd_batches_ms,
        sgd_samples_ms,
        checksum,
    })
}

/// The page's starting experiment: 100 points of y = 2x + 1 + N(0, 1), SGD (M = 10) and batch GD,
/// α = 0.1, 30 epochs, standardized features.
fn page_default() -> RegressionExperiment {
    let sgd = MiniBatchConfig {
        learning_rate: 0.1,
        batch_size: 10,
        epochs: 30,
        seed: 1,
        ..Default::default()
    };
    RegressionExperiment {
        solvers: vec![
            sgd.clone(),
            MiniBatchConfig {
                batch_size: 0,
                ..sgd
            },
        ],
        ..Default::default()
    }
}

impl RegressionLab {
    /// The experiment the page shows in its form and links: the pending one, else the current.
    fn latest(&self) -> &RegressionExperiment {
        self.pending.as_ref().map_or(&self.experiment, |(e, _)| e)
    }

    fn set_experiment(&mut self, e: RegressionExperiment) -> Result<(), String> {
        self.set_experiment_keeping(e, None)
    }

    /// Runs `e` here — or, deferred, leaves it to the worker — and shows it; `keep_view` keeps
    /// the loss map's view instead of fitting it to the new runs.
    fn set_experiment_keeping(
        &mut self,
        e: RegressionExperiment,
        keep_view: Option<ViewBox>,
    ) -> Result<(), String> {
        if self.deferred {
            for s in &e.solvers {
                s.validate()?;
            }
            self.revision = self.revision.wrapping_add(1);
            self.pending = Some((e, keep_view));
            return Ok(());
        }
        let result = run(&e)?;
        self.install(e, result, keep_view);
        Ok(())
    }

    fn install(
        &mut self,
        e: RegressionExperiment,
        result: RegressionResult,
        keep_view: Option<ViewBox>,
    ) {
        self.revision = self.revision.wrapping_add(1);
        self.experiment = e;
        self.result = result;
        self.derive();
        if keep_view.is_some() {
            self.view = keep_view;
            self.map_grid = None;
            self.surface_grid = None;
            self.raster = None;
        }
    }

    /// Recomputes what the plots need from the result.
    fn derive(&mut self) {
        let raw = &self.result.data;
        let k = self.result.features.len();
        self.design = if raw.d() == 1 && k > 1 {
            raw.polynomial(k).unwrap_or_else(|_| raw.clone())
        } else {
            raw.clone()
        };
        self.epoch = None;
        self.replay = None;
        self.worked = None;
        self.map_grid = None;
        self.surface_grid = None;
        self.raster = None;
        self.map = None;
        self.quad = None;
        self.view = None;
        let n = raw.n() as f64;
        if self.design.d() == 1 && self.result.intercept {
            if let Ok(f) = &self.result.exact {
                let x = &self.design.x;
                let sx = x.iter().sum::<f64>() / n;
                let sxx = x.iter().map(|v| v * v).sum::<f64>() / n;
                self.quad = Some(([[sxx, sx], [sx, 1.0]], [f.w[0], f.b], f.mse));
            }
        }
        self.fingerprints = self
            .result
            .traces
            .iter()
            .map(|t| t.steps.fingerprint())
            .collect();
        self.paths = self
            .result
            .traces
            .iter()
            .map(|t| {
                let mut p = t.steps.clone();
                if let Some((a, ts, l)) = self.quad {
                    for r in &mut p.iterates {
                        r.f = quadratic_loss(a, ts, l, [r.x[0], r.x[1]]);
                    }
                }
                p
            })
            .collect();
        if let Some((_, ts, _)) = self.quad {
            self.view = Some(self.path_view(ts));
        }
    }

    /// A view box around θ* holding the start and the paths (far excursions of a diverging run
    /// are cut at 3× the start's distance).
    fn path_view(&self, ts: [f64; 2]) -> ViewBox {
        let start = self
            .paths
            .first()
            .map(|p| p.iterates[0].x.clone())
            .unwrap_or_else(|| vec![0.0, 0.0]);
        let rx = (start[0] - ts[0]).abs().max(1e-3 * ts[0].abs()).max(1e-9);
        let ry = (start[1] - ts[1]).abs().max(1e-3 * ts[1].abs()).max(1e-9);
        let (mut x0, mut x1, mut y0, mut y1) = (
            ts[0] - rx * 0.3,
            ts[0] + rx * 0.3,
            ts[1] - ry * 0.3,
            ts[1] + ry * 0.3,
        );
        let pts = self
            .paths
            .iter()
            .flat_map(|p| p.iterates.iter().map(|r| (r.x[0], r.x[1])))
            .chain(std::iter::once((start[0], start[1])));
        for (x, y) in pts {
            if x.is_finite() && y.is_finite() {
                x0 = x0.min(x.max(ts[0] - 3.0 * rx));
                x1 = x1.max(x.min(ts[0] + 3.0 * rx));
                y0 = y0.min(y.max(ts[1] - 3.0 * ry));
                y1 = y1.max(y.min(ts[1] + 3.0 * ry));
            }
        }
        let (px, py) = ((x1 - x0) * 0.1, (y1 - y0) * 0.1);
        ViewBox::new(x0 - px, x1 + px, y0 - py, y1 + py)
    }

    /// The worked update at the playback epoch (computed once per epoch; `None` without a run).
    fn current_worked(&mut self) -> Option<WorkedUpdate> {
        let e = self.epoch.unwrap_or_else(|| self.max_epoch()).max(1);
        if let Some((k, l)) = &self.worked {
            if *k == e {
                return l.clone();
            }
        }
        if self.replay.is_none() {
            self.replay = Replay::new(&self.experiment, &self.result, 0);
        }
        let l = self.replay.as_mut().and_then(|r| r.worked(e));
        self.worked = Some((e, l.clone()));
        l
    }

    fn max_epoch(&self) -> usize {
        self.result
            .traces
            .iter()
            .map(|t| t.epochs.len().saturating_sub(1))
            .max()
            .unwrap_or(0)
    }

    /// Index into a run's epoch records for the playback position.
    fn epoch_index(&self, len: usize) -> usize {
        self.epoch.map_or(len - 1, |e| e.min(len - 1))
    }

    /// The paths cut at the playback epoch.
    /// How many records of each path are shown at the current epoch (all without one): the
    /// plots draw these prefixes of `self.paths`, so a playback frame copies no trace.
    fn shown_lengths(&self) -> Vec<usize> {
        self.paths
            .iter()
            .map(|p| match self.epoch {
                None => p.iterates.len(),
                Some(e) => p
                    .iterates
                    .iter()
                    .take_while(|r| r.extra("epoch").unwrap_or(0.0) <= e as f64)
                    .count()
                    .max(1),
            })
            .collect()
    }

    fn map_grid(&mut self) -> Option<std::rc::Rc<Grid>> {
        if self.map_grid.is_none() {
            let (a, t, l) = self.quad?;
            self.map_grid = Some(std::rc::Rc::new(loss_grid(
                a, t, l, self.view?, MAP_GRID, MAP_GRID,
            )));
        }
        self.map_grid.clone()
    }

    fn surface_grid(&mut self) -> Option<std::rc::Rc<Grid>> {
        if self.surface_grid.is_none() {
            let (a, t, l) = self.quad?;
            self.surface_grid = Some(std::rc::Rc::new(loss_grid(
                a,
                t,
                l,
                self.view?,
                SURFACE_GRID,
                SURFACE_GRID,
            )));
        }
        self.surface_grid.clone()
    }

    fn draw_diagnostic(
        &mut self,
        canvas: &HtmlCanvasElement,
        residuals: bool,
    ) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let y = &self.design.y;
        let intercept = self.result.intercept;
        let pairs = |pred: &[f64]| -> Vec<(f64, f64)> {
            let idx: Vec<usize> = thin(&(0..y.len()).collect::<Vec<_>>());
            idx.into_iter()
                .map(|i| {
                    if residuals {
                        (pred[i], y[i] - pred[i])
                    } else {
                        (y[i], pred[i])
                    }
                })
                .collect()
        };
        let mut series = Vec::new();
        if let Ok(f) = &self.result.exact {
            series.push(Series {
                points: pairs(&self.design.predict(&f.theta(), intercept)),
                color: crate::plot::palette().data,
                mark: Mark::Dots {
                    radius: 2.4,
                    alpha: 0.5,
                },
                label: "exact (QR)".into(),
                marker: None,
            });
        }
        for (i, t) in self.result.traces.iter().enumerate() {
            let theta = &t.epochs[self.epoch_index(t.epochs.len())].x;
            series.push(Series {
                points: pairs(&self.design.predict(theta, intercept)),
                color: solver_line_color(i),
                mark: Mark::Dots {
                    radius: 1.6,
                    alpha: 0.7,
                },
                label: t.steps.solver.clone(),
                marker: Some(solver_marker(i)),
            });
        }
        // Reference line: y = ŷ, or residual 0, across the exact fit's range.
        let (lo, hi) = series
            .first()
            .map(|s| {
                s.points
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                        (a.min(p.0), b.max(p.0))
                    })
            })
            .unwrap_or((0.0, 1.0));
        if lo.is_finite() && hi.is_finite() {
            series.push(Series {
                points: if residuals {
                    vec![(lo, 0.0), (hi, 0.0)]
                } else {
                    vec![(lo, lo), (hi, hi)]
                },
                color: crate::plot::palette().fg,
                mark: Mark::Line {
                    width: 1.0,
                    dashed: true,
                },
                label: String::new(),
                marker: None,
            });
        }
        // Axis ranges from the exact fit's points (a far-off early epoch should not squash them).
        let first = series.first().map(|s| s.points.clone()).unwrap_or_default();
        let range = |v: Vec<f64>| crate::plot::regression::padded_range(v.into_iter());
        let axes = Axes {
            x_desc: if residuals { "fitted ŷ" } else { "actual y" }.into(),
            y_desc: if residuals {
                "residual y − ŷ"
            } else {
                "predicted ŷ"
            }
            .into(),
            x_range: range(first.iter().map(|p| p.0).collect()),
            y_range: range(first.iter().map(|p| p.1).collect()),
        };
        let layout = draw_xy(&root, &series, &axes, &PlotStyle { scale: dpr })?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    fn summary_data(&self) -> Summary {
        let r = &self.result;
        let mut coefficients = r.features.clone();
        if r.intercept {
            let b = if r.features.iter().any(|f| f == "b") {
                "(intercept)"
            } else {
                "b"
            };
            coefficients.push(b.into());
        }
        let (exact, exact_error) = match &r.exact {
            Ok(f) => {
                // NIST order [b, w…] → θ order [w…, b].
                let mut sd = f.sd.clone();
                if f.intercept && !sd.is_empty() {
                    sd.rotate_left(1);
                }
                (
                    Some(ExactSummary {
                        theta: f.theta(),
                        sd,
                        r2: f.r2,
                        resid_sd: f.resid_sd,
                        mse: f.mse,
                        dof: f.dof,
                    }),
                    None,
                )
            }
            Err(m) => (None, Some(m.clone())),
        };
        let runs = r
            .traces
            .iter()
            .zip(&self.experiment.solvers)
            .enumerate()
            .map(|(i, (t, cfg))| {
                let last = t.epochs.last().expect("epoch 0 is always recorded");
                let first = &t.epochs[0];
                let n = r.data.n();
                let warning = if t.steps.stop != StopReason::Diverged
                    && last.f.is_finite()
                    && first.f.is_finite()
                    && last.f > 100.0 * first.f.max(f64::MIN_POSITIVE)
                {
                    Some(format!(
                        "diverging: loss {} → {}, lower α",
                        crate::lab::explain::num(first.f),
                        crate::lab::explain::num(last.f)
                    ))
                } else if cfg.batch_size > 0 && cfg.batch_size >= n && n > 1 {
                    Some(format!(
                        "M = {} ≥ n = {n}: this is batch GD",
                        cfg.batch_size
                    ))
                } else {
                    None
                };
                RunSummary {
                    warning,
                    name: t.steps.solver.clone(),
                    color: hex(solver_color_on_white(i)),
                    batch_size: cfg.batch_size,
                    learning_rate: cfg.learning_rate,
                    theta: last.x.clone(),
                    loss: last.f,
                    distance_to_exact: last.extra("distance_to_exact"),
                    epochs: last.k,
                    updates: t.steps.last().k,
                    stop: t.steps.stop.clone(),
                    stop_label: t.steps.stop.label(),
                    converged: t.steps.stop.is_converged(),
                    fingerprint: format!(
                        "{:016x}",
                        self.fingerprints
                            .get(i)
                            .copied()
                            .unwrap_or_else(|| t.steps.fingerprint())
                    ),
                    shown: shown_run(t, cfg.batch_size, n, self.epoch),
                }
            })
            .collect();
        let max_epoch = self.max_epoch();
        Summary {
            lab: "regression",
            source: match self.experiment.data {
                DataSource::Generated(_) => "generated",
                DataSource::Csv { .. } => "csv",
                DataSource::Nist { .. } => "nist",
            },
            nist_name: r.nist_name.clone(),
            n: r.data.n(),
            raw_features: r.data.feature_names.clone(),
            target: r.data.target_name.clone(),
            features: r.features.clone(),
            parameters: {
                let d = r.features.len();
                let mut p: Vec<String> = if d == 1 {
                    vec!["w".into()]
                } else {
                    r.features
                        .iter()
                        .enumerate()
                        .map(|(j, f)| format!("w{} ({f})", crate::lab::explain::sub(j + 1)))
                        .collect()
                };
                if r.intercept {
                    p.push("b".into());
                }
                p
            },
            coefficients,
            intercept: r.intercept,
            standardize: self.experiment.standardize,
            formula: r.formula.clone(),
            exact,
            exact_error,
            mode: if self.quad.is_some() { "line" } else { "multi" },
            data_fit: r.data.d() == 1,
            epoch: self.epoch.unwrap_or(max_epoch),
            max_epoch,
            runs,
        }
    }
}

/// The fan of a worked update in (w, b) (the map's coordinates; 1 feature with intercept).
fn fan_of(l: &WorkedUpdate) -> Fan {
    let pair = |v: &[f64]| (v[0], v.get(1).copied().unwrap_or(0.0));
    Fan {
        origin: pair(&l.start),
        rays: l.rays.iter().map(|r| pair(r)).collect(),
        full: pair(&l.full_ray),
    }
}

impl crate::web::view::teach::Taught for RegressionLab {
    fn run_view(&self) -> crate::lab::teach::run::RunView<'_> {
        crate::lab::teach::run::RunView::Regression {
            experiment: &self.experiment,
            result: &self.result,
        }
    }
}

/// Accessibility (issue 16): the plots as text and the run's announcement (src/lab/describe.rs).
#[wasm_bindgen]
impl RegressionLab {
    /// The text description of the plot on canvas `canvas_id` (`rg-data`, `rg-contour`,
    /// `rg-surface`, `rg-predicted`, `rg-residuals`, `rg-loss`); empty for another id.
    pub fn describe(&self, canvas_id: &str) -> String {
        crate::i18n::say_sentences(
            crate::plot::language(),
            &crate::lab::describe::regression_sentences(canvas_id, &self.result),
        )
    }

    /// One short sentence for the page's live region.
    pub fn announce(&self) -> String {
        crate::i18n::say(
            crate::plot::language(),
            &crate::lab::describe::announce_regression(&self.result),
        )
    }
}
