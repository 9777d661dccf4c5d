//! The whole pipeline on arbitrary text, for robustness testing: load (detected, then forced
//! as each format), build the model, generate code and parse it back. Whatever the input, this
//! returns or panics only where an invariant is broken. Shared by the proptest suite
//! (`fuzz_tests.rs`) and the cargo-fuzz target (`fuzz/fuzz_targets/config_loader.rs`).

use crate::codegen::{self, ClientItem, Source};
use amplify_api_config::{self as config, Format};

/// Runs `text` through every stage (code generation even for a model with errors, as the
/// macro does); returns how many readings made a model without errors.
pub(crate) fn run(text: &str) -> usize {
    let mut generated = 0;
    let formats = std::iter::once(None).chain(Format::ALL.into_iter().map(Some));
    for format in formats {
        let Ok(raw) = config::load(text, format) else {
            continue;
        };
        // What the macro generates from: every entry that checks out, even beside errors.
        let (model, errors) = config::build_partial(&raw, &config::names::Renames::default(), &[]);
        assert!(
            !errors.is_empty() || !model.endpoints.is_empty(),
            "a model without endpoints and without errors"
        );
        let item = ClientItem {
            attrs: Vec::new(),
            vis: syn::parse_quote!(pub),
            ident: syn::parse_quote!(Api),
        };
        let source = Source {
            written: "fuzz.json",
            absolute: Some("/fuzz/fuzz.json"),
            allow_http: false,
            routes: &crate::routes::Tables::default(),
            strict_routes: false,
            unusable: &[],
        };
        let tokens = codegen::expand(
            &item,
            &model,
            &proc_macro2::Ident::new("api", proc_macro2::Span::call_site()),
            &source,
        );
        if let Err(e) = syn::parse2::<syn::File>(tokens) {
            panic!("generated code does not parse: {e}\nconfig: {text}");
        }
        generated += usize::from(errors.is_empty());
    }
    generated
}
