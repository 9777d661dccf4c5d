use amplify_api::api_client;

// `format = "v6"` on a file whose endpoints are in `aws_cloud_logic_custom` and
// `API.endpoints`: the error names both, and the format that reads each.
#[api_client(config = "fixtures/configs/merged-v3-v5.json", format = "v6")]
pub struct Api;

fn main() {
    let api: Api = Api::new().unwrap();
    let _ = api.endpoint_by_name("ordersApi");
}
