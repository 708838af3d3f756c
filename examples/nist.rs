//! Runs Levenberg–Marquardt with its DEFAULT settings on every NIST StRD nonlinear problem from
//! both starts and prints one JSON line per problem-start:
//! `{"solver": "gradlab-lm", "problem": "Misra1a", "start": 1, "params": [...], "ssr": ..., "time_s": ..., "nfev": ...}`
//! with `time_s` the median wall time of repeated solves.
//!
//! Usage: `cargo run --release --example nist -- <folder of .dat files> [--jacobian fd]`

use gradlab::diff::GradientSource;
use gradlab::problem::nist;
use gradlab::solver::least_squares::{levenberg_marquardt, JacobianSettings, LmSettings};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: nist <folder of NIST StRD nonlinear .dat files> [--jacobian fd]");
        std::process::exit(2);
    };
    let fd = args.iter().any(|a| a == "fd");
    let jac = JacobianSettings {
        source: if fd {
            GradientSource::FiniteDifference
        } else {
            GradientSource::Analytic
        },
        ..Default::default()
    };
    let settings = LmSettings::default();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dat"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable file");
        let d = match nist::parse(&text) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        let fit = match d.curve_fit() {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        for start in [1u8, 2] {
            let p0 = d.start(start).expect("starts 1 and 2");
            let first = levenberg_marquardt(&fit, &jac, p0, &settings);
            let run = match first {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{} start {start}: {e}", d.name);
                    continue;
                }
            };
            // Repeat for at least ~0.2 s (min 5, max 200 solves) and take the median.
            let mut times = Vec::new();
            let t_all = Instant::now();
            while times.len() < 5 || (times.len() < 200 && t_all.elapsed().as_secs_f64() < 0.2) {
                let t = Instant::now();
                let r = levenberg_marquardt(&fit, &jac, p0, &settings).expect("solved once");
                times.push(t.elapsed().as_secs_f64());
                std::hint::black_box(r);
            }
            times.sort_by(f64::total_cmp);
            let median = times[times.len() / 2];
            let line = serde_json::json!({
                "solver": if fd { "gradlab-lm-fd" } else { "gradlab-lm" },
                "problem": d.name,
                "start": start,
                "params": run.params,
                "ssr": run.ssr,
                "time_s": median,
                "nfev": run.nfev(),
                "njev": run.njev(),
                "stop": run.stop(),
            });
            println!("{line}");
        }
    }
}
