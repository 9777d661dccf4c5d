//! `Amplify.configure` v6 (`API.REST`): regions from hosts, a Lambda function URL.
use amplify_api::api_client;

include!("../agreement.rs");

#[api_client(config = "fixtures/configs/v6.json")]
pub struct Api;

fn main() {
    assert_eq!(api::my_api_gateway_api::NAME, "MyAPIGatewayAPI");
    assert_eq!(api::my_api_gateway_api::REGION, "ca-central-1");
    assert_eq!(api::fn_url::SERVICE, "lambda");
    assert_eq!(
        api::Endpoint::MyApiGatewayApi.to_string(),
        "MyAPIGatewayAPI"
    );
    let client = Api::new().unwrap();
    assert_endpoint_agrees!(client, shop_api);
    assert_endpoint_agrees!(client, my_api_gateway_api);
    assert_endpoint_agrees!(client, fn_url);
}
