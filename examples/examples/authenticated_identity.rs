//! Authenticated Cognito identities: while the app has a signed-in user, the identity pool is
//! given its `Logins` (user pool -> ID token) and hands out that user's credentials.
//!
//! ```sh
//! cargo run -p examples --example authenticated_identity
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use amplify_api::{BoxError, api_client, user_pool_login_key};
use amplify_api_emulator::{Echo, Emulator};

/// The app's REST APIs.
#[api_client(config = "amplifyconfiguration.json")]
pub struct Api;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    let signed_in = Arc::new(AtomicBool::new(false));
    let session = signed_in.clone();
    let api = Api::builder()
        .endpoint_url(api::items_api::NAME, emulator.api_url())
        .identity_pool(emulator.identity_pool_id())
        .cognito_endpoint(emulator.cognito_url())
        .logins_provider(move || {
            let logins = session.load(Ordering::SeqCst).then(|| {
                BTreeMap::from([(
                    // The key names the user pool of the config, read at compile time.
                    user_pool_login_key(api::USER_POOL_ID),
                    "id-token".to_string(),
                )])
            });
            async move { Ok::<_, BoxError>(logins) }
        })
        .build()?;
    let guest: Echo = api.items_api().get("/items").send().await?.json()?;
    println!("as a guest:     signed by {}", guest.access_key_id);
    signed_in.store(true, Ordering::SeqCst);
    let user: Echo = api.items_api().get("/items").send().await?.json()?;
    println!(
        "after sign-in:  signed by {} (Logins sent: {:?})",
        user.access_key_id,
        emulator.cognito().last_logins()
    );
    Ok(())
}
