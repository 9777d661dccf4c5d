//! A missing comma: one error, and the accessors of the endpoints the file names still exist.
use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/bad-json.json")]
pub struct Api;

fn main() {
    // Every method the client would have, and the accessor of `todoApi`, type-check.
    let api: Api = Api::new().unwrap();
    let _built: Result<Api, amplify_api::Error> = Api::builder().build();
    let _ = api.todo_api().get("/todos");
    let _ = api.endpoint(api::Endpoint::TodoApi);
    let _ = api.endpoint_by_name("todoApi");
    let _: &str = api::todo_api::NAME;
    let _: Result<Api, amplify_api::Error> = Api::try_from(api.client().clone());
    let _ = format!("{:?}", api.clone());
}
