//! `featureFlags` is `process.env.FLAGS_URL || '...'` in config.js, beside literal endpoints:
//! not an error until code uses its accessor, then one error quoting the expression.
use amplify_api::api_client;

#[api_client(config = "fixtures/configs/config.js")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.admin_api().get("/users");
    let _ = api.feature_flags().get("/flags");
}
