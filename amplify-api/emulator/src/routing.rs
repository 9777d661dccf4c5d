//! The emulated API's routes: route tables it serves as API Gateway does (a path or method the
//! table lacks is 403 `MissingAuthenticationTokenException`; each operation checks its own
//! auth mode, and the API key where it is required), and typed answers a test gives a route
//! ([`ApiControl::answer`](crate::ApiControl::answer)).

use std::fmt;
use std::sync::Arc;

use amplify_api::AuthMode;
use amplify_api_config::routes::{Method, PathSegment, Route, RouteTable};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::Auth;
use crate::sigv4_verify::WireRequest;

/// An API's route table and what its operations ask for, to serve with
/// [`ApiControl::serve_routes`](crate::ApiControl::serve_routes).
///
/// Each operation is authorized by its own mode
/// ([`Operation::auth`](amplify_api_config::routes::Operation::auth)): `AWS_IAM` by the SigV4 verifier, `AMAZON_COGNITO_USER_POOLS` by a token of the emulated
/// user pool (or [`token`](Self::token) when given), `OPENID_CONNECT` and `AWS_LAMBDA` by
/// [`token`](Self::token) (else a user-pool token), `API_KEY` by [`api_key`](Self::api_key),
/// `NONE` not at all; an operation whose table does not say takes the API's global rule
/// ([`ApiControl::require`](crate::ApiControl::require)). One with `api_key_required` also
/// needs `x-api-key: <api_key>`, checked after its authorizer, as API Gateway does.
///
/// ```
/// use amplify_api_emulator::ServedRoutes;
/// use amplify_api_emulator::routes::read_openapi;
/// let export = r#"{"openapi": "3.0.1", "paths": {"/health": {"get": {"security": []}}}}"#;
/// let table = read_openapi(export).unwrap();
/// let served = ServedRoutes::new(table).at("/dev").api_key("k3y");
/// # let _ = served;
/// ```
#[derive(Clone)]
pub struct ServedRoutes {
    pub(crate) prefix: String,
    pub(crate) table: RouteTable,
    pub(crate) api_key: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) hint: Option<String>,
    pub(crate) http_api: bool,
}

impl fmt::Debug for ServedRoutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServedRoutes")
            .field("prefix", &self.prefix)
            .field("routes", &self.table.routes.len())
            .field("has_api_key", &self.api_key.is_some())
            .field("has_token", &self.token.is_some())
            .field("http_api", &self.http_api)
            .finish_non_exhaustive()
    }
}

impl ServedRoutes {
    /// The routes of `table`, served at the API's root.
    pub fn new(table: RouteTable) -> ServedRoutes {
        ServedRoutes {
            prefix: String::new(),
            table,
            api_key: None,
            token: None,
            hint: None,
            http_api: false,
        }
    }

    /// Serves them as an HTTP API (API Gateway v2) does: a path or method no route has is 404
    /// `{"message":"Not Found"}`, where a REST API answers 403 "Missing Authentication Token".
    pub fn http_api(mut self) -> ServedRoutes {
        self.http_api = true;
        self
    }

    /// Serves them below `prefix` (a stage, `/dev`; an endpoint's path, `/itemsApi`).
    pub fn at(mut self, prefix: &str) -> ServedRoutes {
        self.prefix = prefix.trim_end_matches('/').to_owned();
        self
    }

    /// The API key `x-api-key` must carry on operations that require one.
    pub fn api_key(mut self, key: &str) -> ServedRoutes {
        self.api_key = Some(key.to_owned());
        self
    }

    /// The token `Authorization` must carry on user-pool, OIDC and Lambda-authorizer
    /// operations (instead of a token of the emulated user pool).
    pub fn token(mut self, token: &str) -> ServedRoutes {
        self.token = Some(token.to_owned());
        self
    }

    /// Adds `hint` to the message of every refusal on these routes.
    pub(crate) fn hint(mut self, hint: String) -> ServedRoutes {
        self.hint = Some(hint);
        self
    }

    /// What `mode` asks of a request here.
    fn auth_of(&self, mode: AuthMode) -> Auth {
        match mode {
            AuthMode::AwsIam => Auth::Iam,
            AuthMode::ApiKey => Auth::ApiKey(self.api_key.clone().unwrap_or_default()),
            AuthMode::None => Auth::None,
            AuthMode::AwsLambda | AuthMode::OpenIdConnect | AuthMode::AmazonCognitoUserPools => {
                match &self.token {
                    Some(token) => Auth::Bearer(token.clone()),
                    None => Auth::UserPool,
                }
            }
            // `AuthMode` is non-exhaustive: a mode added later is checked as strictly as IAM.
            _ => Auth::Iam,
        }
    }
}

/// What the routes say of a request.
#[derive(Debug)]
pub(crate) enum Routed {
    /// No served table has it (or not with its method): a REST API's 403, or an HTTP API's
    /// 404 (`http_api`: the table below whose prefix it is serves an HTTP API).
    Missing {
        /// Whether the table it fell under is an HTTP API's.
        http_api: bool,
    },
    /// No table is served: the rules of
    /// [`ApiControl::require_for`](crate::ApiControl::require_for) apply.
    Unrouted,
    /// A served operation.
    Found {
        /// Its auth; `None`: the global rule.
        auth: Option<Auth>,
        /// The key `x-api-key` must carry, when it requires one (empty when none was given).
        api_key: Option<String>,
        hint: Option<String>,
    },
}

/// The tables served and the answers given.
#[derive(Debug, Default)]
pub(crate) struct Routing {
    served: Vec<ServedRoutes>,
    answers: Vec<Answer>,
}

impl Routing {
    /// Serves `routes` (replacing a table served at the same prefix).
    pub(crate) fn serve(&mut self, routes: ServedRoutes) {
        self.served.retain(|s| s.prefix != routes.prefix);
        self.served.push(routes);
    }

    /// Adds `answer` (replacing one for the same method and template).
    pub(crate) fn answer(&mut self, answer: Answer) {
        self.answers
            .retain(|a| !(a.method == answer.method && a.template == answer.template));
        self.answers.push(answer);
    }

    /// The served table (the longest prefix) below which `path` is, and the rest of the path.
    fn table_for<'a>(&'a self, path: &'a str) -> Option<(&'a ServedRoutes, &'a str)> {
        self.served
            .iter()
            .filter_map(|s| {
                let rest = path.strip_prefix(s.prefix.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some((s, rest))
            })
            .max_by_key(|(s, _)| s.prefix.len())
    }

    /// What the served tables say of `method` `path`.
    pub(crate) fn route(&self, method: &str, path: &str) -> Routed {
        if self.served.is_empty() {
            return Routed::Unrouted;
        }
        let Some((served, rest)) = self.table_for(path) else {
            return Routed::Missing { http_api: false };
        };
        let missing = Routed::Missing {
            http_api: served.http_api,
        };
        let Some(method) = Method::from_name(method) else {
            return missing;
        };
        let Some(op) = served
            .table
            .find(if rest.is_empty() { "/" } else { rest })
            .and_then(|r| r.operation(method))
        else {
            return missing;
        };
        Routed::Found {
            auth: op.auth.map(|mode| served.auth_of(mode)),
            api_key: op
                .api_key_required
                .then(|| served.api_key.clone().unwrap_or_default()),
            hint: served.hint.clone(),
        }
    }

    /// The answer a test gave for `request`, if any: status and JSON body.
    pub(crate) fn answer_for(&self, request: &WireRequest) -> Option<(u16, Vec<u8>)> {
        let method = Method::from_name(&request.method)?;
        let rest = self
            .table_for(&request.path)
            .map_or(request.path.as_str(), |(_, rest)| rest);
        let rest = if rest.is_empty() { "/" } else { rest };
        let answer = self
            .answers
            .iter()
            .filter(|a| a.method == method)
            .find(|a| a.route.find(rest).is_some())?;
        let route = answer.route.routes.first()?;
        let call = Call {
            body: (),
            params: params(route, rest),
            query: url::form_urlencoded::parse(request.query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers: request.headers.clone(),
        };
        Some((answer.handler)(call, &request.body))
    }
}

/// The values of `route`'s parameters in `path` (which it matches), percent-decoded; a greedy
/// one gets the rest of the path.
fn params(route: &Route, path: &str) -> Vec<(String, String)> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut out = Vec::new();
    for (i, segment) in route.segments.iter().enumerate() {
        match segment {
            PathSegment::Literal(_) => {}
            PathSegment::Param(name) => {
                out.push((name.clone(), decode(segments.get(i).unwrap_or(&""))));
            }
            PathSegment::Greedy(name) => {
                let rest: Vec<String> = segments.iter().skip(i).map(|s| decode(s)).collect();
                out.push((name.clone(), rest.join("/")));
            }
        }
    }
    out
}

/// A request a typed answer gets: its body as `T`, its path parameters, query and headers.
/// `Debug` shows the parameters, the query keys and the header names, never a value that may
/// be a secret (a token, a key, a query value).
#[derive(Clone)]
#[non_exhaustive]
pub struct Call<T> {
    /// The JSON body, read as `T` (an empty body reads as JSON `null`: `()` or `Option<_>`).
    pub body: T,
    /// The route's path parameters by name (`{id}` -> `("id", "42")`), percent-decoded, in
    /// path order; a greedy `{proxy+}` holds the rest of the path.
    pub params: Vec<(String, String)>,
    /// The query pairs, decoded, in their order.
    pub query: Vec<(String, String)>,
    /// The headers as received (names in any case).
    pub headers: Vec<(String, String)>,
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = |pairs: &[(String, String)]| -> Vec<String> {
            pairs.iter().map(|(k, _)| k.clone()).collect()
        };
        f.debug_struct("Call")
            .field("params", &self.params)
            .field("query_keys", &keys(&self.query))
            .field("header_names", &keys(&self.headers))
            .finish_non_exhaustive()
    }
}

impl<T> Call<T> {
    /// The path parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        find(&self.params, name, false)
    }

    /// The first query value of `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        find(&self.query, name, false)
    }

    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        find(&self.headers, name, true)
    }
}

fn find<'a>(pairs: &'a [(String, String)], name: &str, any_case: bool) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| {
            if any_case {
                k.eq_ignore_ascii_case(name)
            } else {
                k == name
            }
        })
        .map(|(_, v)| v.as_str())
}

/// An error answer of a typed mock: a status and a JSON body (a typed error response).
#[derive(Clone, Debug)]
pub struct ErrorAnswer {
    status: u16,
    body: Vec<u8>,
}

impl ErrorAnswer {
    /// Answers `status` with `body` as JSON (a body that cannot be serialized is `null`).
    pub fn new(status: u16, body: &impl Serialize) -> ErrorAnswer {
        ErrorAnswer {
            status,
            body: serde_json::to_vec(body).unwrap_or_else(|_| b"null".to_vec()),
        }
    }
}

/// A typed answer, its types erased: the call without its body, and the body's bytes.
type Handler = Arc<dyn Fn(Call<()>, &[u8]) -> (u16, Vec<u8>) + Send + Sync>;

/// A test's answer to one method of one route template.
#[derive(Clone)]
pub(crate) struct Answer {
    method: Method,
    template: String,
    /// The template as a one-route table, to match paths.
    route: RouteTable,
    handler: Handler,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Answer({} {})", self.method, self.template)
    }
}

impl Answer {
    /// `f`'s answer to `method` `template`: the body read as `Req` (a body that is not one is
    /// API Gateway's 400 `Invalid request body`), its `Ok` serialized with 200.
    pub(crate) fn new<Req, Resp, F>(method: Method, template: &str, f: F) -> Result<Answer, String>
    where
        Req: DeserializeOwned,
        Resp: Serialize,
        F: Fn(Call<Req>) -> Result<Resp, ErrorAnswer> + Send + Sync + 'static,
    {
        let route = Route::from_template(template, vec![])?;
        let handler: Handler = Arc::new(move |call: Call<()>, body: &[u8]| {
            let text: &[u8] = if body.is_empty() { b"null" } else { body };
            let Ok(body) = serde_json::from_slice::<Req>(text) else {
                return (400, br#"{"message": "Invalid request body"}"#.to_vec());
            };
            let call = Call {
                body,
                params: call.params,
                query: call.query,
                headers: call.headers,
            };
            match f(call) {
                Ok(value) => match serde_json::to_vec(&value) {
                    Ok(bytes) => (200, bytes),
                    Err(e) => {
                        let message = format!("the answer cannot be serialized: {e}");
                        (
                            500,
                            serde_json::json!({ "message": message })
                                .to_string()
                                .into_bytes(),
                        )
                    }
                },
                Err(e) => (e.status, e.body),
            }
        });
        Ok(Answer {
            method,
            template: template.to_owned(),
            route: RouteTable {
                routes: vec![route],
                ..RouteTable::default()
            },
            handler,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_call_shows_no_secret() {
        let call = Call {
            body: (),
            params: vec![("id".into(), "7".into())],
            query: vec![("code".into(), "query-sentinel".into())],
            headers: vec![("authorization".into(), "token-sentinel".into())],
        };
        let debug = format!("{call:?}");
        assert!(!debug.contains("sentinel"), "{debug}");
        assert!(
            debug.contains("authorization") && debug.contains("code"),
            "{debug}"
        );
    }

    #[test]
    fn params_are_decoded_and_a_greedy_one_takes_the_rest() {
        let route = Route::from_template("/items/{id}/files/{path+}", vec![]).unwrap();
        assert_eq!(
            params(&route, "/items/a%2Fb/files/x/y%20z"),
            [
                ("id".to_owned(), "a/b".to_owned()),
                ("path".to_owned(), "x/y z".to_owned())
            ]
        );
    }
}
