//! One regression experiment as a serde config.
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

use crate::problem::regression::csv::CsvOptions;
use crate::problem::regression::generate::LinearSpec;
use crate::solver::minibatch::MiniBatchConfig;
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
