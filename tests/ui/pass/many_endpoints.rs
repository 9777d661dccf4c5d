//! Forty endpoints with odd names: dashes, spaces, a leading digit, keywords, names of the
//! client's own methods.
use amplify_api::api_client;

include!("../agreement.rs");

#[api_client(config = "fixtures/configs/many-endpoints.json")]
pub struct ManyApis;

fn main() {
    assert_eq!(many_apis::Endpoint::ALL.len(), 40);
    assert_eq!(many_apis::_2fa::NAME, "2fa");
    assert_eq!(many_apis::type_::NAME, "type");
    assert_eq!(many_apis::self_::NAME, "Self");
    assert_eq!(many_apis::new_::NAME, "new");
    assert_eq!(many_apis::my_api::NAME, "my api");
    assert_eq!(many_apis::auth_v2::NAME, "auth.v2");
    let client = ManyApis::new().unwrap();
    assert_eq!(client.new_().name(), "new");
    assert_eq!(client.type_().name(), "type");
    assert_eq!(client.endpoint(many_apis::Endpoint::Self_).name(), "Self");
    assert_eq!(client.service39_api().name(), "service39Api");
    for (i, endpoint) in many_apis::Endpoint::ALL.iter().enumerate() {
        assert_eq!(
            client.endpoint(*endpoint).name(),
            client.client().endpoint_names().nth(i).unwrap()
        );
    }
    mod agreement {
        use super::many_apis as api;
        pub fn check(client: &super::ManyApis) {
            assert_endpoint_agrees!(client, users);
            assert_endpoint_agrees!(client, _2fa);
        }
    }
    agreement::check(&client);
}
