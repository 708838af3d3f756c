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
        // "1,5": a decimal comma, as many readers write it (the fields take a point).
        Err(_) if t.matches(',').count() == 1 && t.replace(',', ".").parse::<f64>().is_ok() => {
            Err(format!(
                "“{}” is not a number: write the decimal point as “.” ({})",
                text.trim(),
                t.replace(',', ".")
            ))
        }
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

/// What the page knows about pasted or uploaded CSV data before any of it is parsed (a census of
/// the text: a few ms for 25 MB), so a limit is named before work starts and large data are shown
/// as a summary instead of a 25 MB text box.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LargeData {
    /// Bytes of text.
    pub bytes: usize,
    /// Data rows (non-empty lines, the header not counted).
    pub rows: usize,
    /// Whether the first line is a header (kept when the data are cut).
    pub header: bool,
    /// The first lines, for the summary.
    pub first_lines: Vec<String>,
    /// Most rows the lab takes.
    pub max_rows: usize,
    /// Too many rows: the message naming the count and the limit.
    pub too_many: Option<String>,
    /// Too large to show in a text box or to check while typing: shown as a summary and read by
    /// the run (in the page's worker, with progress and Cancel).
    pub large: bool,
}

/// The [`LargeData`] census of CSV `text` for `lab` (`"regression"` or `"fit"`).
pub fn large_data(
    lab: &str,
    text: &str,
    options: &crate::problem::regression::csv::CsvOptions,
) -> LargeData {
    use crate::problem::regression::csv;
    let c = csv::census(text);
    let header = csv::has_header(text, options);
    let rows = c.lines.saturating_sub(usize::from(header));
    let (max_rows, name) = match lab {
        "fit" => (crate::lab::fit::PAGE_MAX_POINTS, "fit"),
        _ => (crate::lab::regression::PAGE_MAX_ROWS, "regression"),
    };
    LargeData {
        bytes: c.bytes,
        rows,
        header,
        first_lines: c.first_lines,
        max_rows,
        too_many: match name {
            "regression" => crate::lab::regression::too_many_rows(rows),
            _ => (rows > max_rows).then(|| {
                format!("This CSV has {rows} rows; the {name} lab takes at most {max_rows}.")
            }),
        },
        large: text.len() > crate::lab::regression::PAGE_PARSE_BYTES,
    }
}

/// The first `rows` data rows of CSV `text` (its header line kept when `header`).
pub fn first_rows(text: &str, rows: usize, header: bool) -> &str {
    crate::problem::regression::csv::head(text, rows + usize::from(header))
}

#[cfg(test)]
mod large_data_tests {
    use super::*;
    use crate::problem::regression::csv::CsvOptions;

    #[test]
    fn too_many_rows_are_named_and_the_first_rows_kept() {
        let text: String = std::iter::once("x,y\n".to_string())
            .chain((0..1_000_001).map(|i| format!("{i},{}\n", i % 3)))
            .collect();
        let d = large_data("regression", &text, &CsvOptions::default());
        assert_eq!((d.rows, d.header, d.large), (1_000_001, true, true));
        assert_eq!(
            d.too_many.as_deref(),
            Some("This CSV has 1000001 rows; the regression lab takes at most 1000000.")
        );
        assert_eq!(d.first_lines[..2], ["x,y", "0,0"]);
        let cut = first_rows(&text, d.max_rows, d.header);
        let again = large_data("regression", cut, &CsvOptions::default());
        assert_eq!((again.rows, again.too_many), (1_000_000, None));
        assert!(cut.ends_with("999999,0\n"));
        // The fit lab's limit; no header.
        let small = "1,2\n3,4\n";
        let f = large_data("fit", small, &CsvOptions::default());
        assert_eq!(
            (f.rows, f.header, f.large, f.max_rows),
            (2, false, false, 100_000)
        );
        assert_eq!(first_rows(small, 1, false), "1,2\n");
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn a_decimal_comma_is_named_with_what_to_write() {
        assert_eq!(
            number(" 1,5 ").unwrap_err(),
            "“1,5” is not a number: write the decimal point as “.” (1.5)"
        );
        assert_eq!(
            number("−0,25").unwrap_err(),
            "“−0,25” is not a number: write the decimal point as “.” (-0.25)"
        );
        // Not a decimal comma: a thousands separator pair, letters, two commas.
        assert_eq!(
            number("1,000,000").unwrap_err(),
            "“1,000,000” is not a number"
        );
        assert_eq!(number("abc").unwrap_err(), "“abc” is not a number");
        assert_eq!(number("1.5").unwrap(), 1.5);
    }
}
