//! `strict_routes = true` on a CDK REST API: a method the API does not have is no method at
//! all (no `post_health`), and the untyped `get` is gone.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/cdk-outputs/amplify_outputs.json",
    backend = "fixtures/cdk.out",
    strict_routes = true
)]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.items_rest_api().get_health();
    let _ = api.items_rest_api().post_health();
}
