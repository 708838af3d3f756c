//! Fuzz target for the page-state validator that `window.gradlab.setState`, postMessage
//! (`gradlab:setState`) and an imported config file go through: JSON → [`PageState`] (serde) →
//! `validate()`. The page reaches it as `check_state` / `parse_state_json` (src/web/share.rs),
//! after `web::json::from_js` has turned the JS value into JSON text; natively that is
//! `PageState::from_json`. A bare config (`setState(config)` without `{lab, config}`) is read as
//! each lab's config in turn, as app.js does for the lab on show.
//!
//! Asserts: nothing panics; a refusal has a message; an accepted state is valid, encodes to a
//! link (or to a named "too large" error), and that link decodes to the state the encoder says
//! it holds (the same state unless data had to be cut, which a notice then says).
#![no_main]

use gradlab::lab::link::{decode, encode, LabConfig, PageState};
use libfuzzer_sys::fuzz_target;

fn json(s: &PageState) -> String {
    serde_json::to_string(s).expect("a state serializes")
}

fn accepted(state: &PageState) {
    state.validate().expect("an accepted state is valid");
    match encode(state) {
        Ok(e) => {
            let back = decode(&e.link)
                .unwrap_or_else(|err| panic!("the link of an accepted state decodes: {err}"));
            assert_eq!(json(&back), json(&e.state), "link → the state it holds");
            if e.notice.is_none() {
                assert_eq!(json(&back), json(state), "link → the same state");
            }
        }
        Err(m) => assert!(m.contains("too large"), "encode: {m}"),
    }
}

fn check(text: &str) {
    match PageState::from_json(text) {
        Ok(state) => accepted(&state),
        Err(e) => assert!(!e.message.is_empty()),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // 1. As JSON text (an imported file, the JSON path of a link).
    check(&text);
    // 2. As a JS value would arrive (`from_js`: the value re-serialized as compact JSON).
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return;
    };
    if let Ok(compact) = serde_json::to_string(&value) {
        check(&compact);
    }
    // 3. As a bare config for each lab (`setState(config)` on the lab on show).
    if value.is_object() {
        for lab in ["surfaces", "regression", "fit"] {
            if let Ok(config) = LabConfig::from_lab(lab, value.clone()) {
                let state = PageState::new(config);
                if state.validate().is_ok() {
                    accepted(&state);
                }
            }
        }
    }
});
