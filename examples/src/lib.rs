//! Runnable examples of amplify-api; see `examples/`.
//!
//! The README and every guide page (`amplify-api/src/guide/*.md`) are compiled here as doc
//! tests, where their example config (`examples/amplifyconfiguration.json`) and the emulator
//! exist, so none of their code can go stale. A block fenced `rust,ignore` must follow a line
//! `<!-- compiled: FILE -->` naming the compiled file it is copied from
//! (`tests/tests/docs.rs` checks that it is).

/// The README's code.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct Readme;

/// The guides' code, one page each.
#[cfg(doctest)]
pub mod guide {
    #[doc = include_str!("../../amplify-api/src/guide/config.md")]
    pub struct Config;
    #[doc = include_str!("../../amplify-api/src/guide/auth.md")]
    pub struct Auth;
    #[doc = include_str!("../../amplify-api/src/guide/requests.md")]
    pub struct Requests;
    #[doc = include_str!("../../amplify-api/src/guide/typed_routes.md")]
    pub struct TypedRoutes;
    #[doc = include_str!("../../amplify-api/src/guide/testing.md")]
    pub struct Testing;
    #[doc = include_str!("../../amplify-api/src/guide/streaming.md")]
    pub struct Streaming;
    #[doc = include_str!("../../amplify-api/src/guide/own_stack.md")]
    pub struct OwnStack;
    #[doc = include_str!("../../amplify-api/src/guide/browser.md")]
    pub struct Browser;
    #[doc = include_str!("../../amplify-api/src/guide/cloudfront.md")]
    pub struct Cloudfront;
    #[doc = include_str!("../../amplify-api/src/guide/differences.md")]
    pub struct Differences;
    #[doc = include_str!("../../amplify-api/cli/README.md")]
    pub struct CommandLine;
}
