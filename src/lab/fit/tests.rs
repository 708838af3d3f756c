use super::*;
use crate::diff::GradientSource;
use crate::problem::least_squares::ModelId;
use crate::problem::regression::csv::CsvOptions;
use crate::solver::least_squares::{GaussNewtonSettings, LmSettings};
use crate::trace::StopReason;

#[test]
fn large_data_sets_get_a_coarser_landscape_within_the_budget() {
    assert_eq!(landscape_resolution(40), 90);
    assert_eq!(landscape_resolution(3000), 90);
    for n in [10_000usize, 50_000, 100_000] {
        let r = landscape_resolution(n);
        assert!((24..90).contains(&r), "{n}: {r}");
        assert!(
            (r * r * n) as f64 <= LANDSCAPE_BUDGET || r == 24,
            "{n}: {r}"
        );
    }
    assert_eq!(landscape_resolution(100_000), 24);
}

#[test]
fn default_experiment_recovers_the_generating_parameters() {
    let r = run(&FitExperiment::default()).unwrap();
    assert_eq!(r.runs.len(), 2);
    let lm = &r.runs[0];
    assert!(lm.run.stop().is_converged(), "{:?}", lm.run.stop());
    // Truth (3, 1, 0.7) within 4 standard errors (noise σ = 0.05).
    for ((p, t), se) in lm
        .run
        .params
        .iter()
        .zip(ModelId::Gaussian.true_params())
        .zip(&lm.statistics.std_errors)
    {
        assert!((p - t).abs() < 4.0 * se, "{p} vs {t} ± {se}");
    }
    assert!(lm.statistics.r_squared.unwrap() > 0.99);
    // Residual SD estimates the noise σ = 0.05.
    assert!((lm.statistics.residual_sd - 0.05).abs() < 0.02);
}

#[test]
fn every_builtin_model_fits_its_generated_data_from_its_default_start() {
    for id in ModelId::ALL {
        let cfg = FitExperiment {
            model: FitModel::Builtin { id },
            data: FitData::Generated {
                n: 60,
                noise: 0.0,
                seed: 3,
                x_range: None,
                params: None,
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        let lm = &r.runs[0].run;
        // Noise-free data: the truth is the exact minimizer (SSR = 0).
        for (p, t) in lm.params.iter().zip(id.true_params()) {
            assert!(
                (p - t).abs() < 1e-6 * (1.0 + t.abs()),
                "{id:?}: {:?}",
                lm.params
            );
        }
    }
}

#[test]
fn config_round_trips_and_is_deterministic() {
    let cfg = FitExperiment::default();
    let json = serde_json::to_string(&cfg).unwrap();
    let back: FitExperiment = serde_json::from_str(&json).unwrap();
    assert_eq!(cfg, back);
    let parsed: FitExperiment = serde_json::from_str(
        r#"{"model":{"kind":"builtin","id":"michaelis_menten"},
            "data":{"kind":"points","x":[0.1,0.5,1,2,4],"y":[0.33,1.0,1.33,1.6,1.78]},
            "solvers":[{"method":"levenberg_marquardt","ftol":1e-12},{"method":"gauss_newton"}],
            "jacobian":{"source":"finite_difference"}}"#,
    )
    .unwrap();
    let a = run(&parsed).unwrap();
    let b = run(&parsed).unwrap();
    // Debug strings compare NaN extras (ρ of the start record) as equal.
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

#[test]
fn bad_configs_give_messages() {
    let mut cfg = FitExperiment {
        data: FitData::Points {
            x: vec![1.0, 2.0],
            y: vec![1.0, 2.0],
        },
        ..Default::default()
    };
    assert!(run(&cfg).unwrap_err().contains("2 points for 3 parameters"));
    cfg.data = FitData::Points {
        x: vec![1.0, 2.0, 3.0, 4.0],
        y: vec![1.0, f64::NAN, 2.0, 1.0],
    };
    assert!(run(&cfg).unwrap_err().contains("non-finite y"));
    cfg.model = FitModel::Nist {
        name: "Misra1a".into(),
    };
    cfg.data = FitData::Nist;
    assert!(run(&cfg).unwrap_err().contains("not supplied"));
    cfg.model = FitModel::Nist {
        name: "Nope".into(),
    };
    assert!(run(&cfg).unwrap_err().contains("unknown NIST problem"));
    let cfg = FitExperiment {
        start: FitStart::Values { values: vec![1.0] },
        ..Default::default()
    };
    assert!(run(&cfg).unwrap_err().contains("3 parameters"));
    let cfg = FitExperiment {
        solvers: vec![],
        ..Default::default()
    };
    assert!(run(&cfg).is_err());
}

#[test]
fn zero_jacobian_at_start_is_a_named_stop() {
    // Gaussian with amplitude 0 and a huge width offset: ∂f/∂μ = ∂f/∂σ = 0 (a = 0) and
    // ∂f/∂a = exp(−(x−μ)²/(2σ²)) underflows to 0 for μ = 1e3, σ = 1: J = 0 exactly.
    let cfg = FitExperiment {
        start: FitStart::Values {
            values: vec![0.0, 1e3, 1.0],
        },
        ..Default::default()
    };
    let r = run(&cfg).unwrap();
    for fr in &r.runs {
        assert_eq!(fr.run.stop(), &StopReason::ZeroJacobian);
        assert_eq!(fr.run.trace.iterations(), 0);
    }
}

#[test]
fn overflow_at_start_is_a_clear_error() {
    // exp(−k·x) with k = −1000 at x = 5 overflows: r = ∞.
    let cfg = FitExperiment {
        model: FitModel::Builtin {
            id: ModelId::ExponentialDecay,
        },
        start: FitStart::Values {
            values: vec![1.0, -1000.0, 0.0],
        },
        ..Default::default()
    };
    let e = run(&cfg).unwrap_err();
    assert!(e.contains("not finite at the start"), "{e}");
}

#[cfg(test)]
mod page_tests {
    use super::*;

    fn form() -> FitForm {
        FitForm::from_experiment(&FitExperiment::default(), None)
    }

    #[test]
    fn formula_model_fits_like_the_builtin_one() {
        // The formula is the built-in exponential decay a·exp(−k·x) + c written out: on the same
        // generated data from the same start both must reach the same minimizer.
        let data = FitData::Generated {
            n: 30,
            noise: 0.05,
            seed: 4,
            x_range: Some([0.0, 5.0]),
            params: Some(vec![5.0, 0.8, 1.0]),
        };
        let start = FitStart::Values {
            values: vec![3.0, 0.3, 0.0],
        };
        let builtin = run(&FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::ExponentialDecay,
            },
            data: data.clone(),
            start: start.clone(),
            ..Default::default()
        })
        .unwrap();
        let formula = run(&FitExperiment {
            model: FitModel::Formula {
                text: "y = a*exp(-k*x) + c".into(),
            },
            data,
            start,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(formula.param_names, ["a", "k", "c"]);
        assert_eq!(builtin.data, formula.data, "same generator recipe");
        for (b, f) in builtin.runs.iter().zip(&formula.runs) {
            assert!(f.run.stop().is_converged(), "{:?}", f.run.stop());
            for (pb, pf) in b.run.params.iter().zip(&f.run.params) {
                assert!((pb - pf).abs() < 1e-8 * (1.0 + pb.abs()), "{pb} vs {pf}");
            }
        }
        // Truth (5, 0.8, 1) within 4 standard errors.
        let lm = &formula.runs[0];
        for ((p, t), se) in lm
            .run
            .params
            .iter()
            .zip([5.0, 0.8, 1.0])
            .zip(&lm.statistics.std_errors)
        {
            assert!((p - t).abs() < 4.0 * se, "{p} vs {t} ± {se}");
        }
    }

    #[test]
    fn power_law_formula_fits_data_that_start_at_x_zero() {
        // The page suggests a*x^b; its generated data start at x = 0, where the exact derivative
        // ∂(a·x^b)/∂b = a·x^b·ln x is 0 (not 0·(−∞) = NaN).
        let cfg = FitExperiment {
            model: FitModel::Formula {
                text: "a*x^b".into(),
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        assert_eq!(r.data.x[0], 0.0);
        let lm = &r.runs[0];
        assert!(lm.run.stop().is_converged(), "{:?}", lm.run.stop());
        for (p, se) in lm.run.params.iter().zip(&lm.statistics.std_errors) {
            assert!((p - 1.0).abs() < 4.0 * se, "{p} ± {se}");
        }
    }

    #[test]
    fn a_non_finite_jacobian_names_the_data_point_and_what_to_do() {
        // ∂√(a·x)/∂a = x/(2√(a·x)) is 0/0 at x = 0.
        let mut cfg = FitExperiment {
            model: FitModel::Formula {
                text: "sqrt(a*x) + b".into(),
            },
            ..Default::default()
        };
        let e = run(&cfg).unwrap_err();
        assert!(e.contains("not finite at the start point"), "{e}");
        assert!(e.contains("data point 1 (x = 0)"), "{e}");
        assert!(e.contains("finite-difference Jacobian"), "{e}");
        // The suggestion works: finite differences of √(a·0) are 0.
        cfg.jacobian.source = GradientSource::FiniteDifference;
        assert!(run(&cfg).is_ok());
    }

    #[test]
    fn formula_errors_point_at_the_column_of_the_typed_text() {
        // "y = a*exp(-b*x) +" : the missing operand is one past the end, column 18.
        let e = parse_formula("y = a*exp(-b*x) +").unwrap_err();
        assert_eq!(e.column, 18, "{e}");
        let e2 = parse_formula("a*exp(-b*x) +").unwrap_err();
        assert_eq!(e2.column, 14, "{e2}");
        assert_eq!(
            parse_formula("  y=a*x^b").unwrap().param_names(),
            ["a", "b"]
        );
        let mut f = form();
        f.model = "formula".into();
        f.formula = "a*exp(-b*x".into();
        let errs = f.apply().unwrap_err();
        assert_eq!(errs[0].field, "formula");
        assert!(errs[0].message.contains("column"), "{}", errs[0].message);
    }

    #[test]
    fn form_round_trips_and_reports_each_bad_field() {
        let f = form();
        assert_eq!(f.apply().unwrap(), FitExperiment::default());
        let mut bad = f.clone();
        bad.n = "0".into();
        bad.noise = "-1".into();
        bad.solvers[0].params.insert("ftol".into(), "abc".into());
        let errs = bad.apply().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"n"), "{fields:?}");
        assert!(fields.contains(&"noise"), "{fields:?}");
        assert!(fields.contains(&"levenberg_marquardt.ftol"), "{fields:?}");
        let mut frozen = f.clone();
        frozen.frozen_jacobian = true;
        let e = frozen.apply().unwrap();
        assert!(e.solvers.iter().all(|s| match s {
            FitSolver::LevenbergMarquardt(s) => s.frozen_jacobian,
            FitSolver::GaussNewton(s) => s.frozen_jacobian,
        }));
        let mut none = f;
        none.solvers.clear();
        assert_eq!(none.apply().unwrap_err()[0].field, "solvers");
    }

    #[test]
    fn csv_data_are_read_and_bad_csv_is_named() {
        let d = parse_xy_csv("x,y\n0,1\n1,3\n2,5\n", &CsvOptions::default()).unwrap();
        assert_eq!(
            (d.x.clone(), d.y.clone()),
            (vec![0.0, 1.0, 2.0], vec![1.0, 3.0, 5.0])
        );
        assert!(parse_xy_csv("0,1,2\n1,2,3\n", &CsvOptions::default())
            .unwrap_err()
            .contains("two columns"));
        let e = parse_xy_csv("x,y\n0,1\n1,NaN\n", &CsvOptions::default()).unwrap_err();
        assert!(
            e.to_lowercase().contains("finite") || e.contains("NaN"),
            "{e}"
        );
        // Fewer points than parameters: named by the fit.
        let mut f = form();
        f.data = "csv".into();
        f.csv = "1,2\n2,3\n".into();
        let exp = f.apply().unwrap();
        assert!(run(&exp).unwrap_err().contains("2 points for 3 parameters"));
    }

    #[test]
    fn csv_with_semicolons_and_decimal_commas_reads_with_the_decimal_control() {
        let mut f = form();
        f.data = "csv".into();
        f.csv = "x;y\n0,5;1,2\n1,5;2,0\n2,5;2,4\n".into();
        // Decimal point (the default): the message names the control that exists on the page.
        let errs = f.apply().unwrap_err();
        assert_eq!(errs[0].field, "csv");
        assert!(
            errs[0].message.contains("choose decimal: comma"),
            "{}",
            errs[0].message
        );
        f.csv_decimal = "comma".into();
        match f.apply().unwrap().data {
            FitData::Points { x, y } => {
                assert_eq!(x, [0.5, 1.5, 2.5]);
                assert_eq!(y, [1.2, 2.0, 2.4]);
            }
            d => panic!("{d:?}"),
        }
        // An explicit delimiter is used as chosen.
        f.csv = "x\ty\n0,5\t1\n1,5\t2\n".into();
        f.csv_delimiter = "tab".into();
        assert!(matches!(f.apply().unwrap().data, FitData::Points { .. }));
        f.csv_delimiter = "pipe".into();
        assert_eq!(f.apply().unwrap_err()[0].field, "csv_delimiter");
        // Points round-trip through the form as CSV text.
        let x = vec![0.5, 1.0];
        assert_eq!(points_csv(&x, &[2.0, 3.25]), "x,y\n0.5,2\n1,3.25\n");
    }

    #[test]
    fn an_empty_x_end_is_the_models_default_for_that_end() {
        let mut f = form(); // the Gaussian, default x range [-3, 5]
        assert_eq!(ModelId::Gaussian.default_x_range(), [-3.0, 5.0]);
        f.x_min = "0.1".into();
        let range = |f: &FitForm| match f.apply().unwrap().data {
            FitData::Generated { x_range, .. } => x_range,
            d => panic!("{d:?}"),
        };
        assert_eq!(range(&f), Some([0.1, 5.0]));
        f.x_min = String::new();
        f.x_max = "2".into();
        assert_eq!(range(&f), Some([-3.0, 2.0]));
        f.x_max = "-4".into();
        let e = f.apply().unwrap_err();
        assert_eq!(e[0].field, "x_max");
        assert!(e[0].message.contains("auto: -3"), "{}", e[0].message);
        f.x_max = String::new();
        f.x_min = "7".into();
        let e = f.apply().unwrap_err();
        assert_eq!(e[0].field, "x_min");
        // A formula's default range is [0, 5].
        f.model = "formula".into();
        f.formula = "a*x^b".into();
        f.true_params = vec![];
        f.x_min = "1".into();
        assert_eq!(range(&f), Some([1.0, 5.0]));
    }

    #[test]
    fn a_bare_y_in_a_formula_gets_a_note() {
        let n = formula_notes("a*x + y");
        assert_eq!(n.len(), 1);
        assert!(n[0].contains("y here is a parameter"), "{n:?}");
        // The y of a leading "y =" is not the model's y.
        assert!(formula_notes("y = a*x + b").is_empty());
        assert!(formula_notes("a*x + y0").is_empty());
    }

    #[test]
    fn a_bare_e_in_a_formula_gets_a_note() {
        let n = formula_notes("y = a*exp(-b*x) + c + e*x");
        assert_eq!(n.len(), 1);
        assert!(n[0].contains("Euler's number"), "{n:?}");
        assert!(formula_notes("a*exp(-b*x) + c").is_empty());
        assert!(formula_notes("a*np.e^(-b*x)").is_empty());
        // And e is indeed not a parameter.
        assert_eq!(
            parse_formula("a*exp(-b*x)+c+e*x").unwrap().param_names(),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn untrustworthy_standard_errors_get_notes() {
        // Converged and identifiable: no note.
        let r = run(&FitExperiment::default()).unwrap();
        assert!(run_notes(&r.runs[0], &r.param_names).is_empty());
        // Out of evaluations: the errors describe the last point only.
        let cfg = FitExperiment {
            solvers: vec![FitSolver::LevenbergMarquardt(LmSettings {
                max_evaluations: 3,
                ..Default::default()
            })],
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        assert!(!r.runs[0].run.stop().is_converged());
        let n = run_notes(&r.runs[0], &r.param_names);
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(n[0].contains("did not converge"), "{n:?}");
        assert!(n[0].contains("last point only"), "{n:?}");
        // a·x + b·x: only a + b is identifiable, J has rank 1, the errors are ∞.
        let cfg = FitExperiment {
            model: FitModel::Formula {
                text: "a*x + b*x".into(),
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        let lm = &r.runs[0];
        assert_eq!(lm.statistics.rank, 1);
        assert!(lm.statistics.std_errors.iter().all(|e| e.is_infinite()));
        let n = run_notes(lm, &r.param_names);
        let t = n.join("\n");
        assert!(t.contains("± ∞ for a, b"), "{t}");
        assert!(t.contains("not identifiable"), "{t}");
        assert!(t.contains("rank-deficient (rank 1 of 2)"), "{t}");
    }

    #[test]
    fn a_form_edit_keeps_a_second_run_of_the_same_method() {
        let lm = LmSettings::default();
        let frozen = LmSettings {
            frozen_jacobian: true,
            max_evaluations: 400,
            ..LmSettings::default()
        };
        let edited = LmSettings {
            max_evaluations: 999,
            ..LmSettings::default()
        };
        let base = [
            FitSolver::LevenbergMarquardt(lm.clone()),
            FitSolver::LevenbergMarquardt(frozen.clone()),
        ];
        let merged = merge_solvers(&base, vec![FitSolver::LevenbergMarquardt(edited.clone())]);
        assert_eq!(
            merged,
            vec![
                FitSolver::LevenbergMarquardt(edited),
                FitSolver::LevenbergMarquardt(frozen)
            ]
        );
        let gn = FitSolver::GaussNewton(GaussNewtonSettings::default());
        assert_eq!(merge_solvers(&base, vec![gn.clone()]), vec![gn]);
    }

    #[test]
    fn trace_csv_columns_never_clash_with_parameter_names() {
        // Exponential decay has a parameter called k.
        let r = run(&FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::ExponentialDecay,
            },
            ..Default::default()
        })
        .unwrap();
        let csv = trace_csv(&r);
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let mut unique = header.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), header.len(), "{header:?}");
        assert!(header.contains(&"p:k"), "{header:?}");
    }

    #[test]
    fn trace_csv_has_one_row_per_record() {
        let r = run(&FitExperiment::default()).unwrap();
        let csv = trace_csv(&r);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "solver,record,p:a,p:μ,p:σ,ssr,grad_norm,lambda,step,accepted"
        );
        let rows: usize = r.runs.iter().map(|f| f.run.trace.iterates.len()).sum();
        assert_eq!(lines.clone().count(), rows);
        // First LM row: the start, SSR = 2·f₀, λ recorded; GN rows have no λ.
        let first: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(first[0], "Levenberg–Marquardt");
        assert_eq!(first[2].parse::<f64>().unwrap(), 1.0);
        let f0 = r.runs[0].run.trace.iterates[0].f;
        assert_eq!(first[5].parse::<f64>().unwrap(), 2.0 * f0);
        assert!(!first[7].is_empty());
        let gn = csv.lines().find(|l| l.starts_with("Gauss")).unwrap();
        assert_eq!(gn.split(',').nth(7), Some(""));
    }

    #[test]
    fn landscape_samples_the_ssr_of_two_parameter_fits() {
        let cfg = FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::MichaelisMenten,
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        let view = landscape_view(&r).unwrap();
        let p = &r.runs[0].run.params;
        assert!(view.x_min < p[0] && p[0] < view.x_max && view.y_min < p[1] && p[1] < view.y_max);
        let g = landscape_grid(&r, &cfg.model, view, 21, 21).unwrap();
        // Corner value = SSR computed directly from the residuals there.
        let (a, k) = (view.x_min, view.y_min);
        let ssr: f64 = r
            .data
            .x
            .iter()
            .zip(&r.data.y)
            .map(|(x, y)| (a * x / (k + x) - y).powi(2))
            .sum();
        assert!((g.at(0, 0) - ssr).abs() <= 1e-12 * ssr);
        // The minimum SSR on the grid is not below the solution's.
        assert!(g.lo >= r.runs[0].run.ssr * (1.0 - 1e-12));
        assert!(landscape_view(&run(&FitExperiment::default()).unwrap()).is_none());
    }
}
