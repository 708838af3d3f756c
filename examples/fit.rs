//! gradlab as a crate, part 2: fit a model by Levenberg–Marquardt and read the statistics.
//!
//! The model y = a·exp(−k·x) + c is written once, generically; [`Ad`] gives Levenberg–Marquardt
//! its exact Jacobian by dual numbers (`GradientSource::Automatic` — never finite differences in
//! disguise). The same problem could be minimized by any minimizer through
//! [`gradlab::problem::least_squares::SumOfSquares`] (see `examples/minimize.rs`).
//!
//! ```text
//! cargo run --release --example fit
//! ```

use gradlab::diff::ad::Real;
use gradlab::diff::GradientSource;
use gradlab::problem::least_squares::{Ad, GenericResiduals};
use gradlab::solver::least_squares::{
    fit_statistics, levenberg_marquardt, JacobianSettings, LmSettings,
};

/// y = a·exp(−k·x) + c fitted to points (x, y): rᵢ = a·exp(−k·xᵢ) + c − yᵢ.
struct Decay {
    x: Vec<f64>,
    y: Vec<f64>,
}

impl GenericResiduals for Decay {
    fn num_residuals(&self) -> usize {
        self.x.len()
    }
    fn num_params(&self) -> usize {
        3
    }
    fn residuals_t<T: Real>(&self, p: &[T], r: &mut [T]) {
        for (i, (&x, &y)) in self.x.iter().zip(&self.y).enumerate() {
            // Real::rexp: the same bits natively and in wasm (libm).
            r[i] = p[0] * (p[1] * (-x)).rexp() + p[2] - y;
        }
    }
}

fn main() {
    // Data from a = 2.5, k = 1.3, c = 0.5 with a small deterministic wiggle.
    let x: Vec<f64> = (0..30).map(|i| i as f64 * 0.2).collect();
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, &x)| 2.5 * (-1.3 * x).exp() + 0.5 + 0.01 * ((i * 7 % 5) as f64 - 2.0))
        .collect();
    let problem = Ad(Decay { x, y: y.clone() });
    let jacobian = JacobianSettings {
        source: GradientSource::Automatic,
        ..Default::default()
    };
    let run = levenberg_marquardt(
        &problem,
        &jacobian,
        &[1.0, 1.0, 0.0],
        &LmSettings::default(),
    )
    .expect("a valid problem");
    let stats = fit_statistics(&run.jacobian, &run.residuals, Some(&y));
    println!(
        "stop: {} after {} trials",
        run.stop().label(),
        run.trace.iterations()
    );
    println!(
        "evaluations: residuals {}, Jacobians {}",
        run.nfev(),
        run.njev()
    );
    for (name, (p, se)) in ["a", "k", "c"]
        .iter()
        .zip(run.params.iter().zip(&stats.std_errors))
    {
        println!("  {name} = {p:.6} ± {se:.6}");
    }
    println!(
        "SSR = {:.6e}, R² = {:.6}",
        run.ssr,
        stats.r_squared.unwrap_or(f64::NAN)
    );
    // The trace: one record per trial step (f = ½·SSR, plus λ, ρ, accepted, trust radius).
    for it in run.trace.iterates.iter().take(4) {
        println!(
            "  trial {:>2}: f = ½SSR = {:.6e}, λ = {:.3e}, accepted = {}",
            it.k,
            it.f,
            it.extra("lambda").unwrap_or(f64::NAN),
            it.extra("accepted").unwrap_or(f64::NAN)
        );
    }
}
