//! What every lab's form shares: a message per field, numbers as people type them, and the
//! merge of a form edit into the runs the form cannot show.

use serde::{Deserialize, Serialize};

/// A message for one form field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name: a [`crate::lab::surfaces::SurfaceForm`] field, `"<method>.<param>"` for a hyperparameter,
    /// `"<method>"` for a solver as a whole, or `"form"`.
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
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

/// The shortest text that parses back to exactly `v` (exponent form for small numbers).
pub fn short(v: f64) -> String {
    if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e7) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// [`crate::lab::surfaces::merge_solvers`] for any kind of run, `method` naming each run's method (the curve-fitting
/// lab uses it too).
pub fn merge_runs<T: Clone>(base: &[T], form: Vec<T>, method: fn(&T) -> &'static str) -> Vec<T> {
    let mut out = Vec::with_capacity(base.len().max(form.len()));
    let mut taken: Vec<&str> = Vec::new();
    for b in base {
        let m = method(b);
        if let Some(f) = form.iter().find(|f| method(f) == m) {
            if taken.contains(&m) {
                out.push(b.clone());
            } else {
                taken.push(m);
                out.push(f.clone());
            }
        }
    }
    for f in &form {
        if !taken.contains(&method(f)) {
            taken.push(method(f));
            out.push(f.clone());
        }
    }
    out
}

/// A numeric range a field accepts, written once: the form checks the typed number against it
/// ([`Range::check`], a message without the field's name since the page shows it next to the
/// field), and a config's `validate()` — what links, `setState` and postMessage go through —
/// checks the decoded value against the same range ([`Range::validate`], naming the field). So
/// whatever a link accepts the form accepts, and the reverse (tests/validate.rs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    /// The field's name in words (e.g. `"start x"`).
    pub label: &'static str,
    /// Smallest value allowed.
    pub min: f64,
    /// Largest value allowed.
    pub max: f64,
    /// Only whole numbers.
    pub whole: bool,
    /// `min` itself is not allowed (a learning rate is > 0).
    pub above_min: bool,
}

impl Range {
    /// Any number from `min` to `max`.
    pub const fn new(label: &'static str, min: f64, max: f64) -> Self {
        Range {
            label,
            min,
            max,
            whole: false,
            above_min: false,
        }
    }

    /// Numbers above 0 (not 0 itself) up to `max`.
    pub const fn positive(label: &'static str, max: f64) -> Self {
        Range {
            label,
            min: 0.0,
            max,
            whole: false,
            above_min: true,
        }
    }

    /// Whole numbers from `min` to `max`.
    pub const fn whole(label: &'static str, min: f64, max: f64) -> Self {
        Range {
            label,
            min,
            max,
            whole: true,
            above_min: false,
        }
    }

    /// What is allowed, in words ("must be between −1e6 and 1e6").
    pub fn allowed(&self) -> String {
        let text = |v: f64| {
            let plain = format!("{}", v.abs());
            let exp = format!("{:e}", v.abs());
            let s = if v != 0.0 && (v.abs() >= 1e4 || v.abs() < 1e-3) && exp.len() < plain.len() {
                exp
            } else {
                plain
            };
            if v < 0.0 {
                format!("−{s}")
            } else {
                s
            }
        };
        if self.above_min {
            format!(
                "must be > {} and at most {}",
                text(self.min),
                text(self.max)
            )
        } else if self.whole {
            format!(
                "must be a whole number from {} to {}",
                text(self.min),
                text(self.max)
            )
        } else {
            format!("must be between {} and {}", text(self.min), text(self.max))
        }
    }

    /// The form's check of a parsed (finite) number: the value, or what is allowed.
    pub fn check(&self, v: f64) -> Result<f64, String> {
        let low = if self.above_min {
            v > self.min
        } else {
            v >= self.min
        };
        if v.is_finite() && low && v <= self.max && !(self.whole && v.fract() != 0.0) {
            Ok(v)
        } else {
            Err(self.allowed())
        }
    }

    /// A config validator's check: `Ok`, or "start x: must be between −1e6 and 1e6 (got 1e300)".
    pub fn validate(&self, v: f64) -> Result<(), String> {
        self.check(v)
            .map(|_| ())
            .map_err(|m| format!("{}: {m} (got {})", self.label, short(v)))
    }
}
