//! `run(config) -> FitResult` (pure and deterministic: generated noise comes from a seeded
//! [`crate::rng::SplitMix64`]), and what it is made of: the model, the data, the notes.
//!
//! NIST data are not compiled into the library: pass the `.dat` text to [`run_with_nist`].

use super::config::{FitData, FitExperiment, FitModel, FitSolver, FitStart};
use crate::problem::formula::{CurveFormula, FormulaError};
use crate::problem::least_squares::{CurveFit, CurveModel, Data, ModelId};
use crate::problem::nist::{self, NistDataset, NistModel};
use crate::problem::regression::csv::{self, CsvOptions};
use crate::solver::least_squares::{
    fit_statistics, gauss_newton, levenberg_marquardt, FitStatistics, LsqRun,
};
use serde::{Deserialize, Serialize};

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
    fn gradient_ad(&self, x: &[f64], p: &[f64], g: &mut [f64]) -> bool {
        match self {
            AnyModel::Builtin(m) => m.gradient_ad(x, p, g),
            AnyModel::Nist(m) => m.gradient_ad(x, p, g),
            // The formula's parameter gradient is forward-mode AD already.
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

/// Parses a curve formula as typed on the page: an optional leading `y =`, `y(x) =`, `lambda x,
/// a, b:`, `return` … (the prefixes both labs accept, see [`crate::problem::formula::check`]), then
/// the model in the formula language. Error columns count from the start of `text`.
pub fn parse_formula(text: &str) -> Result<CurveFormula, FormulaError> {
    CurveFormula::parse(text)
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
/// deviation `noise` from a [`SplitMix64`](crate::rng::SplitMix64) seeded with `seed` (the same recipe as
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

/// Why points `x`, `y` cannot be fitted as the CSV reader ([`parse_xy_csv`]) would say it: fewer
/// than 2 points, a value beyond the reader's magnitude limit (named by its row in that CSV), or a
/// constant column. A link or `setState` with such points is refused, since
/// the form (which shows the points as CSV) would refuse them on the next edit.
pub fn points_problem(x: &[f64], y: &[f64]) -> Result<(), String> {
    if x.len() < 2 {
        return Err(format!(
            "{} data point{}: a fit needs at least 2",
            x.len(),
            if x.len() == 1 { "" } else { "s" }
        ));
    }
    let max = crate::problem::regression::csv::MAX_ABS;
    for (col, (name, v)) in [("x", x), ("y", y)].into_iter().enumerate() {
        if let Some(i) = v.iter().position(|a| a.abs() > max) {
            return Err(format!(
                "row {}, column {} (\"{name}\"): \"{:e}\" is too large: values must be at most 1e100 in magnitude (their squares, summed over a million rows, must stay finite)",
                i + 2,
                col + 1,
                v[i]
            ));
        }
    }
    for (name, v) in [("x", x), ("y", y)] {
        if v.iter().all(|a| *a == v[0]) {
            return Err(format!(
                "{name} is constant (every value is {}): it carries no information",
                v[0]
            ));
        }
    }
    Ok(())
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
    use crate::problem::formula::{uses_bare_name, Mode};
    let mut notes = Vec::new();
    if uses_bare_name(text, "e", Mode::Curve) {
        notes.push(
            "note: e is Euler's number 2.71828…, a constant, not a parameter \
             (name a parameter differently, e.g. d)"
                .to_string(),
        );
    }
    if uses_bare_name(text, "y", Mode::Curve) {
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

/// [`run_with_nist`] solver by solver, then the SSR landscape, calling `progress(fraction done)`
/// after each part (the page's worker reports it). Solvers are independent, so the result equals
/// `run_with_nist`'s bit for bit (tests/engine.rs).
pub fn run_each(
    config: &FitExperiment,
    nist_text: Option<&str>,
    progress: &mut dyn FnMut(f64),
) -> Result<(FitResult, Option<super::Landscape>), String> {
    let n = config.solvers.len();
    let parts = (n + 1) as f64;
    let result = if n <= 1 {
        run_with_nist(config, nist_text)?
    } else {
        let mut all: Option<FitResult> = None;
        for (i, s) in config.solvers.iter().enumerate() {
            let mut one = config.clone();
            one.solvers = vec![s.clone()];
            let r = run_with_nist(&one, nist_text)?;
            match &mut all {
                None => all = Some(r),
                Some(a) => a.runs.extend(r.runs),
            }
            progress((i + 1) as f64 / parts);
        }
        all.ok_or_else(|| "choose at least one solver".to_string())?
    };
    let landscape = super::landscape(&result, &config.model)?;
    progress(1.0);
    Ok((result, landscape))
}
