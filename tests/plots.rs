//! Renders every plot natively into a pixel buffer and checks what is drawn.
//! (Text is not rasterized natively — plotters is built without a font engine — so these tests
//! check shapes and colours; the browser tests check the canvas with text. Where a test needs the
//! text, [`Texts`] records each string with its box, and the box is painted solid in the text's
//! colour, so "the label is drawn there" is ink in a region of the bitmap.)

use gradlab::lab::surfaces::Experiment;
use gradlab::plot::convergence::Reference;
use gradlab::plot::surface::Camera;
use gradlab::plot::{
    contour::color_bar_ticks, contour::MapOverlay, draw_contour_map, draw_convergence,
    draw_surface, fmt_tick, Grid, PlotStyle,
};
use gradlab::problem::surfaces::{Peaks, ViewBox};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use std::cell::RefCell;
use std::rc::Rc;

/// Strings drawn, each with its box `(left, top, right, bottom)` in backend pixels.
type Texts = Rc<RefCell<Vec<(String, [i32; 4])>>>;

/// A bitmap backend that forwards every shape to plotters' BitMapBackend and skips text
/// (plotters natively has no font engine in this build) — or, with `texts`, records each string
/// and paints its estimated box solid.
struct Textless<'a>(BitMapBackend<'a>, Option<Texts>);

type R<'a> = Result<(), DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>>;

impl<'a> DrawingBackend for Textless<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> R<'a> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> R<'a> {
        self.0.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> R<'a> {
        self.0.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> R<'a> {
        self.0.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> R<'a> {
        self.0.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        p: I,
        s: &S,
    ) -> R<'a> {
        self.0.draw_path(p, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> R<'a> {
        self.0.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        p: I,
        s: &S,
    ) -> R<'a> {
        self.0.fill_polygon(p, s)
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, at: BackendCoord) -> R<'a> {
        let Some(texts) = &self.1 else {
            return Ok(());
        };
        let (w, h) = self.estimate_text_size(text, s)?;
        let (w, h) = (w as i32, h as i32);
        let anchor = s.anchor();
        let left = match anchor.h_pos {
            HPos::Left => at.0,
            HPos::Center => at.0 - w / 2,
            HPos::Right => at.0 - w,
        };
        let top = match anchor.v_pos {
            VPos::Top => at.1,
            VPos::Center => at.1 - h / 2,
            VPos::Bottom => at.1 - h,
        };
        let b = [left, top, left + w, top + h];
        texts.borrow_mut().push((text.to_string(), b));
        self.0
            .draw_rect((b[0], b[1]), (b[2] - 1, b[3] - 1), &s.color(), true)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        s: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok((
            (text.chars().count() as f64 * s.size() * 0.6) as u32,
            s.size() as u32,
        ))
    }
}

fn area(buf: &mut [u8]) -> DrawingArea<Textless<'_>, plotters::coord::Shift> {
    Textless(BitMapBackend::with_buffer(buf, (W, H)), None).into_drawing_area()
}

/// The same, recording the text drawn into `texts` (and painting its boxes).
fn area_with_text<'a>(
    buf: &'a mut [u8],
    texts: &Texts,
) -> DrawingArea<Textless<'a>, plotters::coord::Shift> {
    Textless(BitMapBackend::with_buffer(buf, (W, H)), Some(texts.clone())).into_drawing_area()
}

const W: u32 = 480;
const H: u32 = 400;

/// With GRADLAB_PLOT_DIR set, saves the buffer as a PPM image there (to look at it).
fn save(name: &str, buf: &[u8]) {
    if let Ok(dir) = std::env::var("GRADLAB_PLOT_DIR") {
        let mut out = format!("P6 {W} {H} 255\n").into_bytes();
        out.extend_from_slice(buf);
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.ppm")), out).unwrap();
    }
}

fn pixel(buf: &[u8], x: i32, y: i32) -> (u8, u8, u8) {
    let o = ((y as u32 * W + x as u32) * 3) as usize;
    (buf[o], buf[o + 1], buf[o + 2])
}

fn count(buf: &[u8], pred: impl Fn((u8, u8, u8)) -> bool) -> usize {
    buf.chunks(3).filter(|c| pred((c[0], c[1], c[2]))).count()
}

#[test]
fn contour_map_shows_the_heat_map_extrema_and_the_trajectory() {
    let traces = Experiment::default().run().unwrap();
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 90, 90);
    let mut buf = vec![0u8; (W * H * 3) as usize];
    let map = {
        let root = area(&mut buf);
        let overlay = MapOverlay {
            traces: &traces,
            ..Default::default()
        };
        draw_contour_map(&root, &grid, &overlay, &PlotStyle::default(), &mut |_| {
            false
        })
        .unwrap()
        .0
    };
    save("contour", &buf);
    // Find the pixel of a data point by scanning the inverse map (tests PixelMap both ways).
    let to_px = |x: f64, y: f64| {
        let (px, py) = map.to_pixel(x, y);
        let back = map.to_data(px, py).unwrap();
        assert!((back.0 - x).abs() < 1e-9 && (back.1 - y).abs() < 1e-9);
        (px.round() as i32, py.round() as i32)
    };
    // Global max of peaks ≈ 8.1062 at (−0.0093, 1.5814): the top of viridis (yellow).
    let (px, py) = to_px(-0.0093, 1.5814);
    let (r, g, b) = pixel(&buf, px, py);
    assert!(
        r > 200 && g > 200 && b < 90,
        "max is yellow, got {:?}",
        (r, g, b)
    );
    // Global min ≈ −6.5511 at (0.2283, −1.6255): the bottom of viridis (dark purple).
    let (px, py) = to_px(0.2283, -1.6255 + 0.12); // just beside the end marker of the run
    let (r, g, b) = pixel(&buf, px, py);
    assert!(
        r < 90 && g < 60 && b > 70,
        "min is purple, got {:?}",
        (r, g, b)
    );
    // The trajectory (solver colour 0 = (255, 64, 64)) is drawn.
    assert!(count(&buf, |c| c == (255, 64, 64)) > 100);
    // The colour bar (right of the plot area) shows both ends of viridis.
    // (the bar's strip starts 12 px right of the plot area, 2 px into its column)
    let bar_x = map.x_px.1 + 20;
    let top = pixel(&buf, bar_x, map.y_px.0 + 2);
    let bottom = pixel(&buf, bar_x, map.y_px.1 - 2);
    assert!(top.0 > 200 && top.1 > 200 && top.2 < 90, "bar top {top:?}");
    assert!(bottom.2 > 70 && bottom.0 < 90, "bar bottom {bottom:?}");
}

#[test]
fn surface_is_drawn_and_rotates() {
    let traces = Experiment::default().run().unwrap();
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 40, 40);
    let render = |yaw: f64| {
        let mut buf = vec![0u8; (W * H * 3) as usize];
        {
            let root = area(&mut buf);
            let overlay = MapOverlay {
                traces: &traces,
                ..Default::default()
            };
            draw_surface(
                &root,
                &grid,
                &overlay,
                Camera { yaw, pitch: 0.45 },
                &PlotStyle::default(),
            )
            .unwrap();
        }
        buf
    };
    let a = render(0.6);
    let b = render(1.4);
    save("surface", &a);
    let coloured = count(&a, |(r, g, b)| !(r == g && g == b));
    assert!(
        coloured > (W * H / 12) as usize,
        "surface covers the chart: {coloured}"
    );
    assert!(count(&a, |c| c == (255, 64, 64)) > 20, "trajectory drawn");
    let differing = a.chunks(3).zip(b.chunks(3)).filter(|(p, q)| p != q).count();
    assert!(
        differing > (W * H / 10) as usize,
        "a new yaw gives a new picture"
    );
}

#[test]
fn convergence_plot_draws_each_run() {
    let traces = Experiment::default().run().unwrap();
    let mut buf = vec![255u8; (W * H * 3) as usize];
    {
        let root = area(&mut buf);
        draw_convergence(
            &root,
            &traces,
            &Reference::BestSeen,
            None,
            &PlotStyle::default(),
        )
        .unwrap();
    }
    save("convergence", &buf);
    // Solver 0 on white is (214, 39, 40): solid f line plus dashed gradient line.
    assert!(count(&buf, |c| c == (214, 39, 40)) > 300);
}

#[test]
fn convergence_plot_of_a_gradient_free_run_draws_f_and_no_gradient() {
    // Nelder–Mead records no gradient (‖∇f‖ NaN at every iterate): the f line is drawn, the
    // dashed gradient line is simply absent, and nothing fails.
    let e = Experiment {
        solvers: vec![gradlab::lab::surfaces::SolverConfig::default_for("nelder_mead").unwrap()],
        ..Default::default()
    };
    let traces = e.run().unwrap();
    assert!(traces[0].iterates.iter().all(|r| r.grad_norm.is_nan()));
    let mut buf = vec![255u8; (W * H * 3) as usize];
    {
        let root = area(&mut buf);
        draw_convergence(
            &root,
            &traces,
            &Reference::BestSeen,
            Some(3),
            &PlotStyle::default(),
        )
        .unwrap();
    }
    assert!(count(&buf, |c| c == (214, 39, 40)) > 100);
}

/// The rows holding red (solver 0 on white) pixels inside `r` (CSS px = device px here) minus
/// a 2-px border, on a `w`-px-wide buffer.
fn red_rows_in(buf: &[u8], w: u32, r: &gradlab::plot::layout::Rect) -> Vec<i32> {
    let px = |x: i32, y: i32| {
        let o = ((y as u32 * w + x as u32) * 3) as usize;
        (buf[o], buf[o + 1], buf[o + 2])
    };
    let mut rows = vec![];
    for y in (r.y as i32 + 2)..(r.y + r.h) as i32 - 2 {
        if ((r.x as i32 + 2)..(r.x + r.w) as i32 - 2).any(|x| px(x, y) == (214, 39, 40)) {
            rows.push(y);
        }
    }
    rows
}

fn red_rows(buf: &[u8], r: &gradlab::plot::layout::Rect) -> Vec<i32> {
    red_rows_in(buf, W, r)
}

#[test]
fn a_run_stopped_at_the_iteration_limit_ends_at_its_gap_to_the_known_minimum() {
    // GD with α = 0.001 on Rosenbrock stops at max iterations with f ≈ 3: measured from the
    // known f* = 0 its last point is ≈ 3 — high on the axis — not a plunge to the floor.
    use gradlab::lab::surfaces::{SolverConfig, SurfaceId};
    let e = Experiment {
        surface: SurfaceId::Rosenbrock,
        start: SurfaceId::Rosenbrock.start(),
        solvers: vec![SolverConfig::GradientDescent {
            learning_rate: 0.001,
        }],
        ..Default::default()
    };
    let mut traces = e.run().unwrap();
    let f_last = traces[0].last().f;
    assert!(f_last > 1.0 && !traces[0].stop.is_converged());
    // Only the f line in red: the gradient's dashed line (same colour) is left out.
    for r in &mut traces[0].iterates {
        r.grad_norm = f64::NAN;
    }
    let draw = |reference: &Reference| {
        let mut buf = vec![255u8; (W * H * 3) as usize];
        let texts = Texts::default();
        let layout = {
            let root = area_with_text(&mut buf, &texts);
            draw_convergence(&root, &traces, reference, None, &PlotStyle::default()).unwrap()
        };
        (buf, layout)
    };
    let (buf, layout) = draw(&Reference::from_minima(&SurfaceId::Rosenbrock.minima()));
    save("convergence-rosenbrock-known", &buf);
    let plot = layout.plot.unwrap();
    let rows = red_rows(&buf, &plot);
    let lowest = *rows.iter().max().unwrap() as f64;
    // The lowest red pixel is the last gap, ≈ 3: high above the bottom of the plot.
    assert!(
        lowest < plot.y + 0.8 * plot.h,
        "lowest ink at {lowest}, plot {plot:?}"
    );
    let title = layout.labels.iter().find(|l| l.role == "y_title").unwrap();
    assert!(title.text.contains("f* = 0"), "{}", title.text);

    // Relative to the best value seen, the last point (the best) is a ▼ on the bottom edge,
    // not a line to it: the red ink near the bottom edge is the marker's few columns only.
    let (buf, layout) = draw(&Reference::BestSeen);
    save("convergence-rosenbrock-best-seen", &buf);
    let plot = layout.plot.unwrap();
    let bottom = (plot.y + plot.h) as i32 - 3;
    let cols: Vec<i32> = (plot.x as i32..(plot.x + plot.w) as i32)
        .filter(|&x| (bottom - 10..bottom).any(|y| pixel(&buf, x, y) == (214, 39, 40)))
        .collect();
    assert!(
        !cols.is_empty() && cols.len() <= 12 && cols[0] as f64 > plot.x + 0.9 * plot.w,
        "ink near the floor in columns {cols:?}"
    );
    let title = layout.labels.iter().find(|l| l.role == "y_title").unwrap();
    assert!(title.text.contains("best"), "{}", title.text);
}

fn nist_dir() -> String {
    std::env::var("NIST_STRD_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/nist-strd").into())
}

#[test]
fn fit_convergence_of_mgh10_shows_ssr_and_the_whole_damping_range() {
    // NIST MGH10 from start 1, LM with Nielsen's damping (links v2): ‖Jᵀr‖ reaches 2e59 and λ
    // falls to 2e-110 while SSR goes from 4.5e15 to 87.9. Each has its own axis: SSR fills its panel, λ's axis has decade labels
    // over its whole range.
    use gradlab::lab::fit::{run_with_nist, FitData, FitExperiment, FitModel, FitSolver, FitStart};
    use gradlab::solver::least_squares::{lm::Damping, LmSettings};
    let path = format!("{}/nonlinear/MGH10.dat", nist_dir());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cfg = FitExperiment {
        model: FitModel::Nist {
            name: "MGH10".into(),
        },
        data: FitData::Nist,
        start: FitStart::Nist { which: 1 },
        solvers: vec![
            FitSolver::LevenbergMarquardt(LmSettings {
                damping: Damping::Nielsen,
                ..Default::default()
            }),
            FitSolver::GaussNewton(Default::default()),
        ],
        ..Default::default()
    };
    let result = run_with_nist(&cfg, Some(&text)).unwrap();
    let traces: Vec<_> = result.runs.iter().map(|r| r.run.trace.clone()).collect();
    let lm = &traces[0];
    let ssr: Vec<f64> = lm.iterates.iter().map(|r| 2.0 * r.f).collect();
    let lambda_min = lm
        .iterates
        .iter()
        .filter_map(|r| r.extra("lambda"))
        .filter(|l| *l > 0.0)
        .fold(f64::INFINITY, f64::min);
    let g_max = lm.iterates.iter().map(|r| r.grad_norm).fold(0.0, f64::max);
    assert!(ssr[0] > 1e15 && *ssr.last().unwrap() < 100.0, "SSR {ssr:?}");
    assert!(
        lambda_min < 1e-90 && g_max > 1e50,
        "λ ≥ {lambda_min}, ‖Jᵀr‖ ≤ {g_max}"
    );

    // 480×400, and 460×270: the canvas of the page at 1366×800 (and about the phone's).
    for (w, h) in [(W, H), (460, 270)] {
        let mut buf = vec![255u8; (w * h * 3) as usize];
        let texts = Texts::default();
        let layout = {
            let root = Textless(
                BitMapBackend::with_buffer(&mut buf, (w, h)),
                Some(texts.clone()),
            )
            .into_drawing_area();
            gradlab::plot::fit::draw_lsq_convergence(&root, &traces, None, &PlotStyle::default())
                .unwrap()
        };
        if w == W {
            save("fit-convergence-mgh10", &buf);
        }
        let what = format!("{w}×{h}");
        assert_eq!(layout.panels.len(), 2);
        let (top, low) = (&layout.panels[0], &layout.panels[1]);
        assert!(top.y + top.h < low.y, "{what}: {top:?} above {low:?}");
        // LM's SSR (red, solid) spans most of the top panel's height: 4.5e15 → 87.9 readable.
        let rows = red_rows_in(&buf, w, top);
        let span = (rows.last().unwrap() - rows[0]) as f64;
        assert!(
            span > 0.7 * top.h,
            "{what}: SSR spans {span} px of {}",
            top.h
        );
        // λ's axis: at least 4 decade labels, spread over most of its 1e-110 … 1e4 range.
        let decade = |t: &str| {
            let v: f64 = t.parse().unwrap_or_else(|_| panic!("λ tick {t:?}"));
            let e = v.log10();
            assert!((e - e.round()).abs() < 1e-9, "{t} is a decade");
            e
        };
        let l: Vec<f64> = layout
            .labels
            .iter()
            .filter(|t| t.role == "y2_tick")
            .map(|t| decade(&t.text))
            .collect();
        let (lo, hi) = l
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &e| {
                (a.min(e), b.max(e))
            });
        assert!(
            l.len() >= 4 && lo <= -70.0 && hi >= -10.0,
            "{what}: λ labels {l:?}"
        );
        // ‖Jᵀr‖ (2e59 → 0.011) has its whole range: its axis goes below 1, not down to a floor
        // 30 decades under its top (1e30, where the last 30 decades were drawn flat).
        let g_low = layout
            .labels
            .iter()
            .filter(|t| t.role == "y_tick" && t.y > low.y - t.h)
            .map(|t| t.text.parse::<f64>().unwrap())
            .fold(f64::INFINITY, f64::min);
        assert!(g_low <= 1.0, "{what}: lowest ‖Jᵀr‖ label {g_low}");
        // Every λ label sits beside the lower panel, none beside the top one.
        for t in layout.labels.iter().filter(|t| t.role == "y2_tick") {
            let mid = t.y + t.h / 2.0;
            assert!(
                mid >= low.y - 1.0 && mid <= low.y + low.h + 1.0,
                "{what}: {t:?}"
            );
        }
    }
}

/// `v` is a whole multiple of `step`, and `step` is 1, 2 or 5 × 10^k.
fn round_multiple(v: f64, step: f64) -> bool {
    let k = step.log10().floor();
    let m = step / 10f64.powf(k);
    let on_grid = ((v / step) - (v / step).round()).abs() < 1e-9;
    on_grid && [1.0, 2.0, 5.0].iter().any(|c| (m - c).abs() < 1e-9)
}

/// Rosenbrock sampled over its view: a range of 0…2509 with most values small, so the colour
/// map is log-scaled.
fn rosenbrock_grid() -> Grid {
    let v = ViewBox::new(-2.0, 2.0, -1.0, 3.0);
    let n = 81;
    let values = (0..n * n)
        .map(|k| {
            let x = -2.0 + 4.0 * (k % n) as f64 / (n - 1) as f64;
            let y = -1.0 + 4.0 * (k / n) as f64 / (n - 1) as f64;
            (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x)
        })
        .collect();
    Grid::from_values(v, n, n, values)
}

#[test]
fn color_bar_ticks_are_round_numbers() {
    // Peaks: −6.55 … 8.1 on a linear colour map.
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 90, 90);
    assert!(grid.log_scale.is_none());
    assert!(grid.lo < -6.5 && grid.hi > 8.0);
    for (bar_px, gap) in [(330.0, 21.0), (150.0, 21.0), (600.0, 21.0), (90.0, 21.0)] {
        let t = color_bar_ticks(&grid, bar_px, gap);
        assert!(t.len() >= 2, "{bar_px}: {t:?}");
        let step = t[1] - t[0];
        for v in &t {
            assert!(
                round_multiple(*v, step),
                "{v} (step {step}) for a {bar_px}px bar"
            );
            assert!(*v >= grid.lo && *v <= grid.hi);
        }
        // Labels never closer than the gap.
        assert!(
            step / (grid.hi - grid.lo) * bar_px >= gap,
            "{bar_px}: {t:?}"
        );
    }
    assert_eq!(
        color_bar_ticks(&grid, 330.0, 21.0),
        vec![-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]
    );
    // A hand-made linear range, [−6.55, 8.1] exactly.
    let g = Grid::from_values(
        ViewBox::new(0.0, 1.0, 0.0, 1.0),
        2,
        2,
        vec![-6.55, 8.1, 0.0, 1.0],
    );
    assert!(g.log_scale.is_none());
    let t = color_bar_ticks(&g, 200.0, 21.0);
    let step = t[1] - t[0];
    assert!(t.iter().all(|v| round_multiple(*v, step)), "{t:?}");
    assert_eq!(
        t.iter().map(|v| fmt_tick(*v)).collect::<Vec<_>>().len(),
        t.len()
    );

    // Rosenbrock: a log-scaled map gets powers of ten, placed by the log mapping.
    let grid = rosenbrock_grid();
    assert!(grid.log_scale.is_some());
    let t = color_bar_ticks(&grid, 330.0, 21.0);
    assert!(t.len() >= 3, "{t:?}");
    for v in &t {
        let decade = 10f64.powf(v.log10().round());
        assert!(
            *v == 0.0 || (v / decade - 1.0).abs() < 1e-12,
            "{v} is a power of ten"
        );
    }
    assert!(
        t.contains(&1000.0) && t.contains(&100.0) && t.contains(&10.0),
        "{t:?}"
    );
    // Positions increase with the value and keep the labels apart.
    let ys: Vec<f64> = t.iter().map(|v| grid.normalized(*v) * 330.0).collect();
    assert!(ys.windows(2).all(|w| w[1] - w[0] >= 21.0), "{ys:?}");
}

#[test]
fn color_bar_is_labelled_and_its_ticks_sit_at_their_values() {
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 60, 60);
    let mut buf = vec![0u8; (W * H * 3) as usize];
    let texts = Texts::default();
    let map = {
        let root = area_with_text(&mut buf, &texts);
        let overlay = MapOverlay {
            value: "SSR",
            ..Default::default()
        };
        draw_contour_map(&root, &grid, &overlay, &PlotStyle::default(), &mut |_| {
            false
        })
        .unwrap()
        .0
    };
    save("contour-labels", &buf);
    let texts = texts.borrow();
    let (top, bottom) = (map.y_px.0, map.y_px.1);
    // The label: right of the map, under the bar, inside the picture, with ink in its box.
    let (_, b) = texts
        .iter()
        .find(|(t, _)| t == "SSR")
        .expect("the colour bar's label is drawn");
    assert!(
        b[0] > map.x_px.1 && b[1] >= bottom && b[3] <= H as i32,
        "label box {b:?}"
    );
    let ink = (b[1]..b[3])
        .flat_map(|y| (b[0]..b[2]).map(move |x| (x, y)))
        .filter(|&(x, y)| pixel(&buf, x, y) != (255, 255, 255))
        .count();
    let area = ((b[2] - b[0]) * (b[3] - b[1])) as usize;
    assert!(ink * 2 > area, "ink in the label box: {ink} of {area}");
    // Without a name, the map still says what it shows.
    let mut buf2 = vec![0u8; (W * H * 3) as usize];
    let texts2 = Texts::default();
    draw_contour_map(
        &area_with_text(&mut buf2, &texts2),
        &grid,
        &MapOverlay::default(),
        &PlotStyle::default(),
        &mut |_| false,
    )
    .unwrap();
    assert!(texts2.borrow().iter().any(|(t, _)| t == "f(x, y)"));

    // Tick labels right of the bar: the round values, each centred on its value's row.
    let min_gap = gradlab::plot::layout::text_size("0", 11.0).1 + 6.0;
    let ticks = color_bar_ticks(&grid, (bottom - top) as f64, min_gap);
    assert!(ticks.len() >= 4, "{ticks:?}");
    for v in &ticks {
        let label = fmt_tick(*v);
        let (_, b) = texts
            .iter()
            .find(|(t, b)| *t == label && b[0] > map.x_px.1 + 10)
            .unwrap_or_else(|| panic!("tick {label} drawn"));
        let row = bottom as f64 - grid.normalized(*v) * (bottom - top) as f64;
        let centre = (b[1] + b[3]) as f64 / 2.0;
        assert!(
            (centre - row).abs() <= 1.5,
            "tick {label} at {centre}, value row {row}"
        );
        // The bar's colour at that row is the colour of that value.
        let bar = pixel(&buf, map.x_px.1 + 20, row.round() as i32);
        let want = gradlab::plot::viridis(grid.normalized(*v));
        let close = |a: u8, b: u8| (a as i32 - b as i32).abs() <= 24;
        assert!(
            close(bar.0, want.0) && close(bar.1, want.1) && close(bar.2, want.2),
            "bar at {label}: {bar:?}, want {want:?}"
        );
    }
}

/// Texts drawn by the 3-D surface at `size` for camera `yaw`, and the bitmap.
fn surface_texts(
    size: (u32, u32),
    yaw: f64,
    names: (&str, &str, &str),
) -> (Vec<(String, [i32; 4])>, Vec<u8>) {
    let traces = Experiment::default().run().unwrap();
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 30, 30);
    let mut buf = vec![0u8; (W * H * 3) as usize];
    let texts = Texts::default();
    {
        let root = area_with_text(&mut buf, &texts);
        root.fill(&WHITE).unwrap();
        let root = root.shrink((0, 0), size);
        let overlay = MapOverlay {
            traces: &traces,
            axes: (names.0, names.1),
            value: names.2,
            ..Default::default()
        };
        draw_surface(
            &root,
            &grid,
            &overlay,
            Camera { yaw, pitch: 0.45 },
            &PlotStyle::default(),
        )
        .unwrap();
    }
    let t = texts.borrow().clone();
    (t, buf)
}

#[test]
fn surface_axes_are_named_and_labels_do_not_overlap() {
    let overlap =
        |a: &[i32; 4], b: &[i32; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    for (size, yaw) in [
        ((W, H), 0.6),
        ((W, H), 2.2),
        ((W, H), -2.4),
        ((284, 165), 0.6),
        ((284, 165), -0.9),
    ] {
        let (texts, buf) = surface_texts(size, yaw, ("w", "b", "MSE"));
        save(&format!("surface-{}x{}-{yaw}", size.0, size.1), &buf);
        let what = format!("{}×{} at yaw {yaw}", size.0, size.1);
        let shown: Vec<&(String, [i32; 4])> = texts.iter().filter(|t| !t.0.is_empty()).collect();
        // Each axis name once, inside the picture, with ink.
        for name in ["w", "b", "MSE"] {
            let boxes: Vec<_> = shown.iter().filter(|t| t.0 == name).collect();
            assert_eq!(
                boxes.len(),
                1,
                "{what}: the name {name} is drawn once: {shown:?}"
            );
            let b = boxes[0].1;
            assert!(
                b[0] >= 0 && b[1] >= 0 && b[2] <= size.0 as i32 && b[3] <= size.1 as i32,
                "{what}: {name} inside the picture: {b:?}"
            );
            let ink = (b[1]..b[3])
                .flat_map(|y| (b[0]..b[2]).map(move |x| (x, y)))
                .filter(|&(x, y)| pixel(&buf, x, y) != (255, 255, 255))
                .count();
            assert!(
                ink * 2 > ((b[2] - b[0]) * (b[3] - b[1])) as usize,
                "{what}: ink of {name}"
            );
        }
        // Tick labels and names never overlap (two axes meeting at a corner both printed "3").
        for (i, a) in shown.iter().enumerate() {
            for b in &shown[i + 1..] {
                assert!(!overlap(&a.1, &b.1), "{what}: {a:?} overlaps {b:?}");
            }
        }
        let numbers = shown.iter().filter(|t| t.0.parse::<f64>().is_ok()).count();
        let min = if size.0 == W { 12 } else { 5 };
        assert!(numbers >= min, "{what}: {numbers} tick labels");
    }
    // Without names: x, y and f(x, y).
    let (texts, _) = surface_texts((W, H), 0.6, ("", "", ""));
    for name in ["x", "y", "f(x, y)"] {
        assert!(texts.iter().any(|t| t.0 == name), "default name {name}");
    }
}

/// WCAG contrast ratio of two sRGB colours.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |c: (u8, u8, u8)| {
        let l = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * l(c.0) + 0.7152 * l(c.1) + 0.0722 * l(c.2)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Runs `f` with the plots in `theme`, then back to light (tests share threads).
fn in_theme<T>(theme: gradlab::plot::Theme, f: impl FnOnce() -> T) -> T {
    gradlab::plot::set_theme(theme);
    let out = f();
    gradlab::plot::set_theme(gradlab::plot::Theme::Light);
    out
}

#[test]
fn a_dark_plot_has_a_dark_background_and_light_text() {
    use gradlab::plot::{palette_of, solver_color_on_dark, Theme, DARK_BACKGROUND};
    let rgb = |c: RGBColor| (c.0, c.1, c.2);
    let dark = palette_of(Theme::Dark);
    let bg = rgb(DARK_BACKGROUND);
    // The palette: text ≥ 4.5:1 on the background, and so is every solver's line colour.
    assert!(contrast(rgb(dark.ink), bg) >= 4.5);
    for i in 0..8 {
        let c = rgb(solver_color_on_dark(i));
        assert!(
            contrast(c, bg) >= 4.5,
            "solver {i} {c:?}: {}",
            contrast(c, bg)
        );
    }
    let mut traces = Experiment::default().run().unwrap();
    traces.push(traces[0].clone());
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 60, 60);
    // Convergence, map and 3-D surface, each drawn dark and light.
    type Draw<'a> = Box<dyn Fn(&DrawingArea<Textless<'_>, plotters::coord::Shift>) + 'a>;
    let overlay = MapOverlay {
        traces: &traces,
        ..Default::default()
    };
    let plots: Vec<(&str, Draw)> = vec![
        (
            "convergence",
            Box::new(|root| {
                draw_convergence(
                    root,
                    &traces,
                    &Reference::BestSeen,
                    None,
                    &PlotStyle::default(),
                )
                .map(|_| ())
                .unwrap()
            }),
        ),
        (
            "contour",
            Box::new(|root| {
                draw_contour_map(root, &grid, &overlay, &PlotStyle::default(), &mut |_| false)
                    .map(|_| ())
                    .unwrap()
            }),
        ),
        (
            "surface",
            Box::new(|root| {
                let cam = Camera {
                    yaw: 0.6,
                    pitch: 0.5,
                };
                draw_surface(root, &grid, &overlay, cam, &PlotStyle::default())
                    .map(|_| ())
                    .unwrap()
            }),
        ),
    ];
    for (name, draw) in &plots {
        for theme in [Theme::Dark, Theme::Light] {
            let texts: Texts = Rc::default();
            let mut buf = vec![0u8; (W * H * 3) as usize];
            in_theme(theme, || draw(&area_with_text(&mut buf, &texts)));
            save(&format!("{name}-{theme:?}"), &buf);
            let corner = pixel(&buf, 1, 1);
            let texts = texts.borrow();
            assert!(texts.len() >= 6, "{name}: {} texts", texts.len());
            // Every text box is painted in the text colour: light on dark, dark on light.
            let light_text = texts
                .iter()
                .filter(|(s, b)| {
                    !s.trim().is_empty()
                        && b[2] > b[0] + 2
                        && contrast(pixel(&buf, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2), bg) >= 4.5
                        && pixel(&buf, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2).0 > 180
                })
                .count();
            match theme {
                Theme::Dark => {
                    assert_eq!(corner, bg, "{name}: the background is (27, 30, 36)");
                    // Most of the canvas outside the plot's image is background.
                    assert!(count(&buf, |c| c == bg) > (W * H / 5) as usize, "{name}");
                    assert!(count(&buf, |c| c == (255, 255, 255)) < 400, "{name}: white");
                    let shown = texts.iter().filter(|(s, _)| !s.trim().is_empty()).count();
                    assert!(
                        light_text * 10 >= shown * 9,
                        "{name}: {light_text} of {shown} texts light"
                    );
                }
                Theme::Light => {
                    assert_eq!(corner, (255, 255, 255), "{name}");
                    assert_eq!(light_text, 0, "{name}: no light text on white");
                }
            }
        }
    }
}

/// The pixels of `marker` drawn alone (radius 7 px, no edge) on a 40 × 40 bitmap.
fn marker_pixels(m: gradlab::plot::Marker) -> Vec<bool> {
    let mut buf = vec![0u8; 40 * 40 * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (40, 40)).into_drawing_area();
        gradlab::plot::draw_marker(
            &root,
            m,
            (20, 20),
            7,
            RGBColor(255, 0, 0),
            BLACK.mix(1.0),
            0,
        )
        .unwrap();
        root.present().unwrap();
    }
    buf.chunks(3).map(|c| c[0] == 255).collect()
}

#[test]
fn every_solver_has_its_own_marker_shape() {
    // The eight markers, rasterized: any two differ in at least an eighth of their pixels (a
    // circle and a square of the same size differ in their corners: 15 %).
    let shapes: Vec<Vec<bool>> = (0..8)
        .map(|i| marker_pixels(gradlab::plot::solver_marker(i)))
        .collect();
    for i in 0..8 {
        let n = shapes[i].iter().filter(|p| **p).count();
        assert!(n > 40, "marker {i}: {n} px");
        for j in i + 1..8 {
            let union = (0..1600).filter(|&k| shapes[i][k] || shapes[j][k]).count();
            let differ = (0..1600).filter(|&k| shapes[i][k] != shapes[j][k]).count();
            assert!(
                differ * 8 >= union,
                "markers {i} and {j} differ in {differ} of {union} px"
            );
        }
    }
}

#[test]
fn two_solvers_legend_entries_and_paths_differ_in_shape_not_only_colour() {
    use gradlab::plot::solver_color;
    // Two runs of one experiment: the same path, two colours and two markers.
    let mut traces = Experiment::default().run().unwrap();
    traces.push(traces[0].clone());
    traces[1].solver = "second".into();
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 60, 60);
    let mut buf = vec![0u8; (W * H * 3) as usize];
    let layout = {
        let root = area(&mut buf);
        let overlay = MapOverlay {
            traces: &traces,
            ..Default::default()
        };
        draw_contour_map(&root, &grid, &overlay, &PlotStyle::default(), &mut |_| {
            false
        })
        .unwrap()
        .1
    };
    save("legend-two-solvers", &buf);
    let legend = layout.legend.expect("a legend for two runs");
    let rgb = |c: RGBColor| (c.0, c.1, c.2);
    // Per legend entry: how many pixels of its colour in each column of the legend (the swatch's
    // line is the same for both; the marker on it makes the profile).
    let profile = |c: (u8, u8, u8)| -> Vec<usize> {
        let (x0, y0) = (legend.x as i32, legend.y as i32);
        let (x1, y1) = ((legend.x + legend.w) as i32, (legend.y + legend.h) as i32);
        let cols: Vec<usize> = (x0..x1)
            .map(|x| (y0..y1).filter(|&y| pixel(&buf, x, y) == c).count())
            .collect();
        // From the entry's first column on.
        let first = cols
            .iter()
            .position(|&n| n > 0)
            .expect("the swatch is drawn");
        cols[first..].iter().take(20).copied().collect()
    };
    let (a, b) = (profile(rgb(solver_color(0))), profile(rgb(solver_color(1))));
    assert!(a.iter().sum::<usize>() > 20 && b.iter().sum::<usize>() > 20);
    let differ: usize = a.iter().zip(&b).map(|(p, q)| p.abs_diff(*q)).sum();
    assert!(differ >= 8, "legend swatches {a:?} vs {b:?}");
    // On the map: both paths carry markers, and the second one's (a square) fills more pixels of
    // its colour around the end point than the first one's circle would leave — the two runs end
    // at the same point, the second drawn on top.
    let end = traces[1].iterates.last().unwrap().x.clone();
    let map = PlotLayoutMap::from(&layout);
    let (px, py) = map.to_px(end[0], end[1]);
    let around = |c: (u8, u8, u8)| {
        let mut n = 0;
        for y in py - 6..=py + 6 {
            for x in px - 6..=px + 6 {
                n += (pixel(&buf, x, y) == c) as usize;
            }
        }
        n
    };
    assert!(around(rgb(solver_color(1))) >= 25, "the square at the end");
}

/// Data → pixel on a drawn map, from its layout (view and plot area).
struct PlotLayoutMap {
    view: ViewBox,
    plot: gradlab::plot::layout::Rect,
}

impl PlotLayoutMap {
    fn from(l: &gradlab::plot::PlotLayout) -> Self {
        PlotLayoutMap {
            view: l.view.unwrap(),
            plot: l.plot.unwrap(),
        }
    }
    fn to_px(&self, x: f64, y: f64) -> (i32, i32) {
        let v = &self.view;
        let p = &self.plot;
        let fx = (x - v.x_min) / (v.x_max - v.x_min);
        let fy = (v.y_max - y) / (v.y_max - v.y_min);
        (
            (p.x + fx * (p.w - 1.0)).round() as i32,
            (p.y + fy * (p.h - 1.0)).round() as i32,
        )
    }
}

/// A run of `n` records: a straight approach from (−2, 2) and then an SGD-like zig-zag around
/// (0.3, −1.5), each point a fresh draw within ±0.35 (every segment crosses the cloud).
fn zig_zag_trace(n: usize) -> gradlab::trace::Trace {
    let mut trace = Experiment::default().run().unwrap().remove(0);
    let first = trace.iterates[0].clone();
    let mut s = 11u64;
    let mut r = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % 10_000) as f64 / 10_000.0 - 0.5
    };
    trace.iterates = (0..n)
        .map(|k| {
            let x = if k < 50 {
                let t = k as f64 / 50.0;
                vec![-2.0 + 2.3 * t, 2.0 - 3.5 * t]
            } else {
                vec![0.3 + 0.7 * r(), -1.5 + 0.7 * r()]
            };
            gradlab::trace::Iterate {
                k,
                x,
                ..first.clone()
            }
        })
        .collect();
    trace
}

#[test]
fn a_long_zig_zag_is_drawn_where_it_runs_and_nowhere_else() {
    // 6 000 records: more than RASTER_PATH_SEGMENTS after thinning, so the path is one image
    // (put pixel by pixel here, one drawImage in the browser).
    let traces = vec![zig_zag_trace(6000)];
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 90, 90);
    let draw = |traces: &[gradlab::trace::Trace]| {
        let mut buf = vec![0u8; (W * H * 3) as usize];
        let map = {
            let overlay = MapOverlay {
                traces,
                ..Default::default()
            };
            draw_contour_map(
                &area(&mut buf),
                &grid,
                &overlay,
                &PlotStyle::default(),
                &mut |_| false,
            )
            .unwrap()
            .0
        };
        (buf, map)
    };
    let (with, map) = draw(&traces);
    let (without, _) = draw(&[]);
    save("contour-long-path", &with);
    let pts: Vec<(f64, f64)> = traces[0]
        .iterates
        .iter()
        .map(|r| map.to_pixel(r.x[0], r.x[1]))
        .collect();
    // Along the path (the straight part and points of the cloud): the solver's colour
    // (255, 64, 64), at least ¾ covered at the pixel holding the point.
    // (Or a neighbour: the point may sit under a marker's dark ring.)
    for &(x, y) in pts.iter().step_by(97) {
        let (px, py) = (x.floor() as i32, y.floor() as i32);
        let red = (-1..=1)
            .flat_map(|j| (-1..=1).map(move |i| (px + i, py + j)))
            .any(|(i, j)| {
                let (r, g, b) = pixel(&with, i, j);
                r > 190 && g < 110 && b < 110
            });
        assert!(
            red,
            "path pixel at ({x:.1}, {y:.1}): {:?}",
            pixel(&with, px, py)
        );
    }
    // Farther than the halo (2 px) plus a pixel from every point, nothing changed: the image
    // is composited over the map, not pasted as a rectangle.
    let near = |x: i32, y: i32| {
        let (cx, cy) = (x as f64 + 0.5, y as f64 + 0.5);
        pts.windows(2).any(|s| {
            let (p, q) = (s[0], s[1]);
            let (dx, dy) = (q.0 - p.0, q.1 - p.1);
            let t = (((cx - p.0) * dx + (cy - p.1) * dy) / (dx * dx + dy * dy).max(1e-12))
                .clamp(0.0, 1.0);
            (cx - p.0 - t * dx).hypot(cy - p.1 - t * dy) < 3.5
        })
    };
    let mut changed_far = 0;
    let mut changed = 0;
    for y in map.y_px.0..map.y_px.1 {
        for x in map.x_px.0..map.x_px.1 {
            if pixel(&with, x, y) != pixel(&without, x, y) {
                changed += 1;
                if !near(x, y) {
                    changed_far += 1;
                }
            }
        }
    }
    // (The start ring and the end marker are drawn by the backend, as for a short run.)
    assert!(changed > 2000, "the path covers pixels: {changed}");
    assert!(
        changed_far < 200,
        "pixels changed away from the path: {changed_far}"
    );
}

#[test]
fn a_long_zig_zag_on_the_surface_is_drawn() {
    let traces = vec![zig_zag_trace(6000)];
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 40, 40);
    let mut buf = vec![0u8; (W * H * 3) as usize];
    {
        let overlay = MapOverlay {
            traces: &traces,
            ..Default::default()
        };
        draw_surface(
            &area(&mut buf),
            &grid,
            &overlay,
            Camera {
                yaw: 0.6,
                pitch: 0.45,
            },
            &PlotStyle::default(),
        )
        .unwrap();
    }
    save("surface-long-path", &buf);
    // The solver's colour, exactly, where the line covers whole pixels.
    assert!(
        count(&buf, |c| c == (255, 64, 64)) > 150,
        "trajectory drawn"
    );
}
