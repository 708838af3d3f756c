//! gradlab's Levenberg–Marquardt side by side with the MINPACK port crate `levenberg-marquardt`
//! 0.15 (its defaults: ftol = xtol = gtol = 30ε, Moré's scaling, analytic Jacobians), on the same
//! NIST StRD problems, data and starts, in one run (issue 17).
//!
//! Per problem-start it prints: residual evaluations (nfev) and median solve time of each, and the
//! LRE (log relative error, −log₁₀|b − b*|/|b*|, minimum over the parameters, capped at 11) against
//! the certified values. The summary: median nfev, geometric means of the per-problem time and nfev
//! ratios (gradlab / MINPACK), and how many problem-starts reach LRE ≥ 6.
//!
//! ```text
//! cargo run --release --example lm_vs_minpack -- ../shared/nist-strd/nonlinear [--jacobian fd] [--markdown]
//! ```
//!
//! `--jacobian fd` gives gradlab central finite differences (MINPACK keeps its analytic Jacobian:
//! the comparison is then of the whole cost a user without derivatives pays).

use gradlab::diff::GradientSource;
use gradlab::problem::least_squares::{Ad, Residuals};
use gradlab::problem::mgh::{MghKind, MghProblem};
use gradlab::problem::nist;
use gradlab::solver::least_squares::{levenberg_marquardt, JacobianSettings, LmSettings};
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra034::{DMatrix, DVector, Dyn, Owned};
use std::time::Instant;

/// A gradlab residual model seen through the crate's problem trait (its Jacobian: the model's
/// hand-written one, else its dual-number one — the same one gradlab's run is given).
struct Minpack<'a> {
    fit: &'a dyn Residuals,
    p: DVector<f64>,
}

impl LeastSquaresProblem<f64, Dyn, Dyn> for Minpack<'_> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, x: &DVector<f64>) {
        self.p.copy_from(x);
    }

    fn params(&self) -> DVector<f64> {
        self.p.clone()
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        let mut r = vec![0.0; self.fit.num_residuals()];
        self.fit.residuals(self.p.as_slice(), &mut r);
        Some(DVector::from_vec(r))
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        let (m, n) = (self.fit.num_residuals(), self.fit.num_params());
        let mut j = nalgebra::DMatrix::zeros(m, n);
        if !self.fit.jacobian(self.p.as_slice(), &mut j) {
            self.fit.jacobian_ad(self.p.as_slice(), &mut j);
        }
        Some(DMatrix::from_column_slice(m, n, j.as_slice()))
    }
}

fn lre(b: &[f64], cert: &[f64]) -> f64 {
    b.iter()
        .zip(cert)
        .map(|(&v, &c)| {
            if !v.is_finite() {
                0.0
            } else if v == c {
                11.0
            } else {
                (-((v - c).abs() / c.abs()).log10()).clamp(0.0, 11.0)
            }
        })
        .fold(11.0, f64::min)
}

/// Median wall time of `f` over at least 5 runs and about 0.1 s.
fn median_time(mut f: impl FnMut()) -> f64 {
    let mut times = Vec::new();
    let t_all = Instant::now();
    while times.len() < 5 || (times.len() < 400 && t_all.elapsed().as_secs_f64() < 0.1) {
        let t = Instant::now();
        f();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let k = v.len();
    if k % 2 == 1 {
        v[k / 2]
    } else {
        0.5 * (v[k / 2 - 1] + v[k / 2])
    }
}

fn geomean(v: &[f64]) -> f64 {
    (v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: lm_vs_minpack <folder of NIST StRD nonlinear .dat files> [--jacobian fd] [--markdown]");
        std::process::exit(2);
    };
    let fd = args.iter().any(|a| a == "fd");
    let markdown = args.iter().any(|a| a == "--markdown");
    let jac = JacobianSettings {
        source: if fd {
            GradientSource::FiniteDifference
        } else {
            GradientSource::Analytic
        },
        ..Default::default()
    };
    // GRADLAB_LM='{"restarts": 0}' overrides settings (JSON of LmSettings), for experiments.
    let settings: LmSettings = match std::env::var("GRADLAB_LM") {
        Ok(json) => serde_json::from_str(&json).expect("GRADLAB_LM is JSON of LmSettings"),
        Err(_) => LmSettings::default(),
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dat"))
        .collect();
    files.sort();
    let (mut nfev_g, mut nfev_m, mut t_ratio, mut f_ratio) = (vec![], vec![], vec![], vec![]);
    let (mut ok_g, mut ok_m, mut total) = (0, 0, 0);
    if markdown {
        println!("| problem | start | gradlab nfev | MINPACK nfev | gradlab µs | MINPACK µs | time ratio | gradlab LRE | MINPACK LRE |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    }
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable file");
        let Ok(d) = nist::parse(&text) else { continue };
        let Ok(fit) = d.curve_fit() else { continue };
        for start in [1u8, 2] {
            let p0 = d.start(start).expect("starts 1 and 2");
            let ours = levenberg_marquardt(&fit, &jac, p0, &settings).expect("solves");
            let t_ours = median_time(|| {
                std::hint::black_box(levenberg_marquardt(&fit, &jac, p0, &settings).ok());
            });
            let theirs = || {
                LevenbergMarquardt::new().minimize(Minpack {
                    fit: &fit,
                    p: DVector::from_column_slice(p0),
                })
            };
            let (solved, report) = theirs();
            let t_theirs = median_time(|| {
                std::hint::black_box(theirs());
            });
            let l_g = lre(&ours.params, &d.certified);
            let l_m = lre(solved.p.as_slice(), &d.certified);
            total += 1;
            ok_g += usize::from(l_g >= 6.0);
            ok_m += usize::from(l_m >= 6.0);
            nfev_g.push(ours.nfev() as f64);
            nfev_m.push(report.number_of_evaluations as f64);
            t_ratio.push(t_ours / t_theirs);
            f_ratio.push(ours.nfev() as f64 / report.number_of_evaluations.max(1) as f64);
            if markdown {
                println!(
                    "| {} | {start} | {} | {} | {:.0} | {:.0} | {:.2} | {:.1} | {:.1} |",
                    d.name,
                    ours.nfev(),
                    report.number_of_evaluations,
                    t_ours * 1e6,
                    t_theirs * 1e6,
                    t_ours / t_theirs,
                    l_g,
                    l_m
                );
            } else {
                println!(
                    "{:<10} {start}  nfev {:>5} vs {:>5}  time {:>8.1} vs {:>8.1} µs ({:.2}×)  LRE {:>4.1} vs {:>4.1}  {:?}",
                    d.name,
                    ours.nfev(),
                    report.number_of_evaluations,
                    t_ours * 1e6,
                    t_theirs * 1e6,
                    t_ours / t_theirs,
                    l_g,
                    l_m,
                    ours.stop()
                );
            }
        }
    }
    // The Moré–Garbow–Hillstrom least-squares problems (written once, generically: LM gets the
    // dual-number Jacobian, MINPACK the same one). Reported: nfev, ½‖r‖² at the end, distance to
    // the known minimizer.
    if !fd {
        println!();
        let (mut mg, mut mm, mut mt) = (vec![], vec![], vec![]);
        let ad = JacobianSettings {
            source: GradientSource::Automatic,
            ..Default::default()
        };
        for (kind, n) in [
            (MghKind::ExtendedRosenbrock, 2),
            (MghKind::ExtendedRosenbrock, 10),
            (MghKind::PowellSingular, 4),
            (MghKind::Wood, 4),
            (MghKind::BrownBadlyScaled, 2),
            (MghKind::HelicalValley, 3),
            (MghKind::Trigonometric, 10),
        ] {
            let problem = Ad(MghProblem::new(kind, n).expect("valid size"));
            let x0 = problem.0.start();
            let ours = levenberg_marquardt(&problem, &ad, &x0, &settings).expect("solves");
            let t_ours = median_time(|| {
                std::hint::black_box(levenberg_marquardt(&problem, &ad, &x0, &settings).ok());
            });
            let theirs = || {
                LevenbergMarquardt::new().minimize(Minpack {
                    fit: &problem,
                    p: DVector::from_column_slice(&x0),
                })
            };
            let (solved, report) = theirs();
            let t_theirs = median_time(|| {
                std::hint::black_box(theirs());
            });
            let dist = |x: &[f64]| match problem.0.minimizer() {
                Some(xs) => x
                    .iter()
                    .zip(&xs)
                    .map(|(a, b)| ((a - b) / b.abs().max(1.0)).abs())
                    .fold(0.0, f64::max),
                None => f64::NAN,
            };
            mg.push(ours.nfev() as f64);
            mm.push(report.number_of_evaluations as f64);
            mt.push(t_ours / t_theirs);
            let line = format!(
                "MGH {kind:?} n={n}: nfev {} vs {}, time {:.1} vs {:.1} µs ({:.2}×), ½‖r‖² {:.2e} vs {:.2e}, rel. distance to x* {:.1e} vs {:.1e}",
                ours.nfev(),
                report.number_of_evaluations,
                t_ours * 1e6,
                t_theirs * 1e6,
                t_ours / t_theirs,
                0.5 * ours.ssr,
                report.objective_function,
                dist(&ours.params),
                dist(solved.p.as_slice()),
            );
            if markdown {
                println!(
                    "| {kind:?} | {n} | {} | {} | {:.1} | {:.1} | {:.2} | {:.1e} | {:.1e} |",
                    ours.nfev(),
                    report.number_of_evaluations,
                    t_ours * 1e6,
                    t_theirs * 1e6,
                    t_ours / t_theirs,
                    0.5 * ours.ssr,
                    report.objective_function
                );
            } else {
                println!("{line}");
            }
        }
        println!(
            "MGH: median nfev gradlab {} vs MINPACK {}; geometric mean time ratio {:.2}",
            median(&mut mg),
            median(&mut mm),
            geomean(&mt)
        );
    }
    println!();
    println!(
        "{total} problem-starts ({}): median nfev gradlab {} vs MINPACK {}; geometric mean ratios gradlab/MINPACK: time {:.2}, nfev {:.2}; LRE ≥ 6: gradlab {ok_g}/{total}, MINPACK {ok_m}/{total}",
        if fd { "gradlab with finite differences" } else { "analytic Jacobians" },
        median(&mut nfev_g),
        median(&mut nfev_m),
        geomean(&t_ratio),
        geomean(&f_ratio),
    );
}
