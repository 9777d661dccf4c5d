//! `aws_exports.json` beside `aws-exports.json`: "did you mean", the Amplify config files
//! there, and the client generated from the close one, so code using it adds no second error.
use amplify_api::api_client;

#[api_client(config = "fixtures/configs/aws_exports.json")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.todo_api().get("/todos");
    let _ = api.orders_api().get("/orders");
}
