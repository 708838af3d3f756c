//! wasm tests, run in headless Chromium by `cargo xtask test`
//! (`cargo test --target wasm32-unknown-unknown --test wasm`).
#![cfg(target_arch = "wasm32")]

use gradlab::lab::surfaces::Experiment;
use gradlab::problem::surfaces::Peaks;
use gradlab::web::SurfaceLab as App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Same constant as tests/fingerprint.rs (native): the two builds must agree bit for bit.
const DEFAULT_FINGERPRINT: u64 = 0xebf5_f1b9_b608_51c3;

#[wasm_bindgen_test]
fn peaks_values_match_the_reference() {
    // peaks(1, 1) = 2.4337896... (MATLAB/NumPy reference value).
    assert!((Peaks::eval(1.0, 1.0) - 2.433_789_6).abs() < 1e-6);
}

#[wasm_bindgen_test]
fn wasm_run_is_bit_identical_to_native() {
    let traces = Experiment::default().run().unwrap();
    assert_eq!(traces[0].fingerprint(), DEFAULT_FINGERPRINT);
    // And it reached the global minimum (−6.551133 at (0.228279, −1.625535)).
    let last = traces[0].last();
    assert!((last.x[0] - 0.228_279).abs() < 1e-5 && (last.x[1] + 1.625_535).abs() < 1e-5);
}

/// Same constants as tests/fingerprint.rs: the default fit's trust-region LM with the
/// hand-written and with the automatic (dual-number) Jacobian.
const FIT_LM_FINGERPRINTS: [u64; 2] = [0x6480_3450_40e7_a03d, 0x8604_72df_cc5f_f5f0];

#[wasm_bindgen_test]
fn wasm_fits_are_bit_identical_to_native() {
    use gradlab::diff::GradientSource;
    use gradlab::lab::fit::{run, FitExperiment};
    for (i, source) in [GradientSource::Analytic, GradientSource::Automatic]
        .into_iter()
        .enumerate()
    {
        let mut e = FitExperiment::default();
        e.jacobian.source = source;
        let r = run(&e).unwrap();
        // Levenberg–Marquardt: the same bits as natively. (Gauss–Newton's run, whose step comes
        // from nalgebra's SVD, is NOT bit-identical: 0x0b98_4b07_6220_81b6 natively,
        // 0x72e9_e319_ce5e_3b7f here — found by this test, left open in issue 17.)
        assert_eq!(
            r.runs[0].run.trace.fingerprint(),
            FIT_LM_FINGERPRINTS[i],
            "{source:?}"
        );
    }
}

fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_attribute("style", &format!("width:{w}px;height:{h}px;display:block"))
        .unwrap();
    doc.body().unwrap().append_child(&c).unwrap();
    c
}

fn pixels(c: &HtmlCanvasElement) -> Vec<u8> {
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data()
        .0
}

#[wasm_bindgen_test]
fn every_plot_draws_on_a_real_canvas() {
    let mut app = App::new();
    let (map, surf, conv) = (canvas(500, 440), canvas(400, 300), canvas(400, 260));
    app.draw_contour(&map).unwrap();
    app.draw_surface(&surf).unwrap();
    app.draw_convergence(&conv).unwrap();
    for c in [&map, &surf, &conv] {
        let px = pixels(c);
        let non_white = px
            .chunks(4)
            .filter(|p| p[3] > 0 && (p[0] < 250 || p[1] < 250 || p[2] < 250))
            .count();
        assert!(
            non_white > px.len() / 4 / 20,
            "canvas has drawing: {non_white}"
        );
    }
    // The heat map raster contains viridis' top (yellow, the peak) and bottom (purple, the pit).
    let px = pixels(&map);
    assert!(px.chunks(4).any(|p| p[0] > 240 && p[1] > 220 && p[2] < 60));
    assert!(px.chunks(4).any(|p| p[0] < 75 && p[1] < 15 && p[2] > 75));
    // The trajectory colour (255, 64, 64) is on the map.
    assert!(
        px.chunks(4)
            .filter(|p| p[0] == 255 && p[1] == 64 && p[2] == 64)
            .count()
            > 20
    );
}

#[wasm_bindgen_test]
fn a_click_on_the_map_restarts_there() {
    let mut app = App::new();
    let map = canvas(500, 440);
    app.draw_contour(&map).unwrap();
    // Outside the plot area (top-left corner, in the margin): nothing happens.
    assert!(!app.click_contour(&map, 1.0, 1.0));
    // The centre of the canvas is inside the plot.
    assert!(app.click_contour(&map, 200.0, 220.0));
    let p = app.contour_point(&map, 200.0, 220.0).unwrap();
    assert!(p[0].abs() < 3.0 && p[1].abs() < 3.0);
    assert!((p[2] - Peaks::eval(p[0], p[1])).abs() < 1e-12);
}

#[wasm_bindgen_test]
fn every_solver_runs_in_wasm() {
    use gradlab::lab::surfaces::{solver_catalog, SolverConfig, SurfaceId};
    // Rosenbrock from (−1.2, 1): minimum 0 at (1, 1) (Rosenbrock 1960).
    let mut e = Experiment::default();
    e.surface = SurfaceId::Rosenbrock;
    e.view.view_box = SurfaceId::Rosenbrock.view();
    e.start = [-1.2, 1.0];
    e.stop.max_iterations = 5000;
    e.stop.grad_tol = 1e-8;
    e.solvers = solver_catalog()
        .iter()
        .map(|i| SolverConfig::default_for(&i.method).unwrap())
        .collect();
    let traces = e.run().unwrap();
    for t in &traces {
        assert!(t.iterates.iter().all(|r| r.f.is_finite()), "{}", t.solver);
        if ["Newton", "BFGS", "L-BFGS", "Nelder–Mead"]
            .iter()
            .any(|n| t.solver.starts_with(n))
        {
            let x = &t.last().x;
            assert!(
                (x[0] - 1.0).abs() < 1e-5 && (x[1] - 1.0).abs() < 1e-5,
                "{}: {x:?}",
                t.solver
            );
        }
    }
}

fn get(v: &wasm_bindgen::JsValue, k: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(v, &k.into()).unwrap()
}

fn num(v: &wasm_bindgen::JsValue, k: &str) -> f64 {
    get(v, k)
        .as_f64()
        .unwrap_or_else(|| panic!("{k} is a number"))
}

/// `layout(id)` reports what the map drew: boxes at least as wide as the browser's own text
/// metrics, none overlapping, fonts ≥ 11 px, equal x and y scales on a tall canvas, and the
/// numbers convert a CSS point to the data point a click there picks.
#[wasm_bindgen_test]
fn layout_reports_the_drawn_text_and_a_click_lands_where_it_says() {
    let mut app = App::new();
    let map = canvas(300, 520);
    map.set_id("layout-map");
    app.draw_contour(&map).unwrap();
    assert!(app.layout("no-such-canvas").is_null());
    let l = app.layout("layout-map");
    let (ux, uy) = (num(&l, "x_units_per_px"), num(&l, "y_units_per_px"));
    assert!((ux - uy).abs() <= 1e-9 * ux, "{ux} vs {uy}");
    assert!(num(&l, "min_font_px") >= 11.0);
    let doc = web_sys::window().unwrap().document().unwrap();
    let probe: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    let ctx: CanvasRenderingContext2d = probe
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let measure: js_sys::Function = get(&ctx, "measureText").dyn_into().unwrap();
    let labels: js_sys::Array = get(&l, "labels").dyn_into().unwrap();
    let boxes: Vec<[f64; 4]> = labels
        .iter()
        .map(|b| {
            let text = get(&b, "text").as_string().unwrap();
            let role = get(&b, "role").as_string().unwrap();
            ctx.set_font(&format!("{}px sans-serif", num(&b, "font_px")));
            let m = measure.call1(&ctx, &text.clone().into()).unwrap();
            let real = num(&m, "width");
            // Vertical titles stand up: their length is the box height.
            let along = if role == "y_title" || role == "y2_title" {
                num(&b, "h")
            } else {
                num(&b, "w")
            };
            assert!(
                real <= along + 0.5,
                "{text}: drawn {real} px, reported {along}"
            );
            [num(&b, "x"), num(&b, "y"), num(&b, "w"), num(&b, "h")]
        })
        .collect();
    assert!(boxes.len() >= 8, "{} labels", boxes.len());
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart = a[0] + a[2] <= b[0]
                || b[0] + b[2] <= a[0]
                || a[1] + a[3] <= b[1]
                || b[1] + b[3] <= a[1];
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
    // A click at the CSS point of data (1, −2) picks (1, −2).
    let (plot, view) = (get(&l, "plot"), get(&l, "view"));
    let cx = num(&plot, "x") + (1.0 - num(&view, "x_min")) / ux;
    let cy = num(&plot, "y") + (num(&view, "y_max") + 2.0) / uy;
    let p = app.contour_point(&map, cx, cy).unwrap();
    assert!(
        (p[0] - 1.0).abs() < 1e-9 && (p[1] + 2.0).abs() < 1e-9,
        "{p:?}"
    );
    // The tall canvas shows more y, and the stored view box (the link) is unchanged.
    assert!(num(&view, "y_max") - num(&view, "y_min") > 6.5);
    let stored = get(&get(&app.get_state(), "view"), "view_box");
    assert_eq!([num(&stored, "x_min"), num(&stored, "y_max")], [-3.0, 3.0]);
    // A drag of 40 CSS px moves the view by 40 px at the drawn scale.
    assert!(app.pan(&map, 40.0, 0.0));
    let moved = get(&get(&app.get_state(), "view"), "view_box");
    let shift = -3.0 - num(&moved, "x_min");
    assert!((shift - 40.0 * ux).abs() < 1e-3, "{shift} vs {}", 40.0 * ux);
}
