//! [`run`]: a regression config → exact answer + GD/SGD traces.
//!
//! Pure and deterministic: the same config gives the same result, natively and in wasm.

use super::config::{DataSource, RegressionExperiment};
use crate::problem::regression::csv::{self};
use crate::problem::regression::exact::{self, LeastSquaresFit};
use crate::problem::regression::generate::{self};
use crate::problem::regression::{nist, Dataset, Standardizer};
use crate::solver::minibatch::{self, RegressionTrace};
use serde::{Deserialize, Serialize};

/// Everything the page shows for one experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegressionResult {
    /// The raw data (before polynomial expansion).
    pub data: Dataset,
    /// The model's feature names (after polynomial expansion).
    pub features: Vec<String>,
    /// Whether θ ends with b.
    pub intercept: bool,
    /// NIST dataset name when the source was a NIST file.
    pub nist_name: Option<String>,
    /// The exact least-squares answer; `Err` text if the design is rank-deficient.
    pub exact: Result<LeastSquaresFit, String>,
    /// Standardization used by the solvers, if any.
    pub standardizer: Option<Standardizer>,
    /// One trace per solver config.
    pub traces: Vec<RegressionTrace>,
    /// The loss and its gradient, as shown on the page.
    pub formula: String,
}

/// The loss and gradient formulas shown on the page, for a model with or without an intercept, and
/// what standardization changes.
pub fn formula(intercept: bool, standardize: bool) -> String {
    let mut f = if intercept {
        "L(w,b) = (1/m)·Σ (xᵢ·w + b − yᵢ)²;  ∇w = (2/m)·Xᵀr, ∂b = (2/m)·Σrᵢ, r = Xw + b − y  \
         (½MSE gives (1/m)·Xᵀr)"
            .to_string()
    } else {
        "L(w) = (1/m)·Σ (xᵢ·w − yᵢ)²  (no intercept);  ∇w = (2/m)·Xᵀr, r = Xw − y  \
         (½MSE gives (1/m)·Xᵀr)"
            .to_string()
    };
    if standardize {
        f.push_str(if intercept {
            ";  GD/SGD run on standardized features zⱼ = (xⱼ − μⱼ)/σⱼ (Z in place of X above); \
             the coefficients shown are mapped back to x"
        } else {
            ";  GD/SGD run on scaled features zⱼ = xⱼ/sⱼ, sⱼ = root mean square of column j (no \
             centring without an intercept); the coefficients shown are mapped back to x"
        });
    }
    f
}

/// Runs the experiment.
pub fn run(cfg: &RegressionExperiment) -> Result<RegressionResult, String> {
    run_reporting(cfg, &mut |_| {})
}

/// [`run`], reporting the fraction done: reading pasted CSV data (the first 40 %, every 65 536
/// rows), then after each run. The data are read once for all the runs.
pub fn run_each(
    cfg: &RegressionExperiment,
    progress: &mut dyn FnMut(f64),
) -> Result<RegressionResult, String> {
    run_reporting(cfg, progress)
}

fn run_reporting(
    cfg: &RegressionExperiment,
    progress: &mut dyn FnMut(f64),
) -> Result<RegressionResult, String> {
    let reading = if matches!(cfg.data, DataSource::Csv { .. }) {
        0.4
    } else {
        0.0
    };
    let (raw, degree, intercept, nist_name) = match &cfg.data {
        DataSource::Generated(spec) => (
            generate::linear(spec)?,
            cfg.polynomial_degree,
            cfg.intercept,
            None,
        ),
        DataSource::Csv { text, options } => (
            csv::parse_reporting(text, options, &mut |f| progress(reading * f))?,
            cfg.polynomial_degree,
            cfg.intercept,
            None,
        ),
        DataSource::Nist { text } => {
            let set = nist::parse(text)?;
            (
                set.raw,
                set.degree.unwrap_or(1),
                set.intercept,
                Some(set.name),
            )
        }
    };
    if let DataSource::Csv { .. } = &cfg.data {
        // The page's limits for pasted data, checked where large data are read (the worker).
        let rows = raw.n();
        if let Some(m) = super::too_many_rows(rows) {
            return Err(m);
        }
        let visits = super::sample_visits(&cfg.solvers, rows);
        if visits > super::PAGE_MAX_VISITS {
            return Err(format!(
                "epochs × rows is too much work for the page ({} sample visits, at most {}): \
                 fewer epochs, or fewer rows",
                super::visits_text(visits),
                super::visits_text(super::PAGE_MAX_VISITS)
            ));
        }
    }
    let design = if degree > 1 {
        raw.polynomial(degree)?
    } else if degree == 1 {
        raw.clone()
    } else {
        return Err("polynomial degree must be at least 1".into());
    };
    let p = design.d() + usize::from(intercept);
    let start = match &cfg.start {
        Some(s) if s.len() != p => {
            return Err(format!("start point has {} values, expected {p}", s.len()))
        }
        Some(s) if !s.iter().all(|v| v.is_finite()) => {
            return Err("start point must be finite numbers".into())
        }
        Some(s) => s.clone(),
        None => vec![0.0; p],
    };
    for s in &cfg.solvers {
        s.validate()?;
    }
    // Polynomial features: the exact answer is that of the powers xᵏ themselves (their low parts
    // in the refinement), not of their rounded values; the runs use the rounded design.
    let exact = if degree > 1 {
        raw.polynomial_low_parts(degree)
            .and_then(|lo| exact::fit_with_low_parts(&design, intercept, Some(&lo)))
    } else {
        exact::fit(&design, intercept)
    };
    let standardizer = if cfg.standardize {
        Some(Standardizer::fit(&design, intercept)?)
    } else {
        None
    };
    let scaled = standardizer.as_ref().map(|s| s.transform(&design));
    let train_data = scaled.as_ref().unwrap_or(&design);
    let theta_star = exact.as_ref().ok().map(|f| f.theta());
    progress(reading);
    let runs = cfg.solvers.len().max(1) as f64;
    let traces = cfg
        .solvers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let t = minibatch::train(
                train_data,
                intercept,
                standardizer.as_ref(),
                &start,
                theta_star.as_deref(),
                s,
            );
            progress(reading + (1.0 - reading) * (i + 1) as f64 / runs);
            t
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RegressionResult {
        features: design.feature_names.clone(),
        data: raw,
        intercept,
        nist_name,
        exact,
        standardizer,
        traces,
        formula: match cfg.solvers.first() {
            Some(s) => {
                let params = if intercept { "(w, b)" } else { "w" };
                let g = if intercept {
                    "(grad_w, grad_b)"
                } else {
                    "grad_w"
                };
                format!(
                    "{};  update per batch: {}, g = the batch's {g}",
                    formula(intercept, cfg.standardize),
                    s.update_rule().replace('θ', params)
                )
            }
            None => formula(intercept, cfg.standardize),
        },
    })
}
