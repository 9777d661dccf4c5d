//! libFuzzer over the `#[api_client]` config pipeline: any bytes, as the config file's text,
//! must give a model or an error (never a panic), and any model must generate valid Rust.
//!
//! The macro crate is a proc-macro crate, which cannot be linked into a binary, so its parser
//! modules are included here by path; the checks are `fuzz_pipeline::run`, which the proptest
//! suite shares.
#![no_main]
#![allow(dead_code, unreachable_pub, missing_docs)]

#[path = "../../src/auth_mode.rs"]
mod auth_mode;
#[path = "../../src/codegen.rs"]
mod codegen;
#[path = "../../src/config/mod.rs"]
mod config;
#[path = "../../src/fuzz_pipeline.rs"]
mod fuzz_pipeline;
#[path = "../../src/model.rs"]
mod model;
#[path = "../../src/names.rs"]
mod names;
#[path = "../../src/signing_scope.rs"]
mod signing_scope;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzz_pipeline::run(&String::from_utf8_lossy(data));
});
