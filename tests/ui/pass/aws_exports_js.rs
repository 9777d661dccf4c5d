//! `aws-exports.js` read directly, with mandatory sign-in (no guest access).
use amplify_api::api_client;

include!("../agreement.rs");

#[api_client(config = "fixtures/configs/aws-exports.js")]
pub struct Api;

fn main() {
    assert_eq!(
        api::notes_api::URL,
        "https://nts111aaa2.execute-api.us-west-2.amazonaws.com/staging"
    );
    assert_eq!(api::IDENTITY_POOL_REGION, "us-west-2");
    assert!(!api::GUEST_ACCESS);
    let client = Api::new().unwrap();
    assert_endpoint_agrees!(client, notes_api);
}
