//! Typed routes with the export's schemas, used fully: the LambdaCalc Swagger 2 export and an
//! OpenAPI 3 export with `components.schemas`. Required query and header parameters are
//! arguments, optional ones methods, a body model the body argument, answers typed; the
//! models need no `serde` import of the user's; two APIs' models live in their own modules.
use amplify_api::{NoSchema, RequestBuilder, TypedRequest, api_client};

#[api_client(
    config = "fixtures/routes/schemas/config.json",
    routes = {
        lambdaCalc = "fixtures/routes/schemas/lambda-calc-swagger.json",
        ordersApi = "fixtures/routes/schemas/orders-openapi.json",
    }
)]
pub struct Api;

/// Every typed route, built (not sent).
fn requests(api: &Api) {
    use api::lambda_calc::{Input, Result as CalcResult};
    let calc = api.lambda_calc();
    let input = Input { a: 1.0, b: 2.0, op: "add".to_owned() };
    let _: TypedRequest<CalcResult, NoSchema> = calc.get_calc("2", "add", "1");
    let _: TypedRequest<CalcResult> = calc.post_calc(&input);
    let _: TypedRequest<CalcResult> = calc.get_calc_by_operand1_by_operand2_by_operator("1", "2", "add");

    let orders = api.orders_api();
    let list: api::orders_api::requests::ListOrders = orders.list_orders("ana").limit(10).shipped(true);
    let _: TypedRequest<api::orders_api::OrderList, api::orders_api::Error> =
        list.x_request_id("r-1").into_typed();
    let new = api::orders_api::NewOrder {
        sku: "ABC-1".to_owned(),
        quantity: std::num::NonZeroU64::MIN,
        // `maxLength` makes a checked string type.
        note: Some(api::orders_api::NewOrderNote::try_from("gift").unwrap()),
    };
    let _ = orders.create_order("key", &new).with(|b| b.timeout(std::time::Duration::from_secs(5)));
    let _ = orders.get_order("o1").expand("lines").send();
    // The other API's `Input` is another type.
    let _ = orders.patch_orders_by_order_id("o1", "none", &api::orders_api::Input { quantity: None });
    // A model named `Routes` is `RoutesModel` beside the generated `Routes`.
    let _ = api::orders_api::RoutesModel { aisle: Some(3) };
    // An inline response schema is named after its method.
    let _: Option<api::orders_api::PatchOrdersByOrderIdResponse> = None;
    let _: RequestBuilder = orders.get_health();
    let _: RequestBuilder = orders.delete_orders_by_order_id("o1").expand("x").into_typed().into_untyped();
}

async fn answers(api: &Api) -> Result<f64, amplify_api::Error> {
    let response = api.lambda_calc().get_calc("2", "add", "1").send().await?;
    let _status = response.status();
    let result: api::lambda_calc::Result = response.json()?;
    match api.orders_api().list_orders("ana").send().await {
        Ok(list) => drop(list.json()?.orders),
        Err(e) => {
            let model: Option<api::orders_api::Error> = e.json();
            drop(model.map(|m| m.message));
            return Err(e.into());
        }
    }
    Ok(result.output.and_then(|o| o.c).unwrap_or_default())
}

fn main() {
    if let Ok(api) = Api::new() {
        requests(&api);
        drop(answers(&api));
    }
}
