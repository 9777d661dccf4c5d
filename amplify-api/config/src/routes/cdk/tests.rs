//! The reader on the synthesized fixtures (`tests/fixtures/cdk.out`, made by
//! `tests/cdk-app/synth.sh`) and on hand-cut templates for what the app cannot make.

use std::path::PathBuf;

use super::*;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cdk.out")
}

fn api<'a>(assembly: &'a CloudAssembly, name: &str) -> &'a CdkApi {
    assembly
        .apis
        .iter()
        .find(|a| a.is_named(name))
        .unwrap_or_else(|| panic!("no API {name}"))
}

/// `METHOD template auth key` per operation, in route order.
fn summary(table: &RouteTable) -> Vec<String> {
    let mut out = Vec::new();
    for route in &table.routes {
        for op in &route.operations {
            out.push(format!(
                "{} {} {:?}{}",
                op.method,
                route.template.value,
                op.auth.unwrap(),
                if op.api_key_required { " +key" } else { "" }
            ));
        }
    }
    out
}

#[test]
fn reads_the_synthesized_rest_api_with_its_nested_stack() {
    let assembly = read_cloud_assembly(&fixtures()).unwrap();
    assert!(is_cloud_assembly(&fixtures()));
    let names: Vec<(Option<&str>, ApiKind)> = assembly
        .apis
        .iter()
        .map(|a| (a.name.as_deref(), a.kind))
        .collect();
    assert_eq!(
        names,
        [
            (Some("itemsRestApi"), ApiKind::Rest),
            (Some("itemsHttpApi"), ApiKind::Http)
        ]
    );
    let files: Vec<String> = assembly
        .files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        [
            "manifest.json",
            "FixtureStack.template.json",
            "FixtureStackOrders2AED0C64.nested.template.json"
        ]
    );
    let rest = api(&assembly, "itemsRestApi");
    assert_eq!(rest.logical_id, "ItemsRestApi10ACB999");
    assert!(
        rest.is_named("ItemsRestApi"),
        "the logical id without its hash"
    );
    assert!(rest.skipped.is_empty(), "{:?}", rest.skipped);
    let mut expected = vec![
        "GET /health None".to_owned(),
        "GET /items AwsIam".to_owned(),
        "POST /items AmazonCognitoUserPools".to_owned(),
        "GET /items/{id} AwsIam".to_owned(),
        "DELETE /items/{id} None +key".to_owned(),
        "GET /me AmazonCognitoUserPools".to_owned(),
        "GET /reports AwsLambda".to_owned(),
    ];
    for method in Method::ALL {
        expected.push(format!("{method} /files/{{proxy+}} AwsIam"));
    }
    // The nested stack's routes, on the parent's API through its parameters.
    expected.push("GET /orders AwsIam".to_owned());
    expected.push("PUT /orders/{orderId} AwsIam +key".to_owned());
    assert_eq!(summary(&rest.table), expected);

    let items = rest.table.template("/items").unwrap();
    let get = items.operation(Method::Get).unwrap();
    let query: Vec<(&str, bool)> = get
        .query
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
    assert_eq!(query, [("limit", false), ("category", true)]);
    let post = items.operation(Method::Post).unwrap();
    assert_eq!(post.body, Some(Schema::Named("Item".to_owned())));
    assert_eq!(rest.table.schemas.len(), 1);
    let (name, schema) = &rest.table.schemas[0];
    assert_eq!(name, "Item");
    assert_eq!(schema["required"], serde_json::json!(["name", "quantity"]));
    assert_eq!(schema["properties"]["quantity"]["type"], "integer");
    let item = rest.table.template("/items/{id}").unwrap();
    let headers: Vec<(&str, bool)> = item
        .operation(Method::Get)
        .unwrap()
        .headers
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
    assert_eq!(headers, [("x-request-id", false)]);
    assert_eq!(
        rest.table.find("/files/a/b.txt").unwrap().template.value,
        "/files/{proxy+}"
    );
    // The template is located at the leaf resource's `PathPart`.
    let orders = rest.table.template("/orders/{orderId}").unwrap();
    assert_eq!(
        orders.template.path.to_string(),
        "Resources.RestApiordersorderIdDF51D6EE.Properties.PathPart"
    );
}

#[test]
fn reads_the_synthesized_http_api() {
    let assembly = read_cloud_assembly(&fixtures()).unwrap();
    let http = api(&assembly, "itemsHttpApi");
    assert_eq!(http.kind, ApiKind::Http);
    let mut expected = Vec::new();
    for template in ["/", "/{proxy+}"] {
        for method in Method::ALL {
            expected.push(format!("{method} {template} None"));
        }
    }
    expected.extend([
        "GET /items AwsIam".to_owned(),
        "POST /items/{id} AmazonCognitoUserPools".to_owned(),
        "GET /partners/{partnerId} OpenIdConnect".to_owned(),
        "GET /status None".to_owned(),
        "HEAD /status None".to_owned(),
    ]);
    for method in Method::ALL {
        expected.push(format!("{method} /assets/{{proxy+}} None"));
    }
    assert_eq!(summary(&http.table), expected);
    assert_eq!(
        http.table.find("/items/7").unwrap().template.value,
        "/items/{id}"
    );
    assert_eq!(
        http.table
            .template("/items")
            .unwrap()
            .template
            .path
            .to_string(),
        "Resources.ItemsHttpApiGETitems64FCFB2F.Properties.RouteKey"
    );
}

/// Writes `files` into a fresh folder under the target dir.
fn assembly_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/cdk-reader-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

#[test]
fn an_unresolvable_path_part_is_a_noted_skip_and_a_bad_template_an_error() {
    // No manifest: every top-level `*.template.json`.
    let dir = assembly_dir(
        "skip",
        &[(
            "App.template.json",
            r#"{"Resources": {
  "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "api"}},
  "Env": {"Type": "AWS::ApiGateway::Resource", "Properties": {
    "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
    "PathPart": {"Fn::Join": ["", ["v", {"Ref": "Version"}]]}, "RestApiId": {"Ref": "Api"}}},
  "EnvGet": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET",
    "AuthorizationType": "NONE", "ResourceId": {"Ref": "Env"}, "RestApiId": {"Ref": "Api"}}},
  "RootGet": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET",
    "ResourceId": {"Fn::GetAtt": "Api.RootResourceId"}, "RestApiId": {"Ref": "Api"}}}
}}"#,
        )],
    );
    let assembly = read_cloud_assembly(&dir).unwrap();
    let api = &assembly.apis[0];
    assert_eq!(summary(&api.table), ["GET / None"]);
    let skipped: Vec<String> = api.skipped.iter().map(|s| s.render("cdk.out")).collect();
    assert_eq!(
        skipped,
        [
            "`cdk.out/App.template.json:5:17`, at `Resources.Env.Properties.PathPart`: this path part is \
          not a literal string but a `Fn::Join`, known only at deploy time; the routes below it \
          are left out"
        ]
    );

    let dir = assembly_dir(
        "error",
        &[
            (
                "manifest.json",
                r#"{"version": "55.0.0", "artifacts": {"App": {"type": "aws:cloudformation:stack",
                   "properties": {"templateFile": "App.template.json"}}}}"#,
            ),
            (
                "App.template.json",
                r#"{"Resources": {
  "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "h", "ProtocolType": "HTTP"}},
  "R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"},
    "RouteKey": "FETCH /x"}}
}}"#,
            ),
        ],
    );
    let errors = read_cloud_assembly(&dir).unwrap_err();
    let messages: Vec<String> = errors.iter().map(|e| e.render("cdk.out")).collect();
    assert_eq!(
        messages,
        [
            "`cdk.out/App.template.json:4:17`, at `Resources.R.Properties.RouteKey`: the route key \
          `FETCH /x` has an unknown method `FETCH`"
        ]
    );

    let missing = assembly_dir("missing", &[]);
    assert!(!is_cloud_assembly(&missing));
    let dir = assembly_dir(
        "missing-template",
        &[(
            "manifest.json",
            r#"{"artifacts": {"App": {"type": "aws:cloudformation:stack",
                 "properties": {"templateFile": "App.template.json"}}}}"#,
        )],
    );
    let errors = read_cloud_assembly(&dir).unwrap_err();
    assert_eq!(errors[0].file, "App.template.json");
    assert!(
        errors[0].error.message.contains("npx cdk synth"),
        "{}",
        errors[0].error
    );
}

#[test]
fn reads_the_synthesized_gen2_backend() {
    // `tests/gen2-app/synth.sh`: `defineBackend` with a `RestApi` in `backend.createStack`,
    // which Amplify makes a nested stack of the backend's root stack.
    let dir = fixtures().join("../gen2/.amplify/artifacts/cdk.out");
    let assembly = read_cloud_assembly(&dir).unwrap();
    assert_eq!(assembly.apis.len(), 1);
    let api = api(&assembly, "myRestApi");
    assert!(
        api.template.ends_with(".nested.template.json"),
        "{}",
        api.template
    );
    assert_eq!(
        summary(&api.table),
        ["GET /items AwsIam", "DELETE /items/{id} None"]
    );
}

#[test]
fn reads_the_stacks_of_a_stage_in_a_nested_assembly() {
    // `new Stage(app, 'Prod')`: the stage's stacks are in `assembly-Prod/`, which the top
    // manifest names as a `cdk:cloud-assembly` artifact.
    let dir = assembly_dir(
        "stage",
        &[(
            "manifest.json",
            r#"{"artifacts": {"assembly-Prod": {"type": "cdk:cloud-assembly",
                 "properties": {"directoryName": "assembly-Prod", "displayName": "Prod"}}}}"#,
        )],
    );
    let inner = dir.join("assembly-Prod");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(
        inner.join("manifest.json"),
        r#"{"artifacts": {"ProdApp": {"type": "aws:cloudformation:stack",
             "properties": {"templateFile": "ProdApp.template.json"}}}}"#,
    )
    .unwrap();
    std::fs::write(
        inner.join("ProdApp.template.json"),
        r#"{"Resources": {
  "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "prod", "ProtocolType": "HTTP"}},
  "Ws": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "ws", "ProtocolType": "WEBSOCKET"}},
  "R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"},
    "RouteKey": "DELETE /things/{id}", "AuthorizationType": "CUSTOM"}}
}}"#,
    )
    .unwrap();
    let assembly = read_cloud_assembly(&dir).unwrap();
    let names: Vec<Option<&str>> = assembly.apis.iter().map(|a| a.name.as_deref()).collect();
    assert_eq!(names, [Some("prod")], "a WebSocket API has no HTTP routes");
    assert_eq!(
        assembly.apis[0].template,
        "assembly-Prod/ProdApp.template.json"
    );
    assert_eq!(
        summary(&assembly.apis[0].table),
        ["DELETE /things/{id} AwsLambda"]
    );
}
