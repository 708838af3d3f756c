//! The curve-fitting lab's form: text as typed, validated field by field into a [`FitExperiment`].

use super::catalog::ranges as r;
use super::config::{FitData, FitExperiment, FitModel, FitSolver, FitStart};
use super::run::{parse_formula, parse_xy_csv, points_csv, resolve_model, FORMULA_X_RANGE};
use crate::diff::GradientSource;
use crate::lab::form::{FieldError, Range};
use crate::problem::least_squares::{CurveModel, ModelId};
use crate::problem::nist::NistModel;
use crate::problem::regression::csv::CsvOptions;
use crate::solver::least_squares::{GaussNewtonSettings, JacobianSettings, LmSettings};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The solvers after a form edit (the form holds one set of settings per method): `base`'s runs
/// in their order, the first run of each method still checked taking the form's settings, later
/// runs of the same method kept as they were, unchecked methods dropped, new ones appended.
pub fn merge_solvers(base: &[FitSolver], form: Vec<FitSolver>) -> Vec<FitSolver> {
    crate::lab::form::merge_runs(base, form, FitSolver::method)
}

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

/// A number as people type it ([`crate::lab::form::number`]), or a message for `field`.
fn num(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    match crate::lab::form::number(text) {
        Ok(v) => Some(v),
        Err(m) => {
            errors.push(ferr(field, m));
            None
        }
    }
}

/// A number in `range` (the same range the link/`setState` validator checks), or a message.
fn num_in(field: &str, text: &str, range: &Range, errors: &mut Vec<FieldError>) -> Option<f64> {
    match crate::lab::form::number(text).and_then(|v| range.check(v)) {
        Ok(v) => Some(v),
        Err(m) => {
            errors.push(ferr(field, m));
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
        } else if cur.is_string() {
            // A named choice (e.g. damping "trust_region" / "nielsen"); serde checks the name.
            *cur = t.into();
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
                    let n = num_in("n", &self.n, &r::N, &mut errors);
                    let noise = num_in("noise", &self.noise, &r::NOISE, &mut errors);
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
                                num_in("x_min", &self.x_min, &r::X_FROM, &mut errors)
                            };
                            let b = if hi.is_empty() {
                                default_range.map(|r| r[1])
                            } else {
                                num_in("x_max", &self.x_max, &r::X_TO, &mut errors)
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
                            .filter_map(|(i, t)| {
                                num_in(&format!("true_params.{i}"), t, &r::TRUE_PARAM, &mut errors)
                            })
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
                "csv" => match self.csv_options(&mut errors).map(|o| {
                    // The row count first (cheap, before parsing): too many rows is a named
                    // refusal, never data silently not used.
                    let lines = self.csv.lines().filter(|l| !l.trim().is_empty()).count();
                    if let Some(m) = super::catalog::too_many_points(lines.saturating_sub(1), "CSV")
                    {
                        return Err(m);
                    }
                    let d = parse_xy_csv(&self.csv, &o)?;
                    match super::catalog::too_many_points(d.x.len(), "CSV") {
                        Some(m) => Err(m),
                        None => Ok(d),
                    }
                }) {
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
                    .filter_map(|(i, t)| {
                        num_in(
                            &format!("start_values.{i}"),
                            t,
                            &r::START_VALUE,
                            &mut errors,
                        )
                    })
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
pub(super) fn json_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
