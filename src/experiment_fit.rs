//! One curve-fitting experiment as a serde config, and `run(config) -> FitResult` (pure and
//! deterministic: generated noise comes from a seeded [`crate::rng::SplitMix64`]).
//!
//! JSON shape (every field optional, defaults shown in [`FitExperiment::default`]):
//!
//! ```json
//! { "model":   {"kind": "builtin", "id": "gaussian"}          | {"kind": "nist", "name": "Misra1a"}
//!            | {"kind": "formula", "text": "y = a*exp(-b*x) + c"},
//!   "data":    {"kind": "generated", "n": 40, "noise": 0.05, "seed": 1,
//!               "x_range": [-3, 5], "params": [3, 1, 0.7]}    (x_range, params optional;
//!               a formula model generates from params, default 1 each, on x_range, default [0, 5])
//!            | {"kind": "points", "x": [...], "y": [...]}     | {"kind": "nist"},
//!   "start":   {"kind": "default"} | {"kind": "nist", "which": 1} | {"kind": "values", "values": [...]},
//!   "solvers": [{"method": "levenberg_marquardt", "ftol": 1e-15, ...},
//!               {"method": "gauss_newton", "max_backtracks": 40, ...}],
//!   "jacobian": {"source": "analytic" | "finite_difference", "scheme": "central" | "forward",
//!                "rel_step": [..]} }
//! ```
//!
//! NIST data are not compiled into the library: pass the `.dat` text to [`run_with_nist`].
//!
//! The page's form (text as typed, validated field by field) is [`FitForm`]; [`trace_csv`] exports
//! the traces of a result; [`SsrObjective`] samples the SSR landscape of 2-parameter fits.

use crate::controls::FieldError;
use crate::diff::GradientSource;
use crate::problem::formula::{CurveFormula, FormulaError};
use crate::problem::least_squares::{CurveFit, CurveModel, Data, ModelId, Residuals};
use crate::problem::nist::{self, NistDataset, NistModel};
use crate::problem::regression::csv::{self, CsvOptions};
use crate::problem::Objective;
use crate::solver::least_squares::{
    fit_statistics, gauss_newton, levenberg_marquardt, FitStatistics, GaussNewtonSettings,
    JacobianSettings, LmSettings, LsqRun,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which model is fitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitModel {
    /// A built-in model.
    Builtin {
        /// Which one.
        id: ModelId,
    },
    /// The model of a NIST StRD nonlinear problem.
    Nist {
        /// The dataset name, e.g. `"Misra1a"`.
        name: String,
    },
    /// A typed model `y = f(x; a, b, …)` in the formula language ([`crate::problem::formula`]);
    /// the parameters are the names other than `x`, in order of first appearance. A leading
    /// `y =` is optional.
    Formula {
        /// The formula as typed.
        text: String,
    },
}

/// Where the data come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitData {
    /// Generated from a built-in model at equally spaced x plus Gaussian noise.
    Generated {
        /// Number of points.
        n: usize,
        /// Noise standard deviation.
        noise: f64,
        /// RNG seed.
        seed: u64,
        /// x range (the model's default when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        x_range: Option<[f64; 2]>,
        /// True parameters (the model's defaults when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        params: Option<Vec<f64>>,
    },
    /// Given points (one predictor).
    Points {
        /// x values.
        x: Vec<f64>,
        /// y values.
        y: Vec<f64>,
    },
    /// The NIST dataset's own data (model must be NIST).
    Nist,
}

/// Where the fit starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitStart {
    /// The built-in model's default start, or NIST start 1.
    Default,
    /// NIST certified start 1 or 2.
    Nist {
        /// 1 or 2.
        which: u8,
    },
    /// Explicit values.
    Values {
        /// One per parameter.
        values: Vec<f64>,
    },
}

/// One least-squares solver and its settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum FitSolver {
    /// Levenberg–Marquardt.
    LevenbergMarquardt(LmSettings),
    /// Gauss–Newton with backtracking.
    GaussNewton(GaussNewtonSettings),
}

impl FitSolver {
    /// The method's name in forms and links.
    pub fn method(&self) -> &'static str {
        match self {
            FitSolver::LevenbergMarquardt(_) => "levenberg_marquardt",
            FitSolver::GaussNewton(_) => "gauss_newton",
        }
    }
}

/// The solvers after a form edit (the form holds one set of settings per method): `base`'s runs
/// in their order, the first run of each method still checked taking the form's settings, later
/// runs of the same method kept as they were, unchecked methods dropped, new ones appended.
pub fn merge_solvers(base: &[FitSolver], form: Vec<FitSolver>) -> Vec<FitSolver> {
    crate::controls::merge_runs(base, form, FitSolver::method)
}

/// A whole curve-fitting experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FitExperiment {
    /// The model.
    pub model: FitModel,
    /// The data.
    pub data: FitData,
    /// The start.
    pub start: FitStart,
    /// The solvers, each run from the same start.
    pub solvers: Vec<FitSolver>,
    /// Jacobian source.
    pub jacobian: JacobianSettings,
}

impl Default for FitExperiment {
    fn default() -> Self {
        FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::Gaussian,
            },
            data: FitData::Generated {
                n: 40,
                noise: 0.05,
                seed: 1,
                x_range: None,
                params: None,
            },
            start: FitStart::Default,
            solvers: vec![
                FitSolver::LevenbergMarquardt(LmSettings::default()),
                FitSolver::GaussNewton(GaussNewtonSettings::default()),
            ],
            jacobian: JacobianSettings::default(),
        }
    }
}

/// A built-in, NIST or formula model behind one type.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyModel {
    /// Built-in.
    Builtin(ModelId),
    /// NIST.
    Nist(NistModel),
    /// Typed formula (exact parameter gradient by forward-mode AD).
    Formula(Box<CurveFormula>),
}

impl CurveModel for AnyModel {
    fn num_params(&self) -> usize {
        match self {
            AnyModel::Builtin(m) => m.num_params(),
            AnyModel::Nist(m) => m.num_params(),
            AnyModel::Formula(f) => f.n_params(),
        }
    }
    fn value(&self, x: &[f64], p: &[f64]) -> f64 {
        match self {
            AnyModel::Builtin(m) => m.value(x, p),
            AnyModel::Nist(m) => m.value(x, p),
            AnyModel::Formula(f) => f.model_value(x[0], p),
        }
    }
    fn gradient(&self, x: &[f64], p: &[f64], g: &mut [f64]) -> bool {
        match self {
            AnyModel::Builtin(m) => m.gradient(x, p, g),
            AnyModel::Nist(m) => m.gradient(x, p, g),
            AnyModel::Formula(f) => {
                f.model_eval(x[0], p, g);
                true
            }
        }
    }
}

/// One solver's run with the statistics at its solution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitRun {
    /// Trace (f = ½SSR, grad_norm = ‖Jᵀr‖, extras per solver), params, residuals, SSR.
    pub run: LsqRun,
    /// Covariance, standard errors, correlation, R², dof at the solution.
    pub statistics: FitStatistics,
    /// Stop reason label for display.
    pub stop_label: String,
}

/// Everything the page shows after a fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitResult {
    /// Model display name.
    pub model_name: String,
    /// Formula as shown.
    pub formula: String,
    /// Parameter names.
    pub param_names: Vec<String>,
    /// The data fitted.
    pub data: Data,
    /// The start used.
    pub start: Vec<f64>,
    /// Certified values when the model and data are a NIST problem's.
    pub certified: Option<Vec<f64>>,
    /// One per solver.
    pub runs: Vec<FitRun>,
}

/// Parses a curve formula as typed on the page: an optional leading `y =`, then the model in the
/// formula language. Error columns count from the start of `text` (the prefix included).
pub fn parse_formula(text: &str) -> Result<CurveFormula, FormulaError> {
    let (skip, body) = strip_y_prefix(text);
    CurveFormula::parse(body).map_err(|mut e| {
        e.column += skip;
        e
    })
}

/// Splits off a leading `y =` (with any spaces): (characters skipped, the rest).
fn strip_y_prefix(text: &str) -> (usize, &str) {
    let t = text.trim_start();
    if let Some(rest) = t.strip_prefix('y') {
        let r = rest.trim_start();
        if let Some(body) = r.strip_prefix('=') {
            let skipped = text.len() - body.len();
            return (text[..skipped].chars().count(), body);
        }
    }
    (0, text)
}

/// The model named by `model` (NIST models need no data to evaluate).
pub fn resolve_model(model: &FitModel) -> Result<AnyModel, String> {
    match model {
        FitModel::Builtin { id } => Ok(AnyModel::Builtin(*id)),
        FitModel::Nist { name } => Ok(AnyModel::Nist(NistModel::by_name(name)?)),
        FitModel::Formula { text } => parse_formula(text)
            .map(|f| AnyModel::Formula(Box::new(f)))
            .map_err(|e| format!("formula: {e}")),
    }
}

/// Default x range of data generated from a formula model.
pub const FORMULA_X_RANGE: [f64; 2] = [0.0, 5.0];

/// Data from any model: `n` equally spaced x in `x_range` plus Gaussian noise of standard
/// deviation `noise` from a [`SplitMix64`] seeded with `seed` (the same recipe as
/// [`ModelId::generate`]).
pub fn generate_data(
    model: &AnyModel,
    params: &[f64],
    n: usize,
    x_range: [f64; 2],
    noise: f64,
    seed: u64,
) -> Result<Data, String> {
    if let AnyModel::Builtin(id) = model {
        return id.generate(params, n, x_range, noise, seed);
    }
    if params.len() != model.num_params() {
        return Err(format!(
            "the model has {} parameters, got {} true values",
            model.num_params(),
            params.len()
        ));
    }
    crate::problem::least_squares::sample_data(
        |x| model.value(&[x], params),
        n,
        x_range,
        noise,
        seed,
    )
}

/// Two-column CSV text (x, y; header optional; delimiter and decimal separator from `opts`, the
/// delimiter auto-detected by default) → data.
pub fn parse_xy_csv(text: &str, opts: &CsvOptions) -> Result<Data, String> {
    let d = csv::parse(text, opts)?;
    if d.feature_names.len() != 1 {
        return Err(format!(
            "need two columns x, y; the data have {}",
            d.feature_names.len() + 1
        ));
    }
    Data::new(d.x, d.y)
}

/// One-predictor data as CSV text (`x,y` header, shortest round-trip numbers): what the CSV box
/// shows for data given as points.
pub fn points_csv(x: &[f64], y: &[f64]) -> String {
    let mut t = String::from("x,y\n");
    for (a, b) in x.iter().zip(y) {
        t.push_str(&format!("{a},{b}\n"));
    }
    t
}

/// Notes under the results table when a solver's standard errors need a caveat (the page prefixes
/// the solvers' names): the run did not converge (they describe the last point only), or J is
/// rank-deficient there (∞: the parameters are not identifiable).
pub fn run_notes(fr: &FitRun, param_names: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    if !fr.run.stop().is_converged() {
        notes.push(format!(
            "did not converge ({}): the standard errors describe the last point only",
            fr.stop_label
        ));
    }
    let n = fr.statistics.std_errors.len();
    if fr.statistics.rank < n {
        let names: Vec<&str> = fr
            .statistics
            .std_errors
            .iter()
            .zip(param_names)
            .filter(|(e, _)| e.is_infinite())
            .map(|(_, p)| p.as_str())
            .collect();
        notes.push(format!(
            "± ∞ for {} — the parameters are not identifiable: J is rank-deficient \
             (rank {} of {n}), so the data cannot tell some combination of them apart",
            if names.is_empty() {
                "some parameters".to_string()
            } else {
                names.join(", ")
            },
            fr.statistics.rank
        ));
    }
    notes
}

/// Notes about a typed formula that parses: a bare `e` is Euler's number, not a parameter; a bare
/// `y` is a parameter, not the data.
pub fn formula_notes(text: &str) -> Vec<String> {
    let (_, body) = strip_y_prefix(text);
    let mut notes = Vec::new();
    if crate::problem::formula::uses_bare_name(body, "e") {
        notes.push(
            "note: e is Euler's number 2.71828…, a constant, not a parameter \
             (name a parameter differently, e.g. d)"
                .to_string(),
        );
    }
    if crate::problem::formula::uses_bare_name(body, "y") {
        notes.push(
            "note: y here is a parameter to fit, not the data's y — the model is the right-hand \
             side only (e.g. a*x + b)"
                .to_string(),
        );
    }
    notes
}

/// f(x; p) at each x (one predictor), for drawing the curve of any iterate.
pub fn evaluate_model(model: &FitModel, params: &[f64], xs: &[f64]) -> Result<Vec<f64>, String> {
    let m = resolve_model(model)?;
    if params.len() != m.num_params() {
        return Err(format!(
            "the model has {} parameters, got {}",
            m.num_params(),
            params.len()
        ));
    }
    Ok(xs.iter().map(|&x| m.value(&[x], params)).collect())
}

/// Start value of every parameter of a formula model when none is given.
pub const FORMULA_DEFAULT_START: f64 = 0.5;

/// Runs a fit whose data are not NIST's.
pub fn run(config: &FitExperiment) -> Result<FitResult, String> {
    run_with_nist(config, None)
}

/// Runs a fit; `nist_text` is the `.dat` file of the NIST problem when the config names one.
pub fn run_with_nist(config: &FitExperiment, nist_text: Option<&str>) -> Result<FitResult, String> {
    if config.solvers.is_empty() {
        return Err("choose at least one solver".into());
    }
    if config.solvers.len() > 8 {
        return Err("at most 8 solvers per experiment".into());
    }
    let model = resolve_model(&config.model)?;
    let n = model.num_params();
    let dataset: Option<NistDataset> = match &config.model {
        FitModel::Nist { name } => match nist_text {
            Some(t) => {
                let d = nist::parse(t)?;
                if &d.name != name {
                    return Err(format!("the NIST file is {}, not {name}", d.name));
                }
                Some(d)
            }
            None => None,
        },
        FitModel::Builtin { .. } | FitModel::Formula { .. } => None,
    };
    let need_nist = |what: &str| match &config.model {
        FitModel::Nist { name } => format!("{what}: the NIST file for {name} was not supplied"),
        _ => format!("{what} needs a NIST model"),
    };
    let data = match &config.data {
        FitData::Generated {
            n: points,
            noise,
            seed,
            x_range,
            params,
        } => {
            let (truth, range) = match &config.model {
                FitModel::Builtin { id } => (id.true_params().to_vec(), id.default_x_range()),
                FitModel::Formula { .. } => (vec![1.0; n], FORMULA_X_RANGE),
                FitModel::Nist { .. } => {
                    return Err("generated data need a built-in model or a formula".into())
                }
            };
            generate_data(
                &model,
                params.as_deref().unwrap_or(&truth),
                *points,
                x_range.unwrap_or(range),
                *noise,
                *seed,
            )?
        }
        FitData::Points { x, y } => Data::new(x.clone(), y.clone())?,
        FitData::Nist => dataset
            .as_ref()
            .ok_or_else(|| need_nist("NIST data"))?
            .data
            .clone(),
    };
    let start: Vec<f64> = match (&config.start, &config.model) {
        (FitStart::Values { values }, _) => values.clone(),
        (FitStart::Default, FitModel::Builtin { id }) => id.default_start().to_vec(),
        (FitStart::Default, FitModel::Formula { .. }) => vec![FORMULA_DEFAULT_START; n],
        (FitStart::Default, FitModel::Nist { .. }) => dataset
            .as_ref()
            .ok_or_else(|| need_nist("the NIST start"))?
            .start1
            .clone(),
        (FitStart::Nist { which }, _) => dataset
            .as_ref()
            .ok_or_else(|| need_nist("the NIST start"))?
            .start(*which)?
            .to_vec(),
    };
    if start.len() != n {
        return Err(format!(
            "the start has {} values but the model has {n} parameters",
            start.len()
        ));
    }
    let certified = match (&dataset, &config.data) {
        (Some(d), FitData::Nist) => Some(d.certified.clone()),
        _ => None,
    };
    let fit = CurveFit::new(model.clone(), data)?;
    let mut runs = Vec::with_capacity(config.solvers.len());
    for s in &config.solvers {
        let run = match s {
            FitSolver::LevenbergMarquardt(st) => {
                levenberg_marquardt(&fit, &config.jacobian, &start, st)?
            }
            FitSolver::GaussNewton(st) => gauss_newton(&fit, &config.jacobian, &start, st)?,
        };
        let statistics = fit_statistics(&run.jacobian, &run.residuals, Some(&fit.data.y));
        let stop_label = run.stop().label().to_string();
        runs.push(FitRun {
            run,
            statistics,
            stop_label,
        });
    }
    let (model_name, formula, param_names) = match (&config.model, &dataset) {
        (FitModel::Builtin { id }, _) => (
            id.name().to_string(),
            id.formula().to_string(),
            id.param_names().iter().map(|s| s.to_string()).collect(),
        ),
        (FitModel::Nist { name }, d) => (
            name.clone(),
            d.as_ref().map(|d| d.model_text.clone()).unwrap_or_default(),
            (1..=n).map(|k| format!("b{k}")).collect(),
        ),
        (FitModel::Formula { text }, _) => (
            "formula".to_string(),
            text.clone(),
            match &model {
                AnyModel::Formula(f) => f.param_names().to_vec(),
                _ => vec![],
            },
        ),
    };
    Ok(FitResult {
        model_name,
        formula,
        param_names,
        data: fit.data,
        start,
        certified,
        runs,
    })
}

// ---------- the page's form ----------

/// One solver as typed on the page: its method and hyperparameters as text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormSolver {
    /// `"levenberg_marquardt"` or `"gauss_newton"`.
    pub method: String,
    /// Hyperparameter name → text (`"true"`/`"false"` for switches); absent = default.
    pub params: BTreeMap<String, String>,
}

/// The curve-fitting lab's form: everything as typed, turned into a [`FitExperiment`] by
/// [`FitForm::apply`] with one message per bad field (the field names are this struct's).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FitForm {
    /// `"builtin"`, `"formula"` or `"nist"`.
    pub model: String,
    /// Built-in model id (`"exponential_decay"`, …).
    pub builtin: String,
    /// Formula text.
    pub formula: String,
    /// NIST problem name.
    pub nist: String,
    /// `"generated"`, `"csv"` or `"nist"`.
    pub data: String,
    /// Generated data: number of points.
    pub n: String,
    /// Generated data: noise σ.
    pub noise: String,
    /// Generated data: seed.
    pub seed: String,
    /// Generated data: smallest x (empty = the model's default).
    pub x_min: String,
    /// Generated data: largest x (empty = the model's default).
    pub x_max: String,
    /// Generated data: true parameters (empty list = the model's defaults).
    pub true_params: Vec<String>,
    /// Pasted CSV (two columns x, y).
    pub csv: String,
    /// CSV field separator: `"auto"` (or empty), `"comma"`, `"semicolon"` or `"tab"`.
    pub csv_delimiter: String,
    /// CSV decimal separator: `"point"` (or empty) or `"comma"`.
    pub csv_decimal: String,
    /// `"default"`, `"values"`, `"nist1"` or `"nist2"`.
    pub start: String,
    /// Start values, one per parameter (used when `start` is `"values"`).
    pub start_values: Vec<String>,
    /// `"analytic"` or `"finite_difference"`.
    pub jacobian: String,
    /// Teaching toggle: every solver keeps the Jacobian of the start point.
    pub frozen_jacobian: bool,
    /// The solvers to run (order = colour order).
    pub solvers: Vec<FormSolver>,
}

fn ferr(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn num(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        errors.push(ferr(field, "enter a number"));
        return None;
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            errors.push(ferr(field, format!("“{t}” is not a finite number")));
            None
        }
    }
}

fn int(field: &str, text: &str, lo: u64, hi: u64, errors: &mut Vec<FieldError>) -> Option<u64> {
    let t = text.trim();
    match t.parse::<u64>() {
        Ok(v) if (lo..=hi).contains(&v) => Some(v),
        _ => {
            errors.push(ferr(
                field,
                format!("enter a whole number from {lo} to {hi}"),
            ));
            None
        }
    }
}

/// Applies hyperparameter texts onto the JSON of a settings struct, then reads it back.
fn settings_from<T: Serialize + serde::de::DeserializeOwned>(
    method: &str,
    default: T,
    params: &BTreeMap<String, String>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let mut v = serde_json::to_value(default).ok()?;
    let obj = v.as_object_mut()?;
    let before = errors.len();
    for (k, text) in params {
        let field = format!("{method}.{k}");
        let Some(cur) = obj.get_mut(k) else {
            errors.push(ferr(&field, format!("unknown setting “{k}”")));
            continue;
        };
        let t = text.trim();
        if cur.is_boolean() {
            match t {
                "true" => *cur = true.into(),
                "false" => *cur = false.into(),
                _ => errors.push(ferr(&field, "expected true or false")),
            }
        } else if cur.is_u64() {
            match t.parse::<u64>() {
                Ok(n) => *cur = n.into(),
                Err(_) => errors.push(ferr(&field, format!("“{t}” is not a whole number ≥ 0"))),
            }
        } else if let Some(x) = num(&field, t, errors) {
            *cur = serde_json::Value::from(x);
        }
    }
    if errors.len() > before {
        return None;
    }
    match serde_json::from_value(v) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(ferr(method, e.to_string()));
            None
        }
    }
}

impl FitForm {
    /// The form showing `e` (`start_values` filled from `start` when known).
    pub fn from_experiment(e: &FitExperiment, start: Option<&[f64]>) -> FitForm {
        let mut f = FitForm {
            builtin: "exponential_decay".into(),
            formula: "y = a*exp(-b*x) + c".into(),
            nist: "Misra1a".into(),
            n: "40".into(),
            noise: "0.05".into(),
            seed: "1".into(),
            start: "default".into(),
            csv_delimiter: "auto".into(),
            csv_decimal: "point".into(),
            ..Default::default()
        };
        match &e.model {
            FitModel::Builtin { id } => {
                f.model = "builtin".into();
                f.builtin = json_name(id);
            }
            FitModel::Nist { name } => {
                f.model = "nist".into();
                f.nist = name.clone();
            }
            FitModel::Formula { text } => {
                f.model = "formula".into();
                f.formula = text.clone();
            }
        }
        match &e.data {
            FitData::Generated {
                n,
                noise,
                seed,
                x_range,
                params,
            } => {
                f.data = "generated".into();
                f.n = n.to_string();
                f.noise = noise.to_string();
                f.seed = seed.to_string();
                if let Some([a, b]) = x_range {
                    f.x_min = a.to_string();
                    f.x_max = b.to_string();
                }
                if let Some(p) = params {
                    f.true_params = p.iter().map(|v| v.to_string()).collect();
                }
            }
            FitData::Points { x, y } => {
                f.data = "csv".into();
                f.csv = points_csv(x, y);
            }
            FitData::Nist => f.data = "nist".into(),
        }
        match &e.start {
            FitStart::Default => f.start = "default".into(),
            FitStart::Nist { which } => f.start = format!("nist{which}"),
            FitStart::Values { values } => {
                f.start = "values".into();
                f.start_values = values.iter().map(|v| v.to_string()).collect();
            }
        }
        if let Some(s) = start {
            f.start_values = s.iter().map(|v| v.to_string()).collect();
        }
        f.jacobian = json_name(&e.jacobian.source);
        for s in &e.solvers {
            let (method, value, frozen) = match s {
                FitSolver::LevenbergMarquardt(st) => (
                    "levenberg_marquardt",
                    serde_json::to_value(st),
                    st.frozen_jacobian,
                ),
                FitSolver::GaussNewton(st) => {
                    ("gauss_newton", serde_json::to_value(st), st.frozen_jacobian)
                }
            };
            // The checkbox shows the first run's setting (the runs the form edits are the first
            // of each method; a later frozen-Jacobian run is kept as it is by merge_solvers).
            if f.solvers.is_empty() {
                f.frozen_jacobian = frozen;
            }
            let mut params = BTreeMap::new();
            if let Ok(serde_json::Value::Object(o)) = value {
                for (k, v) in o {
                    if k != "frozen_jacobian" {
                        params.insert(k, v.to_string().trim_matches('"').to_string());
                    }
                }
            }
            f.solvers.push(FormSolver {
                method: method.into(),
                params,
            });
        }
        f
    }

    /// The CSV reading options chosen, or `None` with a message per bad choice.
    fn csv_options(&self, errors: &mut Vec<FieldError>) -> Option<CsvOptions> {
        use crate::problem::regression::csv::{Decimal, Delimiter};
        let delimiter = match self.csv_delimiter.as_str() {
            "" | "auto" => Some(Delimiter::Auto),
            "comma" => Some(Delimiter::Comma),
            "semicolon" => Some(Delimiter::Semicolon),
            "tab" => Some(Delimiter::Tab),
            other => {
                errors.push(ferr(
                    "csv_delimiter",
                    format!("unknown delimiter “{other}”"),
                ));
                None
            }
        };
        let decimal = match self.csv_decimal.as_str() {
            "" | "point" => Some(Decimal::Point),
            "comma" => Some(Decimal::Comma),
            other => {
                errors.push(ferr(
                    "csv_decimal",
                    format!("unknown decimal separator “{other}”"),
                ));
                None
            }
        };
        Some(CsvOptions {
            delimiter: delimiter?,
            decimal: decimal?,
            ..Default::default()
        })
    }

    /// The experiment this form describes, or every problem found (one per field).
    pub fn apply(&self) -> Result<FitExperiment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let model = match self.model.as_str() {
            "builtin" => match serde_json::from_value::<ModelId>(self.builtin.clone().into()) {
                Ok(id) => Some(FitModel::Builtin { id }),
                Err(_) => {
                    errors.push(ferr("builtin", format!("unknown model “{}”", self.builtin)));
                    None
                }
            },
            "formula" => match parse_formula(&self.formula) {
                Ok(_) => Some(FitModel::Formula {
                    text: self.formula.clone(),
                }),
                Err(e) => {
                    errors.push(ferr("formula", e.to_string()));
                    None
                }
            },
            "nist" => match NistModel::by_name(&self.nist) {
                Ok(_) => Some(FitModel::Nist {
                    name: self.nist.clone(),
                }),
                Err(e) => {
                    errors.push(ferr("nist", e));
                    None
                }
            },
            other => {
                errors.push(ferr("model", format!("unknown model kind “{other}”")));
                None
            }
        };
        let nparams = model
            .as_ref()
            .and_then(|m| resolve_model(m).ok())
            .map(|m| m.num_params());
        let is_nist = self.model == "nist";
        let data = if is_nist {
            Some(FitData::Nist)
        } else {
            match self.data.as_str() {
                "generated" => {
                    let n = int("n", &self.n, 1, 100_000, &mut errors);
                    let noise = num("noise", &self.noise, &mut errors);
                    if noise.is_some_and(|v| v < 0.0) {
                        errors.push(ferr("noise", "noise must be ≥ 0"));
                    }
                    let seed = int("seed", &self.seed, 0, u64::MAX, &mut errors);
                    // An empty end is the model's default for that end.
                    let default_range = match &model {
                        Some(FitModel::Builtin { id }) => Some(id.default_x_range()),
                        Some(FitModel::Formula { .. }) => Some(FORMULA_X_RANGE),
                        _ => None,
                    };
                    let x_range = match (self.x_min.trim(), self.x_max.trim()) {
                        ("", "") => Some(None),
                        (lo, hi) => {
                            let a = if lo.is_empty() {
                                default_range.map(|r| r[0])
                            } else {
                                num("x_min", &self.x_min, &mut errors)
                            };
                            let b = if hi.is_empty() {
                                default_range.map(|r| r[1])
                            } else {
                                num("x_max", &self.x_max, &mut errors)
                            };
                            match (a, b) {
                                (Some(a), Some(b)) if a < b => Some(Some([a, b])),
                                (Some(a), Some(b)) => {
                                    let (field, msg) = if hi.is_empty() {
                                        ("x_min", format!("must be smaller than x to (auto: {b})"))
                                    } else if lo.is_empty() {
                                        ("x_max", format!("must be larger than x from (auto: {a})"))
                                    } else {
                                        ("x_max", "must be larger than x from".to_string())
                                    };
                                    errors.push(ferr(field, msg));
                                    None
                                }
                                _ => None,
                            }
                        }
                    };
                    let params = if self.true_params.iter().all(|t| t.trim().is_empty()) {
                        Some(None)
                    } else {
                        let before = errors.len();
                        let v: Vec<f64> = self
                            .true_params
                            .iter()
                            .enumerate()
                            .filter_map(|(i, t)| num(&format!("true_params.{i}"), t, &mut errors))
                            .collect();
                        (errors.len() == before).then_some(Some(v))
                    };
                    if let (Some(p), Some(np)) = (params.as_ref().and_then(|p| p.as_ref()), nparams)
                    {
                        if p.len() != np {
                            errors.push(ferr(
                                "true_params",
                                format!(
                                    "the model has {np} parameters, {} true values given",
                                    p.len()
                                ),
                            ));
                        }
                    }
                    match (n, noise, seed, x_range, params) {
                        (Some(n), Some(noise), Some(seed), Some(x_range), Some(params)) => {
                            Some(FitData::Generated {
                                n: n as usize,
                                noise,
                                seed,
                                x_range,
                                params,
                            })
                        }
                        _ => None,
                    }
                }
                "csv" => match self
                    .csv_options(&mut errors)
                    .map(|o| parse_xy_csv(&self.csv, &o))
                {
                    None => None,
                    Some(Ok(d)) => Some(FitData::Points { x: d.x, y: d.y }),
                    Some(Err(e)) => {
                        errors.push(ferr("csv", e));
                        None
                    }
                },
                other => {
                    errors.push(ferr("data", format!("unknown data source “{other}”")));
                    None
                }
            }
        };
        let start = match self.start.as_str() {
            "default" | "" => Some(if is_nist {
                FitStart::Nist { which: 1 }
            } else {
                FitStart::Default
            }),
            "nist1" | "nist2" if is_nist => Some(FitStart::Nist {
                which: if self.start == "nist1" { 1 } else { 2 },
            }),
            "values" => {
                let before = errors.len();
                let v: Vec<f64> = self
                    .start_values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| num(&format!("start_values.{i}"), t, &mut errors))
                    .collect();
                if let Some(np) = nparams {
                    if errors.len() == before && v.len() != np {
                        errors.push(ferr(
                            "start_values",
                            format!(
                                "the model has {np} parameters, {} start values given",
                                v.len()
                            ),
                        ));
                    }
                }
                (errors.len() == before).then_some(FitStart::Values { values: v })
            }
            other => {
                errors.push(ferr("start", format!("unknown start “{other}”")));
                None
            }
        };
        let source = match self.jacobian.as_str() {
            "analytic" | "" => GradientSource::Analytic,
            "finite_difference" => GradientSource::FiniteDifference,
            other => {
                errors.push(ferr(
                    "jacobian",
                    format!("unknown Jacobian source “{other}”"),
                ));
                GradientSource::Analytic
            }
        };
        let mut solvers = Vec::new();
        for s in &self.solvers {
            match s.method.as_str() {
                "levenberg_marquardt" => {
                    if let Some(mut st) =
                        settings_from(&s.method, LmSettings::default(), &s.params, &mut errors)
                    {
                        st.frozen_jacobian = self.frozen_jacobian;
                        match st.validate() {
                            Ok(()) => solvers.push(FitSolver::LevenbergMarquardt(st)),
                            Err(e) => errors.push(ferr(&s.method, e)),
                        }
                    }
                }
                "gauss_newton" => {
                    if let Some(mut st) = settings_from(
                        &s.method,
                        GaussNewtonSettings::default(),
                        &s.params,
                        &mut errors,
                    ) {
                        st.frozen_jacobian = self.frozen_jacobian;
                        match st.validate() {
                            Ok(()) => solvers.push(FitSolver::GaussNewton(st)),
                            Err(e) => errors.push(ferr(&s.method, e)),
                        }
                    }
                }
                other => errors.push(ferr("solvers", format!("unknown solver “{other}”"))),
            }
        }
        if self.solvers.is_empty() {
            errors.push(ferr("solvers", "choose at least one solver"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        match (model, data, start) {
            (Some(model), Some(data), Some(start)) => Ok(FitExperiment {
                model,
                data,
                start,
                solvers,
                jacobian: JacobianSettings {
                    source,
                    ..Default::default()
                },
            }),
            _ => Err(vec![ferr("form", "the form is incomplete")]),
        }
    }
}

/// The serde name of a unit enum value (`ModelId::Gaussian` → `"gaussian"`).
fn json_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

// ---------- catalog, export, landscape ----------

/// A built-in model as the page lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ModelInfo {
    /// Serde id.
    pub id: String,
    /// Display name.
    pub name: &'static str,
    /// Formula as shown.
    pub formula: &'static str,
    /// Parameter names.
    pub params: Vec<&'static str>,
    /// True parameters of the generated data.
    pub true_params: &'static [f64],
    /// Default start.
    pub start: &'static [f64],
    /// Default x range.
    pub x_range: [f64; 2],
}

/// One hyperparameter of a solver, for generating the page's controls.
#[derive(Clone, Debug, Serialize)]
pub struct ParamInfo {
    /// Settings field name.
    pub name: String,
    /// Default value as text.
    pub default: String,
    /// `true` for on/off switches.
    pub switch: bool,
    /// One line of help.
    pub help: &'static str,
}

/// A solver with its hyperparameters.
#[derive(Clone, Debug, Serialize)]
pub struct SolverInfo {
    /// Serde method name.
    pub method: &'static str,
    /// Display name.
    pub name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// Hyperparameters (without the frozen-Jacobian toggle, which is one switch for all).
    pub params: Vec<ParamInfo>,
}

/// Everything the lab's menus are built from.
#[derive(Clone, Debug, Serialize)]
pub struct FitCatalog {
    /// The built-in models.
    pub models: Vec<ModelInfo>,
    /// The NIST StRD nonlinear problem names.
    pub nist: Vec<&'static str>,
    /// The solvers.
    pub solvers: Vec<SolverInfo>,
}

fn param_help(name: &str) -> &'static str {
    match name {
        "ftol" => "stop when the actual and predicted relative reductions of SSR are below this",
        "xtol" => "stop when the scaled step is below this times the scaled parameters",
        "gtol" => "stop when the residuals are orthogonal to every Jacobian column within this",
        "max_evaluations" => "budget of residual evaluations (finite-difference ones included)",
        "initial_damping" => "τ: the first λ is τ·max (JᵀJ)ⱼⱼ/Dⱼ²",
        "scaling" => "Marquardt's scaling D = max ‖Jⱼ‖ (scale-invariant, as MINPACK)",
        "restarts" => "restarts from a converged stop while they still lower SSR",
        "geodesic_acceleration" => "add the second-order (geodesic) correction to each step",
        "acceleration_ratio" => "reject steps whose correction exceeds this share of the step",
        "max_backtracks" => "most halvings of the step in one line search",
        _ => "",
    }
}

fn params_of<T: Serialize>(default: T) -> Vec<ParamInfo> {
    let Ok(serde_json::Value::Object(o)) = serde_json::to_value(default) else {
        return vec![];
    };
    o.into_iter()
        .filter(|(k, _)| k != "frozen_jacobian")
        .map(|(k, v)| ParamInfo {
            help: param_help(&k),
            switch: v.is_boolean(),
            default: v.to_string(),
            name: k,
        })
        .collect()
}

/// The lab's catalog: models, NIST names, solvers with their hyperparameters.
pub fn catalog() -> FitCatalog {
    FitCatalog {
        models: ModelId::ALL
            .iter()
            .map(|id| ModelInfo {
                id: json_name(id),
                name: id.name(),
                formula: id.formula(),
                params: id.param_names().to_vec(),
                true_params: id.true_params(),
                start: id.default_start(),
                x_range: id.default_x_range(),
            })
            .collect(),
        nist: nist::NAMES.to_vec(),
        solvers: vec![
            SolverInfo {
                method: "levenberg_marquardt",
                name: "Levenberg–Marquardt",
                help: "damped Gauss–Newton: (JᵀJ + λD²)h = −Jᵀr by QR, λ by the gain ratio",
                params: params_of(LmSettings::default()),
            },
            SolverInfo {
                method: "gauss_newton",
                name: "Gauss–Newton",
                help: "min ‖Jh + r‖ by SVD, then a backtracking line search",
                params: params_of(GaussNewtonSettings::default()),
            },
        ],
    }
}

/// The traces of a result as CSV, one row per record: `solver,k,<parameters>…,ssr,grad_norm,
/// lambda,step,accepted` — the seed routine's x_log (parameters), y_log (SSR), gradient log
/// (‖Jᵀr‖) and the damping λ (empty for Gauss–Newton). Numbers are written shortest-exact.
pub fn trace_csv(result: &FitResult) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    // The iteration column is "record"; parameter columns are "p:<name>", so a parameter called
    // k, ssr or lambda cannot clash with a fixed column.
    let mut out = String::from("solver,record");
    for p in &result.param_names {
        out.push(',');
        out.push_str(&quote(&format!("p:{p}")));
    }
    out.push_str(",ssr,grad_norm,lambda,step,accepted\n");
    let opt = |v: Option<f64>| v.map(|x| format!("{x:?}")).unwrap_or_default();
    for r in &result.runs {
        let name = quote(&r.run.trace.solver);
        for it in &r.run.trace.iterates {
            out.push_str(&format!("{name},{}", it.k));
            for v in &it.x {
                out.push_str(&format!(",{v:?}"));
            }
            out.push_str(&format!(
                ",{:?},{:?},{},{:?},{}\n",
                2.0 * it.f,
                it.grad_norm,
                opt(it.extra("lambda")),
                it.step,
                opt(it.extra("accepted")),
            ));
        }
    }
    out
}

/// SSR(p) = ‖r(p)‖² of a curve fit as a 2-D [`Objective`] (for the landscape contour map of
/// 2-parameter models; NaN/∞ where the model overflows).
pub struct SsrObjective<'a, M: CurveModel> {
    /// The fit.
    pub fit: &'a CurveFit<M>,
}

impl<M: CurveModel> Objective for SsrObjective<'_, M> {
    fn dim(&self) -> usize {
        self.fit.model.num_params()
    }
    fn value(&self, p: &[f64]) -> f64 {
        let mut r = vec![0.0; self.fit.num_residuals()];
        self.fit.residuals(p, &mut r);
        r.iter().map(|v| v * v).sum()
    }
    fn gradient(&self, _p: &[f64], _g: &mut [f64]) -> bool {
        false
    }
    fn hessian(&self, _p: &[f64]) -> Option<nalgebra::DMatrix<f64>> {
        None
    }
}

/// A view box around the iterates of a 2-parameter fit (10% margin each side, at least 10% of the
/// largest |coordinate| wide), or `None` for other sizes.
pub fn landscape_view(result: &FitResult) -> Option<crate::problem::surfaces::ViewBox> {
    if result.param_names.len() != 2 {
        return None;
    }
    // Iterates that went far uphill (a Gauss–Newton overshoot) would shrink the interesting
    // region to a dot: keep those with SSR ≤ 10 × the start's; their paths are clipped.
    let f0 = result
        .runs
        .first()
        .map_or(f64::INFINITY, |r| r.run.trace.iterates[0].f);
    let pts = result
        .runs
        .iter()
        .flat_map(|r| r.run.trace.iterates.iter())
        .filter(|it| it.f <= 10.0 * f0)
        .map(|it| (it.x[0], it.x[1]))
        .chain(std::iter::once((result.start[0], result.start[1])))
        .filter(|p| p.0.is_finite() && p.1.is_finite());
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for (x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let widen = |lo: f64, hi: f64| {
        let w = (hi - lo).max(0.1 * lo.abs().max(hi.abs())).max(1e-6);
        let c = 0.5 * (lo + hi);
        let half = 0.5 * w * 1.2;
        (c - half, c + half)
    };
    let (x0, x1) = widen(x0, x1);
    let (y0, y1) = widen(y0, y1);
    let v = crate::problem::surfaces::ViewBox::new(x0, x1, y0, y1);
    v.is_valid().then_some(v)
}

/// At most this many model evaluations for one SSR landscape (grid² × data points).
pub const LANDSCAPE_BUDGET: f64 = 3e7;

/// The landscape grid's resolution for `points` observations: 90 × 90 while the SSR evaluations
/// stay within [`LANDSCAPE_BUDGET`], coarser (down to 24 × 24) for large data sets, so that
/// 100 000 points do not block the page for seconds.
pub fn landscape_resolution(points: usize) -> usize {
    let r = (LANDSCAPE_BUDGET / points.max(1) as f64).sqrt().floor() as usize;
    r.clamp(24, 90)
}

/// The SSR of `config`'s fit sampled on an `nx × ny` grid over `view` (2-parameter models only).
pub fn landscape_grid(
    result: &FitResult,
    model: &FitModel,
    view: crate::problem::surfaces::ViewBox,
    nx: usize,
    ny: usize,
) -> Result<crate::plot::Grid, String> {
    let m = resolve_model(model)?;
    if m.num_params() != 2 {
        return Err("the SSR landscape needs a model with 2 parameters".into());
    }
    let fit = CurveFit::new(m, result.data.clone())?;
    Ok(crate::plot::Grid::sample(
        &SsrObjective { fit: &fit },
        view,
        nx,
        ny,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::StopReason;

    #[test]
    fn large_data_sets_get_a_coarser_landscape_within_the_budget() {
        assert_eq!(landscape_resolution(40), 90);
        assert_eq!(landscape_resolution(3000), 90);
        for n in [10_000usize, 50_000, 100_000] {
            let r = landscape_resolution(n);
            assert!((24..90).contains(&r), "{n}: {r}");
            assert!(
                (r * r * n) as f64 <= LANDSCAPE_BUDGET || r == 24,
                "{n}: {r}"
            );
        }
        assert_eq!(landscape_resolution(100_000), 24);
    }

    #[test]
    fn default_experiment_recovers_the_generating_parameters() {
        let r = run(&FitExperiment::default()).unwrap();
        assert_eq!(r.runs.len(), 2);
        let lm = &r.runs[0];
        assert!(lm.run.stop().is_converged(), "{:?}", lm.run.stop());
        // Truth (3, 1, 0.7) within 4 standard errors (noise σ = 0.05).
        for ((p, t), se) in lm
            .run
            .params
            .iter()
            .zip(ModelId::Gaussian.true_params())
            .zip(&lm.statistics.std_errors)
        {
            assert!((p - t).abs() < 4.0 * se, "{p} vs {t} ± {se}");
        }
        assert!(lm.statistics.r_squared.unwrap() > 0.99);
        // Residual SD estimates the noise σ = 0.05.
        assert!((lm.statistics.residual_sd - 0.05).abs() < 0.02);
    }

    #[test]
    fn every_builtin_model_fits_its_generated_data_from_its_default_start() {
        for id in ModelId::ALL {
            let cfg = FitExperiment {
                model: FitModel::Builtin { id },
                data: FitData::Generated {
                    n: 60,
                    noise: 0.0,
                    seed: 3,
                    x_range: None,
                    params: None,
                },
                ..Default::default()
            };
            let r = run(&cfg).unwrap();
            let lm = &r.runs[0].run;
            // Noise-free data: the truth is the exact minimizer (SSR = 0).
            for (p, t) in lm.params.iter().zip(id.true_params()) {
                assert!(
                    (p - t).abs() < 1e-6 * (1.0 + t.abs()),
                    "{id:?}: {:?}",
                    lm.params
                );
            }
        }
    }

    #[test]
    fn config_round_trips_and_is_deterministic() {
        let cfg = FitExperiment::default();
        let json = serde_json::to_string(&cfg).unwrap();
        let back: FitExperiment = serde_json::from_str(&json).unwrap();
        assert_eq!(cfg, back);
        let parsed: FitExperiment = serde_json::from_str(
            r#"{"model":{"kind":"builtin","id":"michaelis_menten"},
                "data":{"kind":"points","x":[0.1,0.5,1,2,4],"y":[0.33,1.0,1.33,1.6,1.78]},
                "solvers":[{"method":"levenberg_marquardt","ftol":1e-12},{"method":"gauss_newton"}],
                "jacobian":{"source":"finite_difference"}}"#,
        )
        .unwrap();
        let a = run(&parsed).unwrap();
        let b = run(&parsed).unwrap();
        // Debug strings compare NaN extras (ρ of the start record) as equal.
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn bad_configs_give_messages() {
        let mut cfg = FitExperiment {
            data: FitData::Points {
                x: vec![1.0, 2.0],
                y: vec![1.0, 2.0],
            },
            ..Default::default()
        };
        assert!(run(&cfg).unwrap_err().contains("2 points for 3 parameters"));
        cfg.data = FitData::Points {
            x: vec![1.0, 2.0, 3.0, 4.0],
            y: vec![1.0, f64::NAN, 2.0, 1.0],
        };
        assert!(run(&cfg).unwrap_err().contains("non-finite y"));
        cfg.model = FitModel::Nist {
            name: "Misra1a".into(),
        };
        cfg.data = FitData::Nist;
        assert!(run(&cfg).unwrap_err().contains("not supplied"));
        cfg.model = FitModel::Nist {
            name: "Nope".into(),
        };
        assert!(run(&cfg).unwrap_err().contains("unknown NIST problem"));
        let cfg = FitExperiment {
            start: FitStart::Values { values: vec![1.0] },
            ..Default::default()
        };
        assert!(run(&cfg).unwrap_err().contains("3 parameters"));
        let cfg = FitExperiment {
            solvers: vec![],
            ..Default::default()
        };
        assert!(run(&cfg).is_err());
    }

    #[test]
    fn zero_jacobian_at_start_is_a_named_stop() {
        // Gaussian with amplitude 0 and a huge width offset: ∂f/∂μ = ∂f/∂σ = 0 (a = 0) and
        // ∂f/∂a = exp(−(x−μ)²/(2σ²)) underflows to 0 for μ = 1e3, σ = 1: J = 0 exactly.
        let cfg = FitExperiment {
            start: FitStart::Values {
                values: vec![0.0, 1e3, 1.0],
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        for fr in &r.runs {
            assert_eq!(fr.run.stop(), &StopReason::ZeroJacobian);
            assert_eq!(fr.run.trace.iterations(), 0);
        }
    }

    #[test]
    fn overflow_at_start_is_a_clear_error() {
        // exp(−k·x) with k = −1000 at x = 5 overflows: r = ∞.
        let cfg = FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::ExponentialDecay,
            },
            start: FitStart::Values {
                values: vec![1.0, -1000.0, 0.0],
            },
            ..Default::default()
        };
        let e = run(&cfg).unwrap_err();
        assert!(e.contains("not finite at the start"), "{e}");
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;

    fn form() -> FitForm {
        FitForm::from_experiment(&FitExperiment::default(), None)
    }

    #[test]
    fn formula_model_fits_like_the_builtin_one() {
        // The formula is the built-in exponential decay a·exp(−k·x) + c written out: on the same
        // generated data from the same start both must reach the same minimizer.
        let data = FitData::Generated {
            n: 30,
            noise: 0.05,
            seed: 4,
            x_range: Some([0.0, 5.0]),
            params: Some(vec![5.0, 0.8, 1.0]),
        };
        let start = FitStart::Values {
            values: vec![3.0, 0.3, 0.0],
        };
        let builtin = run(&FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::ExponentialDecay,
            },
            data: data.clone(),
            start: start.clone(),
            ..Default::default()
        })
        .unwrap();
        let formula = run(&FitExperiment {
            model: FitModel::Formula {
                text: "y = a*exp(-k*x) + c".into(),
            },
            data,
            start,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(formula.param_names, ["a", "k", "c"]);
        assert_eq!(builtin.data, formula.data, "same generator recipe");
        for (b, f) in builtin.runs.iter().zip(&formula.runs) {
            assert!(f.run.stop().is_converged(), "{:?}", f.run.stop());
            for (pb, pf) in b.run.params.iter().zip(&f.run.params) {
                assert!((pb - pf).abs() < 1e-8 * (1.0 + pb.abs()), "{pb} vs {pf}");
            }
        }
        // Truth (5, 0.8, 1) within 4 standard errors.
        let lm = &formula.runs[0];
        for ((p, t), se) in lm
            .run
            .params
            .iter()
            .zip([5.0, 0.8, 1.0])
            .zip(&lm.statistics.std_errors)
        {
            assert!((p - t).abs() < 4.0 * se, "{p} vs {t} ± {se}");
        }
    }

    #[test]
    fn power_law_formula_fits_data_that_start_at_x_zero() {
        // The page suggests a*x^b; its generated data start at x = 0, where the exact derivative
        // ∂(a·x^b)/∂b = a·x^b·ln x is 0 (not 0·(−∞) = NaN).
        let cfg = FitExperiment {
            model: FitModel::Formula {
                text: "a*x^b".into(),
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        assert_eq!(r.data.x[0], 0.0);
        let lm = &r.runs[0];
        assert!(lm.run.stop().is_converged(), "{:?}", lm.run.stop());
        for (p, se) in lm.run.params.iter().zip(&lm.statistics.std_errors) {
            assert!((p - 1.0).abs() < 4.0 * se, "{p} ± {se}");
        }
    }

    #[test]
    fn a_non_finite_jacobian_names_the_data_point_and_what_to_do() {
        // ∂√(a·x)/∂a = x/(2√(a·x)) is 0/0 at x = 0.
        let mut cfg = FitExperiment {
            model: FitModel::Formula {
                text: "sqrt(a*x) + b".into(),
            },
            ..Default::default()
        };
        let e = run(&cfg).unwrap_err();
        assert!(e.contains("not finite at the start point"), "{e}");
        assert!(e.contains("data point 1 (x = 0)"), "{e}");
        assert!(e.contains("finite-difference Jacobian"), "{e}");
        // The suggestion works: finite differences of √(a·0) are 0.
        cfg.jacobian.source = GradientSource::FiniteDifference;
        assert!(run(&cfg).is_ok());
    }

    #[test]
    fn formula_errors_point_at_the_column_of_the_typed_text() {
        // "y = a*exp(-b*x) +" : the missing operand is one past the end, column 18.
        let e = parse_formula("y = a*exp(-b*x) +").unwrap_err();
        assert_eq!(e.column, 18, "{e}");
        let e2 = parse_formula("a*exp(-b*x) +").unwrap_err();
        assert_eq!(e2.column, 14, "{e2}");
        assert_eq!(
            parse_formula("  y=a*x^b").unwrap().param_names(),
            ["a", "b"]
        );
        let mut f = form();
        f.model = "formula".into();
        f.formula = "a*exp(-b*x".into();
        let errs = f.apply().unwrap_err();
        assert_eq!(errs[0].field, "formula");
        assert!(errs[0].message.contains("column"), "{}", errs[0].message);
    }

    #[test]
    fn form_round_trips_and_reports_each_bad_field() {
        let f = form();
        assert_eq!(f.apply().unwrap(), FitExperiment::default());
        let mut bad = f.clone();
        bad.n = "0".into();
        bad.noise = "-1".into();
        bad.solvers[0].params.insert("ftol".into(), "abc".into());
        let errs = bad.apply().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"n"), "{fields:?}");
        assert!(fields.contains(&"noise"), "{fields:?}");
        assert!(fields.contains(&"levenberg_marquardt.ftol"), "{fields:?}");
        let mut frozen = f.clone();
        frozen.frozen_jacobian = true;
        let e = frozen.apply().unwrap();
        assert!(e.solvers.iter().all(|s| match s {
            FitSolver::LevenbergMarquardt(s) => s.frozen_jacobian,
            FitSolver::GaussNewton(s) => s.frozen_jacobian,
        }));
        let mut none = f;
        none.solvers.clear();
        assert_eq!(none.apply().unwrap_err()[0].field, "solvers");
    }

    #[test]
    fn csv_data_are_read_and_bad_csv_is_named() {
        let d = parse_xy_csv("x,y\n0,1\n1,3\n2,5\n", &CsvOptions::default()).unwrap();
        assert_eq!(
            (d.x.clone(), d.y.clone()),
            (vec![0.0, 1.0, 2.0], vec![1.0, 3.0, 5.0])
        );
        assert!(parse_xy_csv("0,1,2\n1,2,3\n", &CsvOptions::default())
            .unwrap_err()
            .contains("two columns"));
        let e = parse_xy_csv("x,y\n0,1\n1,NaN\n", &CsvOptions::default()).unwrap_err();
        assert!(
            e.to_lowercase().contains("finite") || e.contains("NaN"),
            "{e}"
        );
        // Fewer points than parameters: named by the fit.
        let mut f = form();
        f.data = "csv".into();
        f.csv = "1,2\n2,3\n".into();
        let exp = f.apply().unwrap();
        assert!(run(&exp).unwrap_err().contains("2 points for 3 parameters"));
    }

    #[test]
    fn csv_with_semicolons_and_decimal_commas_reads_with_the_decimal_control() {
        let mut f = form();
        f.data = "csv".into();
        f.csv = "x;y\n0,5;1,2\n1,5;2,0\n2,5;2,4\n".into();
        // Decimal point (the default): the message names the control that exists on the page.
        let errs = f.apply().unwrap_err();
        assert_eq!(errs[0].field, "csv");
        assert!(
            errs[0].message.contains("choose decimal: comma"),
            "{}",
            errs[0].message
        );
        f.csv_decimal = "comma".into();
        match f.apply().unwrap().data {
            FitData::Points { x, y } => {
                assert_eq!(x, [0.5, 1.5, 2.5]);
                assert_eq!(y, [1.2, 2.0, 2.4]);
            }
            d => panic!("{d:?}"),
        }
        // An explicit delimiter is used as chosen.
        f.csv = "x\ty\n0,5\t1\n1,5\t2\n".into();
        f.csv_delimiter = "tab".into();
        assert!(matches!(f.apply().unwrap().data, FitData::Points { .. }));
        f.csv_delimiter = "pipe".into();
        assert_eq!(f.apply().unwrap_err()[0].field, "csv_delimiter");
        // Points round-trip through the form as CSV text.
        let x = vec![0.5, 1.0];
        assert_eq!(points_csv(&x, &[2.0, 3.25]), "x,y\n0.5,2\n1,3.25\n");
    }

    #[test]
    fn an_empty_x_end_is_the_models_default_for_that_end() {
        let mut f = form(); // the Gaussian, default x range [-3, 5]
        assert_eq!(ModelId::Gaussian.default_x_range(), [-3.0, 5.0]);
        f.x_min = "0.1".into();
        let range = |f: &FitForm| match f.apply().unwrap().data {
            FitData::Generated { x_range, .. } => x_range,
            d => panic!("{d:?}"),
        };
        assert_eq!(range(&f), Some([0.1, 5.0]));
        f.x_min = String::new();
        f.x_max = "2".into();
        assert_eq!(range(&f), Some([-3.0, 2.0]));
        f.x_max = "-4".into();
        let e = f.apply().unwrap_err();
        assert_eq!(e[0].field, "x_max");
        assert!(e[0].message.contains("auto: -3"), "{}", e[0].message);
        f.x_max = String::new();
        f.x_min = "7".into();
        let e = f.apply().unwrap_err();
        assert_eq!(e[0].field, "x_min");
        // A formula's default range is [0, 5].
        f.model = "formula".into();
        f.formula = "a*x^b".into();
        f.true_params = vec![];
        f.x_min = "1".into();
        assert_eq!(range(&f), Some([1.0, 5.0]));
    }

    #[test]
    fn a_bare_y_in_a_formula_gets_a_note() {
        let n = formula_notes("a*x + y");
        assert_eq!(n.len(), 1);
        assert!(n[0].contains("y here is a parameter"), "{n:?}");
        // The y of a leading "y =" is not the model's y.
        assert!(formula_notes("y = a*x + b").is_empty());
        assert!(formula_notes("a*x + y0").is_empty());
    }

    #[test]
    fn a_bare_e_in_a_formula_gets_a_note() {
        let n = formula_notes("y = a*exp(-b*x) + c + e*x");
        assert_eq!(n.len(), 1);
        assert!(n[0].contains("Euler's number"), "{n:?}");
        assert!(formula_notes("a*exp(-b*x) + c").is_empty());
        assert!(formula_notes("a*np.e^(-b*x)").is_empty());
        // And e is indeed not a parameter.
        assert_eq!(
            parse_formula("a*exp(-b*x)+c+e*x").unwrap().param_names(),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn untrustworthy_standard_errors_get_notes() {
        // Converged and identifiable: no note.
        let r = run(&FitExperiment::default()).unwrap();
        assert!(run_notes(&r.runs[0], &r.param_names).is_empty());
        // Out of evaluations: the errors describe the last point only.
        let cfg = FitExperiment {
            solvers: vec![FitSolver::LevenbergMarquardt(LmSettings {
                max_evaluations: 3,
                ..Default::default()
            })],
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        assert!(!r.runs[0].run.stop().is_converged());
        let n = run_notes(&r.runs[0], &r.param_names);
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(n[0].contains("did not converge"), "{n:?}");
        assert!(n[0].contains("last point only"), "{n:?}");
        // a·x + b·x: only a + b is identifiable, J has rank 1, the errors are ∞.
        let cfg = FitExperiment {
            model: FitModel::Formula {
                text: "a*x + b*x".into(),
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        let lm = &r.runs[0];
        assert_eq!(lm.statistics.rank, 1);
        assert!(lm.statistics.std_errors.iter().all(|e| e.is_infinite()));
        let n = run_notes(lm, &r.param_names);
        let t = n.join("\n");
        assert!(t.contains("± ∞ for a, b"), "{t}");
        assert!(t.contains("not identifiable"), "{t}");
        assert!(t.contains("rank-deficient (rank 1 of 2)"), "{t}");
    }

    #[test]
    fn a_form_edit_keeps_a_second_run_of_the_same_method() {
        let lm = LmSettings::default();
        let frozen = LmSettings {
            frozen_jacobian: true,
            max_evaluations: 400,
            ..LmSettings::default()
        };
        let edited = LmSettings {
            max_evaluations: 999,
            ..LmSettings::default()
        };
        let base = [
            FitSolver::LevenbergMarquardt(lm.clone()),
            FitSolver::LevenbergMarquardt(frozen.clone()),
        ];
        let merged = merge_solvers(&base, vec![FitSolver::LevenbergMarquardt(edited.clone())]);
        assert_eq!(
            merged,
            vec![
                FitSolver::LevenbergMarquardt(edited),
                FitSolver::LevenbergMarquardt(frozen)
            ]
        );
        let gn = FitSolver::GaussNewton(GaussNewtonSettings::default());
        assert_eq!(merge_solvers(&base, vec![gn.clone()]), vec![gn]);
    }

    #[test]
    fn trace_csv_columns_never_clash_with_parameter_names() {
        // Exponential decay has a parameter called k.
        let r = run(&FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::ExponentialDecay,
            },
            ..Default::default()
        })
        .unwrap();
        let csv = trace_csv(&r);
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let mut unique = header.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), header.len(), "{header:?}");
        assert!(header.contains(&"p:k"), "{header:?}");
    }

    #[test]
    fn trace_csv_has_one_row_per_record() {
        let r = run(&FitExperiment::default()).unwrap();
        let csv = trace_csv(&r);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "solver,record,p:a,p:μ,p:σ,ssr,grad_norm,lambda,step,accepted"
        );
        let rows: usize = r.runs.iter().map(|f| f.run.trace.iterates.len()).sum();
        assert_eq!(lines.clone().count(), rows);
        // First LM row: the start, SSR = 2·f₀, λ recorded; GN rows have no λ.
        let first: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(first[0], "Levenberg–Marquardt");
        assert_eq!(first[2].parse::<f64>().unwrap(), 1.0);
        let f0 = r.runs[0].run.trace.iterates[0].f;
        assert_eq!(first[5].parse::<f64>().unwrap(), 2.0 * f0);
        assert!(!first[7].is_empty());
        let gn = csv.lines().find(|l| l.starts_with("Gauss")).unwrap();
        assert_eq!(gn.split(',').nth(7), Some(""));
    }

    #[test]
    fn landscape_samples_the_ssr_of_two_parameter_fits() {
        let cfg = FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::MichaelisMenten,
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        let view = landscape_view(&r).unwrap();
        let p = &r.runs[0].run.params;
        assert!(view.x_min < p[0] && p[0] < view.x_max && view.y_min < p[1] && p[1] < view.y_max);
        let g = landscape_grid(&r, &cfg.model, view, 21, 21).unwrap();
        // Corner value = SSR computed directly from the residuals there.
        let (a, k) = (view.x_min, view.y_min);
        let ssr: f64 = r
            .data
            .x
            .iter()
            .zip(&r.data.y)
            .map(|(x, y)| (a * x / (k + x) - y).powi(2))
            .sum();
        assert!((g.at(0, 0) - ssr).abs() <= 1e-12 * ssr);
        // The minimum SSR on the grid is not below the solution's.
        assert!(g.lo >= r.runs[0].run.ssr * (1.0 - 1e-12));
        assert!(landscape_view(&run(&FitExperiment::default()).unwrap()).is_none());
    }
}
