//! A Gen 2 route that does not exist (the routes of the synthesized backend found beside
//! `amplify_outputs.json`): one error naming the closest routes.
use amplify_api::api_client;

#[api_client(config = "fixtures/gen2/amplify_outputs.json")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api::route!(api.my_rest_api().get("/item/9"));
}
