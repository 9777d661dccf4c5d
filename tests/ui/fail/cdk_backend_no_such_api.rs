//! An endpoint of the config that no API of an explicitly given CDK output is named like:
//! one error listing the APIs there.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/gen2/amplify_outputs.json",
    backend = "fixtures/cdk.out"
)]
pub struct Api;

fn main() {}
