use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/variant-collision.json")]
pub struct Api;

fn main() {
    // `a1` and `a_1` are two accessors but one enum variant: the error names the variant.
    let api = Api::new().unwrap();
    let _ = api.a1().get("/x");
    let _ = api.endpoint(api::Endpoint::A1);
}
