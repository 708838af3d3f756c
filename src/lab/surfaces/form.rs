//! The page's form, as text, turned into an [`Experiment`] — with a message per bad field.
//!
//! The page sends what the user typed, unparsed; every check happens here (natively tested), so
//! the JavaScript glue never interprets numbers.
use super::catalog::solver_catalog;
use super::config::{Experiment, SolverConfig, SurfaceId};
use crate::diff::GradientSource;
use crate::lab::form::{merge_runs, number, short, FieldError};
use crate::problem::surfaces::ViewBox;
use crate::solver::schedule::Schedule;
use crate::solver::MAX_ITERATIONS;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One chosen solver and its hyperparameters, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SolverForm {
    /// The solver's `method` tag (e.g. `"adam"`).
    pub method: String,
    /// Hyperparameter name → text.
    pub params: BTreeMap<String, String>,
}

/// The surface lab's form, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurfaceForm {
    /// Surface id (e.g. `"rosenbrock"`).
    pub surface: String,
    /// `"analytic"`, `"automatic"` or `"finite_difference"`.
    pub gradient: String,
    /// Condition number of the quadratic surface.
    pub quadratic_condition: String,
    /// The typed formula f(x, y) (surface `"formula"`).
    pub formula: String,
    /// Iteration budget.
    pub max_iterations: String,
    /// Gradient-norm tolerance.
    pub tolerance: String,
    /// Start x.
    pub start_x: String,
    /// Start y.
    pub start_y: String,
    /// View box.
    pub x_min: String,
    /// View box.
    pub x_max: String,
    /// View box.
    pub y_min: String,
    /// View box.
    pub y_max: String,
    /// The solvers raced, in order.
    pub solvers: Vec<SolverForm>,
    /// Learning-rate schedule: `constant`, `step_decay`, `exponential`, `inverse_time`, `cosine`.
    pub schedule: String,
    /// γ (step decay, exponential), r (1/t) or the final fraction m (cosine).
    pub schedule_a: String,
    /// Drop every s iterations (step decay) or the period T (cosine).
    pub schedule_b: String,
}

fn field_error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

impl SurfaceForm {
    /// The form showing experiment `e`.
    pub fn from_experiment(e: &Experiment) -> Self {
        let v = e.view.view_box;
        SurfaceForm {
            surface: enum_name(&e.surface),
            gradient: enum_name(&e.gradient),
            quadratic_condition: short(e.quadratic_condition),
            formula: e.formula.clone(),
            max_iterations: e.stop.max_iterations.to_string(),
            tolerance: short(e.stop.grad_tol),
            start_x: short(e.start[0]),
            start_y: short(e.start[1]),
            x_min: short(v.x_min),
            x_max: short(v.x_max),
            y_min: short(v.y_min),
            y_max: short(v.y_max),
            schedule: enum_tag(&e.schedule),
            schedule_a: short(match e.schedule {
                Schedule::StepDecay { gamma, .. } | Schedule::Exponential { gamma } => gamma,
                Schedule::InverseTime { rate } => rate,
                Schedule::Cosine { min_factor, .. } => min_factor,
                Schedule::Constant => 0.5,
            }),
            schedule_b: match e.schedule {
                Schedule::StepDecay { every, .. } => every,
                Schedule::Cosine { period, .. } => period,
                _ => 100,
            }
            .to_string(),
            solvers: e
                .solvers
                .iter()
                .map(|s| SolverForm {
                    method: s.method().to_string(),
                    params: s
                        .params()
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), short(v)))
                        .collect(),
                })
                .collect(),
        }
    }

    /// Applies the form to `base`, or returns a message for every bad field.
    ///
    /// The form holds one set of settings per method; `base` may race a method twice (a guided
    /// experiment compares α = 0.19 with α = 0.21). See [`merge_solvers`] for how such runs
    /// survive an edit.
    pub fn apply(&self, base: &Experiment) -> Result<Experiment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut num = |field: &str, text: &str, check: &dyn Fn(f64) -> Result<f64, String>| {
            match number(text).and_then(check) {
                Ok(v) => v,
                Err(m) => {
                    errors.push(field_error(field, m));
                    f64::NAN
                }
            }
        };
        let iters = num("max_iterations", &self.max_iterations, &|v| {
            if v.fract() != 0.0 || v < 1.0 {
                Err("must be a whole number ≥ 1".into())
            } else if v > MAX_ITERATIONS as f64 {
                Err(format!("at most {MAX_ITERATIONS} iterations"))
            } else {
                Ok(v)
            }
        });
        let tol = num("tolerance", &self.tolerance, &|v| {
            if v < 0.0 {
                Err("must be ≥ 0 (0 = run all iterations)".into())
            } else {
                Ok(v)
            }
        });
        use super::config::ranges as r;
        let sx = num("start_x", &self.start_x, &|v| r::START_X.check(v));
        let sy = num("start_y", &self.start_y, &|v| r::START_Y.check(v));
        let x_min = num("x_min", &self.x_min, &|v| r::X_MIN.check(v));
        let x_max = num("x_max", &self.x_max, &|v| r::X_MAX.check(v));
        let y_min = num("y_min", &self.y_min, &|v| r::Y_MIN.check(v));
        let y_max = num("y_max", &self.y_max, &|v| r::Y_MAX.check(v));
        let kappa = num("quadratic_condition", &self.quadratic_condition, &|v| {
            r::QUADRATIC_CONDITION.check(v)
        });
        let surface: Option<SurfaceId> = from_name(&self.surface);
        if surface.is_none() {
            errors.push(field_error(
                "surface",
                format!("unknown surface “{}”", self.surface),
            ));
        }
        let gradient: Option<GradientSource> = from_name(&self.gradient);
        if gradient.is_none() {
            errors.push(field_error(
                "gradient",
                format!("unknown gradient source “{}”", self.gradient),
            ));
        }
        if x_min.is_finite() && x_max.is_finite() && x_min >= x_max {
            errors.push(field_error("x_max", "must be greater than x min"));
        }
        if y_min.is_finite() && y_max.is_finite() && y_min >= y_max {
            errors.push(field_error("y_max", "must be greater than y min"));
        }
        let mut solvers = Vec::new();
        if self.solvers.is_empty() {
            errors.push(field_error("solvers", "choose at least one solver"));
        }
        for s in &self.solvers {
            match parse_solver(s) {
                Ok(c) => solvers.push(c),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut e = base.clone();
        e.surface = surface.expect("checked");
        e.gradient = gradient.expect("checked");
        e.quadratic_condition = kappa;
        e.formula = self.formula.clone();
        e.schedule = match parse_schedule(&self.schedule, &self.schedule_a, &self.schedule_b) {
            Ok(s) => s,
            Err(err) => return Err(vec![err]),
        };
        if e.surface == SurfaceId::Formula {
            if let Err(err) = crate::problem::formula::SurfaceFormula::parse(&e.formula) {
                return Err(vec![field_error("formula", err.to_string())]);
            }
        }
        e.solvers = merge_solvers(&base.solvers, solvers);
        e.stop.max_iterations = iters as usize;
        e.stop.grad_tol = tol;
        e.start = [sx, sy];
        e.view.view_box = ViewBox::new(x_min, x_max, y_min, y_max);
        e.validate().map_err(|m| vec![field_error("form", m)])?;
        Ok(e)
    }
}

/// One solver's form → its config, checking each hyperparameter against the catalog's range.
fn parse_solver(s: &SolverForm) -> Result<SolverConfig, Vec<FieldError>> {
    let catalog = solver_catalog();
    let Some(info) = catalog.iter().find(|i| i.method == s.method) else {
        return Err(vec![field_error(
            "solvers",
            format!("unknown solver “{}”", s.method),
        )]);
    };
    let mut errors = Vec::new();
    let mut json = serde_json::Map::new();
    json.insert("method".into(), s.method.clone().into());
    for p in &info.params {
        let field = format!("{}.{}", s.method, p.name);
        let Some(text) = s.params.get(&p.name) else {
            continue;
        };
        match number(text) {
            Ok(v) if p.integer && v.fract() != 0.0 => {
                errors.push(field_error(&field, "must be a whole number"))
            }
            Ok(v) if v < p.min || v > p.max => errors.push(field_error(
                &field,
                format!("must be between {} and {}", short(p.min), short(p.max)),
            )),
            Ok(v) => {
                let value = if p.integer {
                    serde_json::Value::from(v as u64)
                } else {
                    serde_json::Value::from(v)
                };
                json.insert(p.name.clone(), value);
            }
            Err(m) => errors.push(field_error(&field, m)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let config: SolverConfig = serde_json::from_value(json.into())
        .map_err(|e| vec![field_error(&s.method, format!("{}: {e}", info.name))])?;
    config
        .validate()
        .map_err(|m| vec![field_error(&s.method, m)])?;
    Ok(config)
}

/// The schedule from its kind and two numbers (which mean what depends on the kind).
fn parse_schedule(kind: &str, a: &str, b: &str) -> Result<Schedule, FieldError> {
    let a_num = || number(a).map_err(|m| field_error("schedule_a", m));
    let b_int = || {
        number(b)
            .and_then(|v| super::config::ranges::SCHEDULE_EVERY.check(v))
            .map(|v| v as usize)
            .map_err(|m| field_error("schedule_b", m))
    };
    let s = match kind {
        "constant" | "" => Schedule::Constant,
        "step_decay" => Schedule::StepDecay {
            every: b_int()?,
            gamma: a_num()?,
        },
        "exponential" => Schedule::Exponential { gamma: a_num()? },
        "inverse_time" => Schedule::InverseTime { rate: a_num()? },
        "cosine" => Schedule::Cosine {
            period: b_int()?,
            min_factor: a_num()?,
        },
        other => {
            return Err(field_error(
                "schedule",
                format!("unknown schedule “{other}”"),
            ))
        }
    };
    s.validate().map_err(|m| field_error("schedule_a", m))?;
    Ok(s)
}

/// The `kind` tag of an internally tagged enum value.
fn enum_tag<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default()
}

/// The serde (snake_case) name of a unit enum value.
fn enum_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A unit enum value from its serde name.
fn from_name<T: for<'de> Deserialize<'de>>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

/// The solvers after a form edit: `base`'s runs in their order (so colours stay put), the first
/// run of each method still checked taking the form's settings, later runs of the same method
/// kept as they were (the form cannot show them), unchecked methods dropped, newly checked ones
/// appended in the form's order.
pub fn merge_solvers(base: &[SolverConfig], form: Vec<SolverConfig>) -> Vec<SolverConfig> {
    merge_runs(base, form, SolverConfig::method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_edit_keeps_the_runs_the_form_cannot_show_and_the_run_order() {
        let c = |v: serde_json::Value| -> SolverConfig { serde_json::from_value(v).unwrap() };
        let gd = |a: f64| c(serde_json::json!({"method": "gradient_descent", "learning_rate": a}));
        // Two GD runs (a guided experiment): the form shows the first; editing it keeps the second.
        let merged = merge_solvers(&[gd(0.19), gd(0.21)], vec![gd(0.05)]);
        assert_eq!(merged, vec![gd(0.05), gd(0.21)]);
        // The config's order survives the form's (checkbox) order, so colours do not move.
        let newton = c(serde_json::json!({"method": "newton"}));
        let bfgs = c(serde_json::json!({"method": "bfgs"}));
        let armijo = c(serde_json::json!({"method": "gradient_descent_armijo"}));
        let merged = merge_solvers(
            &[newton.clone(), bfgs.clone(), armijo.clone()],
            vec![armijo.clone(), newton.clone(), bfgs.clone()],
        );
        assert_eq!(merged, vec![newton.clone(), bfgs.clone(), armijo.clone()]);
        // Unchecked methods go (with all their runs); newly checked ones are appended.
        let merged = merge_solvers(
            &[gd(0.19), gd(0.21), bfgs.clone()],
            vec![bfgs.clone(), newton.clone()],
        );
        assert_eq!(merged, vec![bfgs, newton]);
    }

    fn form() -> SurfaceForm {
        SurfaceForm::from_experiment(&Experiment::default())
    }

    #[test]
    fn round_trips_the_default_experiment() {
        let base = Experiment::default();
        assert_eq!(form().apply(&base).unwrap(), base);
    }

    #[test]
    fn round_trips_every_solver_with_its_defaults() {
        let mut e = Experiment::default();
        e.solvers = solver_catalog()
            .iter()
            .map(|i| SolverConfig::default_for(&i.method).unwrap())
            .collect();
        e.surface = SurfaceId::Rosenbrock;
        assert_eq!(
            SurfaceForm::from_experiment(&e)
                .apply(&Experiment::default())
                .unwrap(),
            e
        );
    }

    #[test]
    fn every_bad_field_gets_its_message() {
        let mut f = form();
        f.max_iterations = "1000000000".into();
        f.tolerance = "abc".into();
        f.start_x = "".into();
        f.start_y = "inf".into();
        f.x_min = "5".into();
        f.surface = "nope".into();
        f.solvers[0]
            .params
            .insert("learning_rate".into(), "-0.1".into());
        let errs = f.apply(&Experiment::default()).unwrap_err();
        let msg = |f: &str| {
            errs.iter()
                .find(|e| e.field == f)
                .map(|e| e.message.clone())
                .unwrap_or_default()
        };
        assert_eq!(msg("max_iterations"), "at most 100000 iterations");
        assert_eq!(msg("tolerance"), "“abc” is not a number");
        assert_eq!(msg("start_x"), "enter a number");
        assert_eq!(msg("start_y"), "“inf” is not a finite number");
        assert_eq!(msg("x_max"), "must be greater than x min");
        assert_eq!(msg("surface"), "unknown surface “nope”");
        assert!(
            msg("gradient_descent.learning_rate").starts_with("must be between"),
            "{errs:?}"
        );
    }

    #[test]
    fn integer_params_and_empty_solver_lists() {
        let mut f = form();
        f.solvers = vec![SolverForm {
            method: "lbfgs".into(),
            params: [("memory".to_string(), "2.5".to_string())].into(),
        }];
        assert_eq!(
            f.apply(&Experiment::default()).unwrap_err()[0].field,
            "lbfgs.memory"
        );
        f.solvers.clear();
        assert_eq!(
            f.apply(&Experiment::default()).unwrap_err()[0].message,
            "choose at least one solver"
        );
    }

    #[test]
    fn formula_surfaces_validate_their_text() {
        let mut f = form();
        f.surface = "formula".into();
        f.formula = "x^2 + (y - 1".into();
        let errs = f.apply(&Experiment::default()).unwrap_err();
        assert_eq!(errs[0].field, "formula");
        assert!(errs[0].message.contains("column"), "{}", errs[0].message);
        f.formula = "(x - 1)**2 + 3*(y + 0.5)**2".into();
        let e = f.apply(&Experiment::default()).unwrap();
        // A convex quadratic with its minimum at (1, −0.5): gradient descent gets there.
        let t = &e.run().unwrap()[0];
        assert!(
            (t.last().x[0] - 1.0).abs() < 1e-5 && (t.last().x[1] + 0.5).abs() < 1e-5,
            "{:?}",
            t.last().x
        );
    }

    #[test]
    fn schedules_round_trip_and_check_their_numbers() {
        let mut e = Experiment::default();
        for s in [
            Schedule::StepDecay {
                every: 20,
                gamma: 0.5,
            },
            Schedule::Exponential { gamma: 0.99 },
            Schedule::InverseTime { rate: 0.1 },
            Schedule::Cosine {
                period: 200,
                min_factor: 0.05,
            },
            Schedule::Constant,
        ] {
            e.schedule = s;
            assert_eq!(
                SurfaceForm::from_experiment(&e)
                    .apply(&Experiment::default())
                    .unwrap()
                    .schedule,
                s
            );
        }
        let mut f = form();
        f.schedule = "exponential".into();
        f.schedule_a = "1.5".into();
        assert_eq!(
            f.apply(&Experiment::default()).unwrap_err()[0].field,
            "schedule_a"
        );
        f.schedule = "step_decay".into();
        f.schedule_a = "0.5".into();
        f.schedule_b = "0".into();
        assert_eq!(
            f.apply(&Experiment::default()).unwrap_err()[0].field,
            "schedule_b"
        );
    }

    #[test]
    fn accepts_what_people_type() {
        assert_eq!(number(" 1e-3 "), Ok(0.001));
        assert_eq!(number("−2.5"), Ok(-2.5));
        assert_eq!(number("+.5"), Ok(0.5));
        let mut f = form();
        f.max_iterations = "2.5".into();
        assert_eq!(
            f.apply(&Experiment::default()).unwrap_err()[0].message,
            "must be a whole number ≥ 1"
        );
    }
}
