//! Configs as people write them: a merged v3-v5 object, a hand-written `config.js` (comments,
//! single quotes, trailing commas, an unneeded expression), `amplify-config.ts`
//! (`export default {...} satisfies ...`), `Amplify.configure({...})` in `index.js`, and a
//! native file with a top-level `version`.
use amplify_api::api_client;

include!("../agreement.rs");

#[api_client(config = "fixtures/configs/merged-v3-v5.json")]
pub struct Merged;

#[api_client(config = "fixtures/configs/config.js")]
pub struct Handwritten;

#[api_client(config = "fixtures/configs/amplify-config.ts")]
pub struct Typed;

#[api_client(config = "fixtures/configs/amplify-configure.js")]
pub struct Inline;

#[api_client(config = "fixtures/configs/native-versioned.json")]
pub struct Android;

fn main() {
    {
        use merged as api;
        assert_eq!(api::stripe_webhooks::REGION, "us-west-2");
        let client = Merged::new().unwrap();
        assert_endpoint_agrees!(client, orders_api);
        assert_endpoint_agrees!(client, stripe_webhooks);
        assert_endpoint_agrees!(client, reporting);
    }
    {
        use handwritten as api;
        assert_eq!(api::billing::URL, "https://billing.example.eu/api");
        let client = Handwritten::builder().build().unwrap();
        assert_endpoint_agrees!(client, admin_api);
        assert_endpoint_agrees!(client, billing);
    }
    {
        use typed as api;
        let client = Typed::new().unwrap();
        assert_endpoint_agrees!(client, catalog);
        assert_endpoint_agrees!(client, search_v2);
    }
    {
        use inline as api;
        assert_eq!(api::payments::REGION, "sa-east-1");
        let client = Inline::new().unwrap();
        assert_endpoint_agrees!(client, payments);
        assert_endpoint_agrees!(client, ledger);
    }
    {
        use android as api;
        let client = Android::new().unwrap();
        assert_endpoint_agrees!(client, android_rest_api);
    }
}
