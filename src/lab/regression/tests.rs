use super::*;
use crate::problem::regression::csv::CsvOptions;

#[test]
fn the_formula_shown_follows_intercept_and_standardization() {
    let mut cfg = RegressionExperiment::default();
    cfg.intercept = false;
    cfg.standardize = false;
    let f = run(&cfg).unwrap().formula;
    assert!(
        f.contains("L(w) =") && !f.contains("∂b") && !f.contains("standardized"),
        "{f}"
    );
    cfg.intercept = true;
    cfg.standardize = true;
    let f = run(&cfg).unwrap().formula;
    assert!(
        f.contains("L(w,b) =") && f.contains("∂b") && f.contains("standardized"),
        "{f}"
    );
    // The update names the parameters w and b, not θ.
    assert!(
        f.contains("update per batch: (w, b) ← (w, b) − α·g, g = the batch's (grad_w, grad_b)")
            && !f.contains('θ'),
        "{f}"
    );
}

#[test]
fn default_runs_deterministically_and_gd_reaches_qr() {
    let cfg = RegressionExperiment::default();
    let a = run(&cfg).unwrap();
    assert_eq!(a, run(&cfg).unwrap());
    let fit = a.exact.as_ref().unwrap();
    // Generated with slope 2, intercept 1, σ = 1, n = 100: the estimate is within a few SDs.
    assert!((fit.w[0] - 2.0).abs() < 4.0 * fit.sd[1]);
    let gd = a.traces[0].epochs.last().unwrap();
    assert!(gd.extra("distance_to_exact").unwrap() < 1e-6);
}

#[test]
fn config_round_trips_and_reads_csv_and_nist() {
    let cfg = RegressionExperiment {
        data: DataSource::Csv {
            text: "a;b;y\n1;2;3\n2;1;4\n3;5;8\n4;3;7\n".into(),
            options: CsvOptions::default(),
        },
        ..Default::default()
    };
    let json = serde_json::to_string(&cfg).unwrap();
    assert!(json.contains("\"source\":\"csv\""), "{json}");
    let back: RegressionExperiment = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cfg);
    let r = run(&cfg).unwrap();
    assert_eq!(r.features, vec!["a", "b"]);
    let bad = RegressionExperiment {
        data: DataSource::Csv {
            text: "a,y\n1,2\n".into(),
            options: CsvOptions::default(),
        },
        ..Default::default()
    };
    assert!(run(&bad).unwrap_err().contains("only one data row"));
    let from_json: RegressionExperiment =
        serde_json::from_str(r#"{"data":{"source":"generated","n":50,"noise":0.5}}"#).unwrap();
    assert!(run(&from_json).is_ok());
    // A NIST file sets its own model: Pontius is quadratic with an intercept; certified
    // B2 = −0.316081871345029E-14 (Pontius.dat).
    let dir = std::env::var("NIST_STRD_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/nist-strd").into());
    let text = std::fs::read_to_string(format!("{dir}/linear/Pontius.dat")).unwrap();
    let cfg = RegressionExperiment {
        data: DataSource::Nist { text },
        polynomial_degree: 1,
        solvers: vec![],
        ..Default::default()
    };
    let r = run(&cfg).unwrap();
    assert_eq!(r.nist_name.as_deref(), Some("Pontius"));
    assert_eq!(r.features, vec!["x", "x^2"]);
    let b2 = r.exact.unwrap().params[2];
    assert!((b2 / -0.316081871345029E-14 - 1.0).abs() < 1e-7);
}

mod lesson {
    use super::*;
    use crate::problem::regression::generate::LinearSpec;
    use crate::problem::regression::LinearRegression;
    use crate::solver::minibatch::{MiniBatchConfig, Optimizer, Shuffle, UpdateRules};

    /// The page's default: 100 generated rows, SGD (M = 10) and batch GD, α = 0.1, 30 epochs.
    fn page_like(solver: MiniBatchConfig, standardize: bool) -> RegressionExperiment {
        RegressionExperiment {
            standardize,
            solvers: vec![
                solver.clone(),
                MiniBatchConfig {
                    batch_size: 0,
                    ..solver
                },
            ],
            ..Default::default()
        }
    }

    fn sgd(m: usize) -> MiniBatchConfig {
        MiniBatchConfig {
            learning_rate: 0.1,
            batch_size: m,
            epochs: 30,
            seed: 1,
            ..Default::default()
        }
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn the_fan_averages_to_the_full_gradient_which_is_the_closed_form() {
        // M = 32 on 100 rows: batches of 32, 32, 32 and 4 — a partition with unequal sizes.
        for (shuffle, standardize) in [
            (Shuffle::Samples, true),
            (Shuffle::Batches, false),
            (Shuffle::None, true),
        ] {
            let exp = page_like(
                MiniBatchConfig {
                    shuffle,
                    learning_rate: if standardize { 0.1 } else { 0.005 },
                    ..sgd(32)
                },
                standardize,
            );
            let r = run(&exp).unwrap();
            let mut rp = Replay::new(&exp, &r, 0).unwrap();
            for e in [1, 4, 30] {
                let l = rp.worked(e).unwrap();
                let mut sizes = l.batch_sizes.clone();
                sizes.sort();
                assert_eq!(sizes, vec![4, 32, 32, 32], "{shuffle:?}");
                assert_eq!(l.batch_size, 32);
                assert_eq!(l.batch_grads.len(), 4);
                let n = 100.0;
                let mut mean = [0.0; 2];
                for (g, &s) in l.batch_grads.iter().zip(&l.batch_sizes) {
                    mean[0] += s as f64 / n * g[0];
                    mean[1] += s as f64 / n * g[1];
                }
                // Closed form: ∇L = (2/m)·[Σ rᵢzᵢ, Σ rᵢ] at the epoch's start, in the solver's
                // coordinates (standardized data when standardizing).
                let st = r.standardizer.clone();
                let data = st.as_ref().map_or(r.data.clone(), |s| s.transform(&r.data));
                let mut theta = l.start.clone();
                if let Some(s) = &st {
                    s.to_standardized(&mut theta, true);
                }
                let mut g = [0.0; 2];
                LinearRegression {
                    data: &data,
                    intercept: true,
                }
                .value_and_gradient(&theta, &mut g);
                for i in 0..2 {
                    let tol = 1e-9 * g[i].abs().max(1e-3);
                    assert!(
                        (mean[i] - g[i]).abs() < tol,
                        "{shuffle:?} e {e}: {mean:?} vs {g:?}"
                    );
                    assert!(
                        (l.full_grad[i] - g[i]).abs() < tol,
                        "{:?} vs {g:?}",
                        l.full_grad
                    );
                }
                // The batches scatter around it (a noisy linear model: they are not all equal).
                assert!(l.spread.rms_relative > 0.0 && l.spread.max_angle_deg > 0.0);
                // The rays are −α·g mapped to (w, b): their weighted mean is the full ray.
                let mut ray = [0.0; 2];
                for (v, &s) in l.rays.iter().zip(&l.batch_sizes) {
                    ray[0] += s as f64 / n * v[0];
                    ray[1] += s as f64 / n * v[1];
                }
                for i in 0..2 {
                    assert!((ray[i] - l.full_ray[i]).abs() < 1e-9 * l.full_ray[i].abs().max(1e-6));
                }
            }
        }
    }

    #[test]
    fn the_written_update_is_the_runs_next_iterate() {
        let adam = Optimizer::Adam {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        };
        for (opt, rules, shuffle) in [
            (Optimizer::Plain, UpdateRules::SolverCore, Shuffle::Samples),
            (
                Optimizer::Momentum { beta: 0.9 },
                UpdateRules::SolverCore,
                Shuffle::Batches,
            ),
            (
                Optimizer::Momentum { beta: 0.9 },
                UpdateRules::V1,
                Shuffle::Samples,
            ),
            (adam, UpdateRules::SolverCore, Shuffle::None),
        ] {
            for standardize in [true, false] {
                let exp = page_like(
                    MiniBatchConfig {
                        optimizer: opt,
                        update_rules: rules,
                        shuffle,
                        learning_rate: if standardize { 0.1 } else { 0.002 },
                        ..sgd(10)
                    },
                    standardize,
                );
                let r = run(&exp).unwrap();
                for run_no in [0, 1] {
                    let trace = &r.traces[run_no];
                    let mut rp = Replay::new(&exp, &r, run_no).unwrap();
                    // Forward, then back (the replay restarts), then forward again.
                    for e in [1, 2, 7, 3, 30, 29] {
                        let l = rp.worked(e).unwrap();
                        assert_eq!(l.epoch, e);
                        assert_eq!(
                            bits(&l.start),
                            bits(&trace.epochs[e - 1].x),
                            "start of epoch {e}"
                        );
                        let next = if run_no == 1 {
                            assert_eq!(l.batches, 1);
                            &trace.epochs[e].x
                        } else {
                            assert_eq!(l.update, (e - 1) * 10 + 1);
                            &trace
                                .steps
                                .iterates
                                .iter()
                                .find(|s| s.k == l.update)
                                .unwrap()
                                .x
                        };
                        assert_eq!(
                            bits(&l.next),
                            bits(next),
                            "{opt:?} {standardize} run {run_no} e {e}"
                        );
                        let text = l.lines.join("\n");
                        // The written numbers are the run's: the new w and b, the gradient, α.
                        for v in l.next.iter().chain(&l.grad) {
                            assert!(
                                text.contains(&crate::lab::explain::num(*v)),
                                "{v} in\n{text}"
                            );
                        }
                        if run_no == 0 {
                            assert!(text.contains("M = batch size (here M = 10); m = number of rows (here m = 100)"), "{text}");
                            assert!(
                                text.contains("grad_w") && text.contains("(2/M)·Σ_B"),
                                "{text}"
                            );
                        } else {
                            assert!(
                                text.contains("(here M = 100)")
                                    && text.contains("(2/m)·Xᵀ(Xw + b − y)"),
                                "{text}"
                            );
                        }
                        if opt == Optimizer::Plain {
                            let p = if standardize { "′" } else { "" };
                            assert!(
                                text.contains(&format!("w{p} ← w{p} − α·grad_w{p} = ")),
                                "{text}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_tables_at_epoch_k_are_the_trace_at_epoch_k() {
        let exp = page_like(sgd(10), true);
        let r = run(&exp).unwrap();
        for (t, cfg) in r.traces.iter().zip(&exp.solvers) {
            for k in [0, 1, 12, 30] {
                let s = shown_run(t, cfg.batch_size, 100, Some(k));
                assert_eq!(s.epoch, k);
                assert_eq!(s.theta, t.epochs[k].x);
                assert_eq!(s.loss, t.epochs[k].f);
                assert_eq!(s.distance_to_exact, t.epochs[k].extra("distance_to_exact"));
                let per = if cfg.batch_size == 10 { 10 } else { 1 };
                assert_eq!(s.updates, k * per);
            }
            let end = shown_run(t, cfg.batch_size, 100, None);
            assert_eq!(end, shown_run(t, cfg.batch_size, 100, Some(999)));
            assert_eq!(end.theta, t.epochs.last().unwrap().x);
            assert_eq!(end.updates, t.steps.last().k);
        }
        // A generated set of another size: epoch 1 of M = 32 on 200 rows made 7 updates.
        let exp = RegressionExperiment {
            data: DataSource::Generated(LinearSpec {
                n: 200,
                ..Default::default()
            }),
            solvers: vec![sgd(32)],
            ..Default::default()
        };
        let r = run(&exp).unwrap();
        assert_eq!(shown_run(&r.traces[0], 32, 200, Some(1)).updates, 7);
    }
}

#[test]
fn a_replay_too_large_for_the_page_thread_is_refused_with_a_reason() {
    use crate::lab::regression::{run, RegressionExperiment, Replay, REPLAY_BUDGET};
    let e: RegressionExperiment = serde_json::from_value(serde_json::json!({
        "data": {"source": "generated", "n": 200000, "slope": 2.0, "intercept": -1.0, "noise": 1.0, "seed": 7},
        "solvers": [{"learning_rate": 0.05, "batch_size": 0, "epochs": 20, "seed": 1}]
    }))
    .unwrap();
    let r = run(&e).unwrap();
    let mut rp = Replay::new(&e, &r, 0).unwrap();
    let last_ok = REPLAY_BUDGET / 200000;
    assert!(rp.worked(last_ok).is_some());
    let note = rp
        .refused(20)
        .expect("epoch 20 of 200 000 rows is too much to replay at once");
    assert!(
        note.contains("200000 rows") && note.contains("Epochs up to 5"),
        "{note}"
    );
    assert!(rp.worked(20).is_none());
    // Stepping forward from the cached epoch stays within the budget.
    assert!(rp.worked(last_ok + 1).is_some());
}

#[test]
fn sample_visits_read_as_the_limit_does() {
    use super::visits_text;
    assert_eq!(visits_text(60_000_000.0), "6e7");
    assert_eq!(visits_text(65_432_100.0), "6.54e7");
    assert_eq!(visits_text(2e7), "2e7");
    assert_eq!(visits_text(99_960_000.0), "1e8");
    assert_eq!(visits_text(12_345.0), "12345");
}
