//! `backend = "…/cdk.out"` that does not exist: one error naming the folder and how to make it.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/cdk-outputs/amplify_outputs.json",
    backend = "missing/cdk.out"
)]
pub struct Api;

fn main() {}
