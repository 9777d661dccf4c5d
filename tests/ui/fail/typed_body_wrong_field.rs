//! A typed body (the LambdaCalc export's `Input` model) with a field it does not have, and a
//! value of the wrong type: compile errors on the field and the value.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/schemas/config.json",
    routes = { lambdaCalc = "fixtures/routes/schemas/lambda-calc-swagger.json" }
)]
pub struct Api;

fn main() {
    let input = api::lambda_calc::Input {
        a: 1.0,
        b: "2",
        operator: "+".to_owned(),
    };
    if let Ok(api) = Api::new() {
        let _ = api.lambda_calc().post_calc(&input);
    }
}
