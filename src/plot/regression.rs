//! Plots of the linear-regression lab: a scatter/line chart (data with fitted curves, predicted vs
//! actual, residuals vs fitted) and the training-loss chart (per-batch loss faint, epoch loss bold,
//! log scale). The loss surface over (w, b) reuses [`super::contour`] and [`super::surface`] with a
//! [`Grid`] from [`loss_grid`].

use super::layout::{frame_chart, layout_frame, Axis, FrameSpec, LegendEntry, Painter, Swatch};
use super::{err, Grid, PlotLayout, PlotStyle};
use crate::problem::surfaces::ViewBox;
use plotters::coord::Shift;
use plotters::prelude::*;

/// At most this many points of one series are drawn (evenly strided), so 10⁶ samples stay fast.
pub const MAX_POINTS: usize = 4000;

/// How one series is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mark {
    /// Filled dots of this radius (CSS px) and opacity.
    Dots {
        /// Radius in CSS px.
        radius: f64,
        /// Opacity in [0, 1].
        alpha: f64,
    },
    /// A polyline of this width (CSS px), dashed or solid.
    Line {
        /// Width in CSS px.
        width: f64,
        /// Dashed.
        dashed: bool,
    },
}

/// One series of an [`draw_xy`] chart.
#[derive(Clone, Debug)]
pub struct Series {
    /// Points (x, y); non-finite ones are skipped.
    pub points: Vec<(f64, f64)>,
    /// Colour.
    pub color: RGBColor,
    /// Dots or line.
    pub mark: Mark,
    /// Legend text (none when empty).
    pub label: String,
    /// The solver's marker: dots drawn in this shape, or along a line and in its legend entry.
    pub marker: Option<super::Marker>,
}

/// Axis titles and options of an [`draw_xy`] chart.
#[derive(Clone, Debug, Default)]
pub struct Axes {
    /// x-axis title.
    pub x_desc: String,
    /// y-axis title.
    pub y_desc: String,
    /// Fixed x range; `None` = from the dot series (lines never widen the range).
    pub x_range: Option<(f64, f64)>,
    /// Fixed y range; `None` = from the dot series.
    pub y_range: Option<(f64, f64)>,
}

/// Every `ceil(len / MAX_POINTS)`-th point, so at most [`MAX_POINTS`] remain.
pub fn thin<T: Copy>(v: &[T]) -> Vec<T> {
    let stride = v.len().div_ceil(MAX_POINTS).max(1);
    v.iter().step_by(stride).copied().collect()
}

/// The smallest finite range holding the values, padded by 5 % (±0.5 around a single value).
pub fn padded_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return None;
    }
    let pad = if hi > lo {
        (hi - lo) * 0.05
    } else {
        0.5 * lo.abs().max(1.0)
    };
    Some((lo - pad, hi + pad))
}

/// A scatter/line chart: dots and lines in data coordinates, with a legend when labels are given.
///
/// The axis ranges come from the dot series (or [`Axes`]); lines are clipped to them, so a fitted
/// line far off the data does not squash the scatter.
pub fn draw_xy<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[Series],
    axes: &Axes,
    style: &PlotStyle,
) -> Result<PlotLayout, String> {
    let pal = super::palette();
    root.fill(&pal.background).map_err(err)?;
    let dots = || {
        series
            .iter()
            .filter(|s| matches!(s.mark, Mark::Dots { .. }))
            .flat_map(|s| s.points.iter())
    };
    let all = || series.iter().flat_map(|s| s.points.iter());
    let xr = axes
        .x_range
        .or_else(|| padded_range(dots().map(|p| p.0)))
        .or_else(|| padded_range(all().map(|p| p.0)))
        .unwrap_or((0.0, 1.0));
    let yr = axes
        .y_range
        .or_else(|| padded_range(dots().map(|p| p.1)))
        .or_else(|| padded_range(all().map(|p| p.1)))
        .unwrap_or((0.0, 1.0));
    let legend: Vec<LegendEntry> = series
        .iter()
        .filter(|s| !s.label.is_empty())
        .map(|s| LegendEntry {
            label: s.label.clone(),
            swatch: match (s.mark, s.marker) {
                (Mark::Dots { .. }, None) => Swatch::Dot(s.color),
                (Mark::Dots { .. }, Some(m)) => Swatch::Mark(s.color, m),
                (Mark::Line { width, dashed }, None) => {
                    Swatch::Line(s.color, width.max(1.5), dashed)
                }
                (Mark::Line { width, dashed }, Some(m)) => Swatch::Styled(
                    s.color,
                    width.max(1.5),
                    if dashed {
                        super::Dash::Dashed
                    } else {
                        super::Dash::Solid
                    },
                    Some(m),
                ),
            },
        })
        .collect();
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let spec = FrameSpec {
        x: Axis::linear(xr.0, xr.1, &axes.x_desc),
        y: Axis::linear(yr.0, yr.1, &axes.y_desc),
        y2: None,
        legend: &legend,
        right_reserve: 0,
        grid_lines: true,
        fit_ranges: None,
    };
    let frame = layout_frame(w, h, &spec, style);
    frame.draw(&mut painter, &spec, style)?;
    let mut chart = frame_chart(root, &frame, xr.0..xr.1, yr.0..yr.1)?;
    let view = ViewBox::new(xr.0, xr.1, yr.0, yr.1);
    let mut marked = 0usize;
    for s in series {
        let color = s.color;
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .copied()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect();
        match s.mark {
            Mark::Dots { radius, alpha } => {
                let r = style.ipx(radius);
                let inside =
                    |p: &(f64, f64)| p.0 >= xr.0 && p.0 <= xr.1 && p.1 >= yr.0 && p.1 <= yr.1;
                if let Some(m) = s.marker {
                    let shape = super::marker_polygon(m, r as f64, 0.0);
                    chart
                        .draw_series(thin(&pts).into_iter().filter(inside).map(|p| {
                            EmptyElement::at(p)
                                + Polygon::new(shape.clone(), color.mix(alpha).filled())
                        }))
                        .map_err(err)?
                } else {
                    chart
                        .draw_series(
                            thin(&pts)
                                .into_iter()
                                .filter(inside)
                                .map(|p| Circle::new(p, r, color.mix(alpha).filled())),
                        )
                        .map_err(err)?
                }
            }
            Mark::Line { width, dashed } => {
                let segs: Vec<[(f64, f64); 2]> = pts
                    .windows(2)
                    .filter_map(|w| super::contour::clip_segment(w[0], w[1], &view))
                    .collect();
                let st = color.stroke_width(style.px(width));
                if dashed {
                    chart
                        .draw_series(
                            dashes(&segs, &xr, &yr)
                                .into_iter()
                                .map(|d| PathElement::new(d.to_vec(), st)),
                        )
                        .map_err(err)?
                } else {
                    let lines = super::contour::clip_polyline(&pts, &view);
                    if let Some(m) = s.marker {
                        // The solver's marker along the line, 60 CSS px apart, each solver's
                        // set shifted so that coinciding lines show every shape.
                        let (outer, inner) = (
                            super::marker_polygon(m, style.px(3.5) as f64, style.px(1.0) as f64),
                            super::marker_polygon(m, style.px(3.5) as f64, 0.0),
                        );
                        let shift = (12.0 + 20.0 * (marked % 3) as f64) * style.scale;
                        marked += 1;
                        let mut at = Vec::new();
                        for l in &lines {
                            let px: Vec<(f64, f64)> = l
                                .iter()
                                .map(|p| {
                                    let q = chart.backend_coord(p);
                                    (q.0 as f64, q.1 as f64)
                                })
                                .collect();
                            at.extend(super::along_path(l, &px, 60.0 * style.scale, shift, 80));
                        }
                        chart
                            .draw_series(lines.into_iter().map(|l| PathElement::new(l, st)))
                            .map_err(err)?;
                        let edge = pal.background.mix(0.9);
                        chart
                            .draw_series(at.into_iter().map(|p| {
                                EmptyElement::at(p)
                                    + Polygon::new(outer.clone(), edge.filled())
                                    + Polygon::new(inner.clone(), color.filled())
                            }))
                            .map_err(err)?
                    } else {
                        chart
                            .draw_series(lines.into_iter().map(|l| PathElement::new(l, st)))
                            .map_err(err)?
                    }
                }
            }
        };
    }
    Ok(painter.finish())
}

/// Splits a polyline (consecutive data-space segments) into dashes 1/120 of the plot's extent
/// long (in axis units), with gaps as long. The dash phase carries over from segment to segment,
/// so a curve made of many short segments is dashed too.
fn dashes(segs: &[[(f64, f64); 2]], xr: &(f64, f64), yr: &(f64, f64)) -> Vec<[(f64, f64); 2]> {
    const DASH: f64 = 1.0 / 120.0;
    let mut out = Vec::new();
    // Current state (dash or gap) and the normalized length left in it; carried across segments.
    let (mut on, mut remaining) = (true, DASH);
    for &[a, b] in segs {
        let nx = (b.0 - a.0) / (xr.1 - xr.0);
        let ny = (b.1 - a.1) / (yr.1 - yr.0);
        let len = (nx * nx + ny * ny).sqrt();
        if !(len.is_finite() && len > 0.0) {
            continue;
        }
        let p = |t: f64| (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
        let mut t = 0.0;
        while t < 1.0 && out.len() < 4000 {
            let left = (1.0 - t) * len;
            let (step, t1) = if remaining >= left {
                (left, 1.0)
            } else {
                (remaining, t + remaining / len)
            };
            if on {
                out.push([p(t), p(t1)]);
            }
            remaining -= step;
            if remaining <= 1e-12 {
                on = !on;
                remaining = DASH;
            }
            t = t1;
        }
    }
    out
}

/// One run's losses for [`draw_losses`].
#[derive(Clone, Debug)]
pub struct LossSeries {
    /// (epoch position, batch loss) per recorded update; drawn faint.
    pub batches: Vec<(f64, f64)>,
    /// (epoch, full-data loss) per epoch; drawn bold with dots.
    pub epochs: Vec<(f64, f64)>,
    /// Colour.
    pub color: RGBColor,
    /// Legend text.
    pub label: String,
}

/// Training loss against epochs on a log scale: per-batch losses faint, epoch losses bold, the
/// exact least-squares minimum as a dashed floor, and a marker at epoch `upto`.
pub fn draw_losses<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    runs: &[LossSeries],
    minimum: Option<f64>,
    upto: Option<f64>,
    style: &PlotStyle,
) -> Result<PlotLayout, String> {
    let pal = super::palette();
    root.fill(&pal.background).map_err(err)?;
    let pos = |v: &f64| v.is_finite() && *v > 0.0;
    let vals = runs
        .iter()
        .flat_map(|r| r.batches.iter().chain(&r.epochs).map(|p| p.1))
        .chain(minimum)
        .filter(pos);
    let (lo, hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (lo, hi) = if lo.is_finite() {
        let l = lo.log10().floor();
        (10f64.powf(l), 10f64.powf(hi.log10().ceil().max(l + 1.0)))
    } else {
        (1e-3, 1.0)
    };
    let e_max = runs
        .iter()
        .flat_map(|r| r.epochs.iter().chain(&r.batches).map(|p| p.0))
        .filter(|v| v.is_finite())
        .fold(1.0f64, f64::max);
    let mut legend: Vec<LegendEntry> = runs
        .iter()
        .enumerate()
        .map(|(n, r)| LegendEntry {
            label: r.label.clone(),
            swatch: Swatch::Styled(
                r.color,
                2.5,
                super::solver_dash(n),
                Some(super::solver_marker(n)),
            ),
        })
        .collect();
    if minimum.filter(pos).is_some() {
        legend.push(LegendEntry {
            label: "exact minimum (QR)".into(),
            swatch: Swatch::Line(pal.muted, 1.5, true),
        });
    }
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let spec = FrameSpec {
        x: Axis::int(0.0, e_max, "epoch"),
        y: Axis::log(lo, hi, "MSE (log)"),
        y2: None,
        legend: &legend,
        right_reserve: 0,
        grid_lines: true,
        fit_ranges: None,
    };
    let frame = layout_frame(w, h, &spec, style);
    frame.draw(&mut painter, &spec, style)?;
    let mut chart = frame_chart(root, &frame, 0.0..e_max, (lo..hi).log_scale())?;
    let clamp = |p: &(f64, f64)| (p.0, p.1.clamp(lo, hi));
    for r in runs {
        let faint: Vec<(f64, f64)> = thin(&r.batches)
            .iter()
            .filter(|p| pos(&p.1))
            .map(clamp)
            .collect();
        chart
            .draw_series(LineSeries::new(
                faint,
                r.color.mix(0.3).stroke_width(style.px(1.0)),
            ))
            .map_err(err)?;
    }
    for (n, r) in runs.iter().enumerate() {
        let bold: Vec<(f64, f64)> = r.epochs.iter().filter(|p| pos(&p.1)).map(clamp).collect();
        let color = r.color;
        // Each run in its own line style and marker (GD solid with circles, SGD dashed with
        // squares …), so colour is never the only cue.
        let px: Vec<(f64, f64)> = bold
            .iter()
            .map(|p| {
                let q = chart.backend_coord(p);
                (q.0 as f64, q.1 as f64)
            })
            .collect();
        let st = color.stroke_width(style.px(2.5));
        let base = root.get_base_pixel();
        for piece in super::dash_polyline(&px, super::solver_dash(n), style.scale) {
            let piece: Vec<(i32, i32)> = piece
                .iter()
                .map(|q| (q.0.round() as i32 - base.0, q.1.round() as i32 - base.1))
                .collect();
            root.draw(&PathElement::new(piece, st)).map_err(err)?;
        }
        let marker = super::solver_marker(n);
        let (outer, inner) = (
            super::marker_polygon(marker, style.px(3.0) as f64, style.px(1.0) as f64),
            super::marker_polygon(marker, style.px(3.0) as f64, 0.0),
        );
        let edge = pal.background.mix(0.9);
        chart
            .draw_series(
                super::marker_indices(&px, 14.0 * style.scale, 60)
                    .into_iter()
                    .map(|i| {
                        EmptyElement::at(bold[i])
                            + Polygon::new(outer.clone(), edge.filled())
                            + Polygon::new(inner.clone(), color.filled())
                    }),
            )
            .map_err(err)?;
    }
    if let Some(m) = minimum.filter(pos) {
        let st = pal.fg.mix(0.6).stroke_width(style.px(1.0));
        let k = 40;
        chart
            .draw_series((0..k).filter(|i| i % 2 == 0).map(|i| {
                let (a, b) = (
                    e_max * i as f64 / k as f64,
                    e_max * (i + 1) as f64 / k as f64,
                );
                PathElement::new(vec![(a, m), (b, m)], st)
            }))
            .map_err(err)?;
    }
    if let Some(e) = upto.filter(|e| e.is_finite()) {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(e, lo), (e, hi)],
                pal.fg.mix(0.45).stroke_width(style.px(1.0)),
            )))
            .map_err(err)?;
    }
    Ok(painter.finish())
}

/// The loss of a 2-parameter model θ = (w, b) sampled on a grid from its exact quadratic form.
///
/// The MSE is quadratic in θ: L(θ) = L* + (θ − θ*)ᵀ·A·(θ − θ*) with A = (1/n)·X̃ᵀX̃, X̃ = [x 1]
/// and θ* the least-squares minimizer, L* its MSE. Sampling this form costs O(1) per grid point
/// whatever n is (A needs one pass over the data), and it is accurate near the minimum where
/// expanding the sums Σx², Σxy … directly would cancel.
pub fn loss_grid(
    a: [[f64; 2]; 2],
    theta_star: [f64; 2],
    l_star: f64,
    view: ViewBox,
    nx: usize,
    ny: usize,
) -> Grid {
    let (nx, ny) = (nx.max(2), ny.max(2));
    let mut values = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        let b = view.y_min + (view.y_max - view.y_min) * j as f64 / (ny - 1) as f64;
        for i in 0..nx {
            let w = view.x_min + (view.x_max - view.x_min) * i as f64 / (nx - 1) as f64;
            values.push(quadratic_loss(a, theta_star, l_star, [w, b]));
        }
    }
    Grid::from_values(view, nx, ny, values)
}

/// L* + (θ − θ*)ᵀ·A·(θ − θ*) (see [`loss_grid`]).
pub fn quadratic_loss(a: [[f64; 2]; 2], theta_star: [f64; 2], l_star: f64, t: [f64; 2]) -> f64 {
    let (u, v) = (t[0] - theta_star[0], t[1] - theta_star[1]);
    l_star + a[0][0] * u * u + 2.0 * a[0][1] * u * v + a[1][1] * v * v
}

/// The mini-batch gradient fan on a loss map: from `origin`, one ray per batch (`rays`, steps in
/// data units) and the full-batch ray `full`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fan {
    /// Where every ray starts (w, b).
    pub origin: (f64, f64),
    /// One step per batch, in the epoch's order (the first is the update written out).
    pub rays: Vec<(f64, f64)>,
    /// The full-batch step.
    pub full: (f64, f64),
}

/// Batch rays: white on a dark halo; the first (the update written out): pink (no solver colour).
pub const FAN_RAY: RGBColor = RGBColor(255, 255, 255);
/// The first batch's ray.
pub const FAN_FIRST: RGBColor = RGBColor(255, 150, 230);
/// The full-batch ray: black on a white halo.
pub const FAN_FULL: RGBColor = RGBColor(0, 0, 0);

/// The factor the rays of `fan` are drawn at on a map showing `view`: 1 (the true steps, so the
/// first ray is the path's next step) when the longest ray spans 6–100 % of the view, else a
/// 1-2-5 number that brings it to about a quarter (tiny rays) or half (rays longer than the view)
/// of the view; the caption says so.
pub fn fan_scale(view: &ViewBox, fan: &Fan) -> f64 {
    let (w, h) = (view.x_max - view.x_min, view.y_max - view.y_min);
    let longest = fan
        .rays
        .iter()
        .chain(std::iter::once(&fan.full))
        .map(|r| (r.0 / w).abs().max((r.1 / h).abs()))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    if longest <= 0.0 || (0.06..=1.0).contains(&longest) {
        return 1.0;
    }
    let target = if longest < 0.06 { 0.25 } else { 0.5 } / longest;
    let e = target.log10().floor();
    let base = 10f64.powf(e);
    let m = target / base;
    let nice = if m >= 5.0 {
        5.0
    } else if m >= 2.0 {
        2.0
    } else {
        1.0
    };
    nice * base
}

/// The part t ∈ [t0, t1] ⊆ [0, 1] of the segment p + t·d inside the rectangle (Liang–Barsky).
fn clip(p: (f64, f64), d: (f64, f64), r: (f64, f64, f64, f64)) -> Option<(f64, f64)> {
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (q, dq, lo, hi) in [(p.0, d.0, r.0, r.1), (p.1, d.1, r.2, r.3)] {
        if dq == 0.0 {
            if q < lo || q > hi {
                return None;
            }
            continue;
        }
        let (a, b) = ((lo - q) / dq, (hi - q) / dq);
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        t0 = t0.max(a);
        t1 = t1.min(b);
    }
    (t0 < t1).then_some((t0, t1))
}

/// Draws `fan` over a map drawn at `map` (rays multiplied by `scale`, see [`fan_scale`]), clipped
/// to the plot area. Nothing is drawn for non-finite rays.
pub fn draw_fan<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    map: &super::PixelMap,
    fan: &Fan,
    scale: f64,
    style: &PlotStyle,
) -> Result<(), String> {
    let rect = (
        map.x_px.0 as f64,
        (map.x_px.1 - 1) as f64,
        map.y_px.0 as f64,
        (map.y_px.1 - 1) as f64,
    );
    let o = map.to_pixel(fan.origin.0, fan.origin.1);
    if !(o.0.is_finite() && o.1.is_finite()) {
        return Ok(());
    }
    let lw = |css: f64| style.px(css).max(1);
    let ray = |r: (f64, f64), color: RGBColor, halo: RGBAColor, width: f64| -> Result<(), String> {
        let e = map.to_pixel(fan.origin.0 + scale * r.0, fan.origin.1 + scale * r.1);
        let d = (e.0 - o.0, e.1 - o.1);
        if !(d.0.is_finite() && d.1.is_finite()) || d.0.hypot(d.1) < 0.5 {
            return Ok(());
        }
        let Some((t0, t1)) = clip(o, d, rect) else {
            return Ok(());
        };
        let at = |t: f64| {
            (
                (o.0 + t * d.0).round() as i32,
                (o.1 + t * d.1).round() as i32,
            )
        };
        let mut pts = vec![vec![at(t0), at(t1)]];
        if t1 >= 1.0 {
            // An arrowhead: two strokes back from the tip at ±25°.
            let len = d.0.hypot(d.1);
            let head = style.px(7.0) as f64;
            let head = head.min(len * 0.5);
            let (ux, uy) = (d.0 / len, d.1 / len);
            for a in [0.44f64, -0.44] {
                let (c, s) = (a.cos(), a.sin());
                let (bx, by) = (-(ux * c - uy * s), -(ux * s + uy * c));
                let tip = at(1.0);
                let back = (
                    (e.0 + bx * head).round() as i32,
                    (e.1 + by * head).round() as i32,
                );
                let inside = |p: (i32, i32)| {
                    (p.0 as f64) >= rect.0
                        && (p.0 as f64) <= rect.1
                        && (p.1 as f64) >= rect.2
                        && (p.1 as f64) <= rect.3
                };
                if inside(back) {
                    pts.push(vec![tip, back]);
                }
            }
        }
        for p in &pts {
            root.draw(&PathElement::new(
                p.clone(),
                ShapeStyle::from(halo).stroke_width(lw(width + 2.0)),
            ))
            .map_err(err)?;
        }
        for p in &pts {
            root.draw(&PathElement::new(
                p.clone(),
                ShapeStyle::from(color).stroke_width(lw(width)),
            ))
            .map_err(err)?;
        }
        Ok(())
    };
    let dark = RGBAColor(0, 0, 0, 0.55);
    for (j, r) in fan.rays.iter().enumerate().rev() {
        if j == 0 {
            ray(*r, FAN_FIRST, dark, 2.0)?;
        } else {
            ray(*r, FAN_RAY, dark, 1.2)?;
        }
    }
    ray(fan.full, FAN_FULL, RGBAColor(255, 255, 255, 0.9), 2.2)?;
    let r = style.px(2.5) as i32;
    root.draw(&Circle::new(
        (o.0.round() as i32, o.1.round() as i32),
        r,
        ShapeStyle::from(WHITE).filled(),
    ))
    .map_err(err)?;
    Ok(())
}

// Drawing is checked in the browser (tests/e2e/regression.test.mjs): plotters has no font engine
// natively in this build.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::regression::{Dataset, LinearRegression};
    use crate::problem::Objective;

    /// A curve drawn as many short segments (a degree-3 fit has 240) is dashed as a whole: dashes
    /// and gaps alternate along it, about half of its length inked.
    #[test]
    fn dashes_run_across_short_segments() {
        let pts: Vec<(f64, f64)> = (0..=240).map(|i| (i as f64 / 240.0, 0.5)).collect();
        let segs: Vec<[(f64, f64); 2]> = pts.windows(2).map(|w| [w[0], w[1]]).collect();
        let d = dashes(&segs, &(0.0, 1.0), &(0.0, 1.0));
        let inked: f64 = d.iter().map(|p| p[1].0 - p[0].0).sum();
        assert!((inked - 0.5).abs() < 0.02, "inked length {inked}");
        // 60 dashes of 1/120, split where a dash crosses a segment boundary: far fewer pieces
        // than segments would mean solid; check there are gaps: the pieces do not cover [0, 1].
        let mut covered = vec![false; 1000];
        for p in &d {
            for (i, c) in covered.iter_mut().enumerate() {
                let x = (i as f64 + 0.5) / 1000.0;
                if x >= p[0].0 && x <= p[1].0 {
                    *c = true;
                }
            }
        }
        let share = covered.iter().filter(|&&c| c).count() as f64 / 1000.0;
        assert!((0.45..0.56).contains(&share), "covered {share}");
    }

    #[test]
    fn quadratic_form_equals_the_mse() {
        // Independent check: the quadratic form agrees with the objective's direct sum
        // (1/n)·Σ(w·xᵢ + b − yᵢ)² at arbitrary points.
        let x = vec![0.5, 1.0, 2.0, 3.5, 4.0];
        let y = vec![1.2, 2.9, 5.1, 8.2, 8.8];
        let data = Dataset::new(x.clone(), y.clone(), vec!["x".into()], "y".into()).unwrap();
        let fit = crate::problem::regression::exact::fit(&data, true).unwrap();
        let n = x.len() as f64;
        let sxx = x.iter().map(|v| v * v).sum::<f64>() / n;
        let sx = x.iter().sum::<f64>() / n;
        let a = [[sxx, sx], [sx, 1.0]];
        let obj = LinearRegression {
            data: &data,
            intercept: true,
        };
        for t in [[0.0, 0.0], [2.0, 1.0], [-3.0, 7.5]] {
            let q = quadratic_loss(a, [fit.w[0], fit.b], fit.mse, t);
            let direct = obj.value(&t);
            assert!(
                (q - direct).abs() < 1e-12 * direct.max(1.0),
                "{q} vs {direct}"
            );
        }
        let g = loss_grid(
            a,
            [fit.w[0], fit.b],
            fit.mse,
            ViewBox::new(0.0, 4.0, -2.0, 2.0),
            9,
            7,
        );
        assert!((g.at(2, 3) - obj.value(&[1.0, 0.0])).abs() < 1e-12 * obj.value(&[1.0, 0.0]));
    }

    #[test]
    fn thinning_keeps_at_most_max_points() {
        let v: Vec<usize> = (0..10_001).collect();
        let t = thin(&v);
        assert!(t.len() <= MAX_POINTS && t.len() > MAX_POINTS / 2 && t[0] == 0);
        assert_eq!(thin(&v[..10]).len(), 10);
    }

    /// The fan's rays are drawn where they point: pink first ray, white batch rays, black full
    /// ray, arrowheads, nothing outside the plot area; tiny rays are scaled up by a 1-2-5 factor.
    #[test]
    fn the_fan_draws_its_rays_on_the_map() {
        const W: u32 = 400;
        const H: u32 = 300;
        let mut buf = vec![0u8; (W * H * 3) as usize];
        let map = super::super::PixelMap {
            x_px: (40, 360),
            y_px: (20, 260),
            view: ViewBox::new(0.0, 4.0, 0.0, 3.0),
        };
        // Rays from (1, 1.5): right, up, down-right (leaves the plot at the bottom), full: left.
        let fan = Fan {
            origin: (1.0, 1.5),
            rays: vec![(1.0, 0.0), (0.0, 1.0), (1.0, -3.0)],
            full: (-0.6, 0.0),
        };
        {
            let root = BitMapBackend::with_buffer(&mut buf, (W, H)).into_drawing_area();
            root.fill(&RGBColor(68, 1, 84)).unwrap();
            draw_fan(&root, &map, &fan, 1.0, &PlotStyle::default()).unwrap();
        }
        let px = |x: f64, y: f64| {
            let (a, b) = map.to_pixel(x, y);
            let o = ((b.round() as u32 * W + a.round() as u32) * 3) as usize;
            (buf[o], buf[o + 1], buf[o + 2])
        };
        // Midpoints of the rays.
        assert_eq!(
            px(1.5, 1.5),
            (255, 150, 230),
            "first ray (pink) to the right"
        );
        assert_eq!(px(1.0, 2.0), (255, 255, 255), "second ray (white) upwards");
        assert_eq!(
            px(0.7, 1.5),
            (0, 0, 0),
            "full-batch ray (black) to the left"
        );
        let c = px(1.0 + 0.4, 1.5 - 1.2);
        assert!(
            c.0 > 200 && c.1 > 200 && c.2 > 200,
            "third ray (diagonal, anti-aliased): {c:?}"
        );
        // Off the rays: the background.
        assert_eq!(px(3.0, 2.5), (68, 1, 84));
        assert_eq!(px(1.5, 2.2), (68, 1, 84));
        // Arrowhead of the first ray: pixels beside its tip, behind it, are drawn.
        let tip = map.to_pixel(2.0, 1.5);
        let o = |x: f64, y: f64| ((y as u32 * W + x as u32) * 3) as usize;
        let beside = o(tip.0 - 4.0, tip.1 - 2.0);
        assert_ne!(
            (buf[beside], buf[beside + 1], buf[beside + 2]),
            (68, 1, 84),
            "arrowhead"
        );
        // The third ray would leave the plot area at the bottom: nothing below it is drawn.
        for y in map.y_px.1 as u32 + 1..H {
            for x in 0..W {
                let k = o(x as f64, y as f64);
                assert_eq!(
                    (buf[k], buf[k + 1], buf[k + 2]),
                    (68, 1, 84),
                    "({x}, {y}) outside"
                );
            }
        }
        // Scale: rays of 1/100 of the view become 20× (a quarter of the view is 25×: 1-2-5 → 20).
        let tiny = Fan {
            origin: (1.0, 1.0),
            rays: vec![(0.04, 0.0)],
            full: (0.0, 0.01),
        };
        assert_eq!(fan_scale(&map.view, &tiny), 20.0);
        assert_eq!(
            fan_scale(&map.view, &fan),
            1.0,
            "a ray the height of the view is kept (clipped)"
        );
        let huge = Fan {
            rays: vec![(0.0, 30.0)],
            ..tiny.clone()
        };
        assert_eq!(
            fan_scale(&map.view, &huge),
            0.05,
            "ten views tall: shrunk to half a view"
        );
        let fine = Fan {
            rays: vec![(1.0, 0.0)],
            ..tiny
        };
        assert_eq!(fan_scale(&map.view, &fine), 1.0);
    }
}
