//! libFuzzer over the `#[api_client]` config pipeline: any bytes, as the config file's text,
//! must give a model or an error (never a panic), and any model must generate valid Rust.
//!
//! The reader is the `amplify-api-config` crate; the macro crate is a proc-macro crate, which
//! cannot be linked into a binary, so its code generator is included here by path; the checks
//! are `fuzz_pipeline::run`, which the macro's fixture test shares.
#![no_main]
#![allow(dead_code, unreachable_pub, missing_docs)]

// The macro crate's modules the pipeline reaches (`.ci/run` builds this target, so a module
// added there and missing here is a CI failure, not a silent rot).
#[path = "../../src/args.rs"]
mod args;
#[path = "../../src/codegen.rs"]
mod codegen;
#[path = "../../src/fuzz_pipeline.rs"]
mod fuzz_pipeline;
#[path = "../../src/item.rs"]
mod item;
#[path = "../../src/manifest_path.rs"]
mod manifest_path;
#[path = "../../src/required.rs"]
mod required;
#[path = "../../src/route_auth.rs"]
mod route_auth;
#[path = "../../src/route_codegen.rs"]
mod route_codegen;
#[path = "../../src/routes.rs"]
mod routes;
#[path = "../../src/schema_codegen.rs"]
mod schema_codegen;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzz_pipeline::run(&String::from_utf8_lossy(data));
});
