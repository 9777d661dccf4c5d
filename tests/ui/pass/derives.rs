//! `#[derive(Clone, Debug)]` on the struct is honoured (it has both anyway); other derives stay.
use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json")]
#[derive(Clone, Debug)]
pub struct Api;

fn main() {
    let client = Api::new().unwrap();
    let copy = client.clone();
    assert!(format!("{copy:?}").starts_with("Api"));
}
