//! libFuzzer over the `#[api_client]` config pipeline: any bytes, as the config file's text,
//! must give a model or an error (never a panic), and any model must generate valid Rust.
//!
//! The reader is the `amplify-api-config` crate; the macro crate is a proc-macro crate, which
//! cannot be linked into a binary, so its code generator is included here by path; the checks
//! are `fuzz_pipeline::run`, which the macro's fixture test shares.
#![no_main]
#![allow(dead_code, unreachable_pub, missing_docs)]

#[path = "../../src/codegen.rs"]
mod codegen;
#[path = "../../src/fuzz_pipeline.rs"]
mod fuzz_pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzz_pipeline::run(&String::from_utf8_lossy(data));
});
