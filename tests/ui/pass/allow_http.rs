//! `allow_http = true`: a plain-http endpoint that is not loopback, accepted by the macro and
//! by the builder.
use amplify_api::api_client;

#[api_client(config = "fixtures/configs/plain-http.json", allow_http = true)]
pub struct Api;

fn main() {
    assert_eq!(api::lan_api::URL, "http://10.0.0.5:8080/api");
    let client = Api::new().unwrap();
    assert_eq!(client.lan_api().url(), api::lan_api::URL);
}
