//! Curve-fitting plots: data with fitted curves, residuals, and least-squares convergence (SSR in
//! one panel, ‖Jᵀr‖ and the damping λ in another, each on a log axis of its own). Like every plot here they draw what
//! they are given (points, traces) onto any plotters backend and never run a solver.

use super::layout::{
    draw_stack, frame_chart, layout_frame, layout_stack, Axis, FrameSpec, LegendEntry, Painter,
    Panel, Swatch,
};
use super::{decades, err, PlotLayout, PlotStyle};
use crate::trace::Trace;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Solver colours of the fitting lab on white (index = solver order): red, gold, orange, cyan…
/// — the darkened twins of the trajectory colours of the SSR landscape ([`super::solver_color`]),
/// so that a solver has one hue on every plot, swatch and legend of the lab.
pub const FIT_COLORS: [RGBColor; 8] = [
    RGBColor(214, 39, 40),
    RGBColor(200, 160, 0),
    RGBColor(210, 90, 0),
    RGBColor(0, 150, 180),
    RGBColor(200, 30, 120),
    RGBColor(0, 150, 100),
    RGBColor(30, 100, 220),
    RGBColor(0, 0, 0),
];

/// The colour of solver number `i` in the fitting lab, on the current theme's background
/// ([`super::solver_line_color`]: [`FIT_COLORS`] on white).
pub fn fit_color(i: usize) -> RGBColor {
    match super::theme() {
        super::Theme::Light => FIT_COLORS[i % FIT_COLORS.len()],
        super::Theme::Dark => super::solver_color_on_dark(i),
    }
}

/// A curve to draw over the data.
#[derive(Clone, Debug)]
pub struct CurveSeries {
    /// (x, f(x)) points; non-finite values break the line.
    pub points: Vec<(f64, f64)>,
    /// Colour.
    pub color: RGBColor,
    /// Dashed (e.g. the curve at the chosen iteration) or solid (the final fit).
    pub dashed: bool,
    /// Legend text (empty: no legend entry).
    pub label: String,
    /// The solver's marker, drawn along the curve and in its legend entry (none: a plain line).
    pub marker: Option<super::Marker>,
}

/// Splits a polyline at non-finite points.
fn finite_runs(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![];
    let mut cur = vec![];
    for &p in points {
        if p.0.is_finite() && p.1.is_finite() {
            cur.push(p);
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

/// Range of finite values with a margin; a unit range around a single value.
fn padded_range(values: impl Iterator<Item = f64>, margin: f64) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    if span <= 1e-300 * lo.abs().max(1.0) {
        let d = 0.5 * lo.abs().max(1.0);
        return (lo - d, hi + d);
    }
    (lo - margin * span, hi + margin * span)
}

/// Draws the data (x, y) as dots and `curves` on top. The y axis covers the data and the curves,
/// but at most twice the data's span beyond it (a wild early iterate does not flatten the data).
pub fn draw_fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: &[f64],
    y: &[f64],
    curves: &[CurveSeries],
    style: &PlotStyle,
) -> Result<PlotLayout, String> {
    let pal = super::palette();
    root.fill(&pal.background).map_err(err)?;
    let (x_lo, x_hi) = padded_range(x.iter().copied(), 0.03);
    let (d_lo, d_hi) = padded_range(y.iter().copied(), 0.08);
    let span = d_hi - d_lo;
    let (c_lo, c_hi) = padded_range(
        curves.iter().flat_map(|c| c.points.iter().map(|p| p.1)),
        0.05,
    );
    let y_lo = d_lo.min(c_lo.max(d_lo - 2.0 * span));
    let y_hi = d_hi.max(c_hi.min(d_hi + 2.0 * span));
    let legend: Vec<LegendEntry> = curves
        .iter()
        .filter(|c| !c.label.is_empty())
        .map(|c| LegendEntry {
            label: c.label.clone(),
            swatch: match c.marker {
                Some(m) => Swatch::Styled(
                    c.color,
                    if c.dashed { 1.5 } else { 2.2 },
                    if c.dashed {
                        super::Dash::Dashed
                    } else {
                        super::Dash::Solid
                    },
                    Some(m),
                ),
                None => Swatch::Line(c.color, if c.dashed { 1.5 } else { 2.2 }, c.dashed),
            },
        })
        .collect();
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let spec = FrameSpec {
        x: Axis::linear(x_lo, x_hi, "x"),
        y: Axis::linear(y_lo, y_hi, "y"),
        y2: None,
        legend: &legend,
        right_reserve: 0,
        grid_lines: true,
        fit_ranges: None,
    };
    let frame = layout_frame(w, h, &spec, style);
    frame.draw(&mut painter, &spec, style)?;
    let mut chart = frame_chart(root, &frame, x_lo..x_hi, y_lo..y_hi)?;
    let r = style.ipx(2.5);
    // At most MAX_POINTS dots (every k-th point of a large data set, as the regression plots do):
    // 100 000 dots were ~1.8 s of canvas fill/stroke on the page thread.
    let dots: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
    chart
        .draw_series(
            super::regression::thin(&dots)
                .into_iter()
                .map(|p| Circle::new(p, r, pal.muted.mix(0.75).filled())),
        )
        .map_err(err)?;
    // Clip curves to the plotted band so plotters does not draw far outside.
    let clip = |p: &(f64, f64)| {
        let band = y_hi - y_lo;
        (p.0, p.1.clamp(y_lo - band, y_hi + band))
    };
    for c in curves {
        let w = style.px(if c.dashed { 1.5 } else { 2.2 });
        let style_c = c.color.stroke_width(w);
        for run in finite_runs(&c.points) {
            let run: Vec<_> = run.iter().map(clip).collect();
            if c.dashed {
                chart
                    .draw_series(DashedLineSeries::new(
                        run,
                        style.px(6.0),
                        style.px(4.0),
                        style_c,
                    ))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series(LineSeries::new(run, style_c))
                    .map_err(err)?;
            }
        }
    }
    // Markers along the labelled curves, 60 CSS px apart, each solver's set shifted so that two
    // curves on top of each other (LM and GN agree) show both shapes.
    for (n, c) in curves.iter().filter(|c| c.marker.is_some()).enumerate() {
        let m = c.marker.unwrap_or(super::Marker::Circle);
        let (outer, inner) = (
            super::marker_polygon(m, style.px(3.5) as f64, style.px(1.0) as f64),
            super::marker_polygon(m, style.px(3.5) as f64, 0.0),
        );
        let mut at = Vec::new();
        for run in finite_runs(&c.points) {
            let run: Vec<_> = run.iter().map(clip).collect();
            let px: Vec<(f64, f64)> = run
                .iter()
                .map(|p| {
                    let q = chart.backend_coord(p);
                    (q.0 as f64, q.1 as f64)
                })
                .collect();
            let spacing = 60.0 * style.scale;
            let offset = (12.0 + 20.0 * (n % 3) as f64) * style.scale;
            at.extend(super::along_path(&run, &px, spacing, offset, 80));
        }
        let edge = pal.background.mix(0.9);
        chart
            .draw_series(
                at.into_iter()
                    .filter(|p| p.1 >= y_lo && p.1 <= y_hi)
                    .map(|p| {
                        EmptyElement::at(p)
                            + Polygon::new(outer.clone(), edge.filled())
                            + Polygon::new(inner.clone(), c.color.filled())
                    }),
            )
            .map_err(err)?;
    }
    Ok(painter.finish())
}

/// One solver's residuals r_i = f(x_i; p) − y_i.
#[derive(Clone, Debug)]
pub struct ResidualSeries {
    /// (x_i, r_i).
    pub points: Vec<(f64, f64)>,
    /// Colour.
    pub color: RGBColor,
}

/// Draws residuals against x, one colour and one marker shape per solver
/// ([`super::solver_marker`]: circles, squares …), with the zero line.
pub fn draw_residuals<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[ResidualSeries],
    style: &PlotStyle,
) -> Result<PlotLayout, String> {
    let pal = super::palette();
    root.fill(&pal.background).map_err(err)?;
    let (x_lo, x_hi) = padded_range(
        series.iter().flat_map(|s| s.points.iter().map(|p| p.0)),
        0.03,
    );
    let m = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1.abs()))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let m = if m > 0.0 { m * 1.1 } else { 1.0 };
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let spec = FrameSpec {
        x: Axis::linear(x_lo, x_hi, "x"),
        y: Axis::linear(-m, m, "residual f(x) − y"),
        y2: None,
        legend: &[],
        right_reserve: 0,
        grid_lines: true,
        fit_ranges: None,
    };
    let frame = layout_frame(w, h, &spec, style);
    frame.draw(&mut painter, &spec, style)?;
    let mut chart = frame_chart(root, &frame, x_lo..x_hi, -m..m)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(x_lo, 0.0), (x_hi, 0.0)],
            pal.fg.mix(0.5).stroke_width(style.px(1.0)),
        )))
        .map_err(err)?;
    for (n, s) in series.iter().enumerate() {
        let finite: Vec<(f64, f64)> = s
            .points
            .iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .copied()
            .collect();
        let pts = super::regression::thin(&finite).into_iter();
        let c = s.color;
        // Earlier solvers larger: equal residuals (LM and GN at the same fit) show both shapes.
        let r = 2.5 + 1.2 * (series.len() - 1 - n).min(2) as f64;
        let shape = super::marker_polygon(super::solver_marker(n), style.px(r) as f64, 0.0);
        chart
            .draw_series(pts.map(|p| EmptyElement::at(p) + Polygon::new(shape.clone(), c.filled())))
            .map_err(err)?;
    }
    Ok(painter.finish())
}

/// Least-squares convergence against the record index k, in two panels sharing the k axis, each
/// quantity on a log axis of its own range (so a ‖Jᵀr‖ of 1e59 does not flatten an SSR of 1e15 →
/// 88): SSR (solid) in the top panel; ‖Jᵀr‖ (dashed, left axis) and the damping λ (dotted, right
/// axis, where a trace records `lambda`) in the bottom one. Colours from [`fit_color`]. Zeros (an
/// exact fit) are drawn at the axis floor, at most 100 decades under the top of SSR's and ‖Jᵀr‖'s
/// axes; λ's axis spans all its decades. A vertical marker at `upto` in both panels.
pub fn draw_lsq_convergence<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    traces: &[Trace],
    upto: Option<usize>,
    style: &PlotStyle,
) -> Result<PlotLayout, String> {
    let pal = super::palette();
    root.fill(&pal.background).map_err(err)?;
    let k_max = traces
        .iter()
        .map(Trace::iterations)
        .max()
        .unwrap_or(0)
        .max(1);
    let ssr = |t: &Trace| -> Vec<(f64, f64)> {
        t.iterates.iter().map(|r| (r.k as f64, 2.0 * r.f)).collect()
    };
    let grad = |t: &Trace| -> Vec<(f64, f64)> {
        t.iterates
            .iter()
            .map(|r| (r.k as f64, r.grad_norm))
            .collect()
    };
    let lambda = |t: &Trace| -> Vec<(f64, f64)> {
        t.iterates
            .iter()
            .filter_map(|r| r.extra("lambda").map(|l| (r.k as f64, l)))
            .collect()
    };
    // Each range within 100 decades of its top (exact fits reach 1e-300); MGH10's ‖Jᵀr‖ spans 61.
    let range = |f: &dyn Fn(&Trace) -> Vec<(f64, f64)>| {
        let (lo, hi) = decades(traces.iter().flat_map(|t| f(t).into_iter().map(|p| p.1)));
        (lo.max(hi * 1e-100), hi)
    };
    let (s_lo, s_hi) = range(&ssr);
    let (g_lo, g_hi) = range(&grad);
    let (l_lo, l_hi) = decades(
        traces
            .iter()
            .flat_map(|t| lambda(t).into_iter().map(|p| p.1)),
    );
    let has_lambda = traces.iter().any(|t| !lambda(t).is_empty());
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let x =
        Axis::int(0.0, k_max as f64, "record k (LM: one per trial step)").or_shorter(&["record k"]);
    let panels = [
        Panel {
            y: Axis::log(s_lo, s_hi, "SSR  ——").or_shorter(&["SSR"]),
            y2: None,
            weight: 1.0,
        },
        Panel {
            y: Axis::log(g_lo, g_hi, "‖Jᵀr‖  - -").or_shorter(&["‖Jᵀr‖"]),
            y2: has_lambda.then(|| Axis::log(l_lo, l_hi, "λ  ····").or_shorter(&["λ"])),
            weight: 1.0,
        },
    ];
    let frames = layout_stack(w, h, &x, &panels, style);
    draw_stack(&mut painter, &frames, style)?;
    let (top, bottom) = (&frames[0], &frames[1]);
    let mut s_chart = frame_chart(root, top, 0.0..k_max as f64, (s_lo..s_hi).log_scale())?;
    let mut g_chart = frame_chart(root, bottom, 0.0..k_max as f64, (g_lo..g_hi).log_scale())?
        .set_secondary_coord(0.0..k_max as f64, (l_lo..l_hi).log_scale());
    let floor = |pts: Vec<(f64, f64)>, lo: f64| -> Vec<(f64, f64)> {
        pts.into_iter()
            .filter(|p| p.1.is_finite() && p.1 >= 0.0)
            .map(|p| (p.0, p.1.max(lo)))
            .collect()
    };
    for (n, t) in traces.iter().enumerate() {
        let color = fit_color(n);
        let s_pts = floor(ssr(t), s_lo);
        s_chart
            .draw_series(LineSeries::new(
                s_pts.clone(),
                color.stroke_width(style.px(2.0)),
            ))
            .map_err(err)?;
        // The solver's marker along its SSR line (shape as well as colour; as in the legend of
        // the curve plot), ~36 CSS px apart.
        if traces.len() > 1 {
            let m = super::solver_marker(n);
            let (outer, inner) = (
                super::marker_polygon(m, style.px(3.5) as f64, style.px(1.0) as f64),
                super::marker_polygon(m, style.px(3.5) as f64, 0.0),
            );
            let px: Vec<(f64, f64)> = s_pts
                .iter()
                .map(|p| {
                    let q = s_chart.backend_coord(p);
                    (q.0 as f64, q.1 as f64)
                })
                .collect();
            let edge = pal.background.mix(0.9);
            s_chart
                .draw_series(
                    super::marker_indices(&px, 36.0 * style.scale, 60)
                        .into_iter()
                        .map(|i| {
                            EmptyElement::at(s_pts[i])
                                + Polygon::new(outer.clone(), edge.filled())
                                + Polygon::new(inner.clone(), color.filled())
                        }),
                )
                .map_err(err)?;
        }
        g_chart
            .draw_series(DashedLineSeries::new(
                floor(grad(t), g_lo),
                style.px(5.0),
                style.px(4.0),
                color.stroke_width(style.px(1.5)),
            ))
            .map_err(err)?;
        let l: Vec<(f64, f64)> = lambda(t)
            .into_iter()
            .filter(|p| p.1.is_finite() && p.1 > 0.0)
            .collect();
        if !l.is_empty() {
            g_chart
                .draw_secondary_series(DashedLineSeries::new(
                    l,
                    style.px(1.5),
                    style.px(3.0),
                    color.mix(0.8).stroke_width(style.px(1.5)),
                ))
                .map_err(err)?;
        }
    }
    if let Some(k) = upto {
        let mark = |lo: f64, hi: f64| {
            std::iter::once(PathElement::new(
                vec![(k as f64, lo), (k as f64, hi)],
                pal.fg.mix(0.5).stroke_width(style.px(1.0)),
            ))
        };
        s_chart.draw_series(mark(s_lo, s_hi)).map_err(err)?;
        g_chart.draw_series(mark(g_lo, g_hi)).map_err(err)?;
    }
    Ok(painter.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hue in degrees, or `None` for greys.
    fn hue(c: RGBColor) -> Option<f64> {
        let (r, g, b) = (c.0 as f64, c.1 as f64, c.2 as f64);
        let (max, min) = (r.max(g).max(b), r.min(g).min(b));
        if max - min < 40.0 {
            return None;
        }
        let d = max - min;
        let h = if max == r {
            ((g - b) / d).rem_euclid(6.0)
        } else if max == g {
            (b - r) / d + 2.0
        } else {
            (r - g) / d + 4.0
        };
        Some(60.0 * h)
    }

    #[test]
    fn each_solver_has_the_hue_of_its_landscape_path_on_every_plot() {
        for i in 0..FIT_COLORS.len() {
            let (white, map) = (fit_color(i), crate::plot::solver_color(i));
            match (hue(white), hue(map)) {
                (Some(a), Some(b)) => {
                    let d = (a - b).abs().min(360.0 - (a - b).abs());
                    assert!(
                        d < 15.0,
                        "solver {i}: {white:?} vs {map:?} ({a:.0}° vs {b:.0}°)"
                    );
                }
                (None, None) => {}
                _ => panic!("solver {i}: {white:?} vs {map:?}"),
            }
        }
        // Gauss–Newton (second) is gold on white, as its path is yellow on the map.
        assert_eq!(fit_color(1), RGBColor(200, 160, 0));
    }

    #[test]
    fn finite_runs_split_at_gaps() {
        let r = finite_runs(&[(0.0, 1.0), (1.0, f64::NAN), (2.0, 2.0), (3.0, 3.0)]);
        assert_eq!(r, vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]);
    }

    #[test]
    fn ranges_and_decades() {
        assert_eq!(padded_range([1.0, 3.0].into_iter(), 0.5), (0.0, 4.0));
        assert_eq!(padded_range([2.0].into_iter(), 0.1), (1.0, 3.0));
        assert_eq!(padded_range(std::iter::empty(), 0.1), (0.0, 1.0));
        assert_eq!(decades([0.05, 20.0].into_iter()), (0.01, 100.0));
        assert_eq!(decades([0.0, f64::NAN].into_iter()), (1e-8, 1.0));
    }
}
