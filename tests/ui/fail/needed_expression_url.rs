use amplify_api::api_client;

// `featureFlags` is `process.env.FLAGS_URL || '...'` in config.js, and this code needs it.
#[api_client(config = "fixtures/configs/config.js", endpoints = ["adminApi", "featureFlags"])]
pub struct Api;

fn main() {
    let api: Api = Api::new().unwrap();
    let _ = api.admin_api();
    let _ = api.feature_flags();
}
