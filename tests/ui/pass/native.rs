//! The native `amplifyconfiguration.json` (Swift, Android, Flutter): per-endpoint auth modes and
//! API key, the GraphQL entry ignored.
use amplify_api::{AuthMode, api_client};

include!("../agreement.rs");

/// The app's REST APIs.
#[api_client(config = "fixtures/configs/native.json", endpoints = ["itemsApi", "publicApi"])]
pub struct Api;

fn main() {
    assert_eq!(api::items_api::NAME, "itemsApi");
    assert_eq!(
        api::items_api::URL,
        "https://abc123def4.execute-api.us-east-1.amazonaws.com/dev"
    );
    assert_eq!(api::public_api::AUTH_MODE, AuthMode::ApiKey);
    assert_eq!(api::user_api::AUTH_MODE, AuthMode::AmazonCognitoUserPools);
    assert_eq!(
        api::IDENTITY_POOL_ID,
        "us-east-1:11111111-2222-3333-4444-555555555555"
    );
    assert_eq!(api::USER_POOL_ID, "us-east-1_AbCdEfGhI");
    assert_eq!(api::Endpoint::ALL.len(), 3);
    let err = "todoGraphQl".parse::<api::Endpoint>().unwrap_err();
    assert_eq!(err.known(), ["itemsApi", "publicApi", "userApi"]);

    let client = Api::new().unwrap();
    assert_endpoint_agrees!(client, items_api);
    assert_endpoint_agrees!(client, public_api);
    assert_endpoint_agrees!(client, user_api);
    assert!(client.endpoint_by_name("todoGraphQl").is_err());
    let copy = client.clone();
    assert!(format!("{copy:?}").contains("itemsApi"));
}
