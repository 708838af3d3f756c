//! The regression lab's form, as text, turned into a [`RegressionExperiment`] — with a message
//! per bad field (and, for CSV, the row and column).

use super::catalog::{PAGE_MAX_EPOCHS, PAGE_MAX_N, PAGE_MAX_VISITS};
use super::config::{DataSource, RegressionExperiment};
use crate::lab::form::{number, short, FieldError};
use crate::problem::regression::csv::{self, CsvOptions, Decimal, Delimiter, Header};
use crate::problem::regression::generate::LinearSpec;
use crate::solver::minibatch::{Decay, MiniBatchConfig, Optimizer, Shuffle, UpdateRules};
use serde::{Deserialize, Serialize};

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

pub(crate) fn fe(field: &str, message: impl Into<String>) -> FieldError {
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

/// A seed: any whole number from 0 to 2⁶⁴ − 1, read exactly (a link may carry any u64 seed, so
/// the form takes every seed a link does, and shows it back digit for digit).
fn seed_field(errors: &mut Vec<FieldError>, field: &str, text: &str) -> u64 {
    let t = text.trim().trim_start_matches('+');
    if let Ok(v) = t.parse::<u64>() {
        return v;
    }
    let message = match number(text) {
        Ok(v) if v >= 0.0 && v.fract() == 0.0 && v < 9007199254740992.0 => return v as u64,
        Ok(_) => format!("must be a whole number from 0 to {}", u64::MAX),
        Err(m) => m,
    };
    errors.push(fe(field, message));
    0
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
        use super::catalog::ranges as r;
        let degree = num(&mut errors, "degree", &self.degree, &whole(1.0, 20.0));
        // Samples in the data, where known here (generated, CSV): a batch size ≥ n is batch GD.
        let mut data_n: Option<usize> = None;
        let data = match self.source.as_str() {
            "generated" => {
                let n = num(&mut errors, "n", &self.n, &whole(2.0, PAGE_MAX_N as f64));
                let slope = num(&mut errors, "slope", &self.slope, &|v| r::SLOPE.check(v));
                let b = num(&mut errors, "true_intercept", &self.true_intercept, &|v| {
                    r::INTERCEPT.check(v)
                });
                let noise = num(&mut errors, "noise", &self.noise, &|v| r::NOISE.check(v));
                let x_min = num(&mut errors, "x_min", &self.x_min, &|v| {
                    r::DATA_X_MIN.check(v)
                });
                let x_max = num(&mut errors, "x_max", &self.x_max, &|v| {
                    r::DATA_X_MAX.check(v)
                });
                let seed = seed_field(&mut errors, "data_seed", &self.data_seed);
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
                    seed,
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
                        if self.csv_text.len() > super::catalog::PAGE_PARSE_BYTES {
                            // Large data are read where the run happens (the page's worker, with
                            // progress and Cancel); their errors come back from the run, and the
                            // previous data stay until then. Their size is known from a census
                            // (no parsing), so the limits are named now.
                            let census = crate::lab::form::large_data(
                                "regression",
                                &self.csv_text,
                                &options,
                            );
                            data_n = Some(census.rows);
                            if let Some(m) = census.too_many {
                                errors.push(fe("csv_text", m));
                            }
                            Some(DataSource::Csv {
                                text: self.csv_text.clone(),
                                options,
                            })
                        } else {
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
            r::LEARNING_RATE.check(v)
        });
        let batch = if self.batch_size.trim().is_empty()
            || self.batch_size.trim().eq_ignore_ascii_case("all")
        {
            0.0
        } else {
            num(&mut errors, "batch_size", &self.batch_size, &|v| {
                r::BATCH_SIZE.check(v)
            })
        };
        let epochs = num(
            &mut errors,
            "epochs",
            &self.epochs,
            &whole(1.0, PAGE_MAX_EPOCHS as f64),
        );
        let seed = seed_field(&mut errors, "seed", &self.seed);
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
                    r::DECAY_RATE.check(v)
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
                    r::DECAY_EVERY.check(v)
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
        let rows = match &data {
            Some(DataSource::Generated(spec)) => Some(spec.n),
            Some(DataSource::Csv { .. }) => data_n,
            _ => None,
        };
        if let Some(n) = rows {
            let visits = epochs * n as f64 * if self.compare_gd { 2.0 } else { 1.0 };
            if visits.is_finite() && visits > PAGE_MAX_VISITS {
                errors.push(fe(
                    "epochs",
                    format!(
                        "epochs × n is too much work for the page ({} sample visits, at most {})",
                        super::visits_text(visits),
                        super::visits_text(PAGE_MAX_VISITS)
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
            seed,
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
