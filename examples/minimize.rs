//! gradlab as a crate, part 1: minimize a function and read the trace.
//!
//! One residual problem is written once ([`GenericResiduals`], generic over the number type) and
//! minimized here by BFGS and Nelder–Mead through [`SumOfSquares`] (f = ½‖r‖², exact gradient by
//! dual numbers); `examples/fit.rs` hands the same kind of problem to Levenberg–Marquardt.
//!
//! ```text
//! cargo run --release --example minimize
//! ```

use gradlab::diff::ad::Real;
use gradlab::diff::{Evaluator, GradientSource};
use gradlab::problem::least_squares::{GenericResiduals, SumOfSquares};
use gradlab::solver::{self, Bfgs, NelderMead, StopCriteria};

/// Rosenbrock's banana as residuals: r = (10(y − x²), 1 − x); minimum (1, 1), f = 0.
struct Rosenbrock;

impl GenericResiduals for Rosenbrock {
    fn num_residuals(&self) -> usize {
        2
    }
    fn num_params(&self) -> usize {
        2
    }
    fn residuals_t<T: Real>(&self, p: &[T], r: &mut [T]) {
        r[0] = (p[1] - p[0] * p[0]) * 10.0;
        r[1] = T::from(1.0) - p[0];
    }
}

fn main() {
    let f = SumOfSquares(Rosenbrock);
    let stop = StopCriteria {
        max_iterations: 10_000,
        grad_tol: 1e-10,
        ..Default::default()
    };
    let start = [-1.2, 1.0];
    // BFGS with the exact (automatic) gradient.
    let ev = Evaluator::new(&f, GradientSource::Automatic);
    let trace = solver::run(&mut Bfgs::new(1e-4, 0.9), &ev, &start, &stop);
    report(&trace);
    // Nelder–Mead: no derivatives at all (the trace records none).
    let ev = Evaluator::new(&f, GradientSource::Automatic);
    let trace = solver::run(&mut NelderMead::new(0.25, 1e-10, 1e-15), &ev, &start, &stop);
    report(&trace);
}

fn report(t: &gradlab::trace::Trace) {
    let last = t.last();
    println!(
        "{}: {} iterations, stop: {}\n  x* = {:?}, f(x*) = {:.3e}, ‖∇f‖ = {:.1e}\n  evaluations: f {}, ∇f {}, ∇²f {}",
        t.solver,
        t.iterations(),
        t.stop.label(),
        last.x,
        last.f,
        last.grad_norm,
        t.f_evals,
        t.g_evals,
        t.h_evals
    );
    // Every iterate is in the trace: the first few.
    for it in t.iterates.iter().take(3) {
        println!("    k = {:>2}: x = {:?}, f = {:.6}", it.k, it.x, it.f);
    }
}
