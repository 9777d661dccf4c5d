//! Guides, one per task. Each is a page of these docs (and a Markdown file beside this module in
//! the repository, `amplify-api/src/guide/`); their code is compiled by the workspace's tests
//! (`examples/src/lib.rs` includes every page as doc tests, where the example config exists).
//!
//! - [`config`]: config formats, the `#[api_client]` macro, its compile errors, configs read at
//!   run time, overrides.
//! - [`auth`]: auth modes, credentials (guests, signed-in users, the user pool), secrets.
//! - [`requests`]: requests, responses, errors, retries, timeouts, tracing.
//! - [`typed_routes`]: routes, bodies and per-route auth from the backend's own description.
//! - [`testing`]: testing your app against the emulator.
//! - [`streaming`]: streaming responses, file and stream uploads.
//! - [`own_stack`]: `build()`, the `SigV4` signer, the tower layer, the reqwest middleware.
//! - [`browser`]: the browser (wasm32).
//! - [`cloudfront`]: an API behind CloudFront.
//! - [`differences`]: where this crate differs from Amplify.
//!
//! The command line (`amplify-api call`, `sign`, `login`, `emulate`...) is the
//! `amplify-api-cli` crate's.

// The pages' code is compiled as doc tests in `examples/src/lib.rs`, where the example config
// and the emulator exist; here they are documentation only.
#[cfg_attr(not(doctest), doc = include_str!("config.md"))]
pub mod config {}
#[cfg_attr(not(doctest), doc = include_str!("auth.md"))]
pub mod auth {}
#[cfg_attr(not(doctest), doc = include_str!("requests.md"))]
pub mod requests {}
#[cfg_attr(not(doctest), doc = include_str!("typed_routes.md"))]
pub mod typed_routes {}
#[cfg_attr(not(doctest), doc = include_str!("testing.md"))]
pub mod testing {}
#[cfg_attr(not(doctest), doc = include_str!("streaming.md"))]
pub mod streaming {}
#[cfg_attr(not(doctest), doc = include_str!("own_stack.md"))]
pub mod own_stack {}
#[cfg_attr(not(doctest), doc = include_str!("browser.md"))]
pub mod browser {}
#[cfg_attr(not(doctest), doc = include_str!("cloudfront.md"))]
pub mod cloudfront {}
#[cfg_attr(not(doctest), doc = include_str!("differences.md"))]
pub mod differences {}
