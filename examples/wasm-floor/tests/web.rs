//! The floor does the page's job for real: against the emulator running as a native process
//! (started by `.ci/wasm.sh`, its JSON line arriving at compile time as `AMPLIFY_API_EMULATOR`),
//! its hand-written signature is accepted by the emulator's own SigV4 verifier. Runs under Node.
#![cfg(target_arch = "wasm32")]

use amplify_api_wasm_floor::{Target, list_items};
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn the_floor_lists_items_with_a_signature_the_emulator_accepts() {
    let line = option_env!("AMPLIFY_API_EMULATOR")
        .expect("build with AMPLIFY_API_EMULATOR set to emulator_server's line (.ci/wasm.sh)");
    let v: Value = serde_json::from_str(line).expect("emulator_server's JSON line");
    let field = |name: &str| v[name].as_str().expect(name).to_owned();
    let target = Target {
        api: field("api_url"),
        cognito: field("cognito_url"),
        pool: field("identity_pool_id"),
    };
    let body = list_items(&target).await.expect("list_items");
    assert!(body.contains("\"/items\""), "{body}");
}
