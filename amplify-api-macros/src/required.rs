//! `endpoints = ["A", "B"]`: the endpoint names the code relies on must be in the config. A
//! missing one is an error on its string, with the closest defined name and the full list.

use syn::LitStr;

use amplify_api_config::Model;

/// The defined name closest to `name`, if one is close enough to be a likely typo (case
/// differences are free; then at most a third of the letters may differ).
fn closest<'a>(name: &str, defined: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    defined
        .map(|candidate| {
            let distance = strsim::levenshtein(&wanted, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= (wanted.chars().count() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The error for `lit`, a name given in the argument `argument` that is not an endpoint of
/// `model`: the closest defined name and the full list.
pub(crate) fn unknown_name(lit: &LitStr, model: &Model, file: &str, argument: &str) -> syn::Error {
    let names = || model.endpoints.iter().map(|e| e.name.as_str());
    let name = lit.value();
    let suggestion = closest(&name, names())
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    let defined = names()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let what = if argument == "endpoints" {
        String::new()
    } else {
        format!(" (in `{argument}`)")
    };
    syn::Error::new(
        lit.span(),
        format!(
            "no REST endpoint named `{name}` in `{file}`{what}; {suggestion}defined endpoints: \
             {defined}"
        ),
    )
}

/// Checks that every name in `required` is an endpoint of `model`.
pub(crate) fn check(required: &[LitStr], model: &Model, file: &str) -> syn::Result<()> {
    let mut errors = required
        .iter()
        .filter(|lit| !model.endpoints.iter().any(|e| e.name == lit.value()))
        .map(|lit| unknown_name(lit, model, file, "endpoints"));
    let Some(mut first) = errors.next() else {
        return Ok(());
    };
    errors.for_each(|e| first.combine(e));
    Err(first)
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;

    use super::*;
    use amplify_api_config::Options;

    fn model() -> Model {
        Model::from_text(
            r#"{"API": {"REST": {
                 "itemsApi": {"endpoint": "https://a.execute-api.us-east-1.amazonaws.com/dev"},
                 "publicApi": {"endpoint": "https://b.execute-api.us-east-1.amazonaws.com/dev"}}}}"#,
            None,
            &Options::default(),
        )
        .unwrap()
    }

    fn lits(names: &[&str]) -> Vec<LitStr> {
        names
            .iter()
            .map(|n| LitStr::new(n, Span::call_site()))
            .collect()
    }

    #[test]
    fn defined_names_pass() {
        check(&lits(&["itemsApi", "publicApi"]), &model(), "cfg.json").unwrap();
        check(&[], &model(), "cfg.json").unwrap();
    }

    #[test]
    fn missing_names_suggest_and_list() {
        let err = check(
            &lits(&["itemAPI", "orders", "itemsApi"]),
            &model(),
            "cfg.json",
        )
        .unwrap_err();
        let messages: Vec<String> = err.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [
                "no REST endpoint named `itemAPI` in `cfg.json`; did you mean `itemsApi`? \
                 defined endpoints: `itemsApi`, `publicApi`",
                "no REST endpoint named `orders` in `cfg.json`; defined endpoints: `itemsApi`, \
                 `publicApi`",
            ]
        );
    }

    #[test]
    fn suggestions_need_to_be_close() {
        let defined = ["itemsApi", "publicApi"];
        assert_eq!(closest("ITEMSAPI", defined.into_iter()), Some("itemsApi"));
        assert_eq!(closest("pubicApi", defined.into_iter()), Some("publicApi"));
        assert_eq!(closest("users", defined.into_iter()), None);
        assert_eq!(closest("", defined.into_iter()), None);
    }
}
