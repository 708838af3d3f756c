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
