//! The emulated Cognito user pool (`cognito-idp`): `InitiateAuth` (`USER_SRP_AUTH`,
//! `USER_PASSWORD_AUTH`, `REFRESH_TOKEN_AUTH`) and `RespondToAuthChallenge`
//! (`PASSWORD_VERIFIER`, `SOFTWARE_TOKEN_MFA`, `NEW_PASSWORD_REQUIRED`) on the JSON 1.1
//! protocol, with Cognito's error answers.
//!
//! SRP is checked for real: this is the **server** side of Cognito's SRP-6a, written here from
//! the protocol, sharing no code with the client (`user_pool::srp`): the verifier
//! `v = g^x` is kept per user, `B = k·v + g^b`, `S = (A·v^u)^b`, and the HKDF is two HMACs
//! written out (the client uses the `hkdf` crate). A wrong password gives another `S`, so
//! another key, so the signature does not match: `NotAuthorizedException`.
//!
//! The ID and access tokens it issues are JWTs signed (HS256) with a key of the emulator's; the
//! emulated identity pool accepts the ID token as `Logins`, and the API's
//! [`Auth::UserPool`](super::Auth::UserPool) rule accepts either as bearer token.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use num_bigint::BigUint;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::faults::{CognitoFault, FaultQueue};
use super::server::{Received, Reply, json_response};
use super::util::{lock, random_uuid};

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// How long issued ID and access tokens last unless set otherwise (Cognito's default hour).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// How far a `PASSWORD_VERIFIER` `TIMESTAMP` may be from the emulator's clock.
const TIMESTAMP_WINDOW_SECS: u64 = 300;

/// RFC 3526, section 4: the 3072-bit MODP group's prime, generator 2.
const PRIME_3072: &str = "\
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22 \
    514A0879 8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6 \
    F44C42E9 A637ED6B 0BFF5CB6 F406B7ED EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D \
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F 83655D23 DCA3AD96 1C62F356 208552BB \
    9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B E39E772C 180E8603 \
    9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 \
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 ECFB8504 58DBEF0A 8AEA7157 5D060C7D \
    B3970F85 A6E1E4C7 ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B F12FFA06 D98A0864 \
    D8760273 3EC86A64 521F2B18 177B200C BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 \
    43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF";

/// The state of a user's account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserStatus {
    /// Signs in.
    Confirmed,
    /// Signed up but not confirmed: `UserNotConfirmedException`.
    Unconfirmed,
    /// Created by an administrator: the first sign-in asks `NEW_PASSWORD_REQUIRED`.
    ForceChangePassword,
}

/// The SRP group, computed once per pool.
struct Group {
    n: BigUint,
    g: BigUint,
    /// `k = H(N as 385 bytes | g as one byte)` (the big-endian bytes with a sign byte).
    k: BigUint,
}

/// `bytes` of `n`, big-endian, with a leading zero when the high bit would read as a sign.
fn signed_bytes(n: &BigUint) -> Vec<u8> {
    let mut out = vec![0u8];
    out.extend(n.to_bytes_be());
    if out.len() > 1 && out[1] < 0x80 {
        out.remove(0);
    }
    out
}

fn digest(chunks: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    chunks.iter().for_each(|c| h.update(c));
    h.finalize().to_vec()
}

fn mac(key: &[u8], chunks: &[&[u8]]) -> Vec<u8> {
    let Ok(mut m) = <Hmac<Sha256> as KeyInit>::new_from_slice(key) else {
        return Vec::new();
    };
    chunks.iter().for_each(|c| m.update(c));
    m.finalize().into_bytes().to_vec()
}

impl Group {
    fn new() -> Group {
        let hex: String = PRIME_3072.split_whitespace().collect();
        let n = BigUint::parse_bytes(hex.as_bytes(), 16).unwrap_or_default();
        let g = BigUint::from(2u8);
        let k = BigUint::from_bytes_be(&digest(&[&signed_bytes(&n), &signed_bytes(&g)]));
        Group { n, g, k }
    }

    /// The verifier of `password` for `user` of the pool `pool_name` with `salt`.
    fn verifier(&self, pool_name: &str, user: &str, password: &str, salt: &BigUint) -> BigUint {
        let inner = digest(&[format!("{pool_name}{user}:{password}").as_bytes()]);
        let x = BigUint::from_bytes_be(&digest(&[&signed_bytes(salt), &inner]));
        self.g.modpow(&x, &self.n)
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    rand::Rng::fill(&mut rand::rng(), &mut out[..]);
    out
}

struct User {
    password: String,
    salt: BigUint,
    verifier: BigUint,
    sub: String,
    status: UserStatus,
    totp: Option<String>,
    groups: Vec<String>,
    roles: Vec<String>,
    preferred_role: Option<String>,
}

/// An SRP exchange between `InitiateAuth` and its `PASSWORD_VERIFIER` answer, found by its
/// `SECRET_BLOCK`.
struct Exchange {
    user: String,
    big_a: BigUint,
    b: BigUint,
    big_b: BigUint,
}

/// What a `Session` lets the next answer do.
#[derive(Clone, PartialEq, Eq)]
enum Pending {
    Totp(String),
    NewPassword(String),
}

/// The claims of a valid token the emulator issued.
#[derive(Clone, Debug)]
pub(crate) struct Claims(pub(crate) Map<String, Value>);

impl Claims {
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        match self.0.get(name) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).and_then(Value::as_str).map(str::to_owned)
    }
}

/// Signs and checks the pool's tokens (shared with the identity pool and the API).
#[derive(Debug)]
pub(crate) struct Issuer {
    key: [u8; 32],
    pub(crate) pool_id: String,
    client_id: String,
}

impl Issuer {
    fn issuer_url(&self) -> String {
        let region = self.pool_id.split('_').next().unwrap_or("us-east-1");
        format!(
            "https://cognito-idp.{region}.amazonaws.com/{}",
            self.pool_id
        )
    }

    /// The `Logins` key of the pool.
    pub(crate) fn login_key(&self) -> String {
        let region = self.pool_id.split('_').next().unwrap_or("us-east-1");
        format!("cognito-idp.{region}.amazonaws.com/{}", self.pool_id)
    }

    fn sign(&self, claims: &Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","kid":"emulator","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signature = URL_SAFE_NO_PAD.encode(mac(
            &self.key,
            &[header.as_bytes(), b".", payload.as_bytes()],
        ));
        format!("{header}.{payload}.{signature}")
    }

    /// The claims of `token` if the pool issued it, it has not expired and it is of one of
    /// `uses` (`id`, `access`); why not otherwise (Cognito's words).
    pub(crate) fn verify(&self, token: &str, uses: &[&str]) -> Result<Claims, &'static str> {
        let token = token.strip_prefix("Bearer ").unwrap_or(token);
        let parts: Vec<&str> = token.split('.').collect();
        let [header, payload, signature] = parts[..] else {
            return Err("Invalid login token. Not a valid OpenId Connect identity token.");
        };
        let expected = mac(&self.key, &[header.as_bytes(), b".", payload.as_bytes()]);
        let given = URL_SAFE_NO_PAD.decode(signature).unwrap_or_default();
        if given != expected {
            return Err("Invalid login token. Token signature invalid.");
        }
        let claims: Map<String, Value> = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or("Invalid login token. Not a valid OpenId Connect identity token.")?;
        let claims = Claims(claims);
        if claims.text("iss") != Some(self.issuer_url()) {
            return Err("Invalid login token. Issuer mismatch.");
        }
        if !claims
            .text("token_use")
            .is_some_and(|u| uses.contains(&u.as_str()))
        {
            return Err("Invalid login token. Wrong token_use.");
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if claims
            .0
            .get("exp")
            .and_then(Value::as_u64)
            .is_none_or(|exp| exp <= now)
        {
            return Err("Invalid login token. Token expired.");
        }
        Ok(claims)
    }
}

/// Controls the emulated user pool: its users, app client, token lifetime and faults; counts
/// the calls it served.
///
/// Get it from [`Emulator::user_pool`](super::Emulator::user_pool).
#[derive(Clone, Debug)]
pub struct UserPoolControl {
    state: Arc<UserPoolState>,
}

pub(crate) struct UserPoolState {
    pub(crate) issuer: Arc<Issuer>,
    group: Group,
    client_secret: Mutex<Option<String>>,
    /// (`USER_SRP_AUTH`, `USER_PASSWORD_AUTH`) allowed.
    flows: Mutex<(bool, bool)>,
    users: Mutex<HashMap<String, User>>,
    exchanges: Mutex<HashMap<String, Exchange>>,
    sessions: Mutex<HashMap<String, Pending>>,
    refresh_tokens: Mutex<HashMap<String, String>>,
    lifetime: Mutex<Duration>,
    faults: FaultQueue<CognitoFault>,
    initiate_calls: AtomicU64,
    respond_calls: AtomicU64,
    refresh_calls: AtomicU64,
    password_calls: AtomicU64,
}

impl std::fmt::Debug for UserPoolState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserPoolState")
            .field("pool_id", &self.issuer.pool_id)
            .finish_non_exhaustive()
    }
}

impl UserPoolControl {
    pub(crate) fn new(pool_id: String, client_id: String) -> UserPoolControl {
        UserPoolControl {
            state: Arc::new(UserPoolState {
                issuer: Arc::new(Issuer {
                    key: random_bytes(),
                    pool_id,
                    client_id,
                }),
                group: Group::new(),
                client_secret: Mutex::new(None),
                flows: Mutex::new((true, true)),
                users: Mutex::new(HashMap::new()),
                exchanges: Mutex::new(HashMap::new()),
                sessions: Mutex::new(HashMap::new()),
                refresh_tokens: Mutex::new(HashMap::new()),
                lifetime: Mutex::new(DEFAULT_TOKEN_LIFETIME),
                faults: FaultQueue::default(),
                initiate_calls: AtomicU64::new(0),
                respond_calls: AtomicU64::new(0),
                refresh_calls: AtomicU64::new(0),
                password_calls: AtomicU64::new(0),
            }),
        }
    }

    pub(crate) fn state(&self) -> Arc<UserPoolState> {
        self.state.clone()
    }

    /// The pool id, `us-east-1_<name>`.
    pub fn user_pool_id(&self) -> &str {
        &self.state.issuer.pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.state.issuer.client_id
    }

    /// Adds (or replaces) a confirmed user with this password.
    pub fn add_user(&self, username: &str, password: &str) {
        let salt = BigUint::from_bytes_be(&random_bytes::<16>());
        let verifier = self.state.verifier(username, password, &salt);
        lock(&self.state.users).insert(
            username.to_owned(),
            User {
                password: password.to_owned(),
                salt,
                verifier,
                sub: random_uuid(),
                status: UserStatus::Confirmed,
                totp: None,
                groups: Vec::new(),
                roles: Vec::new(),
                preferred_role: None,
            },
        );
    }

    fn with_user(&self, username: &str, change: impl FnOnce(&mut User)) {
        if let Some(user) = lock(&self.state.users).get_mut(username) {
            change(user);
        }
    }

    /// Sets a user's account status.
    pub fn set_user_status(&self, username: &str, status: UserStatus) {
        self.with_user(username, |u| u.status = status);
    }

    /// Makes a user's sign-in ask `SOFTWARE_TOKEN_MFA`, answered by `code`.
    pub fn require_totp(&self, username: &str, code: &str) {
        self.with_user(username, |u| u.totp = Some(code.to_owned()));
    }

    /// Puts a user in groups whose IAM roles are `roles` (the ID token's `cognito:groups`,
    /// `cognito:roles` and `cognito:preferred_role`).
    pub fn set_user_groups(
        &self,
        username: &str,
        groups: &[&str],
        roles: &[&str],
        preferred_role: Option<&str>,
    ) {
        self.with_user(username, |u| {
            u.groups = groups.iter().map(|g| (*g).to_owned()).collect();
            u.roles = roles.iter().map(|r| (*r).to_owned()).collect();
            u.preferred_role = preferred_role.map(str::to_owned);
        });
    }

    /// Gives the app client a secret: calls must then carry `SECRET_HASH`.
    pub fn set_client_secret(&self, secret: Option<&str>) {
        *lock(&self.state.client_secret) = secret.map(str::to_owned);
    }

    /// Which sign-in flows the app client allows (both by default).
    pub fn allow_flows(&self, srp: bool, password: bool) {
        *lock(&self.state.flows) = (srp, password);
    }

    /// Issues tokens that expire `lifetime` after they are issued (default one hour).
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        *lock(&self.state.lifetime) = lifetime;
    }

    /// Revokes every refresh token issued so far.
    pub fn revoke_refresh_tokens(&self) {
        lock(&self.state.refresh_tokens).clear();
    }

    /// Every refresh token issued and not revoked (for tests that scan output for leaked
    /// secrets).
    pub fn issued_refresh_tokens(&self) -> Vec<String> {
        lock(&self.state.refresh_tokens).keys().cloned().collect()
    }

    /// Fails the next `count` calls with `fault`.
    pub fn fail_next(&self, count: usize, fault: CognitoFault) {
        self.state.faults.push(count, fault);
    }

    /// `InitiateAuth` calls served (every flow).
    pub fn initiate_auth_calls(&self) -> u64 {
        self.state.initiate_calls.load(Ordering::Relaxed)
    }

    /// `RespondToAuthChallenge` calls served.
    pub fn respond_to_challenge_calls(&self) -> u64 {
        self.state.respond_calls.load(Ordering::Relaxed)
    }

    /// `REFRESH_TOKEN_AUTH` calls served.
    pub fn refresh_calls(&self) -> u64 {
        self.state.refresh_calls.load(Ordering::Relaxed)
    }

    /// `USER_PASSWORD_AUTH` calls served.
    pub fn password_auth_calls(&self) -> u64 {
        self.state.password_calls.load(Ordering::Relaxed)
    }
}

fn error(status: u16, error_type: &str, message: &str) -> Reply {
    answer(
        status,
        json!({ "__type": error_type, "message": message }).to_string(),
    )
}

fn answer(status: u16, body: String) -> Reply {
    let headers = [("x-amzn-requestid", random_uuid())];
    Reply::Send(json_response(
        status,
        body.into_bytes(),
        CONTENT_TYPE,
        &headers,
    ))
}

fn not_authorized(message: &str) -> Reply {
    error(400, "NotAuthorizedException", message)
}

fn invalid(message: &str) -> Reply {
    error(400, "InvalidParameterException", message)
}

/// Seconds since the epoch of a `TIMESTAMP` like `Sat Dec 5 14:24:01 UTC 2026`, checking the
/// weekday; `None` if it is not in that form (a leading zero in the day included).
fn parse_timestamp(text: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let fields: Vec<&str> = text.split(' ').collect();
    let [weekday, month, day, clock, "UTC", year] = fields[..] else {
        return None;
    };
    if day.starts_with('0') {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = clock
        .split(':')
        .map(|p| if p.len() == 2 { p.parse().ok() } else { None })
        .collect::<Option<_>>()?;
    let [h, m, s] = hms[..] else { return None };
    // Days since the epoch by counting whole years and months (not the client's algorithm).
    let is_leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if is_leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1970..3000).contains(&year) || day < 1 || day > month_days[(month - 1) as usize] {
        return None;
    }
    let mut days: i64 = (1970..year)
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum();
    days += month_days[..(month - 1) as usize].iter().sum::<i64>() + day - 1;
    // 1970-01-01 was a Thursday (index 3 from Monday).
    if WEEKDAYS[((days + 3) % 7) as usize] != weekday || h > 23 || m > 59 || s > 59 {
        return None;
    }
    u64::try_from(days * 86_400 + h * 3600 + m * 60 + s).ok()
}

/// Serves one user-pool call.
pub(crate) async fn handle(state: Arc<UserPoolState>, received: Received) -> Reply {
    let target = received
        .parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.trim().strip_prefix(TARGET_PREFIX))
        .map(str::to_owned);
    match target.as_deref() {
        Some("InitiateAuth") => state.initiate_calls.fetch_add(1, Ordering::Relaxed),
        Some("RespondToAuthChallenge") => state.respond_calls.fetch_add(1, Ordering::Relaxed),
        _ => return error(400, "UnknownOperationException", ""),
    };
    if let Some(fault) = state.faults.take() {
        let (status, error_type, message) = fault.answer();
        return error(status, error_type, message);
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&received.body) else {
        return error(
            400,
            "SerializationException",
            "The body is not a JSON object",
        );
    };
    if body.get("ClientId").and_then(Value::as_str) != Some(state.issuer.client_id.as_str()) {
        return error(
            400,
            "ResourceNotFoundException",
            "User pool client does not exist.",
        );
    }
    let params = |key: &str| {
        body.get(key)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect::<HashMap<String, String>>()
            })
            .unwrap_or_default()
    };
    if target.as_deref() == Some("InitiateAuth") {
        let flow = body.get("AuthFlow").and_then(Value::as_str).unwrap_or("");
        state.initiate(flow, &params("AuthParameters"))
    } else {
        let name = body
            .get("ChallengeName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let session = body.get("Session").and_then(Value::as_str);
        state.respond(name, session, &params("ChallengeResponses"))
    }
}

impl UserPoolState {
    fn pool_name(&self) -> &str {
        self.issuer.pool_id.split('_').nth(1).unwrap_or("")
    }

    fn verifier(&self, user: &str, password: &str, salt: &BigUint) -> BigUint {
        self.group.verifier(self.pool_name(), user, password, salt)
    }

    /// `SECRET_HASH` checked as Cognito does when the client has a secret.
    fn check_secret_hash(
        &self,
        params: &HashMap<String, String>,
        user: &str,
    ) -> Result<(), Box<Reply>> {
        let Some(secret) = lock(&self.client_secret).clone() else {
            return Ok(());
        };
        let client_id = &self.issuer.client_id;
        let Some(given) = params.get("SECRET_HASH") else {
            return Err(Box::new(not_authorized(&format!(
                "Client {client_id} is configured with secret but SECRET_HASH was not received"
            ))));
        };
        let expected = STANDARD.encode(mac(
            secret.as_bytes(),
            &[user.as_bytes(), client_id.as_bytes()],
        ));
        if *given != expected {
            return Err(Box::new(not_authorized(&format!(
                "Unable to verify secret hash for client {client_id}"
            ))));
        }
        Ok(())
    }

    fn initiate(&self, flow: &str, params: &HashMap<String, String>) -> Reply {
        let (srp_allowed, password_allowed) = *lock(&self.flows);
        match flow {
            "USER_SRP_AUTH" if !srp_allowed => {
                invalid("USER_SRP_AUTH is not enabled for the client.")
            }
            "USER_PASSWORD_AUTH" if !password_allowed => {
                invalid("USER_PASSWORD_AUTH flow not enabled for this client")
            }
            "USER_SRP_AUTH" => self.start_srp(params),
            "USER_PASSWORD_AUTH" => {
                self.password_calls.fetch_add(1, Ordering::Relaxed);
                let Some(user) = params.get("USERNAME") else {
                    return invalid("Missing required parameter USERNAME");
                };
                if let Err(reply) = self.check_secret_hash(params, user) {
                    return *reply;
                }
                let known = lock(&self.users).get(user).map(|u| u.password.clone());
                match known {
                    None => error(400, "UserNotFoundException", "User does not exist."),
                    Some(password) if params.get("PASSWORD") == Some(&password) => {
                        self.signed_in(user)
                    }
                    Some(_) => not_authorized("Incorrect username or password."),
                }
            }
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                self.refresh_calls.fetch_add(1, Ordering::Relaxed);
                let user = params
                    .get("REFRESH_TOKEN")
                    .and_then(|t| lock(&self.refresh_tokens).get(t).cloned());
                let Some(user) = user else {
                    return not_authorized("Invalid Refresh Token");
                };
                if let Err(reply) = self.check_secret_hash(params, &user) {
                    return *reply;
                }
                match self.tokens(&user, false) {
                    Some(result) => answer(
                        200,
                        json!({ "AuthenticationResult": result, "ChallengeParameters": {} })
                            .to_string(),
                    ),
                    None => not_authorized("Invalid Refresh Token"),
                }
            }
            _ => invalid(&format!("Unsupported AuthFlow {flow}")),
        }
    }

    fn start_srp(&self, params: &HashMap<String, String>) -> Reply {
        let (Some(user), Some(a_hex)) = (params.get("USERNAME"), params.get("SRP_A")) else {
            return invalid("Missing required parameter SRP_A or USERNAME");
        };
        if let Err(reply) = self.check_secret_hash(params, user) {
            return *reply;
        }
        let Some(big_a) = BigUint::parse_bytes(a_hex.as_bytes(), 16) else {
            return invalid("SRP_A is not hexadecimal");
        };
        if (&big_a % &self.group.n) == BigUint::from(0u8) {
            return invalid("SRP_A is invalid");
        }
        let users = lock(&self.users);
        let Some(account) = users.get(user) else {
            return error(400, "UserNotFoundException", "User does not exist.");
        };
        let b = BigUint::from_bytes_be(&random_bytes::<32>());
        let big_b = (&self.group.k * &account.verifier + self.group.g.modpow(&b, &self.group.n))
            % &self.group.n;
        let salt = account.salt.to_str_radix(16);
        drop(users);
        let secret_block = STANDARD.encode(random_bytes::<64>());
        let srp_b = big_b.to_str_radix(16);
        lock(&self.exchanges).insert(
            secret_block.clone(),
            Exchange {
                user: user.clone(),
                big_a,
                b,
                big_b,
            },
        );
        answer(
            200,
            json!({
                "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeParameters": {
                    "SALT": salt,
                    "SECRET_BLOCK": secret_block,
                    "SRP_B": srp_b,
                    "USERNAME": user,
                    "USER_ID_FOR_SRP": user,
                },
            })
            .to_string(),
        )
    }

    fn respond(
        &self,
        name: &str,
        session: Option<&str>,
        responses: &HashMap<String, String>,
    ) -> Reply {
        let Some(user) = responses.get("USERNAME") else {
            return invalid("Missing required parameter USERNAME");
        };
        if let Err(reply) = self.check_secret_hash(responses, user) {
            return *reply;
        }
        match name {
            "PASSWORD_VERIFIER" => self.verify_password_claim(user, responses),
            "SOFTWARE_TOKEN_MFA" | "NEW_PASSWORD_REQUIRED" => {
                let pending = session.and_then(|s| lock(&self.sessions).remove(s));
                match (name, pending) {
                    ("SOFTWARE_TOKEN_MFA", Some(Pending::Totp(for_user))) if for_user == *user => {
                        let code = lock(&self.users).get(user).and_then(|u| u.totp.clone());
                        if code.is_some()
                            && responses.get("SOFTWARE_TOKEN_MFA_CODE") == code.as_ref()
                        {
                            self.issue(user)
                        } else {
                            error(
                                400,
                                "CodeMismatchException",
                                "Invalid code received for user",
                            )
                        }
                    }
                    ("NEW_PASSWORD_REQUIRED", Some(Pending::NewPassword(for_user)))
                        if for_user == *user =>
                    {
                        let Some(new_password) = responses.get("NEW_PASSWORD") else {
                            return invalid("Missing required parameter NEW_PASSWORD");
                        };
                        let salt = BigUint::from_bytes_be(&random_bytes::<16>());
                        let verifier = self.verifier(user, new_password, &salt);
                        if let Some(u) = lock(&self.users).get_mut(user) {
                            u.password = new_password.clone();
                            u.salt = salt;
                            u.verifier = verifier;
                            u.status = UserStatus::Confirmed;
                        }
                        self.signed_in(user)
                    }
                    _ => not_authorized("Invalid session for the user, session is expired."),
                }
            }
            other => invalid(&format!("Unsupported ChallengeName {other}")),
        }
    }

    /// The server side of SRP: the signature the password would give, compared.
    fn verify_password_claim(&self, user: &str, responses: &HashMap<String, String>) -> Reply {
        let (Some(block), Some(signature), Some(timestamp)) = (
            responses.get("PASSWORD_CLAIM_SECRET_BLOCK"),
            responses.get("PASSWORD_CLAIM_SIGNATURE"),
            responses.get("TIMESTAMP"),
        ) else {
            return invalid(
                "Missing required parameter PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK or TIMESTAMP",
            );
        };
        let Some(exchange) = lock(&self.exchanges).remove(block) else {
            return not_authorized("Incorrect username or password.");
        };
        if exchange.user != user {
            return not_authorized("Incorrect username or password.");
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        match parse_timestamp(timestamp) {
            Some(t) if t.abs_diff(now) <= TIMESTAMP_WINDOW_SECS => {}
            _ => {
                return invalid("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
            }
        }
        let Some(verifier) = lock(&self.users).get(user).map(|u| u.verifier.clone()) else {
            return error(400, "UserNotFoundException", "User does not exist.");
        };
        let n = &self.group.n;
        let u = BigUint::from_bytes_be(&digest(&[
            &signed_bytes(&exchange.big_a),
            &signed_bytes(&exchange.big_b),
        ]));
        let s = (&exchange.big_a * verifier.modpow(&u, n)).modpow(&exchange.b, n);
        // HKDF-SHA-256 (RFC 5869), one block: PRK = HMAC(salt, IKM); OKM = HMAC(PRK, info | 1).
        let prk = mac(&signed_bytes(&u), &[&signed_bytes(&s)]);
        let okm = mac(&prk, &[b"Caldera Derived Key", &[1u8]]);
        let key = &okm[..16];
        let block_bytes = STANDARD.decode(block).unwrap_or_default();
        let expected = mac(
            key,
            &[
                self.pool_name().as_bytes(),
                user.as_bytes(),
                &block_bytes,
                timestamp.as_bytes(),
            ],
        );
        if STANDARD.decode(signature).ok().as_deref() != Some(&expected[..]) {
            return not_authorized("Incorrect username or password.");
        }
        self.signed_in(user)
    }

    /// After the password: the account's status, then MFA, then tokens.
    fn signed_in(&self, user: &str) -> Reply {
        let status = lock(&self.users).get(user).map(|u| u.status);
        match status {
            None => error(400, "UserNotFoundException", "User does not exist."),
            Some(UserStatus::Unconfirmed) => {
                error(400, "UserNotConfirmedException", "User is not confirmed.")
            }
            Some(UserStatus::ForceChangePassword) => self.challenge(
                "NEW_PASSWORD_REQUIRED",
                Pending::NewPassword(user.to_owned()),
                json!({ "USER_ID_FOR_SRP": user, "requiredAttributes": "[]", "userAttributes": "{}" }),
            ),
            Some(UserStatus::Confirmed) => {
                let totp = lock(&self.users).get(user).is_some_and(|u| u.totp.is_some());
                if totp {
                    self.challenge(
                        "SOFTWARE_TOKEN_MFA",
                        Pending::Totp(user.to_owned()),
                        json!({ "USER_ID_FOR_SRP": user }),
                    )
                } else {
                    self.issue(user)
                }
            }
        }
    }

    fn challenge(&self, name: &str, pending: Pending, parameters: Value) -> Reply {
        let session = URL_SAFE_NO_PAD.encode(random_bytes::<48>());
        lock(&self.sessions).insert(session.clone(), pending);
        answer(
            200,
            json!({ "ChallengeName": name, "Session": session, "ChallengeParameters": parameters })
                .to_string(),
        )
    }

    fn issue(&self, user: &str) -> Reply {
        match self.tokens(user, true) {
            Some(result) => answer(
                200,
                json!({ "AuthenticationResult": result, "ChallengeParameters": {} }).to_string(),
            ),
            None => error(400, "UserNotFoundException", "User does not exist."),
        }
    }

    /// New ID and access tokens for `user` (and a refresh token, with `with_refresh`).
    fn tokens(&self, user: &str, with_refresh: bool) -> Option<Value> {
        let users = lock(&self.users);
        let account = users.get(user)?;
        let lifetime = *lock(&self.lifetime);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let exp = now + lifetime.as_secs();
        let mut id = json!({
            "sub": account.sub,
            "iss": self.issuer.issuer_url(),
            "aud": self.issuer.client_id,
            "token_use": "id",
            "cognito:username": user,
            "auth_time": now,
            "iat": now,
            "exp": exp,
            "jti": random_uuid(),
        });
        if !account.groups.is_empty() {
            id["cognito:groups"] = json!(account.groups);
        }
        if !account.roles.is_empty() {
            id["cognito:roles"] = json!(account.roles);
        }
        if let Some(role) = &account.preferred_role {
            id["cognito:preferred_role"] = json!(role);
        }
        let access = json!({
            "sub": account.sub,
            "iss": self.issuer.issuer_url(),
            "client_id": self.issuer.client_id,
            "token_use": "access",
            "username": user,
            "scope": "aws.cognito.signin.user.admin",
            "iat": now,
            "exp": exp,
            "jti": random_uuid(),
        });
        drop(users);
        let mut result = json!({
            "IdToken": self.issuer.sign(&id),
            "AccessToken": self.issuer.sign(&access),
            "ExpiresIn": lifetime.as_secs(),
            "TokenType": "Bearer",
        });
        if with_refresh {
            let refresh = URL_SAFE_NO_PAD.encode(random_bytes::<96>());
            lock(&self.refresh_tokens).insert(refresh.clone(), user.to_owned());
            result["RefreshToken"] = json!(refresh);
        }
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_only_in_cognitos_form() {
        assert_eq!(parse_timestamp("Thu Jan 1 00:00:00 UTC 1970"), Some(0));
        assert_eq!(
            parse_timestamp("Sat Dec 5 14:24:01 UTC 2026"),
            Some(1_796_480_641)
        );
        for bad in [
            "Sat Dec 05 14:24:01 UTC 2026",
            "Fri Dec 5 14:24:01 UTC 2026",
            "Sat Dec 5 14:24:1 UTC 2026",
            "Sat Dec 5 14:24:01 GMT 2026",
            "Sat Dec 32 14:24:01 UTC 2026",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn tokens_verify_only_unaltered_and_unexpired() {
        let control = UserPoolControl::new("us-east-1_Test".into(), "client".into());
        control.add_user("u", "p");
        let state = control.state();
        let result = state.tokens("u", true).unwrap();
        let id = result["IdToken"].as_str().unwrap();
        assert!(state.issuer.verify(id, &["id"]).is_ok());
        assert!(state.issuer.verify(id, &["access"]).is_err());
        control.add_user("v", "p");
        let other = state.tokens("v", false).unwrap();
        let other_signature = other["IdToken"]
            .as_str()
            .unwrap()
            .rsplit('.')
            .next()
            .unwrap();
        let (signed, _) = id.rsplit_once('.').unwrap();
        let forged = format!("{signed}.{other_signature}");
        assert!(state.issuer.verify(&forged, &["id"]).is_err());
        control.set_token_lifetime(Duration::ZERO);
        let expired = state.tokens("u", false).unwrap();
        assert!(
            state
                .issuer
                .verify(expired["IdToken"].as_str().unwrap(), &["id"])
                .is_err()
        );
    }
}
