//! Gen 2 `amplify_outputs.json`: `custom.API` (CDK URL with a trailing slash) and Flutter's
//! `rest_api` (API key).
use amplify_api::{AuthMode, api_client};

include!("../agreement.rs");

#[api_client(config = "fixtures/configs/gen2.json")]
pub struct Api;

fn main() {
    assert_eq!(
        api::my_rest_api::URL,
        "https://rst555eee6.execute-api.us-east-2.amazonaws.com/prod"
    );
    assert_eq!(api::partner_api::AUTH_MODE, AuthMode::ApiKey);
    assert_eq!(api::USER_POOL_ID, "us-east-2_LkJhGfDsA");
    let client = Api::new().unwrap();
    assert_endpoint_agrees!(client, my_rest_api);
    assert_endpoint_agrees!(client, partner_api);
}
