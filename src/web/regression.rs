//! The linear-regression lab: data (generated or CSV), batch GD / mini-batch SGD against the exact
//! least-squares answer; data with fitted lines, the loss surface over (w, b) with the paths,
//! loss per epoch, and predicted-vs-actual / residual plots for several features.
//!
//! The page sends its form as text ([`RegressionForm`]); Rust validates it field by field, runs
//! [`crate::experiment_regression::run`] and draws. A bad form or bad CSV leaves the previous
//! experiment (and its data) in place and returns messages naming the field (and, for CSV, the
//! row and column).

use super::{backend, draw_map_on_canvas, fit_canvas, to_js, Layouts};
use crate::controls::{number, short, FieldError};
use crate::experiment_regression::{run, DataSource, RegressionExperiment, RegressionResult};
use crate::plot::contour::MapOverlay;
use crate::plot::regression::{
    draw_losses, draw_xy, loss_grid, quadratic_loss, thin, Axes, LossSeries, Mark, Series,
};
use crate::plot::surface::Camera;
use crate::plot::{draw_surface, solver_color_on_white, Grid, PixelMap, PlotStyle};
use crate::problem::regression::csv::{self, CsvOptions, Decimal, Delimiter, Header};
use crate::problem::regression::generate::LinearSpec;
use crate::problem::regression::Dataset;
use crate::problem::surfaces::ViewBox;
use crate::solver::minibatch::{
    Decay, EpochBench, MiniBatchConfig, Optimizer, Shuffle, UpdateRules,
};
use crate::trace::{StopReason, Trace};
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::experiment_regression::{PAGE_MAX_EPOCHS, PAGE_MAX_N, PAGE_MAX_VISITS};
/// Heat-map grid resolution.
const MAP_GRID: usize = 120;
/// 3-D mesh resolution.
const SURFACE_GRID: usize = 40;

/// The lab's form, exactly as typed (all text; check boxes as booleans).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegressionForm {
    /// `"generated"`, `"csv"` or `"nist"` (kept from a loaded state only).
    pub source: String,
    /// Generated: number of samples.
    pub n: String,
    /// Generated: true slope.
    pub slope: String,
    /// Generated: true intercept.
    pub true_intercept: String,
    /// Generated: noise σ.
    pub noise: String,
    /// Generated: x range.
    pub x_min: String,
    /// Generated: x range.
    pub x_max: String,
    /// Generated: RNG seed of the data.
    pub data_seed: String,
    /// Polynomial degree of a 1-feature dataset.
    pub degree: String,
    /// CSV text.
    pub csv_text: String,
    /// `auto`, `comma`, `semicolon`, `tab`.
    pub delimiter: String,
    /// `point`, `comma`.
    pub decimal: String,
    /// `auto`, `yes`, `no`.
    pub header: String,
    /// Target column name or number (empty = last).
    pub target: String,
    /// Fit an intercept.
    pub fit_intercept: bool,
    /// Standardize features for GD/SGD.
    pub standardize: bool,
    /// α.
    pub learning_rate: String,
    /// Batch size M (empty or 0 = full batch).
    pub batch_size: String,
    /// Epochs.
    pub epochs: String,
    /// Shuffling seed.
    pub seed: String,
    /// Sample order per epoch: `samples` (reshuffled), `batches` (fixed batches, random order),
    /// `none` (file order).
    pub shuffle: String,
    /// `plain`, `momentum`, `adam`.
    pub optimizer: String,
    /// Momentum β (momentum) or β₁ (Adam).
    pub beta: String,
    /// `none`, `inverse_time`, `exponential`.
    pub decay: String,
    /// Inverse-time rate, exponential or step γ, or cosine's final fraction m.
    pub decay_value: String,
    /// Step decay: epochs between drops; cosine: the period T in epochs.
    #[serde(default)]
    pub decay_every: String,
    /// Also run full-batch GD with the same settings.
    pub compare_gd: bool,
}

fn fe(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Parses `text` and checks it; on failure records a message for `field` and returns NaN.
fn num(
    errors: &mut Vec<FieldError>,
    field: &str,
    text: &str,
    check: &dyn Fn(f64) -> Result<f64, String>,
) -> f64 {
    match number(text).and_then(check) {
        Ok(v) => v,
        Err(m) => {
            errors.push(fe(field, m));
            f64::NAN
        }
    }
}

fn name_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn from_name<T: for<'de> Deserialize<'de>>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

impl RegressionForm {
    /// The form showing experiment `e` (its first solver; `compare_gd` when a second, full-batch
    /// one follows).
    pub fn from_experiment(e: &RegressionExperiment) -> Self {
        let spec = match &e.data {
            DataSource::Generated(s) => s.clone(),
            _ => LinearSpec::default(),
        };
        let (source, csv_text, opts) = match &e.data {
            DataSource::Generated(_) => ("generated", String::new(), CsvOptions::default()),
            DataSource::Csv { text, options } => ("csv", text.clone(), options.clone()),
            DataSource::Nist { .. } => ("nist", String::new(), CsvOptions::default()),
        };
        let s = e.solvers.first().cloned().unwrap_or_default();
        let (optimizer, beta) = match s.optimizer {
            Optimizer::Plain => ("plain", 0.9),
            Optimizer::Momentum { beta } => ("momentum", beta),
            Optimizer::Adam { beta1, .. } => ("adam", beta1),
        };
        let (decay, decay_value, decay_every) = match s.decay {
            Decay::None => ("none", 0.1, 10),
            Decay::InverseTime { rate } => ("inverse_time", rate, 10),
            Decay::Exponential { gamma } => ("exponential", gamma, 10),
            Decay::StepDecay { every, gamma } => ("step_decay", gamma, every),
            Decay::Cosine { period, min_factor } => ("cosine", min_factor, period),
        };
        RegressionForm {
            source: source.into(),
            n: spec.n.to_string(),
            slope: short(spec.slope),
            true_intercept: short(spec.intercept),
            noise: short(spec.noise),
            x_min: short(spec.x_min),
            x_max: short(spec.x_max),
            data_seed: spec.seed.to_string(),
            degree: e.polynomial_degree.to_string(),
            csv_text,
            delimiter: name_of(&opts.delimiter),
            decimal: name_of(&opts.decimal),
            header: name_of(&opts.header),
            target: opts.target.unwrap_or_default(),
            fit_intercept: e.intercept,
            standardize: e.standardize,
            learning_rate: short(s.learning_rate),
            batch_size: s.batch_size.to_string(),
            epochs: s.epochs.to_string(),
            seed: s.seed.to_string(),
            shuffle: name_of(&s.shuffle),
            optimizer: optimizer.into(),
            beta: short(beta),
            decay: decay.into(),
            decay_value: short(decay_value),
            decay_every: decay_every.to_string(),
            compare_gd: e.solvers.len() > 1,
        }
    }

    /// Applies the form to `base`, or returns a message for every bad field.
    pub fn apply(
        &self,
        base: &RegressionExperiment,
    ) -> Result<RegressionExperiment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let whole = |lo: f64, hi: f64| {
            move |v: f64| {
                if v.fract() != 0.0 {
                    Err("must be a whole number".to_string())
                } else if v < lo || v > hi {
                    Err(format!("must be between {lo} and {hi}"))
                } else {
                    Ok(v)
                }
            }
        };
        let finite = |v: f64| {
            if v.abs() <= 1e9 {
                Ok(v)
            } else {
                Err("must be between −1e9 and 1e9".to_string())
            }
        };
        let degree = num(&mut errors, "degree", &self.degree, &whole(1.0, 20.0));
        // Samples in the data, where known here (generated, CSV): a batch size ≥ n is batch GD.
        let mut data_n: Option<usize> = None;
        let data = match self.source.as_str() {
            "generated" => {
                let n = num(&mut errors, "n", &self.n, &whole(2.0, PAGE_MAX_N as f64));
                let slope = num(&mut errors, "slope", &self.slope, &finite);
                let b = num(&mut errors, "true_intercept", &self.true_intercept, &finite);
                let noise = num(&mut errors, "noise", &self.noise, &|v| {
                    if (0.0..=1e6).contains(&v) {
                        Ok(v)
                    } else {
                        Err("must be between 0 and 1e6".into())
                    }
                });
                let x_min = num(&mut errors, "x_min", &self.x_min, &finite);
                let x_max = num(&mut errors, "x_max", &self.x_max, &finite);
                let seed = num(
                    &mut errors,
                    "data_seed",
                    &self.data_seed,
                    &whole(0.0, 4294967295.0),
                );
                if x_min.is_finite() && x_max.is_finite() && x_min >= x_max {
                    errors.push(fe("x_max", "must be greater than x min"));
                }
                data_n = n.is_finite().then_some(n as usize);
                Some(DataSource::Generated(LinearSpec {
                    n: n as usize,
                    slope,
                    intercept: b,
                    noise,
                    x_min,
                    x_max,
                    seed: seed as u64,
                }))
            }
            "csv" => {
                let delimiter: Option<Delimiter> = from_name(&self.delimiter);
                let decimal: Option<Decimal> = from_name(&self.decimal);
                let header: Option<Header> = from_name(&self.header);
                if delimiter.is_none() {
                    errors.push(fe("delimiter", "choose a delimiter"));
                }
                if decimal.is_none() {
                    errors.push(fe("decimal", "choose a decimal separator"));
                }
                if header.is_none() {
                    errors.push(fe("header", "choose whether there is a header"));
                }
                match (delimiter, decimal, header) {
                    (Some(delimiter), Some(decimal), Some(header)) => {
                        let t = self.target.trim();
                        let options = CsvOptions {
                            delimiter,
                            decimal,
                            header,
                            target: (!t.is_empty()).then(|| t.to_string()),
                        };
                        match csv::parse(&self.csv_text, &options) {
                            Ok(d) => {
                                data_n = Some(d.n());
                                if degree.is_finite() && degree > 1.0 && d.d() != 1 {
                                    errors.push(fe(
                                        "degree",
                                        format!(
                                            "polynomial features need exactly 1 feature column \
                                             (the CSV has {}): use degree 1",
                                            d.d()
                                        ),
                                    ));
                                }
                                Some(DataSource::Csv {
                                    text: self.csv_text.clone(),
                                    options,
                                })
                            }
                            Err(m) => {
                                let field = if m.contains("target column")
                                    || m.contains("no column named")
                                {
                                    "target"
                                } else {
                                    "csv_text"
                                };
                                errors.push(fe(field, m));
                                None
                            }
                        }
                    }
                    _ => None,
                }
            }
            "nist" => match &base.data {
                d @ DataSource::Nist { .. } => Some(d.clone()),
                _ => {
                    errors.push(fe("source", "no NIST data loaded: choose generated or CSV"));
                    None
                }
            },
            other => {
                errors.push(fe("source", format!("unknown data source “{other}”")));
                None
            }
        };
        let lr = num(&mut errors, "learning_rate", &self.learning_rate, &|v| {
            if v > 0.0 && v <= 1e3 {
                Ok(v)
            } else {
                Err("must be > 0 and at most 1000".into())
            }
        });
        let batch = if self.batch_size.trim().is_empty()
            || self.batch_size.trim().eq_ignore_ascii_case("all")
        {
            0.0
        } else {
            num(
                &mut errors,
                "batch_size",
                &self.batch_size,
                &whole(0.0, 1e9),
            )
        };
        let epochs = num(
            &mut errors,
            "epochs",
            &self.epochs,
            &whole(1.0, PAGE_MAX_EPOCHS as f64),
        );
        let seed = num(&mut errors, "seed", &self.seed, &whole(0.0, 4294967295.0));
        let shuffle: Option<Shuffle> = from_name(&self.shuffle);
        if shuffle.is_none() {
            errors.push(fe("shuffle", "choose a sample order"));
        }
        let optimizer = match self.optimizer.as_str() {
            "plain" => Some(Optimizer::Plain),
            "momentum" | "adam" => {
                let beta = num(&mut errors, "beta", &self.beta, &|v| {
                    if (0.0..1.0).contains(&v) {
                        Ok(v)
                    } else {
                        Err("must be in [0, 1)".into())
                    }
                });
                Some(if self.optimizer == "momentum" {
                    Optimizer::Momentum { beta }
                } else {
                    Optimizer::Adam {
                        beta1: beta,
                        beta2: 0.999,
                        epsilon: 1e-8,
                    }
                })
            }
            other => {
                errors.push(fe("optimizer", format!("unknown optimizer “{other}”")));
                None
            }
        };
        let decay = match self.decay.as_str() {
            "none" => Some(Decay::None),
            "inverse_time" => Some(Decay::InverseTime {
                rate: num(&mut errors, "decay_value", &self.decay_value, &|v| {
                    if (0.0..=1e3).contains(&v) {
                        Ok(v)
                    } else {
                        Err("rate must be between 0 and 1000".into())
                    }
                }),
            }),
            "exponential" => Some(Decay::Exponential {
                gamma: num(&mut errors, "decay_value", &self.decay_value, &|v| {
                    if v > 0.0 && v <= 1.0 {
                        Ok(v)
                    } else {
                        Err("γ must be in (0, 1]".into())
                    }
                }),
            }),
            "step_decay" | "cosine" => {
                let step = self.decay == "step_decay";
                let a = num(&mut errors, "decay_value", &self.decay_value, &|v| {
                    let ok = if step {
                        v > 0.0 && v <= 1.0
                    } else {
                        (0.0..=1.0).contains(&v)
                    };
                    if ok {
                        Ok(v)
                    } else if step {
                        Err("γ must be in (0, 1]".into())
                    } else {
                        Err("the final fraction must be in [0, 1]".into())
                    }
                });
                let every = num(&mut errors, "decay_every", &self.decay_every, &|v| {
                    if v >= 1.0 && v.fract() == 0.0 && v <= 1e6 {
                        Ok(v)
                    } else {
                        Err("a whole number of epochs ≥ 1".into())
                    }
                });
                if a.is_finite() && every.is_finite() {
                    let every = every as usize;
                    let d = if step {
                        Decay::StepDecay { every, gamma: a }
                    } else {
                        Decay::Cosine {
                            period: every,
                            min_factor: a,
                        }
                    };
                    match d.schedule().validate() {
                        Ok(()) => Some(d),
                        Err(m) => {
                            errors.push(fe("decay", m));
                            None
                        }
                    }
                } else {
                    None
                }
            }
            other => {
                errors.push(fe("decay", format!("unknown decay “{other}”")));
                None
            }
        };
        if let Some(DataSource::Generated(spec)) = &data {
            let visits = epochs * spec.n as f64 * if self.compare_gd { 2.0 } else { 1.0 };
            if visits.is_finite() && visits > PAGE_MAX_VISITS {
                errors.push(fe(
                    "epochs",
                    format!(
                        "epochs × n is too much work for the page ({} sample visits, at most {:e})",
                        visits, PAGE_MAX_VISITS
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let main = MiniBatchConfig {
            learning_rate: lr,
            batch_size: batch as usize,
            epochs: epochs as usize,
            seed: seed as u64,
            shuffle: shuffle.expect("checked"),
            decay: decay.expect("checked"),
            optimizer: optimizer.expect("checked"),
            grad_tol: 0.0,
            max_recorded_steps: 20_000,
            // A link from gradlab v1 keeps v1's momentum/Adam through edits of its form.
            update_rules: base
                .solvers
                .first()
                .map_or(UpdateRules::default(), |s| s.update_rules),
        };
        let mut solvers = vec![main.clone()];
        let main_is_batch_gd = main.batch_size == 0 || data_n.is_some_and(|n| main.batch_size >= n);
        // "+ batch GD" is batch GD with the main run's settings. A guided experiment may race
        // further runs the form cannot show (SGD with M = 1 and M = 32 and batch GD at its own
        // α): with the box still ticked they are kept as they are; unticking drops them.
        let compare_of = |m: &MiniBatchConfig| MiniBatchConfig {
            batch_size: 0,
            ..m.clone()
        };
        let base_main = base.solvers.first();
        let is_compare = |s: &MiniBatchConfig| base_main.is_some_and(|m| *s == compare_of(m));
        let had_compare = base.solvers.iter().skip(1).any(is_compare);
        if self.compare_gd {
            if !main_is_batch_gd && (had_compare || base.solvers.len() <= 1) {
                solvers.push(compare_of(&main));
            }
            solvers.extend(
                base.solvers
                    .iter()
                    .skip(1)
                    .filter(|s| !is_compare(s))
                    .cloned(),
            );
        }
        let mut e = base.clone();
        e.data = data.expect("checked");
        e.polynomial_degree = degree as usize;
        e.intercept = self.fit_intercept;
        e.standardize = self.standardize;
        e.solvers = solvers;
        Ok(e)
    }
}

/// The lab's state.
#[wasm_bindgen]
pub struct RegressionLab {
    experiment: RegressionExperiment,
    result: RegressionResult,
    /// The (polynomial) design the model sees.
    design: Dataset,
    /// Per run, the step path with f = the full-data loss (for the 3-D surface).
    paths: Vec<Trace>,
    /// Playback position (epoch); `None` = the end.
    epoch: Option<usize>,
    /// (A, θ*, L*) of the quadratic loss when the model is y = w·x + b.
    quad: Option<([[f64; 2]; 2], [f64; 2], f64)>,
    view: Option<ViewBox>,
    map_grid: Option<Grid>,
    surface_grid: Option<Grid>,
    raster: super::RasterCache,
    map: Option<PixelMap>,
    camera: Camera,
    layouts: Layouts,
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
        };
        lab.derive();
        lab
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

    /// The experiment as its serde config (see [`crate::experiment_regression`]).
    pub fn get_state(&self) -> JsValue {
        to_js(&self.experiment)
    }

    /// Replaces the experiment by `config` after validating and running it; a bad config leaves
    /// everything as it was and returns the reason.
    pub fn set_state(&mut self, config: JsValue) -> Result<(), JsValue> {
        let e: RegressionExperiment = serde_wasm_bindgen::from_value(config)
            .map_err(|e| JsValue::from_str(&format!("not a regression experiment: {e}")))?;
        for s in &e.solvers {
            s.validate().map_err(|m| JsValue::from_str(&m))?;
        }
        self.set_experiment(e).map_err(|m| JsValue::from_str(&m))
    }

    /// The form for the current experiment, as text.
    pub fn form(&self) -> JsValue {
        to_js(&RegressionForm::from_experiment(&self.experiment))
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
        let form: RegressionForm = match serde_wasm_bindgen::from_value(form) {
            Ok(f) => f,
            Err(e) => return fail(vec![fe("form", e.to_string())]),
        };
        match form.apply(&self.experiment) {
            Ok(e) => match self.set_experiment(e) {
                Ok(()) => to_js(&ApplyResult {
                    ok: true,
                    errors: vec![],
                    summary: Some(self.summary_data()),
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

    /// Starts every run from (w, b) under CSS pixel (css_x, css_y) of the contour canvas and
    /// re-runs; `false` outside the plot area or when there is no (w, b) map.
    pub fn click_contour(&mut self, canvas: &HtmlCanvasElement, css_x: f64, css_y: f64) -> bool {
        let Some(p) = self.contour_point(canvas, css_x, css_y) else {
            return false;
        };
        let mut e = self.experiment.clone();
        let q = |v: f64| format!("{v:.4e}").parse().unwrap_or(v);
        e.start = Some(vec![q(p[0]), q(p[1])]);
        let keep_view = self.view;
        let ok = self.set_experiment(e).is_ok();
        if ok && keep_view.is_some() {
            // Keep the map where it was, so the click lands where the user pointed.
            self.view = keep_view;
            self.map_grid = None;
            self.surface_grid = None;
            self.raster = None;
        }
        ok
    }

    /// Back to θ₀ = 0.
    pub fn reset_start(&mut self) -> bool {
        let mut e = self.experiment.clone();
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
                color: RGBColor(70, 80, 100),
                mark: Mark::Dots {
                    radius: 2.2,
                    alpha: 0.45,
                },
                label: "data".into(),
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
                    color: RGBColor(0, 0, 0),
                    mark: Mark::Line {
                        width: 1.5,
                        dashed: true,
                    },
                    label: "exact (QR)".into(),
                });
            }
            for (i, t) in self.result.traces.iter().enumerate() {
                let theta = &t.epochs[self.epoch_index(t.epochs.len())].x;
                series.push(Series {
                    points: curve(theta),
                    color: solver_color_on_white(i),
                    mark: Mark::Line {
                        width: 2.0,
                        dashed: false,
                    },
                    label: t.steps.solver.clone(),
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
                    color: solver_color_on_white(i),
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
                .fill(&WHITE)
                .map_err(|e| JsValue::from_str(&e.to_string()))?;
            self.map = None;
            self.layouts.clear(canvas);
            return Ok(());
        };
        let traces = self.shown_paths();
        let marks: Vec<(f64, f64)> = self.quad.iter().map(|q| (q.1[0], q.1[1])).collect();
        let overlay = MapOverlay {
            traces: &traces,
            upto: None,
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
        self.layouts.record(canvas, layout);
        Ok(())
    }

    /// The loss surface over (w, b) in 3-D with the paths (1 feature with intercept only).
    pub fn draw_surface(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let Some(grid) = self.surface_grid() else {
            root.fill(&WHITE)
                .map_err(|e| JsValue::from_str(&e.to_string()))?;
            self.layouts.clear(canvas);
            return Ok(());
        };
        let traces = self.shown_paths();
        let overlay = MapOverlay {
            traces: &traces,
            upto: None,
            marks: &[],
            axes: ("w", "b"),
            value: "MSE",
            equal_scale: None,
        };
        let layout = draw_surface(
            &root,
            &grid,
            &overlay,
            self.camera,
            &PlotStyle { scale: dpr },
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
    fn set_experiment(&mut self, e: RegressionExperiment) -> Result<(), String> {
        let result = run(&e)?;
        self.experiment = e;
        self.result = result;
        self.derive();
        Ok(())
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
    fn shown_paths(&self) -> Vec<Trace> {
        match self.epoch {
            None => self.paths.clone(),
            Some(e) => self
                .paths
                .iter()
                .map(|p| {
                    let mut q = p.clone();
                    let keep = p
                        .iterates
                        .iter()
                        .take_while(|r| r.extra("epoch").unwrap_or(0.0) <= e as f64)
                        .count()
                        .max(1);
                    q.iterates.truncate(keep);
                    q
                })
                .collect(),
        }
    }

    fn map_grid(&mut self) -> Option<Grid> {
        if self.map_grid.is_none() {
            let (a, t, l) = self.quad?;
            self.map_grid = Some(loss_grid(a, t, l, self.view?, MAP_GRID, MAP_GRID));
        }
        self.map_grid.clone()
    }

    fn surface_grid(&mut self) -> Option<Grid> {
        if self.surface_grid.is_none() {
            let (a, t, l) = self.quad?;
            self.surface_grid = Some(loss_grid(a, t, l, self.view?, SURFACE_GRID, SURFACE_GRID));
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
                color: RGBColor(70, 80, 100),
                mark: Mark::Dots {
                    radius: 2.4,
                    alpha: 0.5,
                },
                label: "exact (QR)".into(),
            });
        }
        for (i, t) in self.result.traces.iter().enumerate() {
            let theta = &t.epochs[self.epoch_index(t.epochs.len())].x;
            series.push(Series {
                points: pairs(&self.design.predict(theta, intercept)),
                color: solver_color_on_white(i),
                mark: Mark::Dots {
                    radius: 1.6,
                    alpha: 0.7,
                },
                label: t.steps.solver.clone(),
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
                color: RGBColor(0, 0, 0),
                mark: Mark::Line {
                    width: 1.0,
                    dashed: true,
                },
                label: String::new(),
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
                        crate::explain::num(first.f),
                        crate::explain::num(last.f)
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
                    fingerprint: format!("{:016x}", t.steps.fingerprint()),
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
