//! A small plot of a learning-rate schedule, α_k / α against k.

use super::layout::{frame_chart, layout_frame, Axis, FrameSpec, Painter};
use super::{err, PlotLayout, PlotStyle};
use crate::solver::schedule::Schedule;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws factor(k) for k = 0..=k_max, with a marker at `upto` when given.
pub fn draw_schedule<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    schedule: &Schedule,
    k_max: usize,
    upto: Option<usize>,
    style: &PlotStyle,
) -> Result<PlotLayout, String> {
    root.fill(&super::palette().background).map_err(err)?;
    let k_max = k_max.max(1);
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let spec = FrameSpec {
        x: Axis::int(0.0, k_max as f64, ""),
        y: Axis::linear(0.0, 1.05, ""),
        y2: None,
        legend: &[],
        right_reserve: 0,
        grid_lines: true,
        fit_ranges: None,
    };
    let frame = layout_frame(w, h, &spec, style);
    frame.draw(&mut painter, &spec, style)?;
    let mut chart = frame_chart(root, &frame, 0.0..k_max as f64, 0.0..1.05)?;
    let n = k_max.min(2_000);
    let pts = (0..=n).map(|i| {
        let k = i * k_max / n;
        (k as f64, schedule.factor(k))
    });
    chart
        .draw_series(LineSeries::new(
            pts,
            super::solver_line_color(6).stroke_width(style.px(2.0)),
        ))
        .map_err(err)?;
    if let Some(k) = upto {
        chart
            .draw_series(std::iter::once(Circle::new(
                (k as f64, schedule.factor(k)),
                style.ipx(4.0),
                RED.filled(),
            )))
            .map_err(err)?;
    }
    Ok(painter.finish())
}
