use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json")]
#[derive(Clone, Debug, Default)]
pub struct Api;

fn main() {
    // `Clone` and `Debug` are honoured; `Default` is the one error.
    let api = Api::new().unwrap();
    let copy = api.clone();
    let _ = format!("{copy:?}");
    let _ = api.items_api().get("/items");
}
