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
mod json;
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

thread_local! {
    /// Canvases outside the page that images are put on before being composited
    /// (`putImageData` replaces pixels; `drawImage` of such a canvas blends them over what is
    /// drawn). SHARED: one canvas at least as large as any image copied 1:1. EXACT: one per size
    /// of the few most recent scaled images — a canvas exactly the image's size, so a smoothed,
    /// scaled `drawImage` never samples pixels left there by another image.
    static SHARED: std::cell::RefCell<Option<HtmlCanvasElement>> = const { std::cell::RefCell::new(None) };
    static EXACT: std::cell::RefCell<Vec<((u32, u32), HtmlCanvasElement)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn new_canvas(w: u32, h: u32) -> Result<HtmlCanvasElement, JsValue> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas: HtmlCanvasElement = doc.create_element("canvas")?.dyn_into()?;
    canvas.set_width(w);
    canvas.set_height(h);
    Ok(canvas)
}

/// A scratch canvas for a `w × h` image: of exactly that size when `exact` (the image will be
/// scaled), else the shared canvas, grown to at least that size.
fn scratch(w: u32, h: u32, exact: bool) -> Result<HtmlCanvasElement, JsValue> {
    if !exact {
        return SHARED.with(|s| {
            let mut s = s.borrow_mut();
            let canvas = match s.as_ref() {
                Some(c) => c.clone(),
                None => s.insert(new_canvas(w, h)?).clone(),
            };
            if canvas.width() < w {
                canvas.set_width(w);
            }
            if canvas.height() < h {
                canvas.set_height(h);
            }
            Ok(canvas)
        });
    }
    EXACT.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(i) = s.iter().position(|(size, _)| *size == (w, h)) {
            let hit = s.remove(i);
            let canvas = hit.1.clone();
            s.push(hit);
            return Ok(canvas);
        }
        if s.len() >= 4 {
            s.remove(0); // the least recently used
        }
        let canvas = new_canvas(w, h)?;
        s.push(((w, h), canvas.clone()));
        Ok(canvas)
    })
}

/// Draws `data` (an image of `sw × sh` pixels) onto `ctx`, scaled to the rectangle at
/// (`dx`, `dy`) of `dw × dh` pixels and blended over what is there: `putImageData` on a scratch
/// canvas (it replaces pixels), then one `drawImage` (smoothed when scaled).
fn draw_image_data(
    ctx: &web_sys::CanvasRenderingContext2d,
    data: &web_sys::ImageData,
    (dx, dy, dw, dh): (f64, f64, f64, f64),
) -> Result<(), JsValue> {
    use wasm_bindgen::JsCast;
    let (w, h) = (data.width(), data.height());
    let scaled = dw != w as f64 || dh != h as f64;
    let scratch = scratch(w, h, scaled)?;
    let sctx: web_sys::CanvasRenderingContext2d = scratch
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2-D context"))?
        .dyn_into()?;
    sctx.put_image_data(data, 0.0, 0.0)?;
    ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        &scratch, 0.0, 0.0, w as f64, h as f64, dx, dy, dw, dh,
    )
}

/// An `ImageData` holding a copy of `rgba` (`w × h` pixels). A copy: Chromium refuses an
/// ImageData over a view of wasm memory.
fn image_data(rgba: &[u8], w: u32, h: u32) -> Result<web_sys::ImageData, JsValue> {
    let copy = js_sys::Uint8ClampedArray::from(rgba);
    web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&copy, w, h)
}

/// Composites `img` (alpha 0 = keep what is there) onto `canvas` at its place. `false` if the
/// browser refused (the caller then draws the pixels another way).
pub(crate) fn blit(canvas: &HtmlCanvasElement, img: &crate::plot::raster::Rgba) -> bool {
    use wasm_bindgen::JsCast;
    if img.w == 0 || img.h == 0 {
        return true;
    }
    let go = || -> Result<(), JsValue> {
        let ctx: web_sys::CanvasRenderingContext2d = canvas
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2-D context"))?
            .dyn_into()?;
        let data = image_data(&img.px, img.w as u32, img.h as u32)?;
        let rect = (img.x0 as f64, img.y0 as f64, img.w as f64, img.h as f64);
        draw_image_data(&ctx, &data, rect)
    };
    match go() {
        Ok(()) => true,
        Err(e) => {
            web_sys::console::warn_2(&JsValue::from_str("blit failed:"), &e);
            false
        }
    }
}

/// What CSV `text` holds before it is parsed, for `lab` (`"regression"` or `"fit"`), read with
/// `options` (`{delimiter, decimal, header}` as the forms name them; defaults where absent or
/// unknown): `{bytes, rows, header, first_lines, max_rows, too_many?, large}`
/// ([`crate::lab::form::LargeData`]).
#[wasm_bindgen]
pub fn csv_census(lab: &str, text: &str, options: JsValue) -> JsValue {
    let options = json::from_js(options).unwrap_or_default();
    to_js(&crate::lab::form::large_data(lab, text, &options))
}

/// The first `rows` data rows of CSV `text`, its header line kept when `header`.
#[wasm_bindgen]
pub fn csv_first_rows(text: &str, rows: usize, header: bool) -> String {
    crate::lab::form::first_rows(text, rows, header).to_string()
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
/// image of `raster(plot area)` — reused from `cache` while the plot area is unchanged, when
/// `cacheable` — then the contour lines, colour bar and `overlay` on top. Returns the pixel
/// mapping and the text layout.
///
/// The heat map is computed at CSS-pixel resolution (the `PixelMap` handed to `raster` spans
/// the plot area divided by the device pixel ratio, rounded) and scaled up smoothly: its colours
/// vary smoothly, so at DPR 2 it looks the same for a quarter of the pixels to colour, copy and
/// upload; the lines and text drawn over it stay at full resolution.
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
    let k = (dpr.round() as i32).max(1);
    let mut paint = |map: crate::plot::PixelMap| -> bool {
        let (w, h) = map.size();
        let image = match cached {
            Some((m, ref img)) if m == map => Some(img.clone()),
            _ => {
                let (sw, sh) = ((w as i32 + k - 1) / k, (h as i32 + k - 1) / k);
                let small = crate::plot::PixelMap {
                    x_px: (0, sw),
                    y_px: (0, sh),
                    view: map.view,
                };
                image_data(&raster(small), sw as u32, sh as u32).ok()
            }
        };
        let Some(img) = image else { return false };
        let rect = (map.x_px.0 as f64, map.y_px.0 as f64, w as f64, h as f64);
        let ok = draw_image_data(&ctx, &img, rect).is_ok();
        if cacheable {
            kept = Some((map, img));
        }
        ok
    };
    let drawn = crate::plot::draw_contour_map_with(
        &root,
        grid,
        overlay,
        &crate::plot::PlotStyle { scale: dpr },
        &mut paint,
        &mut |img| blit(canvas, img),
    )?;
    *cache = kept;
    root.present()
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(drawn)
}
