//! Who may call each operation of an API Gateway export ([`Security`]): its `security`
//! requirement (the operation's own, else the file's) resolved through the security schemes
//! (OpenAPI 3 `components.securitySchemes`, Swagger 2 `securityDefinitions`) to an
//! [`AuthMode`] and whether the API key is needed as well.
//!
//! API Gateway writes its authorizers as schemes with `x-amazon-apigateway-authtype`:
//! `awsSigv4` (IAM), `cognito_user_pools`, and for a Lambda authorizer a name of its own
//! (free-form: `custom`, `oauth2`...) with `x-amazon-apigateway-authorizer` of type `token` or
//! `request` (an HTTP API's `jwt` authorizer takes an OIDC token); and the API key as
//! `{"type": "apiKey", "name": "x-api-key", "in": "header"}`. A method whose authorization is
//! `NONE` and needs no key has `security: []`, or none at all when the file has no top-level
//! `security` (then the operation keeps `auth: None`: the file does not say, and the endpoint's
//! mode applies).

use super::Operation;
use crate::AuthMode;
use crate::read::diagnostics::{ConfigError, Problems};
use crate::read::json::{Node, Value};

/// What one security scheme asks of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    /// An authorization mode (SigV4, a token).
    Auth(AuthMode),
    /// The API key in `x-api-key`.
    ApiKey,
    /// Something this client cannot send; the reason.
    Unsupported(&'static str),
}

/// The schemes the file defines, by name, in file order.
type Schemes = Vec<(String, Scheme)>;

/// What a requirement resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Requirement {
    auth: AuthMode,
    api_key: bool,
}

/// An export's security: its schemes and its top-level requirement, read once; each
/// operation's auth is then [`Security::of`] it.
#[derive(Debug)]
pub(super) struct Security {
    schemes: Schemes,
    top: Option<Requirement>,
}

impl Security {
    /// The schemes and top-level `security` of the export at `root`; records what is wrong.
    pub(super) fn read(root: &Node<'_>, problems: &mut Problems) -> Security {
        let schemes = schemes(root, problems);
        let top = root
            .get("security")
            .and_then(|s| requirement(&s, &schemes, problems));
        Security { schemes, top }
    }

    /// Fills `operation`'s `auth` and `api_key_required` from the operation at `node`: its own
    /// `security`, else the file's; left as it is when neither says.
    pub(super) fn apply(
        &self,
        node: &Node<'_>,
        operation: &mut Operation,
        problems: &mut Problems,
    ) {
        let own = node
            .get("security")
            .map(|s| requirement(&s, &self.schemes, problems));
        if let Some(found) = own.unwrap_or(self.top) {
            operation.auth = Some(found.auth);
            operation.api_key_required = found.api_key;
        }
    }
}

/// The schemes of `components.securitySchemes` (OpenAPI 3) or `securityDefinitions`
/// (Swagger 2).
fn schemes(root: &Node<'_>, problems: &mut Problems) -> Schemes {
    let node = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .or_else(|| root.get("securityDefinitions"));
    let Some(node) = node else {
        return Vec::new();
    };
    problems
        .take(node.members())
        .unwrap_or_default()
        .into_iter()
        .map(|(name, scheme)| (name.to_owned(), classify(&scheme, problems)))
        .collect()
}

/// What the scheme `node` asks for.
fn classify(node: &Node<'_>, problems: &mut Problems) -> Scheme {
    let text = |key: &str, problems: &mut Problems| {
        problems
            .take(node.opt_str(key))
            .flatten()
            .map(|s| s.value)
            .unwrap_or_default()
    };
    let authtype = text("x-amazon-apigateway-authtype", problems);
    let kind = text("type", problems);
    let name = text("name", problems);
    let location = text("in", problems);
    let authorizer = node
        .get("x-amazon-apigateway-authorizer")
        .and_then(|a| a.opt_str("type").ok().flatten())
        .map(|t| t.value.to_ascii_lowercase())
        .unwrap_or_default();
    match (authtype.to_ascii_lowercase().as_str(), authorizer.as_str()) {
        ("awssigv4", _) => return Scheme::Auth(AuthMode::AwsIam),
        ("cognito_user_pools", _) | (_, "cognito_user_pools") => {
            return Scheme::Auth(AuthMode::AmazonCognitoUserPools);
        }
        (_, "token" | "request") => return Scheme::Auth(AuthMode::AwsLambda),
        // An HTTP API's JWT authorizer: an OIDC token.
        (_, "jwt") => return Scheme::Auth(AuthMode::OpenIdConnect),
        // Any other type is a Lambda authorizer's, free-form (`custom`, `oauth2`...): only
        // `awsSigv4` and names starting with `aws` are reserved.
        (other, _) if !other.is_empty() && !other.starts_with("aws") => {
            return Scheme::Auth(AuthMode::AwsLambda);
        }
        _ => {}
    }
    match kind.as_str() {
        "apiKey" if location == "header" && name.eq_ignore_ascii_case("x-api-key") => {
            Scheme::ApiKey
        }
        // A token in `Authorization` is what a Lambda token authorizer reads.
        "apiKey" if location == "header" && name.eq_ignore_ascii_case("authorization") => {
            Scheme::Auth(AuthMode::AwsLambda)
        }
        "openIdConnect" | "oauth2" => Scheme::Auth(AuthMode::OpenIdConnect),
        "http"
            if node
                .get("scheme")
                .and_then(|s| s.as_str().ok())
                .is_some_and(|s| s.value.eq_ignore_ascii_case("bearer")) =>
        {
            Scheme::Auth(AuthMode::OpenIdConnect)
        }
        "apiKey" => Scheme::Unsupported(
            "an API key outside the `x-api-key` header, which API Gateway does not read",
        ),
        _ => Scheme::Unsupported(
            "neither an API Gateway authorizer (`x-amazon-apigateway-authtype`: `awsSigv4`, \
             `cognito_user_pools`, `custom`), nor the `x-api-key` API key, nor a bearer token",
        ),
    }
}

/// The requirement a `security` array states: its first alternative (this client sends one
/// set of credentials; API Gateway exports write one). `[]` and `[{}]` ask for nothing
/// (`NONE`). `None` after recording a problem.
fn requirement(node: &Node<'_>, schemes: &Schemes, problems: &mut Problems) -> Option<Requirement> {
    let alternatives = problems.take(node.items())?;
    let Some(first) = alternatives.first() else {
        return Some(Requirement {
            auth: AuthMode::None,
            api_key: false,
        });
    };
    let mut auth: Option<(AuthMode, String)> = None;
    let mut api_key = false;
    let mut failed = false;
    for (name, reference) in problems.take(first.members())? {
        let Some((_, scheme)) = schemes.iter().find(|(n, _)| n == name) else {
            let defined: Vec<String> = schemes.iter().map(|(n, _)| format!("`{n}`")).collect();
            let defined = if defined.is_empty() {
                "the file defines none (`components.securitySchemes` in OpenAPI 3, \
                 `securityDefinitions` in Swagger 2)"
                    .to_owned()
            } else {
                format!("the file defines {}", defined.join(", "))
            };
            problems.push(ConfigError::located(
                &reference.key_located(()),
                format!("the security scheme `{name}` is not defined; {defined}"),
            ));
            failed = true;
            continue;
        };
        match *scheme {
            Scheme::ApiKey => api_key = true,
            Scheme::Auth(mode) => match &auth {
                Some((other, other_name)) if *other != mode => {
                    problems.push(ConfigError::located(
                        &reference.key_located(()),
                        format!(
                            "the security scheme `{name}` ({mode}) is required together with \
                             `{other_name}` ({other}); a request carries one authorization"
                        ),
                    ));
                    failed = true;
                }
                _ => auth = Some((mode, name.to_owned())),
            },
            Scheme::Unsupported(why) => {
                problems.push(ConfigError::located(
                    &reference.key_located(()),
                    format!("the security scheme `{name}` is {why}"),
                ));
                failed = true;
            }
        }
        if !matches!(reference.value(), Value::Array(_)) {
            problems.push(reference.error(format!(
                "expected an array of scopes for `{name}`, found {}",
                reference.value().kind()
            )));
            failed = true;
        }
    }
    (!failed).then(|| Requirement {
        auth: auth.map_or(AuthMode::None, |(mode, _)| mode),
        api_key,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Method, RouteTable, read_openapi};
    use super::*;

    #[test]
    fn a_method_keeps_its_own_auth_beside_any_method() {
        // The explicit `get` is GET's operation (the reader keeps the first it meets); the
        // `x-amazon-apigateway-any-method` after it gives the other methods theirs.
        let table = read_openapi(
            r#"{"openapi": "3.0.1",
                "components": {"securitySchemes": {"sigv4": {"type": "apiKey",
                  "name": "Authorization", "in": "header",
                  "x-amazon-apigateway-authtype": "awsSigv4"}}},
                "paths": {"/a": {"get": {"security": []},
                  "x-amazon-apigateway-any-method": {"security": [{"sigv4": []}]}}}}"#,
        )
        .unwrap();
        assert_eq!(
            auth_of(&table, "/a", Method::Get),
            (Some(AuthMode::None), false)
        );
        assert_eq!(
            auth_of(&table, "/a", Method::Post),
            (Some(AuthMode::AwsIam), false)
        );
    }

    /// An export as API Gateway writes one (OpenAPI 3), every kind of method.
    const OAS3: &str = r#"{
      "openapi": "3.0.1",
      "paths": {
        "/orders": {"get": {"security": [{"sigv4": []}]}, "post": {"security": [{"sigv4": [], "api_key": []}]}},
        "/me": {"get": {"security": [{"pool": ["openid"]}]}},
        "/health": {"get": {"security": []}},
        "/reports": {"get": {"security": [{"api_key": []}]}},
        "/custom": {"x-amazon-apigateway-any-method": {"security": [{"lambda": []}]}},
        "/plain": {"get": {}}
      },
      "components": {"securitySchemes": {
        "sigv4": {"type": "apiKey", "name": "Authorization", "in": "header",
                  "x-amazon-apigateway-authtype": "awsSigv4"},
        "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
        "pool": {"type": "apiKey", "name": "Authorization", "in": "header",
                 "x-amazon-apigateway-authtype": "cognito_user_pools",
                 "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": []}},
        "lambda": {"type": "apiKey", "name": "Authorization", "in": "header",
                   "x-amazon-apigateway-authtype": "custom",
                   "x-amazon-apigateway-authorizer": {"type": "token"}}
      }}
    }"#;

    fn auth_of(table: &RouteTable, template: &str, method: Method) -> (Option<AuthMode>, bool) {
        let op = table
            .template(template)
            .and_then(|r| r.operation(method))
            .unwrap();
        (op.auth, op.api_key_required)
    }

    #[test]
    fn reads_each_operations_auth_from_an_openapi_3_export() {
        let table = read_openapi(OAS3).unwrap();
        let auth = |t, m| auth_of(&table, t, m);
        assert_eq!(
            auth("/orders", Method::Get),
            (Some(AuthMode::AwsIam), false)
        );
        assert_eq!(
            auth("/orders", Method::Post),
            (Some(AuthMode::AwsIam), true)
        );
        assert_eq!(
            auth("/me", Method::Get),
            (Some(AuthMode::AmazonCognitoUserPools), false)
        );
        assert_eq!(auth("/health", Method::Get), (Some(AuthMode::None), false));
        assert_eq!(auth("/reports", Method::Get), (Some(AuthMode::None), true));
        assert_eq!(
            auth("/custom", Method::Patch),
            (Some(AuthMode::AwsLambda), false)
        );
        assert_eq!(auth("/plain", Method::Get), (None, false));
    }

    #[test]
    fn swagger_2_definitions_and_the_top_level_requirement_apply() {
        let table = read_openapi(
            r#"{"swagger": "2.0", "security": [{"sigv4": []}],
                "securityDefinitions": {
                  "sigv4": {"type": "apiKey", "name": "Authorization", "in": "header",
                            "x-amazon-apigateway-authtype": "awsSigv4"},
                  "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"}},
                "paths": {"/a": {"get": {}, "put": {"security": [{"api_key": []}]},
                                 "delete": {"security": []}}}}"#,
        )
        .unwrap();
        let auth = |m| auth_of(&table, "/a", m);
        assert_eq!(auth(Method::Get), (Some(AuthMode::AwsIam), false));
        assert_eq!(auth(Method::Put), (Some(AuthMode::None), true));
        assert_eq!(auth(Method::Delete), (Some(AuthMode::None), false));
    }

    #[test]
    fn an_unknown_scheme_is_one_error_listing_the_defined_ones() {
        let errors = read_openapi(
            "{\"openapi\": \"3.0.1\", \"paths\": {\"/a\": {\"get\": {\n  \"security\": [{\"sigv\": []}]}}},\n \"components\": {\"securitySchemes\": {\"sigv4\": {\"type\": \"apiKey\", \"name\": \"Authorization\", \"in\": \"header\", \"x-amazon-apigateway-authtype\": \"awsSigv4\"}, \"api_key\": {\"type\": \"apiKey\", \"name\": \"x-api-key\", \"in\": \"header\"}}}}",
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(|e| e.render("api.json")).collect();
        assert_eq!(
            messages,
            [
                "`api.json:2:17`, at `paths[\"/a\"].get.security[0].sigv`: the security scheme \
                 `sigv` is not defined; the file defines `sigv4`, `api_key`"
            ]
        );
        let errors = read_openapi(
            r#"{"openapi": "3.0.1", "security": [{"x": []}], "paths": {"/a": {"get": {}}}}"#,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.ends_with(
                "the file defines none (`components.securitySchemes` \
                 in OpenAPI 3, `securityDefinitions` in Swagger 2)"
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn schemes_the_client_cannot_send_or_combine_are_errors() {
        let errors = read_openapi(
            r#"{"openapi": "3.0.1", "paths": {"/a": {"get": {"security": [{"q": []}]},
                  "put": {"security": [{"sigv4": [], "pool": []}]},
                  "post": {"security": {"sigv4": []}}}},
                "components": {"securitySchemes": {
                  "q": {"type": "apiKey", "name": "key", "in": "query"},
                  "sigv4": {"type": "apiKey", "x-amazon-apigateway-authtype": "awsSigv4"},
                  "pool": {"type": "apiKey", "x-amazon-apigateway-authtype": "cognito_user_pools"}}}}"#,
        )
        .unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("`q` is an API key outside the `x-api-key` header"));
        assert!(messages[1].contains("`pool` (AMAZON_COGNITO_USER_POOLS) is required together"));
        assert!(messages[2].starts_with("expected an array, found an object"));
        // An OIDC bearer scheme and a JWT authorizer are tokens; a free-form authtype is a
        // Lambda authorizer's.
        let table = read_openapi(
            r#"{"openapi": "3.0.1", "security": [{"jwt": []}],
                "paths": {"/a": {"get": {}}, "/b": {"get": {"security": [{"http": []}]}},
                          "/c": {"get": {"security": [{"mine": []}]}}},
                "components": {"securitySchemes": {
                  "http": {"type": "http", "scheme": "bearer"},
                  "jwt": {"type": "oauth2", "x-amazon-apigateway-authorizer": {"type": "jwt"}},
                  "mine": {"type": "apiKey", "name": "x-token", "in": "header",
                           "x-amazon-apigateway-authtype": "oauth2"}}}}"#,
        )
        .unwrap();
        for (path, mode) in [
            ("/a", AuthMode::OpenIdConnect),
            ("/b", AuthMode::OpenIdConnect),
            ("/c", AuthMode::AwsLambda),
        ] {
            assert_eq!(
                auth_of(&table, path, Method::Get),
                (Some(mode), false),
                "{path}"
            );
        }
    }
}
