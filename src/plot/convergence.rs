//! The convergence plot: f(x_k) − f_best (left axis) and ‖∇f(x_k)‖ (right axis), both on log
//! scales, against k — one colour per solver, so a race reads at a glance.

use super::layout::{frame_chart, layout_frame, Axis, FrameSpec, Painter};
use super::{decades, err, solver_color_on_white, PlotLayout, PlotStyle};
use crate::trace::Trace;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws f(x_k) − f_best as solid lines (left axis) and ‖∇f(x_k)‖ as dashed lines (right axis),
/// both log scale, one colour per trace; f_best is the lowest f any of the traces reached, and
/// gaps below 10⁻¹⁶·max(1, |f_best|) are drawn at that floor. A vertical marker at iteration
/// `upto` when given.
pub fn draw_convergence<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    traces: &[Trace],
    upto: Option<usize>,
    style: &PlotStyle,
) -> Result<PlotLayout, String> {
    root.fill(&WHITE).map_err(err)?;
    let k_max = traces
        .iter()
        .map(Trace::iterations)
        .max()
        .unwrap_or(0)
        .max(1);
    let series = gap_series(traces);
    let gaps = series.iter().flatten().map(|p| p.1);
    let (f_lo, f_hi) = decades(gaps);
    let (g_lo, g_hi) = decades(
        traces
            .iter()
            .flat_map(|t| t.iterates.iter().map(|r| r.grad_norm)),
    );

    // A short plot (an embed cell) has no room for the long rotated axis titles.
    let short = (root.dim_in_pixel().1 as f64) < style.px(240.0) as f64;
    let (f_desc, g_desc) = if short {
        ("f − f_best (solid)", "‖∇f‖ (dashed)")
    } else {
        ("f(xₖ) − f_best  —— solid", "‖∇f(xₖ)‖  - - dashed")
    };
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let spec = FrameSpec {
        x: Axis::int(0.0, k_max as f64, "iteration k"),
        y: Axis::log(f_lo, f_hi, f_desc),
        y2: Some(Axis::log(g_lo, g_hi, g_desc)),
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
    let thin = |pts: Vec<(f64, f64)>| super::thin::columns(&pts, 0.0, k_max as f64, width);
    for (n, (t, f_pts)) in traces.iter().zip(series).enumerate() {
        let color = solver_color_on_white(n);
        let f_pts = thin(f_pts);
        chart
            .draw_series(LineSeries::new(f_pts, color.stroke_width(style.px(2.0))))
            .map_err(err)?;
        let g_pts: Vec<(f64, f64)> = t
            .iterates
            .iter()
            .filter(|r| r.grad_norm.is_finite() && r.grad_norm > 0.0)
            .map(|r| (r.k as f64, r.grad_norm.max(g_lo)))
            .collect();
        let g_pts = thin(g_pts);
        chart
            .draw_secondary_series(DashedLineSeries::new(
                g_pts,
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
                BLACK.mix(0.5).stroke_width(style.px(1.0)),
            )))
            .map_err(err)?;
    }
    Ok(painter.finish())
}

/// Per trace, the points (k, f(x_k) − f_best), where f_best is the lowest f any trace reached;
/// gaps below 10⁻¹⁶·max(1, |f_best|) are raised to that floor so the log axis can show them.
pub fn gap_series(traces: &[Trace]) -> Vec<Vec<(f64, f64)>> {
    let f_best = traces
        .iter()
        .flat_map(|t| t.iterates.iter().map(|r| r.f))
        .filter(|f| f.is_finite())
        .fold(f64::INFINITY, f64::min);
    let floor = 1e-16 * f_best.abs().max(1.0);
    traces
        .iter()
        .map(|t| {
            t.iterates
                .iter()
                .filter(|r| r.f.is_finite())
                .map(|r| (r.k as f64, (r.f - f_best).max(floor)))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::surfaces::Experiment;

    #[test]
    fn gaps_are_measured_from_the_best_value() {
        let traces = Experiment::default().run().unwrap();
        let s = gap_series(&traces);
        let f_best = traces[0].last().f;
        assert_eq!(s[0][0], (0.0, traces[0].iterates[0].f - f_best));
        assert_eq!(s[0].last().unwrap().1, 1e-16 * f_best.abs());
        assert!(
            s[0].windows(2).all(|w| w[1].1 <= w[0].1),
            "GD on peaks decreases f monotonically here"
        );
    }
}
