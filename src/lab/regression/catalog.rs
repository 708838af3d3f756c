//! What the regression lab accepts on the page: the limits that keep a run responsive.

/// Largest generated n the page (and a link) accepts: the library allows 10⁷, the page stays
/// responsive.
pub const PAGE_MAX_N: usize = 200_000;
/// Most CSV data rows the regression lab takes (memory: 10⁶ rows × 10 features is 80 MB of f64
/// on the page and again in its worker; time: one epoch of 10⁶ rows is ~10 ms natively, so the
/// default epochs stay within a few seconds). More is named before any work, with the choice of
/// the first rows.
pub const PAGE_MAX_ROWS: usize = 1_000_000;
/// CSV text longer than this (≈ 20 000 rows) is not read while the form is checked: the run
/// reads it, in the page's worker, with progress and Cancel (10⁶ rows took 5.9 s on the page
/// thread, in one piece).
pub const PAGE_PARSE_BYTES: usize = 512 * 1024;
/// Largest epochs × n (sample visits) one page run may do, summed over the solvers.
pub const PAGE_MAX_VISITS: f64 = 2e7;
/// Largest epochs on the page.
pub const PAGE_MAX_EPOCHS: usize = 10_000;

/// Sample visits of a page run: epochs × rows summed over the runs (checked against
/// [`PAGE_MAX_VISITS`] by the link validator and, for pasted data, by the run).
pub fn sample_visits(solvers: &[crate::solver::minibatch::MiniBatchConfig], rows: usize) -> f64 {
    solvers.iter().map(|s| s.epochs as f64 * rows as f64).sum()
}

/// A count of sample visits as a message shows it: below 10⁵ as a whole number, above in
/// scientific notation with at most three significant digits (60000000 → "6e7", 65432100 →
/// "6.54e7"), as the limit itself is shown.
pub fn visits_text(v: f64) -> String {
    if !v.is_finite() || v.abs() < 1e5 {
        return format!("{}", v.round());
    }
    let mut e = v.abs().log10().floor() as i32;
    let mut m = v / 10f64.powi(e);
    if m.abs() >= 9.995 {
        e += 1;
        m /= 10.0;
    }
    let m = format!("{m:.2}");
    let m = m.trim_end_matches('0').trim_end_matches('.');
    format!("{m}e{e}")
}

/// The message for pasted data of `rows` rows when that is more than [`PAGE_MAX_ROWS`].
pub fn too_many_rows(rows: usize) -> Option<String> {
    (rows > PAGE_MAX_ROWS).then(|| {
        format!("This CSV has {rows} rows; the regression lab takes at most {PAGE_MAX_ROWS}.")
    })
}

/// The regression lab's numeric ranges, written once: the form ([`super::RegressionForm::apply`])
/// and the link/`setState` validator (`LabConfig::validate`) both check them. (Seeds are any
/// u64 in both, read exactly.)
pub mod ranges {
    use crate::lab::form::Range;
    /// Generated data: slope.
    pub const SLOPE: Range = Range::new("slope", -1e9, 1e9);
    /// Generated data: intercept.
    pub const INTERCEPT: Range = Range::new("intercept", -1e9, 1e9);
    /// Generated data: noise σ.
    pub const NOISE: Range = Range::new("noise", 0.0, 1e6);
    /// Generated data: x min.
    pub const DATA_X_MIN: Range = Range::new("x min", -1e9, 1e9);
    /// Generated data: x max.
    pub const DATA_X_MAX: Range = Range::new("x max", -1e9, 1e9);
    /// Learning rate α.
    pub const LEARNING_RATE: Range = Range::positive("learning rate", 1e3);
    /// Batch size (0 = all).
    pub const BATCH_SIZE: Range = Range::whole("batch size", 0.0, 1e9);
    /// Inverse-time decay rate.
    pub const DECAY_RATE: Range = Range::new("decay rate", 0.0, 1e3);
    /// Step decay's interval and cosine's period, in epochs.
    pub const DECAY_EVERY: Range = Range::whole("decay period", 1.0, 1e6);
}
