//! Fuzz target for the permalink decoder (`gradlab::lab::link::decode`): arbitrary input must give a
//! state or a named error — never a panic, never unbounded work — and any state it accepts must be
//! valid and survive encode → decode unchanged. Three ways in, so libFuzzer reaches every layer:
//! the bytes as link text; as the compressed payload (base64url-wrapped); as the JSON itself
//! (deflated and wrapped, as the real encoder does).
#![no_main]

use base64::Engine;
use gradlab::lab::link::{decode, encode, PageState};
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    if let Ok(state) = decode(text) {
        state.validate().expect("decoded states are valid");
        let again = encode(&state).expect("a decoded state encodes");
        if again.notice.is_none() {
            let back: PageState = decode(&again.link).expect("re-encoded link decodes");
            assert_eq!(
                serde_json::to_string(&back).unwrap(),
                serde_json::to_string(&state).unwrap()
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    // 1. As link text (prefix, version, alphabet, length checks).
    check(&String::from_utf8_lossy(data));
    // 2. As the compressed payload of a v1 link (inflate limits, checksum, truncation).
    check(&format!("v1.{}", b64.encode(data)));
    // 3. As the JSON of a page state (serde, validation of every lab config).
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(data, 1);
    check(&format!("v1.{}", b64.encode(packed)));
});
