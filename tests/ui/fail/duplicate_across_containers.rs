use amplify_api::api_client;

// `items` in both `aws_cloud_logic_custom` and `API.endpoints`: one error naming both.
#[api_client(config = "fixtures/configs/invalid/duplicate-across-containers.json")]
pub struct Api;

fn main() {
    let api: Api = Api::new().unwrap();
    let _ = api.items();
}
