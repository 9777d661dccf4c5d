//! `GET /calc` of the LambdaCalc export requires the query parameters `operand2`, `operator`
//! and `operand1`: a call without one does not compile.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/schemas/config.json",
    routes = { lambdaCalc = "fixtures/routes/schemas/lambda-calc-swagger.json" }
)]
pub struct Api;

fn main() {
    if let Ok(api) = Api::new() {
        let _ = api.lambda_calc().get_calc("2", "+");
    }
}
