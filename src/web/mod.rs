//! The only `#[wasm_bindgen]` code. Each lab of the page is one exported struct that owns its
//! state; the page's glue scripts hand over what the user typed and the canvases to draw on.
//! Everything else — parsing, validation, solving, drawing, the screen→data mapping of clicks —
//! happens in Rust. Every export returns a value or an error string; none panics on bad input.
//!
//! * [`surfaces::SurfaceLab`] — 2-D surfaces and the solver race (`www/surfaces.js`).
//! * [`regression::RegressionLab`] — linear regression: GD/SGD against the exact answer
//!   (`www/regression.js`).
//! * [`fit::FitLab`] — curve fitting by least squares (`www/fit.js`).
//! * [`share`] — permalinks, validation and trace export for the page shell (`www/app.js`).

pub mod fit;
pub mod regression;
pub mod share;
pub mod surfaces;

pub use fit::FitLab;
pub use regression::RegressionLab;
pub use surfaces::SurfaceLab;

use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

pub(crate) fn to_js<T: Serialize>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Sizes the canvas backing store to its CSS size × devicePixelRatio; returns the ratio.
pub(crate) fn fit_canvas(canvas: &HtmlCanvasElement) -> f64 {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .clamp(0.5, 4.0);
    let w = ((canvas.client_width().max(1) as f64) * dpr).round() as u32;
    let h = ((canvas.client_height().max(1) as f64) * dpr).round() as u32;
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    dpr
}

pub(crate) fn backend(canvas: &HtmlCanvasElement) -> Result<CanvasBackend, JsValue> {
    CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsValue::from_str("canvas has no 2-D context"))
}

/// The guided experiments: `[{id, title, lab, text, config, basin}]` (see [`crate::presets`]).
#[wasm_bindgen]
pub fn presets() -> JsValue {
    to_js(&crate::presets::presets())
}
