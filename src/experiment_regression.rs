//! One regression experiment as a serde config, and [`run`]: config → exact answer + GD/SGD traces.
//!
//! Pure and deterministic: the same config gives the same result, natively and in wasm.
//!
//! JSON shape (every field has a default):
//! ```json
//! {
//!   "data": {"source": "generated", "n": 100, "slope": 2, "intercept": 1, "noise": 1,
//!            "x_min": 0, "x_max": 10, "seed": 1},
//!   "polynomial_degree": 1, "intercept": true, "standardize": true, "start": null,
//!   "solvers": [{"learning_rate": 0.1, "batch_size": 0, "epochs": 100, "seed": 1,
//!                "shuffle": "samples", "decay": {"kind": "none"},
//!                "optimizer": {"kind": "plain"}, "grad_tol": 0, "max_recorded_steps": 20000}]
//! }
//! ```
//! Other sources: `{"source": "csv", "text": "x,y\n…", "delimiter": "auto", "decimal": "point",
//! "header": "auto", "target": null}` and `{"source": "nist", "text": "<contents of Longley.dat>"}`
//! (a NIST file fixes its own model: its polynomial degree and intercept override the config's).

use crate::problem::regression::csv::{self, CsvOptions};
use crate::problem::regression::exact::{self, LeastSquaresFit};
use crate::problem::regression::generate::{self, LinearSpec};
use crate::problem::regression::{nist, Dataset, Standardizer};
use crate::solver::minibatch::{self, MiniBatchConfig, RegressionTrace};
use serde::{Deserialize, Serialize};

/// Where the data comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum DataSource {
    /// y = slope·x + intercept + N(0, noise²).
    Generated(LinearSpec),
    /// Pasted or uploaded CSV text.
    Csv {
        /// The file's text.
        text: String,
        /// How to read it.
        #[serde(flatten)]
        options: CsvOptions,
    },
    /// The text of a NIST StRD linear `.dat` file.
    Nist {
        /// The file's text.
        text: String,
    },
}

impl Default for DataSource {
    fn default() -> Self {
        DataSource::Generated(LinearSpec::default())
    }
}

/// A whole regression experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegressionExperiment {
    /// The data.
    pub data: DataSource,
    /// Polynomial features x, …, x^d of a 1-feature dataset (1 = the feature itself).
    pub polynomial_degree: usize,
    /// Fit an intercept b.
    pub intercept: bool,
    /// Standardize features for GD/SGD (coefficients are reported in the original scale).
    pub standardize: bool,
    /// Start θ₀ = [w…, b] in the original scale; `None` = zeros.
    pub start: Option<Vec<f64>>,
    /// The GD/SGD runs.
    pub solvers: Vec<MiniBatchConfig>,
}

impl Default for RegressionExperiment {
    fn default() -> Self {
        RegressionExperiment {
            data: DataSource::default(),
            polynomial_degree: 1,
            intercept: true,
            standardize: true,
            start: None,
            solvers: vec![
                MiniBatchConfig {
                    learning_rate: 0.1,
                    epochs: 100,
                    ..Default::default()
                },
                MiniBatchConfig {
                    learning_rate: 0.01,
                    batch_size: 10,
                    epochs: 30,
                    ..Default::default()
                },
            ],
        }
    }
}

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

/// Largest generated n the page (and a link) accepts: the library allows 10⁷, the page stays
/// responsive.
pub const PAGE_MAX_N: usize = 200_000;
/// Largest epochs × n (sample visits) one page run may do, summed over the solvers.
pub const PAGE_MAX_VISITS: f64 = 2e7;
/// Largest epochs on the page.
pub const PAGE_MAX_EPOCHS: usize = 10_000;

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
    let (raw, degree, intercept, nist_name) = match &cfg.data {
        DataSource::Generated(spec) => (
            generate::linear(spec)?,
            cfg.polynomial_degree,
            cfg.intercept,
            None,
        ),
        DataSource::Csv { text, options } => (
            csv::parse(text, options)?,
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
    let exact = exact::fit(&design, intercept);
    let standardizer = if cfg.standardize {
        Some(Standardizer::fit(&design, intercept)?)
    } else {
        None
    };
    let scaled = standardizer.as_ref().map(|s| s.transform(&design));
    let train_data = scaled.as_ref().unwrap_or(&design);
    let theta_star = exact.as_ref().ok().map(|f| f.theta());
    let traces = cfg
        .solvers
        .iter()
        .map(|s| {
            minibatch::train(
                train_data,
                intercept,
                standardizer.as_ref(),
                &start,
                theta_star.as_deref(),
                s,
            )
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
            Some(s) => format!(
                "{};  update per batch: {}",
                formula(intercept, cfg.standardize),
                s.update_rule()
            ),
            None => formula(intercept, cfg.standardize),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_shown_follows_intercept_and_standardization() {
        let mut cfg = RegressionExperiment::default();
        cfg.intercept = false;
        cfg.standardize = false;
        let f = run(&cfg).unwrap().formula;
        assert!(
            f.contains("L(w) =") && !f.contains("∂b") && !f.contains("standardized"),
            "{f}"
        );
        cfg.intercept = true;
        cfg.standardize = true;
        let f = run(&cfg).unwrap().formula;
        assert!(
            f.contains("L(w,b) =") && f.contains("∂b") && f.contains("standardized"),
            "{f}"
        );
    }

    #[test]
    fn default_runs_deterministically_and_gd_reaches_qr() {
        let cfg = RegressionExperiment::default();
        let a = run(&cfg).unwrap();
        assert_eq!(a, run(&cfg).unwrap());
        let fit = a.exact.as_ref().unwrap();
        // Generated with slope 2, intercept 1, σ = 1, n = 100: the estimate is within a few SDs.
        assert!((fit.w[0] - 2.0).abs() < 4.0 * fit.sd[1]);
        let gd = a.traces[0].epochs.last().unwrap();
        assert!(gd.extra("distance_to_exact").unwrap() < 1e-6);
    }

    #[test]
    fn config_round_trips_and_reads_csv_and_nist() {
        let cfg = RegressionExperiment {
            data: DataSource::Csv {
                text: "a;b;y\n1;2;3\n2;1;4\n3;5;8\n4;3;7\n".into(),
                options: CsvOptions::default(),
            },
            ..Default::default()
        };
        let json = serde_json::to_string(&cfg).unwrap();
        assert!(json.contains("\"source\":\"csv\""), "{json}");
        let back: RegressionExperiment = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cfg);
        let r = run(&cfg).unwrap();
        assert_eq!(r.features, vec!["a", "b"]);
        let bad = RegressionExperiment {
            data: DataSource::Csv {
                text: "a,y\n1,2\n".into(),
                options: CsvOptions::default(),
            },
            ..Default::default()
        };
        assert!(run(&bad).unwrap_err().contains("only one data row"));
        let from_json: RegressionExperiment =
            serde_json::from_str(r#"{"data":{"source":"generated","n":50,"noise":0.5}}"#).unwrap();
        assert!(run(&from_json).is_ok());
        // A NIST file sets its own model: Pontius is quadratic with an intercept; certified
        // B2 = −0.316081871345029E-14 (Pontius.dat).
        let dir = std::env::var("NIST_STRD_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/nist-strd").into());
        let text = std::fs::read_to_string(format!("{dir}/linear/Pontius.dat")).unwrap();
        let cfg = RegressionExperiment {
            data: DataSource::Nist { text },
            polynomial_degree: 1,
            solvers: vec![],
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        assert_eq!(r.nist_name.as_deref(), Some("Pontius"));
        assert_eq!(r.features, vec!["x", "x^2"]);
        let b2 = r.exact.unwrap().params[2];
        assert!((b2 / -0.316081871345029E-14 - 1.0).abs() < 1e-7);
    }
}
