//! The aws-exports format as JSON: whitespace, trailing slash, custom domain (project region),
//! Lambda endpoint, a host region that wins over the entry's.
use amplify_api::api_client;

include!("../agreement.rs");

#[api_client(config = "fixtures/configs/aws-exports.json")]
pub struct Api;

fn main() {
    assert_eq!(
        api::orders_api::URL,
        "https://ord567xyz8.execute-api.eu-central-1.amazonaws.com/prod"
    );
    assert_eq!(api::orders_api::REGION, "eu-central-1");
    assert_eq!(api::custom_domain_api::NAME, "Custom Domain API");
    assert_eq!(api::custom_domain_api::URL, "https://api.example.com/v1");
    assert_eq!(api::custom_domain_api::REGION, "eu-west-1");
    assert_eq!(
        (api::reports_fn::SERVICE, api::reports_fn::REGION),
        ("lambda", "us-west-2")
    );
    assert!(api::GUEST_ACCESS);

    let client = Api::new().unwrap();
    assert_endpoint_agrees!(client, todo_api);
    assert_endpoint_agrees!(client, orders_api);
    assert_endpoint_agrees!(client, custom_domain_api);
    assert_endpoint_agrees!(client, reports_fn);
}
