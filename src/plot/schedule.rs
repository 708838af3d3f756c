//! A small plot of a learning-rate schedule, α_k / α against k.

use super::{err, fmt_int_tick, fmt_tick, PlotStyle};
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
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let k_max = k_max.max(1);
    let font = ("sans-serif", style.tick_font()).into_font();
    let mut chart = ChartBuilder::on(root)
        .margin(style.px(4.0))
        .margin_right(style.px(10.0))
        .x_label_area_size(style.px(18.0))
        .y_label_area_size(style.px(34.0))
        .build_cartesian_2d(0.0..k_max as f64, 0.0..1.05)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(BLACK.mix(0.04))
        .bold_line_style(BLACK.mix(0.1))
        .x_labels(5)
        .y_labels(3)
        .label_style(font)
        .x_label_formatter(&|k| fmt_int_tick(*k))
        .y_label_formatter(&|f| fmt_tick(*f))
        .draw()
        .map_err(err)?;
    let n = k_max.min(2_000);
    let pts = (0..=n).map(|i| {
        let k = i * k_max / n;
        (k as f64, schedule.factor(k))
    });
    chart
        .draw_series(LineSeries::new(
            pts,
            RGBColor(30, 100, 220).stroke_width(style.px(2.0)),
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
    Ok(())
}
