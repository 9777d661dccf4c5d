//! `Amplify.configure` v5 (`API.endpoints`, fallback `API.region`).
use amplify_api::api_client;

include!("../agreement.rs");

#[api_client(config = "fixtures/configs/v5.json")]
pub struct Api;

fn main() {
    assert_eq!(api::legacy_billing::REGION, "us-east-1");
    assert_eq!(api::search::REGION, "ap-southeast-2");
    let client = Api::new().unwrap();
    assert_endpoint_agrees!(client, inventory);
    assert_endpoint_agrees!(client, legacy_billing);
    assert_endpoint_agrees!(client, search);
}
