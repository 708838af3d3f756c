//! The page side of each lab: one `#[wasm_bindgen]` struct that owns what is shown (the
//! experiment and its result, playback position, view, cached grids and rasters), draws onto
//! canvases and turns clicks into data. Runs come from the worker (`super::engine`) through
//! each struct's `pending` / `accept`.

pub mod fit;
pub mod regression;
pub mod surfaces;
pub mod teach;
