//! The emulated Cognito Identity: `GetId` and `GetCredentialsForIdentity` over the JSON 1.1
//! protocol (`POST`, `Content-Type: application/x-amz-json-1.1`,
//! `X-Amz-Target: AWSCognitoIdentityService.<Operation>`), with Cognito's error answers. The
//! credentials it mints are accepted by the emulated API.

use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Value, json};

use super::faults::{CognitoFault, FaultQueue};
use super::keys::{Key, KeyStore};
use super::server::{Received, Reply, json_response};
use super::user_pool::{Claims, Issuer};
/// A `Logins` map: provider name to token.
type Logins = std::collections::BTreeMap<String, String>;

/// How long minted credentials last unless set otherwise (Cognito's one hour).
pub const DEFAULT_CREDENTIALS_LIFETIME: Duration = Duration::from_secs(3600);

/// The role of authenticated identities whose token names no preferred role.
pub const DEFAULT_AUTHENTICATED_ROLE: &str =
    "arn:aws:iam::123456789012:role/amplify-emulator-authRole";

/// The role of guest identities.
pub const UNAUTHENTICATED_ROLE: &str = "arn:aws:iam::123456789012:role/amplify-emulator-unauthRole";

const TARGET_PREFIX: &str = "AWSCognitoIdentityService.";
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Controls the emulated Cognito Identity, and counts the calls it served.
///
/// Get it from [`Emulator::cognito`](super::Emulator::cognito).
#[derive(Clone, Debug)]
pub struct CognitoControl {
    state: Arc<CognitoState>,
}

#[derive(Debug)]
pub(crate) struct CognitoState {
    pool_id: String,
    /// Further identity pools served (an app's own, from its config).
    more_pools: Mutex<Vec<String>>,
    keys: Arc<KeyStore>,
    /// The emulated user pool's tokens: its `Logins` are verified.
    user_pool: Arc<Issuer>,
    get_id_calls: AtomicU64,
    get_credentials_calls: AtomicU64,
    faults: FaultQueue<CognitoFault>,
    lifetime: Mutex<Duration>,
    /// Seconds the service's clock runs ahead of the real one (negative: behind).
    skew_secs: AtomicI64,
    identities: Mutex<HashSet<String>>,
    last_logins: Mutex<Option<Logins>>,
}

impl CognitoControl {
    pub(crate) fn new(
        pool_id: String,
        keys: Arc<KeyStore>,
        user_pool: Arc<Issuer>,
    ) -> CognitoControl {
        CognitoControl {
            state: Arc::new(CognitoState {
                pool_id,
                more_pools: Mutex::new(Vec::new()),
                keys,
                user_pool,
                get_id_calls: AtomicU64::new(0),
                get_credentials_calls: AtomicU64::new(0),
                faults: FaultQueue::default(),
                lifetime: Mutex::new(DEFAULT_CREDENTIALS_LIFETIME),
                skew_secs: AtomicI64::new(0),
                identities: Mutex::new(HashSet::new()),
                last_logins: Mutex::new(None),
            }),
        }
    }

    pub(crate) fn state(&self) -> Arc<CognitoState> {
        self.state.clone()
    }

    /// How many `GetId` calls arrived (failed ones included).
    pub fn get_id_calls(&self) -> u64 {
        self.state.get_id_calls.load(Ordering::Relaxed)
    }

    /// How many `GetCredentialsForIdentity` calls arrived (failed ones included).
    pub fn get_credentials_calls(&self) -> u64 {
        self.state.get_credentials_calls.load(Ordering::Relaxed)
    }

    /// Fails the next `count` calls, of either operation, with `fault` (after any faults already
    /// queued).
    pub fn fail_next(&self, count: usize, fault: CognitoFault) {
        self.state.faults.push(count, fault);
    }

    /// Mints credentials that expire `lifetime` after they are issued (default: one hour).
    pub fn set_credentials_lifetime(&self, lifetime: Duration) {
        *crate::util::lock(&self.state.lifetime) = lifetime;
    }

    /// Runs Cognito's clock `secs` ahead (negative: behind) of the real one: credentials expire
    /// `lifetime` after its time. See [`Emulator::set_clock_skew`](super::Emulator::set_clock_skew).
    pub fn set_date_skew(&self, secs: i64) {
        self.state.skew_secs.store(secs, Ordering::Relaxed);
    }

    /// Forgets every identity id issued so far, as if they had been deleted: a client that
    /// kept one gets `ResourceNotFoundException` for it.
    pub fn forget_identities(&self) {
        crate::util::lock(&self.state.identities).clear();
    }

    /// Serves the identity pool `pool_id` too (as `region:uuid`; identities get its region):
    /// an app's own pool id, so its config needs no change to run against the emulator.
    pub fn accept_identity_pool(&self, pool_id: impl Into<String>) {
        crate::util::lock(&self.state.more_pools).push(pool_id.into());
    }

    /// The `Logins` map of the last call served (`None` when it had none, or before any call).
    pub fn last_logins(&self) -> Option<Logins> {
        crate::util::lock(&self.state.last_logins).clone()
    }
}

/// Cognito's error answer: status, `__type` and `message`.
fn error(status: u16, error_type: &str, message: &str) -> Reply {
    let body = json!({ "__type": error_type, "message": message }).to_string();
    answer(status, body)
}

fn answer(status: u16, body: String) -> Reply {
    let headers = [("x-amzn-requestid", crate::util::random_uuid())];
    Reply::Send(json_response(
        status,
        body.into_bytes(),
        CONTENT_TYPE,
        &headers,
    ))
}

fn invalid_parameter(member: &str) -> Reply {
    error(
        400,
        "InvalidParameterException",
        &format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: \
             Member must not be null"
        ),
    )
}

/// Letters and digits, as AWS keys are made of.
fn random_text(len: usize, upper_only: bool) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .map(char::from)
        .filter(|c| !upper_only || !c.is_ascii_lowercase())
        .take(len)
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operation {
    GetId,
    GetCredentialsForIdentity,
}

/// Serves one Cognito Identity call.
pub(crate) async fn handle(state: Arc<CognitoState>, received: Received) -> Reply {
    let header = |name: &str| {
        received
            .parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let operation = match header("x-amz-target").and_then(|t| t.strip_prefix(TARGET_PREFIX)) {
        Some("GetId") => Operation::GetId,
        Some("GetCredentialsForIdentity") => Operation::GetCredentialsForIdentity,
        _ => return error(400, "UnknownOperationException", ""),
    };
    match operation {
        Operation::GetId => state.get_id_calls.fetch_add(1, Ordering::Relaxed),
        Operation::GetCredentialsForIdentity => {
            state.get_credentials_calls.fetch_add(1, Ordering::Relaxed)
        }
    };
    if received.parts.method != http::Method::POST {
        return error(400, "UnknownOperationException", "");
    }
    if !header("content-type").is_some_and(|t| t.starts_with("application/x-amz-json-1.")) {
        return error(
            400,
            "SerializationException",
            "Expected Content-Type application/x-amz-json-1.1",
        );
    }
    if let Some(fault) = state.faults.take() {
        let (status, error_type, message) = fault.answer();
        return error(status, error_type, message);
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&received.body) else {
        return error(
            400,
            "SerializationException",
            "The request body is not a JSON object",
        );
    };
    let logins = match body.get("Logins") {
        None | Some(Value::Null) => None,
        Some(value) => match serde_json::from_value::<Logins>(value.clone()) {
            Ok(logins) => Some(logins),
            Err(_) => {
                return error(
                    400,
                    "InvalidParameterException",
                    "Logins must map provider names to tokens",
                );
            }
        },
    };
    // A token of the emulated user pool is verified, as Cognito verifies a user pool's tokens;
    // other providers' tokens are taken as they are.
    let mut claims: Option<Claims> = None;
    if let Some(token) = logins
        .as_ref()
        .and_then(|l| l.get(&state.user_pool.login_key()))
    {
        match state.user_pool.verify(token, &["id"]) {
            Ok(c) => claims = Some(c),
            Err(message) => return error(400, "NotAuthorizedException", message),
        }
    }
    let authenticated = logins.as_ref().is_some_and(|l| !l.is_empty());
    *crate::util::lock(&state.last_logins) = logins;
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    match operation {
        Operation::GetId => {
            let Some(pool) = text("IdentityPoolId") else {
                return invalid_parameter("identityPoolId");
            };
            if pool != state.pool_id
                && !crate::util::lock(&state.more_pools)
                    .iter()
                    .any(|p| p == pool)
            {
                return error(
                    400,
                    "ResourceNotFoundException",
                    &format!("IdentityPool '{pool}' not found."),
                );
            }
            let region = pool.split(':').next().unwrap_or("us-east-1");
            let id = format!("{region}:{}", crate::util::random_uuid());
            crate::util::lock(&state.identities).insert(id.clone());
            answer(200, json!({ "IdentityId": id }).to_string())
        }
        Operation::GetCredentialsForIdentity => {
            let Some(id) = text("IdentityId") else {
                return invalid_parameter("identityId");
            };
            if !crate::util::lock(&state.identities).contains(id) {
                return error(
                    400,
                    "ResourceNotFoundException",
                    &format!("Identity '{id}' not found."),
                );
            }
            // The role: the one asked for (it must be among the token's), else the token's
            // preferred one, else the pool's authenticated or guest role.
            let role = match text("CustomRoleArn") {
                Some(custom) => {
                    let allowed = claims
                        .as_ref()
                        .is_some_and(|c| c.list("cognito:roles").iter().any(|r| r == custom));
                    if !allowed {
                        return error(
                            400,
                            "InvalidParameterException",
                            "Invalid CustomRoleArn: the role is not among the roles in the token \
                             (cognito:roles).",
                        );
                    }
                    custom.to_owned()
                }
                None => match claims
                    .as_ref()
                    .and_then(|c| c.text("cognito:preferred_role"))
                {
                    Some(preferred) => preferred,
                    None if authenticated => DEFAULT_AUTHENTICATED_ROLE.to_owned(),
                    None => UNAUTHENTICATED_ROLE.to_owned(),
                },
            };
            let credentials = state.mint(role);
            answer(
                200,
                json!({ "IdentityId": id, "Credentials": credentials }).to_string(),
            )
        }
    }
}

impl CognitoState {
    /// New temporary credentials, registered with the API, as Cognito's JSON.
    fn mint(&self, role: String) -> Value {
        let lifetime = *crate::util::lock(&self.lifetime);
        let skew_ms = self.skew_secs.load(Ordering::Relaxed).saturating_mul(1000);
        let expires = crate::util::shift(SystemTime::now(), skew_ms) + lifetime;
        // Epoch seconds with milliseconds, as Cognito sends them; never a whole second, so
        // clients are seen to keep the fraction.
        let millis = expires
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let millis = if millis.is_multiple_of(1000) {
            millis + 1
        } else {
            millis
        };
        let expiration = millis as f64 / 1000.0;
        let access_key_id = format!("ASIA{}", random_text(16, true));
        let secret = random_text(40, false);
        let token = format!("IQoJb3JpZ2luX2Vj{}", random_text(280, false));
        self.keys.insert(
            access_key_id.clone(),
            Key {
                secret: secret.clone(),
                token: Some(token.clone()),
                expires: Some(UNIX_EPOCH + Duration::from_millis(millis as u64)),
                role: Some(role),
            },
        );
        json!({
            "AccessKeyId": access_key_id,
            "SecretKey": secret,
            "SessionToken": token,
            "Expiration": expiration,
        })
    }
}
