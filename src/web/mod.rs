//! The only #[wasm_bindgen] code.
