//! Endpoints named after every method the client has besides its accessors: its own, those of
//! the traits it implements or gets from blanket impls, and those of the prelude traits a user
//! may implement on it (the list is `names::TRAIT_METHODS`; a unit test checks the fixture
//! names each). Each accessor gets a `_` behind, and each trait method, called here with
//! method or path syntax, is still the trait's.
#![allow(clippy::all)]
use std::any::{Any, TypeId};
use std::borrow::{Borrow, BorrowMut};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use amplify_api::api_client;

#[api_client(config = "fixtures/configs/prelude-names.json")]
pub struct Api;

// The prelude traits the client does not have, implemented by its user.
impl Default for Api {
    fn default() -> Self {
        Api::new().unwrap()
    }
}
impl PartialEq for Api {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Api {}
impl PartialOrd for Api {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Api {
    fn cmp(&self, _: &Self) -> Ordering {
        Ordering::Equal
    }
}
impl Hash for Api {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(1);
    }
}
impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("api")
    }
}
impl AsRef<Api> for Api {
    fn as_ref(&self) -> &Api {
        self
    }
}
impl AsMut<Api> for Api {
    fn as_mut(&mut self) -> &mut Api {
        self
    }
}

struct Dbg<'a>(&'a Api);
impl fmt::Debug for Dbg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)?;
        // Method syntax: `Display::fmt`/`Debug::fmt`, not the endpoint `fmt`.
        let _: fmt::Result = fmt::Display::fmt(self.0, f);
        self.0.fmt(f)
    }
}

fn main() {
    let mut api = Api::new().unwrap();
    // Every accessor, with its `_`.
    let accessors = [
        api.new_(), api.builder_(), api.client_(), api.endpoint_(), api.endpoint_by_name_(),
        api.from_env_(), api.from_config_file_(), api.clone_(), api.clone_from_(), api.to_owned_(), api.clone_into_(),
        api.type_id_(), api.borrow_(), api.borrow_mut_(), api.from_(), api.into_(),
        api.try_from_(), api.try_into_(), api.fmt_(), api.to_string_(), api.default_(),
        api.eq_(), api.ne_(), api.partial_cmp_(), api.lt_(), api.le_(), api.gt_(), api.ge_(),
        api.cmp_(), api.max_(), api.min_(), api.clamp_(), api.hash_(), api.hash_slice_(),
        api.as_ref_(), api.as_mut_(),
    ];
    assert_eq!(accessors.len(), api::Endpoint::ALL.len());
    for (handle, endpoint) in accessors.iter().zip(api::Endpoint::ALL) {
        assert_eq!(handle.name(), endpoint.name());
    }
    // The client's own methods.
    let _: Result<Api, amplify_api::Error> = Api::builder().build();
    let _: Result<Api, amplify_api::Error> = Api::from_config_file("prelude-names.json");
    let _: &amplify_api::Client = api.client();
    let _ = api.endpoint(api::Endpoint::Clone);
    let _ = api.endpoint_by_name("clone").unwrap();
    // Clone, ToOwned.
    let mut other: Api = api.clone();
    other.clone_from(&api);
    let owned: Api = api.to_owned();
    owned.clone_into(&mut other);
    // Any, Borrow, BorrowMut.
    let _: TypeId = api.type_id();
    let _: &Api = api.borrow();
    let _: &mut Api = api.borrow_mut();
    // From, Into, TryFrom, TryInto.
    let same: Api = Api::from(other.clone());
    let _: Api = same.into();
    let _: Result<Api, amplify_api::Error> = Api::try_from(api.client().clone());
    let _: Result<Api, std::convert::Infallible> = other.clone().try_into();
    // Debug, Display, ToString.
    let _ = format!("{:?}", Dbg(&api));
    assert_eq!(api.to_string(), "api");
    // Default, PartialEq, PartialOrd, Ord, Hash.
    let _: Api = Api::default();
    assert!(api.eq(&other) && !api.ne(&other));
    assert_eq!(api.partial_cmp(&other), Some(Ordering::Equal));
    assert!(!api.lt(&other) && api.le(&other) && !api.gt(&other) && api.ge(&other));
    assert_eq!(api.cmp(&other), Ordering::Equal);
    let _: Api = other.clone().max(api.clone());
    let _: Api = other.clone().min(api.clone());
    let _: Api = other.clone().clamp(api.clone(), api.clone());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    api.hash(&mut hasher);
    Api::hash_slice(&[api.clone()], &mut hasher);
    // AsRef, AsMut.
    let _: &Api = api.as_ref();
    let _: &mut Api = api.as_mut();
}
