//! Which IAM role the identity pool's credentials are for (`CustomRoleArn` of
//! `GetCredentialsForIdentity`): the pool's choice, a fixed role, or one chosen from the roles
//! the user's ID token carries (`cognito:preferred_role`, `cognito:roles`).

use std::fmt;
use std::sync::Arc;

use crate::json_members::Member;
use crate::providers::Logins;

/// The roles a signed-in user's ID token carries, for choosing one
/// ([`ClientBuilder::role_from_token`](crate::ClientBuilder::role_from_token)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenRoles {
    /// `cognito:preferred_role`: the role of the user's group with the best precedence.
    pub preferred: Option<String>,
    /// `cognito:roles`: the roles of all the user's groups.
    pub roles: Vec<String>,
    /// `cognito:groups`: the user's groups.
    pub groups: Vec<String>,
}

impl TokenRoles {
    /// The roles of the first token in `logins` that carries any (user-pool tokens first).
    pub(crate) fn from_logins(logins: &Logins) -> TokenRoles {
        let mut tokens: Vec<(&String, &String)> = logins.iter().collect();
        tokens.sort_by_key(|(key, _)| !key.starts_with("cognito-idp."));
        tokens
            .into_iter()
            .filter_map(|(_, token)| crate::jwt::claim_members(token))
            .map(|claims| {
                let list = |name| {
                    crate::jwt::member(&claims, name)
                        .map(Member::into_list)
                        .unwrap_or_default()
                };
                TokenRoles {
                    preferred: match crate::jwt::member(&claims, "cognito:preferred_role") {
                        Some(Member::Text(role)) => Some(role),
                        _ => None,
                    },
                    roles: list("cognito:roles"),
                    groups: list("cognito:groups"),
                }
            })
            .find(|roles| roles.preferred.is_some() || !roles.roles.is_empty())
            .unwrap_or_default()
    }
}

/// A closure choosing a role from the token's.
pub(crate) type ChooseRole = Arc<dyn Fn(&TokenRoles) -> Option<String> + Send + Sync>;

/// How the role of authenticated credentials is chosen.
#[derive(Clone, Default)]
pub(crate) enum RoleSelection {
    /// No `CustomRoleArn`: the identity pool's role mapping decides.
    #[default]
    Pool,
    /// Always this role.
    Fixed(String),
    /// Chosen from the token's roles (`None`: the pool decides).
    FromToken(ChooseRole),
}

impl fmt::Debug for RoleSelection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoleSelection::Pool => f.write_str("Pool"),
            RoleSelection::Fixed(role) => write!(f, "Fixed({role:?})"),
            RoleSelection::FromToken(_) => f.write_str("FromToken(<closure>)"),
        }
    }
}

impl RoleSelection {
    /// The `CustomRoleArn` for `logins` (`None` for a guest: guests have the pool's role).
    pub(crate) fn role_for(&self, logins: Option<&Logins>) -> Option<String> {
        let logins = logins.filter(|l| !l.is_empty())?;
        match self {
            RoleSelection::Pool => None,
            RoleSelection::Fixed(role) => Some(role.clone()),
            RoleSelection::FromToken(choose) => choose(&TokenRoles::from_logins(logins)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn token(payload: &str) -> String {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("e30.{}.sig", b64.encode(payload))
    }

    #[test]
    fn roles_come_from_the_user_pool_token() {
        let logins = Logins::from([
            (
                "accounts.google.com".to_owned(),
                token(r#"{"cognito:roles":["g"]}"#),
            ),
            (
                "cognito-idp.us-east-1.amazonaws.com/us-east-1_X".to_owned(),
                token(
                    r#"{"cognito:roles":["a","b"],"cognito:preferred_role":"b","cognito:groups":["admins"]}"#,
                ),
            ),
        ]);
        let roles = TokenRoles::from_logins(&logins);
        assert_eq!(roles.roles, ["a", "b"]);
        assert_eq!(roles.preferred.as_deref(), Some("b"));
        assert_eq!(roles.groups, ["admins"]);
        let first = RoleSelection::FromToken(Arc::new(|r: &TokenRoles| r.roles.first().cloned()));
        assert_eq!(first.role_for(Some(&logins)).as_deref(), Some("a"));
        assert_eq!(first.role_for(None), None, "guests have the pool's role");
        assert_eq!(RoleSelection::Pool.role_for(Some(&logins)), None);
        let fixed = RoleSelection::Fixed("f".into());
        assert_eq!(fixed.role_for(Some(&logins)).as_deref(), Some("f"));
    }
}
