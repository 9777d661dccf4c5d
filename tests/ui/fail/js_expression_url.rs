use amplify_api::api_client;

// The only endpoint's URL is `process.env.TODO_API_URL`: one error, quoting it.
#[api_client(config = "fixtures/configs/invalid/expression-url.js")]
pub struct Api;

fn main() {
    // Code that builds and uses the client still type-checks: the macro's error is the only one.
    let api: Api = Api::new().unwrap();
    let _built: Result<Api, amplify_api::Error> = Api::builder().build();
    let _ = api.todo_api();
}
