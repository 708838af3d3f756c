//! Simplified Chinese is complete: every sentence Rust writes for the page — the update rules
//! under the map, the least-squares steps, the regression's worked update, the plots'
//! descriptions, form, formula, CSV and link errors — reads in Chinese through [`say`]. Each test
//! runs the texts for real (every solver, every plot, a sample of every kind of error) and fails
//! on any sentence that keeps English prose (a word of 3 or more letters that is not a name or a
//! symbol) after translation.

use super::{say, Lang};
use crate::lab::explain;
use crate::lab::surfaces::{solver_catalog, Experiment, SolverConfig, SurfaceId};

/// Words a Chinese sentence may keep: names of methods, people, surfaces, data sets and
/// functions, abbreviations and symbols written with letters.
const KEEP: &[&str] = &[
    // methods and people
    "Adam",
    "AdaGrad",
    "RMSProp",
    "Nesterov",
    "BFGS",
    "Armijo",
    "Wolfe",
    "Fletcher",
    "Reeves",
    "Polak",
    "Ribi",
    "Ribière",
    "Nelder",
    "Mead",
    "Newton",
    "Gauss",
    "Levenberg",
    "Marquardt",
    "Nielsen",
    "SGD",
    "GD",
    "LM",
    "GN",
    "QR",
    "CG",
    // surfaces and models
    "peaks",
    "Rosenbrock",
    "Himmelblau",
    "Beale",
    "Booth",
    "Matyas",
    "Goldstein",
    "Price",
    "Rastrigin",
    "Ackley",
    "Styblinski",
    "Tang",
    "Michaelis",
    "Menten",
    "Misra1a",
    "NIST",
    // abbreviations, units and symbols
    "SSR",
    "RMS",
    "MSE",
    "LRE",
    "CSV",
    "NaN",
    "grad",
    "ftol",
    "xtol",
    "gtol",
    // functions of the formula language and of the maths
    "exp",
    "log",
    "sin",
    "cos",
    "tan",
    "sqrt",
    "abs",
    "min",
    "max",
    "pow",
    "atan",
    "atan2",
    "tanh",
    "sinh",
    "cosh",
    "asin",
    "acos",
    "sign",
    "square",
    "np",
    "numpy",
    "math",
    "ln",
    "log10",
    "lambda",
    "def",
    "return",
    // keys on the keyboard
    "Shift",
    "Enter",
    "Escape",
    // gradlab and the link format
    "gradlab",
    "base",
    "url",
    // what the tests type: unknown names, misspellings, column names
    "nope",
    "abc",
    "foo",
    "sni",
    "scipy",
    "price",
    "data",
    "csv",
];

/// The English words `text` keeps after translation into Chinese (none = translated).
fn english_left(text: &str) -> Vec<String> {
    let zh = say(Lang::Zh, text);
    zh.split(|c: char| !c.is_ascii_alphabetic() && c != '_')
        .filter(|w| w.len() >= 3 && !KEEP.contains(w) && !w.contains('_'))
        .map(str::to_string)
        .collect()
}

/// Collects the sentences that keep English, with their translation, to fail once with all.
#[derive(Default)]
struct Missing(Vec<String>);

impl Missing {
    fn check(&mut self, text: &str) {
        if !english_left(text).is_empty() {
            let line = format!("{text}\n   → {}", say(Lang::Zh, text));
            if !self.0.contains(&line) {
                self.0.push(line);
            }
        }
    }
    fn assert_none(self, what: &str) {
        assert!(
            self.0.is_empty(),
            "{} {what} without a Chinese template:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// Every solver of the surfaces lab on surfaces that make them take every branch (Newton's
/// shifted Hessian on the saddle and on peaks, CG restarts, Nelder–Mead's five moves), every
/// step written out, with the page's first and last lines.
#[test]
fn every_update_rule_of_every_solver_reads_in_chinese() {
    let mut missing = Missing::default();
    let mut lines_seen = 0usize;
    for surface in [
        SurfaceId::Peaks,
        SurfaceId::Rosenbrock,
        SurfaceId::Saddle,
        SurfaceId::Himmelblau,
    ] {
        let mut e = Experiment::default();
        e.surface = surface;
        e.view.view_box = surface.view();
        e.start = surface.start();
        e.solvers = solver_catalog()
            .iter()
            .map(|i| SolverConfig::default_for(&i.method).unwrap())
            .collect();
        let traces = e.run().unwrap();
        let verdicts = crate::lab::teach::coach::surfaces(&e, &traces);
        for (i, (c, t)) in e.solvers.iter().zip(&traces).enumerate() {
            missing.check(&t.solver);
            missing.check(&explain::start_line(&t.iterates[0]));
            for k in 0..t.iterations().min(60) {
                for l in explain::update_rule(c, t, k).unwrap() {
                    lines_seen += 1;
                    missing.check(&l);
                }
            }
            let headline = verdicts.get(i).map(|v| v.headline.as_str());
            missing.check(&explain::ending_line(t, headline));
            missing.check(&explain::ending_line(t, None));
        }
    }
    assert!(lines_seen > 1000, "{lines_seen} lines");
    missing.assert_none("update-rule lines");
}

/// The curvature lens at points that give a bowl, a saddle, a cap and a shifted Newton step, with
/// a fixed step above, below and far below the stable limit.
#[test]
fn the_curvature_lens_reads_in_chinese() {
    use crate::lab::teach::lens::Lens;
    let mut missing = Missing::default();
    let mut kinds = std::collections::BTreeSet::new();
    for surface in [
        SurfaceId::Peaks,
        SurfaceId::Saddle,
        SurfaceId::Rosenbrock,
        SurfaceId::Quadratic,
    ] {
        let mut e = Experiment::default();
        e.surface = surface;
        let obj = e.surface.objective();
        for x in [
            [-0.2, -0.6],
            [0.2, -1.6],
            [0.0, 1.6],
            [1.0, 1.0],
            [-1.0, 0.5],
            [0.5, 0.0],
        ] {
            let Some(lens) = Lens::at(obj.as_ref(), e.gradient, x) else {
                continue;
            };
            for alpha in [None, Some(1e-4), Some(0.08), Some(10.0)] {
                for l in lens.lines(alpha) {
                    kinds.insert(l.split(':').next().unwrap_or("").to_string());
                    missing.check(&l);
                }
            }
        }
    }
    assert!(
        kinds.contains("a bowl") && kinds.contains("a saddle"),
        "{kinds:?}"
    );
    missing.assert_none("lens lines");
}

/// Levenberg–Marquardt (trust region, Nielsen damping with geodesic acceleration and its
/// rejected trials) and Gauss–Newton's line-search steps.
#[test]
fn every_least_squares_step_reads_in_chinese() {
    use crate::lab::fit::FitSolver;
    let mut missing = Missing::default();
    let experiments = fit_experiments();
    let (mut rejected, mut accelerated) = (0, 0);
    for e in &experiments {
        let r = crate::lab::fit::run(e).unwrap();
        for (run, solver) in r.runs.iter().zip(&e.solvers) {
            let limit = match solver {
                FitSolver::LevenbergMarquardt(s) => Some(s.acceleration_ratio),
                FitSolver::GaussNewton(_) => None,
            };
            let t = &run.run.trace;
            missing.check(&t.solver);
            for k in 0..t.iterates.len() {
                let it = &t.iterates[k];
                rejected += usize::from(it.extra("accepted") == Some(0.0));
                accelerated += usize::from(it.extra("accel_ratio").is_some_and(|a| a != 0.0));
                for l in explain::least_squares_step(t, k, limit) {
                    missing.check(&l);
                }
            }
        }
    }
    assert!(
        rejected > 0 && accelerated > 0,
        "{rejected} rejected, {accelerated} accelerated"
    );
    missing.assert_none("least-squares lines");
}

/// The regression lab's worked update (batch GD, mini-batches with a short last block, every
/// sample order, standardized or not, momentum and Adam) and its caption.
#[test]
fn every_worked_regression_update_reads_in_chinese() {
    use crate::lab::regression::RegressionExperiment;
    let mut missing = Missing::default();
    let base = RegressionExperiment::default();
    let mut seen = 0usize;
    for variant in regression_variants(&base) {
        let r = crate::lab::regression::run(&variant).unwrap();
        for t in &r.traces {
            missing.check(&t.steps.solver);
        }
        for run in 0..r.traces.len() {
            let Some(mut replay) = crate::lab::regression::Replay::new(&variant, &r, run) else {
                continue;
            };
            for epoch in [1, 2] {
                if let Some(w) = replay.worked(epoch) {
                    for l in w.lines.iter().chain([&w.caption, &w.spread_text]) {
                        seen += 1;
                        missing.check(l);
                    }
                }
            }
        }
    }
    // An epoch too costly to replay on the page says why it is not written.
    let big: RegressionExperiment = serde_json::from_value(serde_json::json!({
        "data": {"source": "generated", "n": 100000},
        "solvers": [{"learning_rate": 0.1, "epochs": 20}]
    }))
    .unwrap();
    let r = crate::lab::regression::run(&big).unwrap();
    let replay = crate::lab::regression::Replay::new(&big, &r, 0).unwrap();
    let note = replay
        .refused(20)
        .expect("2·10⁶ row updates is over the budget");
    missing.check(&note);
    assert!(seen > 50, "{seen} lines");
    missing.assert_none("worked-update lines");
}

/// Every plot's description in every lab (and the run announcements, the keyboard cursor's
/// texts), sentence by sentence as the page shows them.
#[test]
fn every_plot_description_reads_in_chinese() {
    use crate::lab::describe;
    let mut missing = Missing::default();
    let mut sentences = 0usize;
    let mut check_all = |missing: &mut Missing, list: Vec<String>| {
        assert!(!list.is_empty());
        for s in list {
            sentences += 1;
            missing.check(&s);
        }
    };
    for surface in SurfaceId::ALL {
        let mut e = Experiment::default();
        e.surface = surface;
        e.view.view_box = surface.view();
        e.start = surface.start();
        e.solvers = solver_catalog()
            .iter()
            .map(|i| SolverConfig::default_for(&i.method).unwrap())
            .collect();
        let traces = e.run().unwrap();
        for plot in ["contour", "surface3d", "convergence"] {
            check_all(
                &mut missing,
                describe::surfaces_sentences(plot, &e, &traces, Some(3)),
            );
        }
        missing.check(&describe::announce(&traces));
    }
    // A diverging run, a typed formula and an empty run.
    let mut e = Experiment::default();
    e.solvers = vec![SolverConfig::GradientDescent { learning_rate: 5.0 }];
    e.surface = SurfaceId::Quadratic;
    let traces = e.run().unwrap();
    check_all(
        &mut missing,
        describe::surfaces_sentences("contour", &e, &traces, None),
    );
    missing.check(&describe::announce(&traces));
    missing.check(&describe::announce(&[]));
    let f: Experiment = serde_json::from_value(serde_json::json!({
        "surface": "formula", "formula": "x^2 + 3*y^2 - x*y"
    }))
    .unwrap();
    let traces = f.run().unwrap();
    check_all(
        &mut missing,
        describe::surfaces_sentences("contour", &f, &traces, None),
    );
    check_all(
        &mut missing,
        describe::surfaces_sentences("convergence", &f, &traces, None),
    );
    for variant in regression_variants(&Default::default()) {
        let r = crate::lab::regression::run(&variant).unwrap();
        for plot in [
            "rg-data",
            "rg-contour",
            "rg-surface",
            "rg-predicted",
            "rg-residuals",
            "rg-loss",
        ] {
            check_all(&mut missing, describe::regression_sentences(plot, &r));
        }
        missing.check(&describe::announce_regression(&r));
    }
    for e in fit_experiments() {
        let r = crate::lab::fit::run(&e).unwrap();
        for plot in [
            "fit-curve-canvas",
            "fit-residuals",
            "fit-convergence",
            "fit-landscape",
        ] {
            check_all(&mut missing, describe::fit_sentences(plot, &r));
        }
        missing.check(&describe::announce_fit(&r));
    }
    missing.check("cursor at (0.20, −0.60), f = 1.47");
    missing.check("Choose a start point: cursor at (0.20, −0.60), f = 1.47.");
    missing.check("Arrow keys move it, Shift moves further, Enter starts there, Escape cancels.");
    assert!(sentences > 200, "{sentences} sentences");
    missing.assert_none("description sentences");
}

/// Regression setups that take every branch of the texts: standardized or not, with and
/// without an intercept, one feature or a polynomial, batch GD and mini-batches in every sample
/// order, plain, momentum and Adam.
fn regression_variants(
    base: &crate::lab::regression::RegressionExperiment,
) -> Vec<crate::lab::regression::RegressionExperiment> {
    let solvers = serde_json::json!([
        {"learning_rate": 0.1, "epochs": 5},
        {"learning_rate": 0.01, "batch_size": 30, "epochs": 5, "shuffle": "batches",
         "optimizer": {"kind": "momentum", "beta": 0.9}},
        {"learning_rate": 0.01, "batch_size": 7, "epochs": 5, "shuffle": "none",
         "optimizer": {"kind": "adam", "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}},
        {"learning_rate": 0.01, "batch_size": 10, "epochs": 5, "shuffle": "samples"}
    ]);
    let mut out = vec![base.clone()];
    for (degree, intercept, standardize) in [
        (1, true, true),
        (1, false, true),
        (1, true, false),
        (1, false, false),
        (2, true, true),
        (2, false, true),
        (2, true, false),
    ] {
        out.push(
            serde_json::from_value(serde_json::json!({
                "polynomial_degree": degree,
                "intercept": intercept,
                "standardize": standardize,
                "solvers": solvers,
            }))
            .unwrap(),
        );
    }
    out
}

/// Curve fits: the default, the presets of the fitting lab, Levenberg–Marquardt with Nielsen
/// damping and geodesic acceleration.
fn fit_experiments() -> Vec<crate::lab::fit::FitExperiment> {
    use crate::lab::fit::{FitExperiment, FitModel, FitSolver};
    use crate::problem::least_squares::ModelId;
    use crate::solver::least_squares::lm::{Damping, LmSettings};
    let mut out: Vec<FitExperiment> = vec![FitExperiment::default()];
    for id in ["gn-vs-lm-bad-start", "wrong-jacobian"] {
        let p = crate::lab::presets::presets()
            .into_iter()
            .find(|p| p.id == id)
            .unwrap();
        out.push(serde_json::from_value(p.config).unwrap());
    }
    let mut nielsen = FitExperiment {
        model: FitModel::Builtin {
            id: ModelId::MichaelisMenten,
        },
        ..Default::default()
    };
    nielsen.solvers[0] = FitSolver::LevenbergMarquardt(LmSettings {
        damping: Damping::Nielsen,
        ..Default::default()
    });
    out.push(nielsen);
    out
}

/// A sample of every kind of error the page shows: typed numbers and ranges, each lab's form,
/// configs as links and postMessage deliver them, formulas (parse errors with their column,
/// did-you-mean), CSV rows and columns, NIST files and links.
#[test]
fn form_formula_csv_and_link_errors_read_in_chinese() {
    use crate::lab::form::{number, Range};
    let mut missing = Missing::default();
    let mut n = 0usize;
    let mut check = |missing: &mut Missing, m: &str| {
        n += 1;
        missing.check(m);
    };
    for t in ["", "abc", "1e999"] {
        check(&mut missing, &number(t).unwrap_err());
    }
    for label in [
        "start x",
        "start y",
        "x min",
        "x max",
        "y min",
        "y max",
        "learning rate",
        "batch size",
        "decay period",
        "decay rate",
        "intercept",
        "noise",
        "quadratic condition number",
        "schedule period",
        "slope",
    ] {
        check(
            &mut missing,
            &Range::new(label, -1e6, 1e6).validate(1e300).unwrap_err(),
        );
        check(
            &mut missing,
            &Range::positive(label, 10.0).validate(0.0).unwrap_err(),
        );
        check(
            &mut missing,
            &Range::whole(label, 1.0, 1e4).validate(2.5).unwrap_err(),
        );
    }
    // The surfaces form: every field wrong at once.
    let e = Experiment::default();
    let mut f = crate::lab::surfaces::SurfaceForm::from_experiment(&e);
    f.start_x = "abc".into();
    f.start_y = "1e999".into();
    f.x_max = "-5".into();
    f.y_max = "-5".into();
    f.max_iterations = "0".into();
    f.tolerance = "-1".into();
    f.quadratic_condition = "0".into();
    f.schedule = "nope".into();
    for s in &mut f.solvers {
        for v in s.params.values_mut() {
            *v = "1e9".into();
        }
    }
    for err in f.apply(&e).unwrap_err() {
        check(&mut missing, &err.message);
    }
    f.solvers.clear();
    f.surface = "nope".into();
    f.gradient = "nope".into();
    for err in f.apply(&e).unwrap_err() {
        check(&mut missing, &err.message);
    }
    // The regression form.
    let re = crate::lab::regression::RegressionExperiment::default();
    let mut rf = crate::lab::regression::RegressionForm::from_experiment(&re);
    rf.slope = "x".into();
    rf.noise = "-1".into();
    rf.x_max = "-100".into();
    rf.degree = "0".into();
    rf.learning_rate = "0".into();
    rf.batch_size = "0.5".into();
    rf.epochs = "1e9".into();
    rf.beta = "2".into();
    rf.optimizer = "nope".into();
    rf.decay = "nope".into();
    rf.shuffle = "nope".into();
    if let Err(errs) = rf.apply(&re) {
        for err in errs {
            check(&mut missing, &err.message);
        }
    }
    // The curve-fitting form.
    let fe = crate::lab::fit::FitExperiment::default();
    let mut ff = crate::lab::fit::FitForm::from_experiment(&fe, None);
    ff.n = "abc".into();
    ff.noise = "-1".into();
    ff.x_min = "5".into();
    ff.x_max = "1".into();
    ff.seed = "-3".into();
    ff.true_params = vec!["1".into()];
    ff.start = "nope".into();
    ff.jacobian = "nope".into();
    if let Err(errs) = ff.apply() {
        for err in errs {
            check(&mut missing, &err.message);
        }
    }
    ff = crate::lab::fit::FitForm::from_experiment(&fe, None);
    ff.solvers.clear();
    ff.builtin = "nope".into();
    ff.data = "nope".into();
    if let Err(errs) = ff.apply() {
        for err in errs {
            check(&mut missing, &err.message);
        }
    }
    // Configs as links and postMessage deliver them.
    for bad in [
        serde_json::json!({"lab": "surfaces", "config": {"start": [1e300, 0]}}),
        serde_json::json!({"lab": "surfaces", "config": {"solvers": []}}),
        serde_json::json!({"lab": "surfaces", "config": {"solvers": [{"method": "gradient_descent", "learning_rate": -1}]}}),
        serde_json::json!({"lab": "surfaces", "config": {"solvers": [{"method": "bfgs", "c1": 0.9, "c2": 0.1}]}}),
        serde_json::json!({"lab": "regression", "config": {"polynomial_degree": 0}}),
        serde_json::json!({"lab": "regression", "config": {"start": [1, 2, 3]}}),
        serde_json::json!({"lab": "regression", "config": {"data": {"source": "generated", "noise": -1}}}),
        serde_json::json!({"lab": "fit", "config": {"solvers": []}}),
    ] {
        let cfg = crate::lab::link::LabConfig::from_lab(
            bad["lab"].as_str().unwrap(),
            bad["config"].clone(),
        );
        let msg = match cfg {
            Err(m) => m,
            Ok(c) => match c.validate() {
                Err(m) => m,
                Ok(()) => continue,
            },
        };
        check(&mut missing, &msg);
    }
    // Formulas: each class of parse error with its column, as the page shows it.
    for (text, mode) in [
        ("", crate::problem::formula::Mode::Surface),
        ("x $ y", crate::problem::formula::Mode::Surface),
        ("x +", crate::problem::formula::Mode::Surface),
        ("x * )", crate::problem::formula::Mode::Surface),
        ("2x", crate::problem::formula::Mode::Surface),
        ("x (y)", crate::problem::formula::Mode::Surface),
        ("z + x", crate::problem::formula::Mode::Surface),
        ("xx + y", crate::problem::formula::Mode::Surface),
        ("x + foo(y)", crate::problem::formula::Mode::Surface),
        ("scipy.exp(x)", crate::problem::formula::Mode::Surface),
        ("x + sni(y)", crate::problem::formula::Mode::Surface),
        ("log2(x)", crate::problem::formula::Mode::Surface),
        ("np.z", crate::problem::formula::Mode::Surface),
        ("np.pj + x", crate::problem::formula::Mode::Surface),
        ("sin + 1", crate::problem::formula::Mode::Surface),
        ("pi(2)", crate::problem::formula::Mode::Surface),
        ("sin(x, y)", crate::problem::formula::Mode::Surface),
        ("pow(x, y, 2)", crate::problem::formula::Mode::Surface),
        ("min(x)", crate::problem::formula::Mode::Surface),
        ("log(x, y, 2)", crate::problem::formula::Mode::Surface),
        ("sin(x + y * 2", crate::problem::formula::Mode::Surface),
        ("x + y)", crate::problem::formula::Mode::Surface),
        ("x, y", crate::problem::formula::Mode::Surface),
        ("x = y", crate::problem::formula::Mode::Surface),
        ("x : y", crate::problem::formula::Mode::Surface),
        ("x; y", crate::problem::formula::Mode::Surface),
        ("1.2.3 + x", crate::problem::formula::Mode::Surface),
        ("exp(-x) + 1", crate::problem::formula::Mode::Curve),
        ("a*k(x)", crate::problem::formula::Mode::Curve),
        ("lambda x, a, a: a*x", crate::problem::formula::Mode::Curve),
        ("lambda a, x: a*x", crate::problem::formula::Mode::Curve),
    ] {
        match crate::problem::formula::check(text, mode) {
            Err(e) => check(&mut missing, &e.to_string()),
            Ok(i) => panic!("{text:?} parsed: {}", i.read_as),
        }
    }
    let long = "x + ".repeat(2000) + "y";
    check(
        &mut missing,
        &crate::problem::formula::check(&long, crate::problem::formula::Mode::Surface)
            .unwrap_err()
            .to_string(),
    );
    let deep = "(".repeat(300) + "x" + &")".repeat(300);
    check(
        &mut missing,
        &crate::problem::formula::check(&deep, crate::problem::formula::Mode::Surface)
            .unwrap_err()
            .to_string(),
    );
    for ok in ["def f(x, y): return square(x) + y; # a note", "z = x^2 + y"] {
        let i = crate::problem::formula::check(ok, crate::problem::formula::Mode::Surface).unwrap();
        check(&mut missing, &i.read_as);
    }
    // CSV: rows and columns named.
    use crate::problem::regression::csv::{parse, CsvOptions};
    for text in [
        "",
        "x,y\n",
        "x,y\n1,2\n",
        "x\n1\n2\n",
        "x,y\n1,2\n3\n",
        "x,y\n1,2\n3,4,5\n",
        "x,y\n1,2\n,4\n",
        "x,y\n1,2\nabc,4\n",
        "x;y\n1;2\n3,5;4\n",
        "x,y\n1,2\nNaN,4\n",
        "x,y\n1,2\n1,4\n",
        "x,y\n1,2\n1e300,4\n",
    ] {
        if let Err(m) = parse(text, &CsvOptions::default()) {
            check(&mut missing, &m);
        }
    }
    let named = CsvOptions {
        target: Some("price".into()),
        ..Default::default()
    };
    check(&mut missing, &parse("x,y\n1,2\n2,3\n", &named).unwrap_err());
    let numbered = CsvOptions {
        target: Some("7".into()),
        ..Default::default()
    };
    check(
        &mut missing,
        &parse("x,y\n1,2\n2,3\n", &numbered).unwrap_err(),
    );
    // A power of x that overflows.
    let big = parse("x,y\n1,2\n1e90,3\n", &CsvOptions::default()).unwrap();
    check(&mut missing, &big.polynomial(4).unwrap_err());
    // Links.
    for text in [
        "",
        "hello",
        "v9.abc",
        "v3.a$b",
        "v3.abcde",
        "v3.AAAA",
        &"v3.".repeat(40_000),
    ] {
        if let Err(e) = crate::lab::link::decode(text) {
            check(&mut missing, &e.to_string());
        }
    }
    // Texts the page's JS wraps around Rust's (translated in the DOM by say_text).
    for m in [
        "unknown function 'foo'; allowed functions: exp, log at column 5 (column 5)",
        "parameters: a, b",
        "could not read data.csv",
        "basin map: choose at least one solver",
        "running failed: the experiment is too large for a link",
        "the iteration now shown (12)",
    ] {
        check(&mut missing, m);
    }
    assert!(n > 80, "{n} messages");
    missing.assert_none("error messages");
}
