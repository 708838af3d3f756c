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
