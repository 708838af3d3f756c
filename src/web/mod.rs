//! The only `#[wasm_bindgen]` code. Each lab of the page is one exported struct that owns its
//! state; the page's glue scripts hand over what the user typed and the canvases to draw on.
//! Everything else — parsing, validation, solving, drawing, the screen→data mapping of clicks —
//! happens in Rust. Every export returns a value or an error string; none panics on bad input.
//!
//! * [`engine`] — the worker side (`www/worker.js`): a request in, a lab's result out as bytes.
//! * [`view::surfaces::SurfaceLab`] — 2-D surfaces and the solver race (`www/labs/surfaces.js`).
//! * [`view::regression::RegressionLab`] — linear regression: GD/SGD against the exact answer
//!   (`www/labs/regression.js`).
//! * [`view::fit::FitLab`] — curve fitting by least squares (`www/labs/fit.js`).
//! * [`share`] — permalinks, validation and trace export for the page shell (`www/app.js`).

pub mod engine;
pub mod share;
pub mod view;

pub use view::fit::FitLab;
pub use view::regression::RegressionLab;
pub use view::surfaces::SurfaceLab;

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

/// The guided experiments: `[{id, title, lab, text, config, basin}]` (see [`crate::lab::presets`]).
#[wasm_bindgen]
pub fn presets() -> JsValue {
    to_js(&crate::lab::presets::presets())
}

/// A heat-map raster kept for one plot area, so a redraw with the same map reuses it.
pub(crate) type RasterCache = Option<(crate::plot::PixelMap, web_sys::ImageData)>;

/// The layout of the text of the plots a lab drew last, per canvas id (see `layout()` of each
/// lab). Interior mutability: some draw methods take `&self`.
#[derive(Default)]
pub(crate) struct Layouts(
    std::cell::RefCell<std::collections::HashMap<String, crate::plot::PlotLayout>>,
);

impl Layouts {
    /// Keeps `layout` as the one of `canvas` (by its id).
    pub(crate) fn record(&self, canvas: &HtmlCanvasElement, layout: crate::plot::PlotLayout) {
        self.0.borrow_mut().insert(canvas.id(), layout);
    }

    /// Forgets the layout of `canvas` (it was cleared, nothing is drawn on it).
    pub(crate) fn clear(&self, canvas: &HtmlCanvasElement) {
        self.0.borrow_mut().remove(&canvas.id());
    }

    /// The layout of the canvas with id `canvas_id` as a JS object, or `null`.
    pub(crate) fn get(&self, canvas_id: &str) -> JsValue {
        match self.0.borrow().get(canvas_id) {
            Some(l) => to_js(l),
            None => JsValue::NULL,
        }
    }
}

/// Draws a contour map on `canvas` (sized by devicePixelRatio): the heat map is painted as one
/// `putImageData` of `raster(plot area)` — reused from `cache` while the plot area is unchanged,
/// when `cacheable` — then the contour lines, colour bar and `overlay` on top. Returns the pixel
/// mapping and the text layout.
pub(crate) fn draw_map_on_canvas(
    canvas: &HtmlCanvasElement,
    grid: &crate::plot::Grid,
    overlay: &crate::plot::contour::MapOverlay,
    cache: &mut RasterCache,
    raster: &dyn Fn(crate::plot::PixelMap) -> Vec<u8>,
    cacheable: bool,
) -> Result<(crate::plot::PixelMap, crate::plot::PlotLayout), JsValue> {
    use plotters::prelude::IntoDrawingArea;
    use wasm_bindgen::JsCast;
    let dpr = fit_canvas(canvas);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("canvas has no 2-D context"))?
        .dyn_into()?;
    let root = backend(canvas)?.into_drawing_area();
    let cached = if cacheable { cache.take() } else { None };
    let mut kept = None;
    let mut paint = |map: crate::plot::PixelMap| -> bool {
        let image = match cached {
            Some((m, ref img)) if m == map => Some(img.clone()),
            _ => {
                let (w, h) = map.size();
                // Copy into a JS-owned array: a view of wasm memory would be overwritten later.
                let data = js_sys::Uint8ClampedArray::from(&raster(map)[..]);
                web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&data, w, h).ok()
            }
        };
        let Some(img) = image else { return false };
        let ok = ctx
            .put_image_data(&img, map.x_px.0 as f64, map.y_px.0 as f64)
            .is_ok();
        if cacheable {
            kept = Some((map, img));
        }
        ok
    };
    let drawn = crate::plot::draw_contour_map(
        &root,
        grid,
        overlay,
        &crate::plot::PlotStyle { scale: dpr },
        &mut paint,
    )?;
    *cache = kept;
    root.present()
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(drawn)
}
