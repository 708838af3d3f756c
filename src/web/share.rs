//! Permalinks, validation and trace export for the page shell (`www/app.js`, `www/share.js`).
//! Free functions over a page state `{lab, config, embed}` (see [`crate::lab::link::PageState`]); every
//! one returns a value or an error string and never panics on bad input.

use super::to_js;
use crate::lab::link::{self, PageState};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn state_from(value: JsValue) -> Result<PageState, String> {
    let state: PageState =
        super::json::from_js(value).map_err(|e| format!("not a gradlab page state: {e}"))?;
    state.validate()?;
    Ok(state)
}

/// Encodes a page state as a link: `{link: "v3.…", notice: null | "…", state}`; throws a message
/// for an invalid state.
#[wasm_bindgen]
pub fn encode_link(state: JsValue) -> Result<JsValue, JsValue> {
    let state = state_from(state).map_err(|m| JsValue::from_str(&m))?;
    link::encode(&state)
        .map(|e| to_js(&e))
        .map_err(|m| JsValue::from_str(&m))
}

/// Decodes a link (URL, `#fragment` or `v3.…`; older `v2.…`/`v1.…` too): `{ok: true, state}` or
/// `{ok: false, kind, message}` (kinds as in [`crate::lab::link::LinkErrorKind`]).
#[wasm_bindgen]
pub fn decode_link(text: &str) -> JsValue {
    #[derive(Serialize)]
    struct Decoded {
        ok: bool,
        state: Option<PageState>,
        kind: Option<link::LinkErrorKind>,
        message: Option<String>,
    }
    to_js(&match link::decode(text) {
        Ok(state) => Decoded {
            ok: true,
            state: Some(state),
            kind: None,
            message: None,
        },
        Err(e) => Decoded {
            ok: false,
            state: None,
            kind: Some(e.kind),
            message: Some(e.message),
        },
    })
}

/// Why a link of `chars` characters is refused before anything is decoded (the page asks this
/// first, so a 1 MB fragment is refused at once, naming the limit), or `undefined`.
#[wasm_bindgen]
pub fn link_length_problem(chars: usize) -> Option<String> {
    (chars > link::MAX_LINK_CHARS).then(|| {
        format!(
            "the link is too long ({chars} characters; at most {})",
            link::MAX_LINK_CHARS
        )
    })
}

/// Validates a page state without running it: `undefined` when valid, else the reason.
#[wasm_bindgen]
pub fn check_state(state: JsValue) -> Option<String> {
    state_from(state).err()
}

/// Parses a page state from JSON text (an imported config file) and validates it:
/// `{ok: true, state}` or `{ok: false, kind, message}`.
#[wasm_bindgen]
pub fn parse_state_json(text: &str) -> JsValue {
    #[derive(Serialize)]
    struct Parsed {
        ok: bool,
        state: Option<PageState>,
        message: Option<String>,
    }
    to_js(&match PageState::from_json(text) {
        Ok(state) => Parsed {
            ok: true,
            state: Some(state),
            message: None,
        },
        Err(e) => Parsed {
            ok: false,
            state: None,
            message: Some(e.message),
        },
    })
}

/// The default page state of lab `name` (`"surfaces"`, `"regression"`, `"fit"`).
#[wasm_bindgen]
pub fn default_state(name: &str) -> Result<JsValue, JsValue> {
    link::LabConfig::default_for(name)
        .map(|lab| to_js(&PageState::new(lab)))
        .ok_or_else(|| JsValue::from_str(&format!("unknown lab “{name}”")))
}

/// The state as pretty JSON text (the "Export config" file).
#[wasm_bindgen]
pub fn state_json(state: JsValue) -> Result<String, JsValue> {
    let state = state_from(state).map_err(|m| JsValue::from_str(&m))?;
    serde_json::to_string_pretty(&state).map_err(|e| JsValue::from_str(&e.to_string()))
}

fn traces(state: JsValue, nist_text: Option<String>) -> Result<Vec<link::ExportTrace>, JsValue> {
    let state = state_from(state).map_err(|m| JsValue::from_str(&m))?;
    link::run_traces(&state, nist_text.as_deref()).map_err(|m| JsValue::from_str(&m))
}

/// Runs the state's experiment and returns every solver's per-iteration records as CSV (the same
/// text as the native runner's `--format csv`). `nist_text`: the `.dat` file of the NIST problem a
/// curve fit names (the fit lab has it loaded; ignored otherwise).
#[wasm_bindgen]
pub fn export_trace_csv(state: JsValue, nist_text: Option<String>) -> Result<String, JsValue> {
    traces(state, nist_text).map(|t| link::traces_csv(&t))
}

/// The same records as one JSON document `[{run, solver, series, stop, fingerprint, iterates}]`.
#[wasm_bindgen]
pub fn export_trace_json(state: JsValue, nist_text: Option<String>) -> Result<String, JsValue> {
    traces(state, nist_text).map(|t| link::traces_json(&t))
}

/// The bit-exact fingerprint of every trace (hex strings, as the runner's `--fingerprint`).
#[wasm_bindgen]
pub fn trace_fingerprints(
    state: JsValue,
    nist_text: Option<String>,
) -> Result<Vec<String>, JsValue> {
    traces(state, nist_text).map(|t| t.into_iter().map(|t| t.fingerprint).collect())
}
