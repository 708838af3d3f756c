//! The convergence plot: f(x_k) − f_ref (left axis) and ‖∇f(x_k)‖ (right axis), both on log
//! scales, against k — one colour per solver, so a race reads at a glance. f_ref is the surface's
//! known global minimum f* when it has one ([`Reference::Known`]); otherwise the best value any
//! run reached, and the axis title says so.

use super::layout::{frame_chart, layout_frame, Axis, FrameSpec, Painter};
use super::{decades, err, fmt_tick, solver_line_color, PlotLayout, PlotStyle};
use crate::problem::surfaces::KnownMinimum;
use crate::trace::Trace;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What f(x_k) is measured against.
#[derive(Clone, Debug, PartialEq)]
pub enum Reference {
    /// The surface's global minimum value f* (from the literature) and where it is attained.
    Known {
        /// f*.
        f: f64,
        /// The global minimizers.
        at: Vec<[f64; 2]>,
    },
    /// No known minimum (a typed formula, the saddle): the best value any run reached.
    BestSeen,
}

impl Reference {
    /// f* from a surface's known minima: the lowest value among the global ones (with every
    /// global minimizer attaining it); [`Reference::BestSeen`] when none is known.
    pub fn from_minima(minima: &[KnownMinimum]) -> Reference {
        let f = minima
            .iter()
            .filter(|m| m.global && m.f.is_finite())
            .map(|m| m.f)
            .fold(f64::INFINITY, f64::min);
        if !f.is_finite() {
            return Reference::BestSeen;
        }
        let at = minima
            .iter()
            .filter(|m| m.global && m.f == f)
            .map(|m| m.x)
            .collect();
        Reference::Known { f, at }
    }
}

/// What the gaps were measured from.
#[derive(Clone, Debug, PartialEq)]
pub enum GapRef {
    /// The known minimum f* (the runs stayed at or above it, to round-off).
    Known,
    /// The best value seen: no minimum is known.
    BestSeen,
    /// The best value seen, which is below the known minimum's published value f* (a rounded
    /// table value, or a minimum that is not the lowest).
    BelowKnown(f64),
}

/// The gaps f(x_k) − f_ref of every trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Gaps {
    /// The value subtracted.
    pub f_ref: f64,
    /// What it is.
    pub kind: GapRef,
    /// Gaps at or under this are "at f_ref": 10⁻¹⁶·max(1, |f_ref|), the resolution of f near
    /// f_ref, or for f* the precision of its published digits ([`published_precision`]) if that
    /// is coarser. They are drawn at this floor when f_ref is f*, and not on the log axis (a ▼ on
    /// its bottom edge) when f_ref is the best value seen — there the gap is zero by
    /// construction, and a line plunging to the floor would show a convergence that did not
    /// happen.
    pub floor: f64,
    /// Per trace, (k, f(x_k) − f_ref) for every finite f (unfloored; ≥ −floor).
    pub series: Vec<Vec<(f64, f64)>>,
}

impl Gaps {
    /// `true` when points at the floor are a zero by construction (f_ref is a value seen).
    pub fn relative_to_best(&self) -> bool {
        self.kind != GapRef::Known
    }

    /// The points of trace `i` drawn as a line, in runs (a run breaks where a point is at the
    /// best value seen), and the k of each point where a run reaches the best (the ▼ marks).
    pub fn drawn(&self, i: usize) -> (Vec<Vec<(f64, f64)>>, Vec<f64>) {
        let pts = &self.series[i];
        if !self.relative_to_best() {
            let line = pts.iter().map(|&(k, g)| (k, g.max(self.floor))).collect();
            return (vec![line], Vec::new());
        }
        let (mut runs, mut marks, mut cur) = (Vec::new(), Vec::new(), Vec::new());
        let mut at_best = false;
        for &(k, g) in pts {
            if g > self.floor {
                cur.push((k, g));
                at_best = false;
            } else {
                if !at_best {
                    marks.push(k);
                }
                at_best = true;
                if !cur.is_empty() {
                    runs.push(std::mem::take(&mut cur));
                }
            }
        }
        if !cur.is_empty() {
            runs.push(cur);
        }
        (runs, marks)
    }
}

/// A number as the table gives it (−6.551133, 0, −78.33234), with a minus sign.
fn fmt_value(v: f64) -> String {
    let s = format!("{v}");
    let s = if s.len() <= 10 { s } else { fmt_tick(v) };
    s.replace('-', "−")
}

/// The titles of the gap axis, longest first: what is plotted and what it is relative to.
pub fn gap_titles(gaps: &Gaps, reference: &Reference) -> Vec<String> {
    match (&gaps.kind, reference) {
        (GapRef::Known, Reference::Known { f, at }) => {
            let fs = fmt_value(*f);
            let place = match &at[..] {
                [p] => format!("the minimum at ({}, {})", fmt_value(p[0]), fmt_value(p[1])),
                many => format!("the value at {} global minima", many.len()),
            };
            let short_place = match &at[..] {
                [p] => format!(" at ({}, {})", fmt_value(p[0]), fmt_value(p[1])),
                _ => String::new(),
            };
            let pm = match published_precision(*f) {
                0.0 => String::new(),
                p => format!(" ± {}", fmt_tick(p)),
            };
            vec![
                format!("f(xₖ) − f*  ——  f* = {fs}{pm}, {place}"),
                format!("f − f*, f* = {fs}{pm}{short_place}  ——"),
                format!("f − f*  (f* = {fs}{pm})  ——"),
                format!("f − f*  (f* = {fs})  ——"),
                "f − f* (solid)".into(),
                "f − f*".into(),
            ]
        }
        (GapRef::BelowKnown(f), _) => {
            let fs = fmt_value(*f);
            vec![
                format!(
                    "f(xₖ) − f_best  ——  the best value seen (▼), below the published f* = {fs}"
                ),
                format!("f − f_best, the best seen (< f* = {fs})  ——"),
                "f − best value seen  ——".into(),
                "f − f_best (solid)".into(),
                "f − f_best".into(),
            ]
        }
        _ => vec![
            "f(xₖ) − f_best  ——  relative to the best value seen (▼)".into(),
            "f − f_best, the best value seen  ——".into(),
            "f − best value seen  ——".into(),
            "f − f_best (solid)".into(),
            "f − f_best".into(),
        ],
    }
}

/// Draws f(x_k) − f_ref as solid lines (left axis) and ‖∇f(x_k)‖ as dashed lines (right axis),
/// both log scale, one colour per trace. f_ref is `reference`'s f* when every run stays above it
/// (to round-off), else the lowest f any trace reached ([`gap_series`]); the left axis' title
/// says which. Relative to the best value seen, the points at it are not drawn as a plunge to the
/// floor: the line stops, and a ▼ on the bottom edge marks where a run reached it. A vertical
/// marker at iteration `upto` when given.
pub fn draw_convergence<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    traces: &[Trace],
    reference: &Reference,
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
    let gaps = gap_series(traces, reference);
    let drawn: Vec<_> = (0..traces.len()).map(|i| gaps.drawn(i)).collect();
    let (f_lo, f_hi) = decades(
        drawn
            .iter()
            .flat_map(|(runs, _)| runs.iter().flatten().map(|p| p.1)),
    );
    let (g_lo, g_hi) = decades(
        traces
            .iter()
            .flat_map(|t| t.iterates.iter().map(|r| r.grad_norm)),
    );

    let titles = gap_titles(&gaps, reference);
    let title_refs: Vec<&str> = titles[1..].iter().map(String::as_str).collect();
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let spec = FrameSpec {
        x: Axis::int(0.0, k_max as f64, "iteration k"),
        y: Axis::log(f_lo, f_hi, &titles[0]).or_shorter(&title_refs),
        y2: Some(
            Axis::log(g_lo, g_hi, "‖∇f(xₖ)‖  - - dashed").or_shorter(&["‖∇f‖ (dashed)", "‖∇f‖"]),
        ),
        legend: &[],
        right_reserve: 0,
        grid_lines: true,
        fit_ranges: None,
    };
    let frame = layout_frame(w, h, &spec, style);
    frame.draw(&mut painter, &spec, style)?;
    let mut chart = frame_chart(root, &frame, 0.0..k_max as f64, (f_lo..f_hi).log_scale())?
        .set_secondary_coord(0.0..k_max as f64, (g_lo..g_hi).log_scale());

    // Long runs: the points a pixel column can show (super::thin::columns), not every iteration.
    let width = (frame.plot[2] - frame.plot[0]).max(1) as f64;
    let thin = |pts: &[(f64, f64)]| super::thin::columns(pts, 0.0, k_max as f64, width);
    for (n, (t, (runs, marks))) in traces.iter().zip(drawn).enumerate() {
        let color = solver_line_color(n);
        for run in &runs {
            chart
                .draw_series(LineSeries::new(
                    thin(run),
                    color.stroke_width(style.px(2.0)),
                ))
                .map_err(err)?;
        }
        // The solver's marker (as on the map) along its f line, ~36 CSS px apart, so a run is
        // told apart by shape as well as colour; each solver starts at a different offset so two
        // runs that coincide show both shapes.
        if traces.len() > 1 {
            let marker = super::solver_marker(n);
            let (outer, inner) = (
                super::marker_polygon(marker, style.px(3.5) as f64, style.px(1.0) as f64),
                super::marker_polygon(marker, style.px(3.5) as f64, 0.0),
            );
            let px_per_k = width / k_max as f64;
            let pts: Vec<(f64, f64)> = runs.iter().flat_map(|r| thin(r)).collect();
            let scaled: Vec<(f64, f64)> = pts
                .iter()
                .map(|p| {
                    let (x, y) = chart.backend_coord(p);
                    (x as f64, y as f64)
                })
                .collect();
            let offset = (n as f64 * 7.0 * style.scale) / px_per_k.max(1e-9);
            let idx: Vec<usize> = super::marker_indices(&scaled, 36.0 * style.scale, 60)
                .into_iter()
                .filter(|&i| pts[i].0 >= offset.min(k_max as f64 * 0.5))
                .collect();
            let edge = pal.background.mix(0.9);
            chart
                .draw_series(idx.into_iter().map(|i| {
                    EmptyElement::at(pts[i])
                        + Polygon::new(outer.clone(), edge.filled())
                        + Polygon::new(inner.clone(), color.filled())
                }))
                .map_err(err)?;
        }
        // ▼ on the bottom edge: the run is at the best value seen (gap 0, off the log axis).
        let (a, b) = (style.ipx(4.5), style.ipx(8.0));
        chart
            .draw_series(marks.into_iter().map(|k| {
                EmptyElement::at((k, f_lo))
                    + Polygon::new(vec![(-a, -b), (a, -b), (0, 0)], color.filled())
            }))
            .map_err(err)?;
        let g_pts: Vec<(f64, f64)> = t
            .iterates
            .iter()
            .filter(|r| r.grad_norm.is_finite() && r.grad_norm > 0.0)
            .map(|r| (r.k as f64, r.grad_norm.max(g_lo)))
            .collect();
        chart
            .draw_secondary_series(DashedLineSeries::new(
                thin(&g_pts),
                style.px(5.0),
                style.px(4.0),
                color.stroke_width(style.px(1.5)),
            ))
            .map_err(err)?;
    }
    if let Some(k) = upto {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(k as f64, f_lo), (k as f64, f_hi)],
                pal.fg.mix(0.5).stroke_width(style.px(1.0)),
            )))
            .map_err(err)?;
    }
    Ok(painter.finish())
}

/// The gaps f(x_k) − f_ref of every trace. f_ref is the known f* when no trace went below it by
/// more than the floor (10⁻¹⁶·max(1, |f*|)); otherwise — no minimum known, or a run below the
/// published value (a rounded table entry, or a minimum that is not the lowest) — the lowest f
/// any trace reached.
pub fn gap_series(traces: &[Trace], reference: &Reference) -> Gaps {
    let f_best = traces
        .iter()
        .flat_map(|t| t.iterates.iter().map(|r| r.f))
        .filter(|f| f.is_finite())
        .fold(f64::INFINITY, f64::min);
    let floor_of = |f: f64| 1e-16 * if f.is_finite() { f.abs().max(1.0) } else { 1.0 };
    let (f_ref, kind, floor) = match reference {
        Reference::Known { f, .. } => {
            // f* is known to its published digits: gaps under that are not resolved.
            let floor = floor_of(*f).max(published_precision(*f));
            // (f_best is +∞ when no trace has a finite f: then the known f* stays.)
            if f_best < f - floor {
                (f_best, GapRef::BelowKnown(*f), floor_of(f_best))
            } else {
                (*f, GapRef::Known, floor)
            }
        }
        Reference::BestSeen => (f_best, GapRef::BestSeen, floor_of(f_best)),
    };
    let series = traces
        .iter()
        .map(|t| {
            t.iterates
                .iter()
                .filter(|r| r.f.is_finite())
                .map(|r| (r.k as f64, r.f - f_ref))
                .collect()
        })
        .collect();
    Gaps {
        f_ref,
        kind,
        floor,
        series,
    }
}

/// Half a unit in the last digit of `f` as published (its shortest decimal form): 5e-7 for
/// −6.551133, 5e-5 for −1.0316; 0 for a whole number (the exact minima 0 and 3).
pub fn published_precision(f: f64) -> f64 {
    match format!("{f}").split_once('.') {
        Some((_, digits)) => 0.5 * 10f64.powi(-(digits.len() as i32)),
        None => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::surfaces::{Experiment, SolverConfig, SurfaceId};

    /// GD with α = 0.001 on Rosenbrock from its default start: stops at the iteration limit
    /// far from the minimum (the run of the issue).
    fn slow_rosenbrock() -> Vec<Trace> {
        Experiment {
            surface: SurfaceId::Rosenbrock,
            start: SurfaceId::Rosenbrock.start(),
            solvers: vec![SolverConfig::GradientDescent {
                learning_rate: 0.001,
            }],
            ..Default::default()
        }
        .run()
        .unwrap()
    }

    #[test]
    fn the_reference_is_the_global_minimum_value() {
        assert_eq!(
            Reference::from_minima(&SurfaceId::Rosenbrock.minima()),
            Reference::Known {
                f: 0.0,
                at: vec![[1.0, 1.0]]
            }
        );
        // Peaks: the global minimum only, not the local ones.
        let Reference::Known { f, at } = Reference::from_minima(&SurfaceId::Peaks.minima()) else {
            panic!("peaks has known minima")
        };
        assert_eq!((f, at.len()), (-6.551133, 1));
        let Reference::Known { at, .. } = Reference::from_minima(&SurfaceId::Himmelblau.minima())
        else {
            panic!()
        };
        assert_eq!(at.len(), 4);
        assert_eq!(
            Reference::from_minima(&SurfaceId::Saddle.minima()),
            Reference::BestSeen
        );
        assert_eq!(
            Reference::from_minima(&SurfaceId::Formula.minima()),
            Reference::BestSeen
        );
    }

    #[test]
    fn a_run_stopped_by_the_iteration_limit_ends_at_its_gap_to_f_star() {
        let traces = slow_rosenbrock();
        let last = traces[0].last().f;
        assert!(
            !traces[0].stop.is_converged() && last > 1.0,
            "the run of the issue: {:?}, f = {last}",
            traces[0].stop
        );
        let reference = Reference::from_minima(&SurfaceId::Rosenbrock.minima());
        let gaps = gap_series(&traces, &reference);
        assert_eq!((gaps.kind.clone(), gaps.f_ref), (GapRef::Known, 0.0));
        let (runs, marks) = gaps.drawn(0);
        assert!(marks.is_empty());
        // The last point drawn is f(x_K) − 0, not a floor value.
        assert_eq!(runs.concat().last().unwrap().1, last);
        assert_eq!(
            gap_titles(&gaps, &reference)[0],
            "f(xₖ) − f*  ——  f* = 0, the minimum at (1, 1)"
        );
    }

    #[test]
    fn relative_to_the_best_value_seen_the_best_point_is_no_plunge() {
        let traces = slow_rosenbrock();
        let gaps = gap_series(&traces, &Reference::BestSeen);
        assert_eq!(gaps.kind, GapRef::BestSeen);
        assert_eq!(gaps.f_ref, traces[0].last().f);
        let (runs, marks) = gaps.drawn(0);
        let k_last = traces[0].last().k as f64;
        // The line stops before the last point (its gap is 0 by construction), which is marked.
        assert_eq!(marks, vec![k_last]);
        let drawn = runs.concat();
        assert_eq!(drawn.len(), traces[0].iterates.len() - 1);
        assert!(drawn.iter().all(|p| p.1 > gaps.floor && p.0 < k_last));
        assert!(gap_titles(&gaps, &Reference::BestSeen)[0].contains("best value seen"));
    }

    #[test]
    fn f_star_is_known_to_its_published_digits() {
        assert_eq!(published_precision(-6.551133), 5e-7);
        assert_eq!(published_precision(-1.0316), 5e-5);
        assert_eq!(published_precision(0.0), 0.0);
        assert_eq!(published_precision(3.0), 0.0);
        // Six-hump camel: the table's f* = −1.0316 is rounded; Newton reaches −1.031628…, below
        // it by less than its last digit's half unit: at f*, drawn at that floor — no negative
        // gap, no switch to the best value seen.
        let e = Experiment {
            surface: SurfaceId::SixHumpCamel,
            start: [0.2, -0.6],
            solvers: vec![SolverConfig::default_for("newton").unwrap()],
            ..Default::default()
        };
        let traces = e.run().unwrap();
        assert!(traces[0].last().f < -1.0316);
        let reference = Reference::from_minima(&SurfaceId::SixHumpCamel.minima());
        let gaps = gap_series(&traces, &reference);
        assert_eq!((gaps.kind.clone(), gaps.floor), (GapRef::Known, 5e-5));
        let (runs, marks) = gaps.drawn(0);
        assert!(marks.is_empty());
        assert_eq!(runs[0].last().unwrap().1, 5e-5);
        assert_eq!(
            gap_titles(&gaps, &reference)[2],
            "f − f*  (f* = −1.0316 ± 5e-5)  ——"
        );
        // The default experiment: GD on peaks converges to −6.5511333 < −6.551133.
        let traces = Experiment::default().run().unwrap();
        assert!(traces[0].last().f < -6.551133);
        let reference = Reference::from_minima(&SurfaceId::Peaks.minima());
        assert_eq!(gap_series(&traces, &reference).kind, GapRef::Known);
    }

    #[test]
    fn a_run_below_the_published_minimum_is_measured_from_its_best() {
        // A minimum labelled wrongly (f* = 0.5 on Rosenbrock, whose minimum is 0): Newton goes
        // below it; the gaps are measured from the best value seen, the title says why.
        let e = Experiment {
            surface: SurfaceId::Rosenbrock,
            start: SurfaceId::Rosenbrock.start(),
            solvers: vec![SolverConfig::default_for("newton").unwrap()],
            ..Default::default()
        };
        let traces = e.run().unwrap();
        let reference = Reference::Known {
            f: 0.5,
            at: vec![[1.0, 1.0]],
        };
        let gaps = gap_series(&traces, &reference);
        assert_eq!(gaps.kind, GapRef::BelowKnown(0.5));
        assert_eq!(gaps.f_ref, traces[0].last().f);
        // No negative gap, no plunge: the points at the best are marks, the line stays above.
        let (runs, marks) = gaps.drawn(0);
        assert!(!marks.is_empty());
        assert!(runs.iter().flatten().all(|p| p.1 > gaps.floor));
        assert!(gap_titles(&gaps, &reference)[0].contains("below the published f* = 0.5"));
    }

    #[test]
    fn gaps_breaks_and_marks() {
        let gaps = Gaps {
            f_ref: 1.0,
            kind: GapRef::BestSeen,
            floor: 1e-16,
            series: vec![vec![
                (0.0, 3.0),
                (1.0, 0.0),
                (2.0, 0.0),
                (3.0, 0.5),
                (4.0, 0.0),
            ]],
        };
        assert_eq!(
            gaps.drawn(0),
            (vec![vec![(0.0, 3.0)], vec![(3.0, 0.5)]], vec![1.0, 4.0])
        );
        let known = Gaps {
            kind: GapRef::Known,
            ..gaps
        };
        assert_eq!(
            known.drawn(0),
            (
                vec![vec![
                    (0.0, 3.0),
                    (1.0, 1e-16),
                    (2.0, 1e-16),
                    (3.0, 0.5),
                    (4.0, 1e-16)
                ]],
                vec![]
            )
        );
    }
}
