//! JS values in, typed Rust values out — through serde_json, the one deserializer of the crate.
//!
//! Why not `serde_wasm_bindgen::from_value`: every `Deserialize` impl is compiled once per
//! deserializer it meets. Links and presets already read configs with `serde_json::from_str`;
//! reading the page's JS objects with a second deserializer duplicated all of that code (and
//! serde's buffering of tagged enums) — hundreds of KB of wasm. Here a JS value becomes JSON
//! text (numbers written exactly: an integral safe integer as an integer, every other finite
//! number in shortest round-trip form, −0 as `-0.0`), which `serde_json::from_str` reads with
//! the same code as a link: the same values, bit for bit.

use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A JS value (plain objects, arrays, strings, numbers, booleans, null/undefined) as JSON.
/// `undefined` is `null`, also as a property value (serde-wasm-bindgen read both as unit: `None`
/// for an `Option`, an error for a required or defaulted field).
fn to_value(v: &JsValue) -> Result<Value, String> {
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(x) = v.as_f64() {
        // −0 stays a float (`-0.0`), as in a link's JSON. (serde-wasm-bindgen kept −0 where
        // the target asked for an f64 but made it +0 inside tagged enums and page states,
        // so the page's runs and its fingerprints of a −0 could disagree with the native runner.)
        let integral =
            x.fract() == 0.0 && x.abs() <= MAX_SAFE && !(x == 0.0 && x.is_sign_negative());
        return Ok(if integral {
            Value::Number(if x < 0.0 {
                Number::from(x as i64)
            } else {
                Number::from(x as u64)
            })
        } else {
            Number::from_f64(x)
                .map(Value::Number)
                .ok_or_else(|| format!("invalid value: {x}, expected a finite number"))?
        });
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if js_sys::Array::is_array(v) {
        let a: &js_sys::Array = v.unchecked_ref();
        return a
            .iter()
            .map(|x| to_value(&x))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if let Some(view) = v.dyn_ref::<js_sys::Float64Array>() {
        return view
            .to_vec()
            .iter()
            .map(|&x| to_value(&JsValue::from_f64(x)))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if v.is_object() && !v.is_function() {
        let mut map = Map::new();
        for entry in js_sys::Object::entries(v.unchecked_ref()).iter() {
            let entry: js_sys::Array = entry.unchecked_into();
            let value = entry.get(1);
            let key = entry.get(0).as_string().unwrap_or_default();
            map.insert(key, to_value(&value)?);
        }
        return Ok(Value::Object(map));
    }
    Err(
        "invalid type: expected a plain JS value (object, array, string, number, boolean, null)"
            .into(),
    )
}

/// Reads a `T` from a JS value (see the module doc). The error is serde_json's message without
/// its position in the (invisible) JSON text.
pub(crate) fn from_js<T: DeserializeOwned>(v: JsValue) -> Result<T, String> {
    let text = serde_json::to_string(&to_value(&v)?).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        let at = format!(" at line {} column {}", e.line(), e.column());
        message
            .strip_suffix(&at)
            .map(str::to_string)
            .unwrap_or(message)
    })
}
