//! A `$ref` to a model the export does not have: one error naming it, where it is, and the
//! close names.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/schemas/config.json",
    routes = { lambdaCalc = "fixtures/routes/invalid/missing-model.json" }
)]
pub struct Api;

fn main() {}
