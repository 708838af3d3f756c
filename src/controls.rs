//! The page's form fields, as text, turned into an [`Experiment`] — with a message per bad field.
//!
//! The page sends what the user typed, unparsed; every check happens here (natively tested), so
//! the JavaScript glue never interprets numbers.

use crate::experiment::{Experiment, SolverConfig};
use crate::solver::MAX_ITERATIONS;
use serde::{Deserialize, Serialize};

/// The surface lab's controls, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurfaceControls {
    /// Learning rate α of gradient descent.
    pub learning_rate: String,
    /// Iteration budget.
    pub max_iterations: String,
    /// Gradient-norm tolerance.
    pub tolerance: String,
    /// Start x.
    pub start_x: String,
    /// Start y.
    pub start_y: String,
}

/// A message for one form field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name (as in [`SurfaceControls`]).
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
}

impl SurfaceControls {
    /// The controls showing `e` (the first gradient-descent solver's learning rate).
    pub fn from_experiment(e: &Experiment) -> Self {
        let lr = e
            .solvers
            .iter()
            .find_map(|s| match s {
                SolverConfig::GradientDescent { learning_rate } => Some(*learning_rate),
                _ => None,
            })
            .unwrap_or(0.05);
        SurfaceControls {
            learning_rate: short(lr),
            max_iterations: e.stop.max_iterations.to_string(),
            tolerance: short(e.stop.grad_tol),
            start_x: short(e.start[0]),
            start_y: short(e.start[1]),
        }
    }

    /// Applies the controls to `base`, or returns a message for every bad field.
    pub fn apply(&self, base: &Experiment) -> Result<Experiment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: &str, r: Result<f64, String>| match r {
            Ok(v) => v,
            Err(message) => {
                errors.push(FieldError {
                    field: field.into(),
                    message,
                });
                f64::NAN
            }
        };
        let lr = check(
            "learning_rate",
            number(&self.learning_rate).and_then(|v| {
                if v <= 0.0 {
                    Err("must be greater than 0 (e.g. 0.05)".into())
                } else if v > 1e3 {
                    Err("must be at most 1000".into())
                } else {
                    Ok(v)
                }
            }),
        );
        let iters = check(
            "max_iterations",
            number(&self.max_iterations).and_then(|v| {
                if v.fract() != 0.0 || v < 1.0 {
                    Err("must be a whole number ≥ 1".into())
                } else if v > MAX_ITERATIONS as f64 {
                    Err(format!("at most {MAX_ITERATIONS} iterations"))
                } else {
                    Ok(v)
                }
            }),
        );
        let tol = check(
            "tolerance",
            number(&self.tolerance).and_then(|v| {
                if v < 0.0 {
                    Err("must be ≥ 0 (0 = run all iterations)".into())
                } else {
                    Ok(v)
                }
            }),
        );
        let sx = check(
            "start_x",
            number(&self.start_x).and_then(|v| bounded(v, 1e6)),
        );
        let sy = check(
            "start_y",
            number(&self.start_y).and_then(|v| bounded(v, 1e6)),
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut e = base.clone();
        e.solvers = vec![SolverConfig::GradientDescent { learning_rate: lr }];
        e.stop.max_iterations = iters as usize;
        e.stop.grad_tol = tol;
        e.start = [sx, sy];
        Ok(e)
    }
}

fn bounded(v: f64, limit: f64) -> Result<f64, String> {
    if v.abs() > limit {
        Err(format!("must be between −{limit:e} and {limit:e}"))
    } else {
        Ok(v)
    }
}

/// Parses a number as people type it: surrounding spaces, a leading `+`, `1e-3`, `.5`, and a
/// Unicode minus are fine; anything else says what was expected.
pub fn number(text: &str) -> Result<f64, String> {
    let t = text.trim().replace('−', "-");
    if t.is_empty() {
        return Err("enter a number".into());
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("“{}” is not a finite number", text.trim())),
        Err(_) => Err(format!("“{}” is not a number", text.trim())),
    }
}

/// The shortest text that parses back to exactly `v`.
pub fn short(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-3 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn controls() -> SurfaceControls {
        SurfaceControls::from_experiment(&Experiment::default())
    }

    #[test]
    fn round_trips_the_default_experiment() {
        let base = Experiment::default();
        assert_eq!(controls().apply(&base).unwrap(), base);
    }

    #[test]
    fn every_bad_field_gets_its_message() {
        let c = SurfaceControls {
            learning_rate: "-0.1".into(),
            max_iterations: "1000000000".into(),
            tolerance: "abc".into(),
            start_x: "".into(),
            start_y: "inf".into(),
        };
        let errs = c.apply(&Experiment::default()).unwrap_err();
        let msg = |f: &str| {
            errs.iter()
                .find(|e| e.field == f)
                .map(|e| e.message.clone())
                .unwrap()
        };
        assert_eq!(msg("learning_rate"), "must be greater than 0 (e.g. 0.05)");
        assert_eq!(msg("max_iterations"), "at most 100000 iterations");
        assert_eq!(msg("tolerance"), "“abc” is not a number");
        assert_eq!(msg("start_x"), "enter a number");
        assert_eq!(msg("start_y"), "“inf” is not a finite number");
    }

    #[test]
    fn accepts_what_people_type() {
        assert_eq!(number(" 1e-3 "), Ok(0.001));
        assert_eq!(number("−2.5"), Ok(-2.5));
        assert_eq!(number("+.5"), Ok(0.5));
        let mut c = controls();
        c.max_iterations = "2.5".into();
        assert_eq!(
            c.apply(&Experiment::default()).unwrap_err()[0].message,
            "must be a whole number ≥ 1"
        );
    }
}
