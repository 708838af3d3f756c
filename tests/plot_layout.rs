//! Layout of every plot of the three labs at phone to desktop widths and device pixel ratios
//! 1, 2 and 3: tick labels never collide, all text is inside the canvas and at least 11 CSS px,
//! legends sit outside the plot area, the surfaces map keeps equal scales and a click maps back
//! exactly.
//!
//! The plots draw onto a recording backend: every `draw_text` call is kept with its font size,
//! anchor and rotation, and its box is measured independently of the drawing code, with the
//! advance widths of DejaVu Sans (the font Chromium uses for `sans-serif` here, and the widest of
//! the usual defaults). The checks run on those boxes of what was really drawn, and on the layout
//! each draw function reports (which must contain them: the page reads that report).

#![cfg(not(target_arch = "wasm32"))]

use gradlab::lab::surfaces::{Experiment, SurfaceId};
use gradlab::plot::contour::{draw_contour_map, shown_view, MapOverlay};
use gradlab::plot::convergence::Reference;
use gradlab::plot::fit::ResidualSeries;
use gradlab::plot::fit::{draw_fit, draw_lsq_convergence, draw_residuals, CurveSeries};
use gradlab::plot::layout::{PlotLayout, Rect};
use gradlab::plot::regression::{draw_losses, draw_xy, Axes, LossSeries, Mark, Series};
use gradlab::plot::surface::Camera;
use gradlab::plot::{draw_convergence, draw_surface, Grid, PlotStyle};
use gradlab::problem::surfaces::{Peaks, ViewBox};
use gradlab::solver::schedule::Schedule;
use gradlab::trace::Trace;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use std::cell::RefCell;
use std::rc::Rc;

/// Advance widths of DejaVu Sans (em), read from DejaVuSans.ttf's hmtx table.
fn dejavu(c: char) -> f64 {
    match c {
        '0'..='9' => 0.636,
        '.' | ',' | ' ' | '·' => 0.3179,
        ':' | ';' | '|' | '/' => 0.337,
        '\'' => 0.275,
        '!' | '²' | '₀' | '₁' => 0.401,
        '-' => 0.361,
        '(' | ')' | '[' | ']' => 0.390,
        'i' | 'j' | 'l' => 0.278,
        'I' | 'J' => 0.295,
        'f' => 0.352,
        't' => 0.392,
        'r' => 0.411,
        'm' => 0.974,
        'M' => 0.863,
        'W' => 0.989,
        'w' => 0.818,
        '—' | '…' => 1.0,
        'A' | 'V' => 0.684,
        'B' => 0.686,
        'C' => 0.698,
        'D' => 0.770,
        'E' => 0.632,
        'F' => 0.575,
        'G' => 0.775,
        'H' => 0.752,
        'K' => 0.656,
        'L' => 0.557,
        'N' => 0.748,
        'O' | 'Q' => 0.787,
        'P' => 0.603,
        'R' => 0.695,
        'S' => 0.635,
        'T' | 'Y' => 0.611,
        'U' => 0.732,
        'X' | 'Z' => 0.685,
        'a' => 0.613,
        'c' => 0.550,
        'e' => 0.615,
        'k' => 0.579,
        'o' | 'θ' => 0.612,
        's' => 0.521,
        'z' => 0.525,
        'v' | 'x' | 'y' | 'λ' | 'ŷ' => 0.592,
        'b' | 'd' | 'g' | 'h' | 'n' | 'p' | 'q' | 'u' | 'σ' => 0.635,
        '−' | '=' | '+' | '<' | '>' | '×' | '±' | '≈' | '≤' | '≥' => 0.838,
        '–' | '_' | '*' => 0.5,
        '%' => 0.95,
        '?' => 0.531,
        'γ' => 0.592,
        'μ' => 0.636,
        'ε' => 0.541,
        'δ' => 0.612,
        'Δ' => 0.684,
        'π' | 'τ' => 0.602,
        '‖' => 0.5,
        '∇' => 0.669,
        'ₖ' => 0.426,
        'ᵀ' => 0.385,
        'α' => 0.659,
        'β' => 0.638,
        '▼' => 0.78,
        other => panic!("no DejaVu width for {other:?}: add it to the table"),
    }
}

/// One text drawn: string, font size (device px), box `[l, t, r, b]` in device px.
#[derive(Clone, Debug)]
struct Drawn {
    text: String,
    size: f64,
    b: [f64; 4],
}

/// A backend that draws nothing but records every text with its measured box.
struct Recorder {
    size: (u32, u32),
    texts: Rc<RefCell<Vec<Drawn>>>,
}

type R = Result<(), DrawingErrorKind<std::io::Error>>;

impl DrawingBackend for Recorder {
    type ErrorType = std::io::Error;
    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> R {
        Ok(())
    }
    fn present(&mut self) -> R {
        Ok(())
    }
    fn draw_pixel(&mut self, _: BackendCoord, _: BackendColor) -> R {
        Ok(())
    }
    fn draw_line<S: BackendStyle>(&mut self, _: BackendCoord, _: BackendCoord, _: &S) -> R {
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        _: BackendCoord,
        _: BackendCoord,
        _: &S,
        _: bool,
    ) -> R {
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        _: I,
        _: &S,
    ) -> R {
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(&mut self, _: BackendCoord, _: u32, _: &S, _: bool) -> R {
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        _: I,
        _: &S,
    ) -> R {
        Ok(())
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, at: BackendCoord) -> R {
        if text.is_empty() {
            // (plotters' 3-D axes hand over empty labels: nothing is drawn)
            return Ok(());
        }
        let size = s.size();
        let w: f64 = text.chars().map(dejavu).sum::<f64>() * size;
        let h = 1.164 * size;
        // The box in the text's own frame, from its anchor, as the canvas places it.
        let l = match s.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -w / 2.0,
            HPos::Right => -w,
        };
        let t = match s.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -h / 2.0,
            VPos::Bottom => -h,
        };
        let (x, y) = (at.0 as f64, at.1 as f64);
        let b = match s.transform() {
            FontTransform::None => [x + l, y + t, x + l + w, y + t + h],
            // Rotated by 270° (reads upwards): text x → screen up, text y → screen right.
            FontTransform::Rotate270 => [x + t, y - l - w, x + t + h, y - l],
            _ => panic!("unexpected rotation of {text:?}"),
        };
        self.texts.borrow_mut().push(Drawn {
            text: text.to_string(),
            size,
            b,
        });
        Ok(())
    }
}

/// A canvas of `w × h` CSS px at `dpr`.
struct Canvas {
    w: f64,
    h: f64,
    dpr: f64,
}

impl Canvas {
    fn style(&self) -> PlotStyle {
        PlotStyle { scale: self.dpr }
    }
    fn device(&self) -> (u32, u32) {
        (
            (self.w * self.dpr).round() as u32,
            (self.h * self.dpr).round() as u32,
        )
    }
    /// Draws with `draw` onto a recorder; returns the reported layout and what was drawn.
    fn record(
        &self,
        draw: impl FnOnce(&DrawingArea<Recorder, plotters::coord::Shift>, &PlotStyle) -> PlotLayout,
    ) -> (PlotLayout, Vec<Drawn>) {
        let texts = Rc::new(RefCell::new(Vec::new()));
        let root = Recorder {
            size: self.device(),
            texts: texts.clone(),
        }
        .into_drawing_area();
        let layout = draw(&root, &self.style());
        let drawn = texts.borrow().clone();
        (layout, drawn)
    }
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// The checks every plot must pass; `what` names the case in messages.
fn check(what: &str, c: &Canvas, layout: &PlotLayout, drawn: &[Drawn], legend_entries: usize) {
    // The canvas as sized by the page: CSS size × DPR, rounded to device pixels.
    let (dw, dh) = c.device();
    let (cw, ch) = (dw as f64 / c.dpr, dh as f64 / c.dpr);
    assert!(
        (layout.width - cw).abs() < 1e-9 && (layout.height - ch).abs() < 1e-9,
        "{what}: layout of a {cw}×{ch} canvas is {}×{}",
        layout.width,
        layout.height
    );
    // What was drawn is what is reported: same texts, each drawn box (real font metrics)
    // inside its reported box (up to 1 CSS px of rounding).
    assert_eq!(
        drawn.len(),
        layout.labels.len(),
        "{what}: drawn {:?} vs reported {:?}",
        drawn.iter().map(|d| &d.text).collect::<Vec<_>>(),
        layout.labels.iter().map(|l| &l.text).collect::<Vec<_>>()
    );
    for (d, l) in drawn.iter().zip(&layout.labels) {
        assert_eq!(d.text, l.text, "{what}");
        let real = d.b.map(|v| v / c.dpr);
        let tol = 1.0;
        assert!(
            real[0] >= l.x - tol
                && real[1] >= l.y - tol
                && real[2] <= l.x + l.w + tol
                && real[3] <= l.y + l.h + tol,
            "{what}: {:?} drawn at {real:?}, reported {l:?}",
            d.text
        );
        // 11 CSS px at least, in the drawing itself.
        assert!(
            d.size / c.dpr >= 11.0 - 1e-9,
            "{what}: {:?} at {} CSS px",
            d.text,
            d.size / c.dpr
        );
        // Inside the canvas.
        assert!(
            real[0] >= -0.5 && real[1] >= -0.5 && real[2] <= cw + 0.5 && real[3] <= ch + 0.5,
            "{what}: {:?} at {real:?} leaves the {cw}×{ch} canvas",
            d.text
        );
    }
    if !drawn.is_empty() {
        assert!(
            layout.min_font_px.unwrap() >= 11.0,
            "{what}: min font {:?}",
            layout.min_font_px
        );
    }
    // No two texts overlap (tick labels of one axis, or anything else). The drawn boxes.
    let real: Vec<Rect> = drawn
        .iter()
        .map(|d| Rect {
            x: d.b[0] / c.dpr,
            y: d.b[1] / c.dpr,
            w: (d.b[2] - d.b[0]) / c.dpr,
            h: (d.b[3] - d.b[1]) / c.dpr,
        })
        .collect();
    for i in 0..real.len() {
        for j in i + 1..real.len() {
            assert!(
                !overlap(&real[i], &real[j]),
                "{what}: {:?} {:?} overlaps {:?} {:?}",
                drawn[i].text,
                real[i],
                drawn[j].text,
                real[j]
            );
        }
    }
    // Nothing written over the data: the legend and every text lie outside the plot area.
    if let Some(plot) = &layout.plot {
        let inner = Rect {
            x: plot.x + 0.5,
            y: plot.y + 0.5,
            w: plot.w - 1.0,
            h: plot.h - 1.0,
        };
        if let Some(legend) = &layout.legend {
            assert!(
                !overlap(legend, &inner),
                "{what}: legend {legend:?} on {plot:?}"
            );
        }
        for (d, r) in drawn.iter().zip(&real) {
            assert!(
                !overlap(r, &inner),
                "{what}: {:?} {r:?} on the data {plot:?}",
                d.text
            );
        }
        // Both axes are labelled, with at least two ticks.
        let count = |role: &str| layout.labels.iter().filter(|l| l.role == role).count();
        assert!(count("x_tick") >= 2, "{what}: x ticks {:?}", layout.labels);
        assert!(count("y_tick") >= 2, "{what}: y ticks {:?}", layout.labels);
    }
    // Every legend entry is shown (shortened with … at most).
    let legend: Vec<_> = layout
        .labels
        .iter()
        .filter(|l| l.role == "legend")
        .collect();
    assert_eq!(legend.len(), legend_entries, "{what}: legend {legend:?}");
    assert_eq!(layout.legend.is_some(), legend_entries > 0, "{what}");
}

/// Runs of the default experiment under several names (a race of solvers), one with a long name.
fn race() -> Vec<Trace> {
    let t = Experiment::default().run().unwrap().remove(0);
    let mut out = vec![t.clone(), t.clone(), t];
    out[0].solver = "gradient descent".into();
    out[1].solver = "Newton".into();
    out[2].solver = "Nesterov momentum with Armijo backtracking line search (β = 0.9)".into();
    out
}

/// The widths of the issue, heights in proportion, at DPR 1, 2, 3.
fn canvases() -> Vec<Canvas> {
    let mut v = Vec::new();
    for w in [320.0, 390.0, 760.0, 1366.0] {
        for dpr in [1.0, 2.0, 3.0] {
            v.push(Canvas {
                w,
                h: (w * 0.7f64).round(),
                dpr,
            });
        }
    }
    // A short embed cell, and an odd ratio.
    v.push(Canvas {
        w: 300.0,
        h: 150.0,
        dpr: 1.0,
    });
    v.push(Canvas {
        w: 390.0,
        h: 260.0,
        dpr: 2.625,
    });
    v
}

fn name(what: &str, c: &Canvas) -> String {
    format!("{what} at {}×{} DPR {}", c.w, c.h, c.dpr)
}

#[test]
fn surfaces_lab_plots_lay_out_at_every_size() {
    let traces = race();
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 40, 40);
    for c in canvases() {
        // Contour map with equal scales, a legend of three runs.
        let overlay = MapOverlay {
            traces: &traces,
            equal_scale: Some(Peaks::VIEW),
            ..Default::default()
        };
        let shown = shown_view(c.device(), &overlay, Peaks::VIEW, &c.style());
        let g = Grid::sample(&Peaks, shown, 40, 40);
        let (layout, drawn) = c.record(|root, s| {
            draw_contour_map(root, &g, &overlay, s, &mut |_| true)
                .unwrap()
                .1
        });
        check(&name("contour", &c), &c, &layout, &drawn, 3);
        let (ux, uy) = (
            layout.x_units_per_px.unwrap(),
            layout.y_units_per_px.unwrap(),
        );
        assert!((ux - uy).abs() <= 1e-9 * ux, "{ux} vs {uy}");

        let (layout, drawn) = c.record(|root, s| {
            let overlay = MapOverlay {
                traces: &traces,
                ..Default::default()
            };
            let cam = Camera {
                yaw: 0.6,
                pitch: 0.45,
            };
            draw_surface(root, &grid, &overlay, cam, s).unwrap()
        });
        check(&name("surface", &c), &c, &layout, &drawn, 0);
        for axis in ["x_title", "y_title", "z_title"] {
            assert!(
                layout.labels.iter().any(|l| l.role == axis),
                "{}: {axis} missing",
                name("surface", &c)
            );
        }

        // Relative to the known minimum (f* of peaks, or the best seen if a run is below the
        // published value), and to the best value seen (a typed formula).
        for reference in [
            Reference::from_minima(&SurfaceId::Peaks.minima()),
            Reference::from_minima(&SurfaceId::Rosenbrock.minima()),
            Reference::BestSeen,
        ] {
            let (layout, drawn) = c
                .record(|root, s| draw_convergence(root, &traces, &reference, Some(3), s).unwrap());
            check(&name("convergence", &c), &c, &layout, &drawn, 0);
        }

        // 300 iterations: the labels that ran together ("050100150200250300").
        let (layout, drawn) = c.record(|root, s| {
            gradlab::plot::schedule::draw_schedule(
                root,
                &Schedule::Exponential { gamma: 0.99 },
                300,
                Some(40),
                s,
            )
            .unwrap()
        });
        check(&name("schedule", &c), &c, &layout, &drawn, 0);
    }
}

#[test]
fn regression_lab_plots_lay_out_at_every_size() {
    let xs: Vec<f64> = (0..200).map(|i| i as f64 * 0.37 - 4.0).collect();
    let data: Vec<(f64, f64)> = xs
        .iter()
        .map(|&x| (x, 2.5 * x + 30.0 + (x * 7.0).sin()))
        .collect();
    let line = |w: f64, b: f64| vec![(-4.0, -4.0 * w + b), (70.0, 70.0 * w + b)];
    let series = vec![
        Series {
            points: data.clone(),
            color: RGBColor(70, 80, 100),
            mark: Mark::Dots {
                radius: 2.2,
                alpha: 0.45,
            },
            label: "data".into(),
            marker: None,
        },
        Series {
            points: line(2.5, 30.0),
            color: RGBColor(0, 0, 0),
            mark: Mark::Line {
                width: 1.5,
                dashed: true,
            },
            label: "exact (QR)".into(),
            marker: None,
        },
        Series {
            points: line(2.4, 28.0),
            color: RGBColor(214, 39, 40),
            mark: Mark::Line {
                width: 2.0,
                dashed: false,
            },
            label: "batch GD".into(),
            marker: None,
        },
        Series {
            points: line(2.6, 31.0),
            color: RGBColor(30, 100, 220),
            mark: Mark::Line {
                width: 2.0,
                dashed: false,
            },
            label: "SGD (M = 10)".into(),
            marker: None,
        },
    ];
    let axes = Axes {
        x_desc: "x".into(),
        y_desc: "y".into(),
        ..Default::default()
    };
    let losses: Vec<LossSeries> = ["batch GD", "SGD (M = 10)"]
        .iter()
        .enumerate()
        .map(|(i, l)| LossSeries {
            batches: (0..3000)
                .map(|k| {
                    (
                        k as f64 / 10.0,
                        1e3 * (-(k as f64) / (300.0 + 100.0 * i as f64)).exp() + 0.8,
                    )
                })
                .collect(),
            epochs: (0..=300)
                .map(|e| (e as f64, 1e3 * (-(e as f64) / 30.0).exp() + 0.8))
                .collect(),
            color: RGBColor(214, 39, 40),
            label: l.to_string(),
        })
        .collect();
    let traces = race();
    let loss_view = ViewBox::new(-2.0, 6.0, -10.0, 70.0);
    let loss_grid = Grid::sample(&Peaks, loss_view, 40, 40);
    for c in canvases() {
        let (layout, drawn) = c.record(|root, s| draw_xy(root, &series, &axes, s).unwrap());
        check(&name("data", &c), &c, &layout, &drawn, 4);
        let (layout, drawn) = c.record(|root, s| {
            let a = Axes {
                x_desc: "fitted ŷ".into(),
                y_desc: "residual y − ŷ".into(),
                ..Default::default()
            };
            draw_xy(root, &series[..1], &a, s).unwrap()
        });
        check(&name("residuals", &c), &c, &layout, &drawn, 1);
        let (layout, drawn) =
            c.record(|root, s| draw_losses(root, &losses, Some(0.8), Some(120.0), s).unwrap());
        check(&name("loss", &c), &c, &layout, &drawn, 3);
        // The loss map over (w, b): not square (different units), legend outside.
        let overlay = MapOverlay {
            traces: &traces[..2],
            axes: ("w", "b"),
            value: "MSE",
            ..Default::default()
        };
        let (layout, drawn) = c.record(|root, s| {
            draw_contour_map(root, &loss_grid, &overlay, s, &mut |_| true)
                .unwrap()
                .1
        });
        check(&name("loss map", &c), &c, &layout, &drawn, 2);
        let (layout, drawn) = c.record(|root, s| {
            let cam = Camera {
                yaw: 2.2,
                pitch: 0.9,
            };
            draw_surface(root, &loss_grid, &overlay, cam, s).unwrap()
        });
        check(&name("loss surface", &c), &c, &layout, &drawn, 0);
    }
}

#[test]
fn fit_lab_plots_lay_out_at_every_size() {
    let x: Vec<f64> = (0..60).map(|i| 500.0 + i as f64 * 37.0).collect();
    let y: Vec<f64> = x.iter().map(|v| 0.004 * v + (v / 300.0).sin()).collect();
    let curve = |a: f64| x.iter().map(|v| (*v, a * v)).collect::<Vec<_>>();
    let curves = vec![
        CurveSeries {
            points: curve(0.004),
            color: RGBColor(214, 39, 40),
            dashed: false,
            label: "Levenberg–Marquardt at k = 12".into(),
            marker: None,
        },
        CurveSeries {
            points: curve(0.0041),
            color: RGBColor(200, 160, 0),
            dashed: true,
            label: String::new(),
            marker: None,
        },
        CurveSeries {
            points: curve(0.0039),
            color: RGBColor(200, 160, 0),
            dashed: false,
            label: "Gauss–Newton".into(),
            marker: None,
        },
    ];
    let residuals = vec![ResidualSeries {
        points: x.iter().zip(&y).map(|(a, b)| (*a, b - 0.004 * a)).collect(),
        color: RGBColor(214, 39, 40),
    }];
    let mut traces = race();
    for (k, it) in traces[0].iterates.iter_mut().enumerate() {
        it.extra
            .push(("lambda".into(), 10f64.powi(-(k as i32 % 9))));
    }
    let view = ViewBox::new(0.001, 0.008, -3.0, 3.0);
    let grid = Grid::sample(&Peaks, view, 40, 40);
    for c in canvases() {
        let (layout, drawn) = c.record(|root, s| draw_fit(root, &x, &y, &curves, s).unwrap());
        check(&name("fit", &c), &c, &layout, &drawn, 2);
        let (layout, drawn) = c.record(|root, s| draw_residuals(root, &residuals, s).unwrap());
        check(&name("fit residuals", &c), &c, &layout, &drawn, 0);
        let (layout, drawn) =
            c.record(|root, s| draw_lsq_convergence(root, &traces, Some(2), s).unwrap());
        check(&name("fit convergence", &c), &c, &layout, &drawn, 0);
        assert!(layout.labels.iter().filter(|l| l.role == "y2_tick").count() >= 2);
        // Two panels (SSR; ‖Jᵀr‖ and λ), aligned, each with its own labelled axis.
        assert_eq!(layout.panels.len(), 2, "{}", name("fit convergence", &c));
        let (top, low) = (&layout.panels[0], &layout.panels[1]);
        assert!(top.x == low.x && top.w == low.w && top.y + top.h < low.y);
        for (i, p) in layout.panels.iter().enumerate() {
            let beside = |role: &str| {
                layout
                    .labels
                    .iter()
                    .filter(|l| {
                        l.role == role
                            && (l.y + l.h / 2.0 - (p.y + p.h / 2.0)).abs() <= p.h / 2.0 + l.h
                    })
                    .count()
            };
            assert!(
                beside("y_tick") >= 2,
                "{} panel {i}",
                name("fit convergence", &c)
            );
            assert_eq!(
                layout.labels.iter().filter(|l| l.role == "y_title").count(),
                2,
                "{}",
                name("fit convergence", &c)
            );
        }
        let overlay = MapOverlay {
            traces: &traces,
            axes: ("a", "b"),
            value: "SSR",
            ..Default::default()
        };
        let (layout, drawn) = c.record(|root, s| {
            draw_contour_map(root, &grid, &overlay, s, &mut |_| true)
                .unwrap()
                .1
        });
        check(&name("landscape", &c), &c, &layout, &drawn, 3);
    }
}

#[test]
fn ticks_follow_the_axis_length() {
    let traces = race();
    let count = |w: f64| {
        let c = Canvas {
            w,
            h: 300.0,
            dpr: 1.0,
        };
        let (layout, _) = c.record(|root, s| {
            draw_convergence(root, &traces, &Reference::BestSeen, None, s).unwrap()
        });
        layout.labels.iter().filter(|l| l.role == "x_tick").count()
    };
    let (phone, desk) = (count(320.0), count(1366.0));
    assert!(
        phone >= 2 && desk > phone + 2,
        "x ticks: {phone} at 320 px, {desk} at 1366 px"
    );
}

/// The surfaces map keeps one data unit as many pixels in x as in y at any canvas aspect, shows
/// the stored view box centred and whole, and a click maps back to the point drawn there.
#[test]
fn contour_map_keeps_equal_scales_and_clicks_land_where_drawn() {
    let traces = race();
    let view = ViewBox::new(-3.0, 3.0, -2.0, 2.5);
    for (w, h, dpr) in [
        (360.0, 600.0, 1.0),
        (360.0, 600.0, 3.0),
        (1200.0, 500.0, 1.0),
        (1200.0, 500.0, 2.0),
        (600.0, 400.0, 1.0),
        (320.0, 240.0, 2.625),
    ] {
        let c = Canvas { w, h, dpr };
        let overlay = MapOverlay {
            traces: &traces,
            equal_scale: Some(view),
            ..Default::default()
        };
        let shown = shown_view(c.device(), &overlay, view, &c.style());
        let grid = Grid::sample(&Peaks, shown, 30, 30);
        let mut drawn_map = None;
        let (layout, drawn) = c.record(|root, s| {
            let (map, layout) = draw_contour_map(root, &grid, &overlay, s, &mut |_| true).unwrap();
            drawn_map = Some(map);
            layout
        });
        let map = drawn_map.unwrap();
        let what = format!("map {w}×{h} DPR {dpr}");
        check(&what, &c, &layout, &drawn, 3);
        // The drawn range is the one the grid was sampled over.
        assert_eq!(map.view, shown, "{what}");
        let (ux, uy) = map.units_per_px();
        assert!(
            (ux - uy).abs() <= 1e-9 * ux,
            "{what}: {ux} vs {uy} units per px"
        );
        let (lx, ly) = (
            layout.x_units_per_px.unwrap(),
            layout.y_units_per_px.unwrap(),
        );
        assert!(
            (lx - ly).abs() <= 1e-9 * lx && (lx - ux * dpr).abs() <= 1e-9 * lx,
            "{what}"
        );
        // The stored box is inside, centred; one axis is exactly the stored one.
        assert!(
            shown.x_min <= view.x_min && shown.x_max >= view.x_max,
            "{what}: {shown:?}"
        );
        assert!(
            shown.y_min <= view.y_min && shown.y_max >= view.y_max,
            "{what}: {shown:?}"
        );
        let same_x = shown.x_min == view.x_min && shown.x_max == view.x_max;
        let same_y = shown.y_min == view.y_min && shown.y_max == view.y_max;
        assert!(same_x || same_y, "{what}: {shown:?}");
        assert!(((shown.x_min + shown.x_max) - (view.x_min + view.x_max)).abs() < 1e-12);
        assert!(((shown.y_min + shown.y_max) - (view.y_min + view.y_max)).abs() < 1e-12);
        // Tall canvas: y grown; wide canvas: x grown.
        if h > w {
            assert!(same_x && !same_y, "{what}");
        } else if w > 2.0 * h {
            assert!(same_y && !same_x, "{what}");
        }
        // Data → pixel → data, and pixel → data → pixel, on this non-square canvas.
        for (x, y) in [(0.0, 0.0), (-2.9, 2.4), (1.234567, -1.98765), (2.999, -0.5)] {
            let (px, py) = map.to_pixel(x, y);
            let (bx, by) = map.to_data(px, py).expect("inside the plot area");
            assert!(
                (bx - x).abs() <= 1e-9 && (by - y).abs() <= 1e-9,
                "{what}: ({x}, {y}) → ({px}, {py}) → ({bx}, {by})"
            );
        }
        let (cx, cy) = (
            (map.x_px.0 + map.x_px.1) as f64 / 2.0 + 0.3,
            (map.y_px.0 + map.y_px.1) as f64 / 2.0 - 0.7,
        );
        let (x, y) = map.to_data(cx, cy).unwrap();
        let (px, py) = map.to_pixel(x, y);
        assert!((px - cx).abs() < 1e-9 && (py - cy).abs() < 1e-9, "{what}");
        // The plot area's corners are the shown range's corners (plotters' mapping).
        let (l, t) = map.to_pixel(shown.x_min, shown.y_max);
        let (r, b) = map.to_pixel(shown.x_max, shown.y_min);
        assert!((l - map.x_px.0 as f64).abs() < 1e-9 && (t - map.y_px.0 as f64).abs() < 1e-9);
        assert!((r - (map.x_px.1 - 1) as f64).abs() < 1e-9, "{what}");
        assert!((b - (map.y_px.1 - 1) as f64).abs() < 1e-9, "{what}");
        // The reported view is the drawn one; with the plot rect and the units per px it maps
        // a CSS point to data as a click does.
        assert_eq!(layout.view, Some(shown), "{what}");
        let (cssx, cssy) = (px / dpr, py / dpr);
        let plot = layout.plot.unwrap();
        let fx = shown.x_min + (cssx - plot.x) * lx;
        let fy = shown.y_max - (cssy - plot.y) * ly;
        let (tx, ty) = map.to_data(px, py).unwrap();
        assert!((fx - tx).abs() < 1e-9 && (fy - ty).abs() < 1e-9, "{what}");
        // The reported plot rect is the pixel map's, in CSS px.
        let plot = layout.plot.unwrap();
        assert!((plot.x - map.x_px.0 as f64 / dpr).abs() < 1e-9, "{what}");
        assert!(
            (plot.w - (map.x_px.1 - map.x_px.0) as f64 / dpr).abs() < 1e-9,
            "{what}"
        );
    }
}
