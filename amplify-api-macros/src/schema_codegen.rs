//! A route table's JSON Schemas -> Rust types, with `typify`: the models of the file
//! ([`RouteTable::schemas`]) and the schemas written in place in its operations, in the
//! endpoint's `models` module (re-exported in the endpoint module); and what each typed
//! operation's body, success and error answers are ([`OpTypes`]).
//!
//! Names, deterministic and documented on the generated module:
//! - a model keeps its name in PascalCase (`Input`, `new order` -> `NewOrder`); each API's
//!   models are in its own endpoint module, so two APIs' `Input`s never meet;
//! - a model named like an item generated beside it (`Routes`), a prelude name the
//!   generated code uses unqualified (`Clone`, `Debug`, `Default`, `Ok`, `Some`...) or a type
//!   typify makes inside another model (`OrderStatus` beside an `Order` with a `status` written
//!   in place) gets `Model` behind (`RoutesModel`, `OrderStatusModel`); two models with one PascalCase name, `2`, `3`... in file
//!   order;
//! - a schema written in place is named after its method: `<Method>Body`, `<Method>Response`,
//!   `<Method>Error` (`PostCalcBody`), numbered likewise if a model has that name.
//!
//! API Gateway models are draft 4: `$schema`, `id` and `title` are ignored, a boolean
//! `exclusiveMinimum`/`exclusiveMaximum` becomes the draft 6 number. `pattern` is not checked
//! (it would need the `regress` crate in the user's crate) and the `date`, `date-time`, `time`
//! and `uuid` formats are strings (they would need `chrono` and `uuid`). A model `typify`
//! cannot make a type of is `serde_json::Value`, with a doc note saying why.

use std::panic::{AssertUnwindSafe, catch_unwind};

use heck::ToUpperCamelCase;
use proc_macro2::{Delimiter, Group, Ident, Spacing, Span, TokenStream, TokenTree};
use quote::quote;
use serde_json::{Map, Value};

use amplify_api_config::routes::{Operation, RouteTable, Schema};

/// Names a model may not take in the endpoint module (see the module docs).
const RESERVED: &[&str] = &[
    "Routes",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Ok",
    "Err",
    "Some",
    "None",
    "From",
    "Into",
    "Self",
];

/// Keywords a path may follow (`pub ::serde_json::Value`, `for ::serde_json::Map`).
const KEYWORDS: &[&str] = &[
    "pub", "for", "as", "dyn", "impl", "in", "where", "mut", "const", "static", "type", "return",
    "let", "else", "move", "ref",
];

/// The crate generated code reaches serde through.
const SERDE: &str = "::amplify_api::__private::serde";

/// A Rust type of an answer or body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    /// A type of the `models` module, by its name there.
    Model(String),
    /// Any JSON (`serde_json::Value`): several different schemas.
    Json,
}

impl Ty {
    /// The type as code in the endpoint module names it (`models::Input`), or, with
    /// `from_submodule`, code in a module inside it (`super::models::Input`).
    pub(crate) fn tokens(&self, from_submodule: bool) -> TokenStream {
        match self {
            Ty::Model(name) => {
                let ident = Ident::new(name, Span::call_site());
                if from_submodule {
                    quote!(super::models::#ident)
                } else {
                    quote!(models::#ident)
                }
            }
            Ty::Json => quote!(::amplify_api::__private::serde_json::Value),
        }
    }

    /// The type as the docs name it.
    pub(crate) fn doc_name(&self) -> String {
        match self {
            Ty::Model(name) => format!("[`{name}`](models::{name})"),
            Ty::Json => "any JSON (`serde_json::Value`)".to_owned(),
        }
    }
}

/// What a typed operation's body and answers are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct OpTypes {
    /// The JSON request body.
    pub(crate) body: Option<Ty>,
    /// The success model (2XX responses).
    pub(crate) ok: Option<Ty>,
    /// The declared error model (4XX, 5XX, `default` responses).
    pub(crate) err: Option<Ty>,
}

/// The models' code and each operation's types.
#[derive(Debug, Default)]
pub(crate) struct Generated {
    /// `pub mod models {..}` and its re-export; empty without schemas.
    pub(crate) items: TokenStream,
    /// Per operation given to [`generate`], in its order.
    pub(crate) ops: Vec<OpTypes>,
}

/// A schema used by an operation, before it has a type: a model's name or one in place.
enum Use<'a> {
    Named(&'a str),
    Inline(&'a Value),
    Json,
}

/// The success and error schemas of `op`: one per side when its responses agree, else any
/// JSON.
fn answers(op: &Operation) -> (Option<Use<'_>>, Option<Use<'_>>) {
    let side = |ok: bool| {
        let mut found: Vec<&Schema> = Vec::new();
        for response in &op.responses {
            let is_ok = response.status.starts_with('2');
            let is_err = response.status.starts_with(['4', '5']) || response.status == "default";
            if ((ok && is_ok) || (!ok && is_err))
                && let Some(schema) = &response.schema
                && !found.contains(&schema)
            {
                found.push(schema);
            }
        }
        match found.as_slice() {
            [] => None,
            [one] => Some(use_of(one)),
            _ => Some(Use::Json),
        }
    };
    (side(true), side(false))
}

fn use_of(schema: &Schema) -> Use<'_> {
    match schema {
        Schema::Named(name) => Use::Named(name),
        Schema::Inline(value) => Use::Inline(value),
    }
}

/// `name` as a PascalCase Rust identifier.
fn pascal(name: &str) -> String {
    let mut out: String = name
        .to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Model");
    }
    out
}

/// The property names anywhere in `schema` (typify names a type it makes for a property
/// written in place `<Model><Property>`).
fn property_names(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                if key == "properties"
                    && let Value::Object(properties) = value
                {
                    out.extend(properties.keys().map(|k| pascal(k)));
                }
                property_names(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| property_names(v, out)),
        _ => {}
    }
}

/// Whether the Rust name `rust` may be one typify gives a type it makes inside another model
/// (`Order` with a `status` enum: `OrderStatus`, `OrderStatusItem`): such a model is renamed,
/// else typify would define the name twice or take the model for the property's type.
fn inner_name(rust: &str, models: &[(String, Vec<String>)]) -> bool {
    models.iter().any(|(model, properties)| {
        rust.strip_prefix(model.as_str()).is_some_and(|rest| {
            properties
                .iter()
                .any(|p| rest == p || rest.strip_prefix(p.as_str()).is_some_and(|r| r == "Item"))
        })
    })
}

/// `base`, or `base2`, `base3`... the first not in `taken`.
fn unique(base: String, taken: &[String]) -> String {
    let mut name = base.clone();
    let mut n = 1;
    while taken.contains(&name) {
        n += 1;
        name = format!("{base}{n}");
    }
    name
}

/// The model name a `$ref` names (`#/definitions/X`, `#/components/schemas/X`, an API Gateway
/// model URL `https://apigateway.amazonaws.com/restapis/<id>/models/X`).
fn ref_name(reference: &str) -> Option<String> {
    let last = reference.rsplit('/').next()?;
    let known = ["#/definitions/", "#/components/schemas/"]
        .iter()
        .any(|p| reference.strip_prefix(p) == Some(last))
        || (reference.starts_with("https://apigateway.amazonaws.com/restapis/")
            && reference.ends_with(&format!("/models/{last}")));
    known.then(|| last.replace("~1", "/").replace("~0", "~"))
}

/// `schema` as typify takes it (see the module docs): draft 4's boolean exclusive bounds made
/// numbers, `$schema`, `id`, `pattern` and crate-needing formats dropped, each `$ref` to a
/// model made `#/definitions/<its Rust name>` (one to no model: any JSON).
fn normalize(schema: &Value, names: &[(String, String)]) -> Value {
    match schema {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                return match ref_name(reference)
                    .and_then(|n| names.iter().find(|(model, _)| *model == n))
                {
                    Some((_, rust)) => serde_json::json!({"$ref": format!("#/definitions/{rust}")}),
                    None => Value::Object(Map::new()),
                };
            }
            let mut out = Map::new();
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("$schema" | "pattern", _) | ("id", Value::String(_)) => {}
                    ("format", Value::String(f))
                        if matches!(f.as_str(), "date" | "date-time" | "time" | "uuid") => {}
                    ("exclusiveMinimum" | "exclusiveMaximum", Value::Bool(exclusive)) => {
                        let bound = if key == "exclusiveMinimum" {
                            "minimum"
                        } else {
                            "maximum"
                        };
                        if let (true, Some(limit)) = (*exclusive, object.get(bound)) {
                            out.insert(key.clone(), limit.clone());
                        }
                    }
                    ("minimum" | "maximum", _)
                        if object.get(&format!(
                            "exclusive{}",
                            if key == "minimum" {
                                "Minimum"
                            } else {
                                "Maximum"
                            }
                        )) == Some(&Value::Bool(true)) => {}
                    // Keys that hold schemas by name, not schemas: kept as they are.
                    ("properties" | "definitions" | "patternProperties", Value::Object(map)) => {
                        let inner = map
                            .iter()
                            .map(|(k, v)| (k.clone(), normalize(v, names)))
                            .collect();
                        out.insert(key.clone(), Value::Object(inner));
                    }
                    ("enum" | "default" | "example" | "examples" | "const" | "required", _) => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => {
                        out.insert(key.clone(), normalize(value, names));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| normalize(v, names)).collect()),
        other => other.clone(),
    }
}

/// A typify type space of `defs`; the reason when typify refuses them (or panics on them).
fn type_space(defs: &[(String, Value)]) -> Result<typify::TypeSpace, String> {
    let schemas: Vec<(String, schemars::schema::Schema)> = defs
        .iter()
        .map(|(name, value)| {
            serde_json::from_value(value.clone())
                .map(|s| (name.clone(), s))
                .map_err(|e| format!("not a JSON Schema typify reads: {e}"))
        })
        .collect::<Result<_, _>>()?;
    let settings = typify::TypeSpaceSettings::default();
    let built = catch_unwind(AssertUnwindSafe(|| {
        let mut space = typify::TypeSpace::new(&settings);
        space.add_ref_types(schemas).map(|()| space)
    }));
    match built {
        Ok(Ok(space)) => Ok(space),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("typify panicked on it".to_owned()),
    }
}

/// The type space of `defs`, each definition typify refuses replaced by any JSON with a doc
/// note: found by trying each alone (its `$ref`s to the others as any JSON).
fn type_space_with_fallbacks(mut defs: Vec<(String, Value)>) -> Option<typify::TypeSpace> {
    if let Ok(space) = type_space(&defs) {
        return Some(space);
    }
    for i in 0..defs.len() {
        let alone: Vec<(String, Value)> = defs
            .iter()
            .enumerate()
            .map(|(j, (name, value))| {
                let value = if i == j {
                    value.clone()
                } else {
                    Value::Object(Map::new())
                };
                (name.clone(), value)
            })
            .collect();
        if let Err(why) = type_space(&alone) {
            defs[i].1 = serde_json::json!({
                "description": format!(
                    "Any JSON: typify cannot make a Rust type of this schema ({why})."
                )
            });
        }
    }
    type_space(&defs).ok()
}

/// Rewrites typify's output for a crate that depends on `amplify_api` only: `::serde` and
/// `::serde_json` paths go through `::amplify_api::__private`, and each serde derive gets
/// `#[serde(crate = "::amplify_api::__private::serde")]`.
fn reroot(tokens: TokenStream) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for token in tokens {
        match token {
            TokenTree::Group(group) => {
                let derive = group.delimiter() == Delimiter::Bracket
                    && matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == '#')
                    && group.stream().to_string().starts_with("derive")
                    && group.stream().to_string().contains("serde");
                let mut rerooted = Group::new(group.delimiter(), reroot(group.stream()));
                rerooted.set_span(group.span());
                out.push(TokenTree::Group(rerooted));
                if derive {
                    out.extend(quote!(#[serde(crate = #SERDE)]));
                }
            }
            TokenTree::Ident(ident) if ident == "serde" || ident == "serde_json" => {
                // An absolute path (`::serde::`): the two colons before it, no name before them.
                let n = out.len();
                let absolute = n >= 2
                    && matches!(&out[n - 1], TokenTree::Punct(p) if p.as_char() == ':')
                    && matches!(&out[n - 2], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
                    && !matches!(out.get(n.wrapping_sub(3)), Some(TokenTree::Ident(before))
                        if !KEYWORDS.contains(&before.to_string().as_str()));
                if absolute {
                    out.extend(quote!(amplify_api::__private::));
                }
                out.push(TokenTree::Ident(ident));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// The models of `table` and the in-place schemas of `ops` (named after their Rust method
/// names, `rust_names`), as the `models` module; and each operation's types. `source` is the
/// file, for the docs.
pub(crate) fn generate(table: &RouteTable, ops: &[(&Operation, &str)], source: &str) -> Generated {
    // Rust names: the models first, in file order.
    let mut names: Vec<(String, String)> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let inner: Vec<(String, Vec<String>)> = table
        .schemas
        .iter()
        .map(|(model, schema)| {
            let mut properties = Vec::new();
            property_names(schema, &mut properties);
            (pascal(model), properties)
        })
        .collect();
    for (model, _) in &table.schemas {
        let mut base = pascal(model);
        if RESERVED.contains(&base.as_str()) || inner_name(&base, &inner) {
            base.push_str("Model");
        }
        let rust = unique(base, &taken);
        taken.push(rust.clone());
        names.push((model.clone(), rust));
    }
    let mut defs: Vec<(String, Value)> = table
        .schemas
        .iter()
        .zip(&names)
        .map(|((_, value), (_, rust))| (rust.clone(), normalize(value, &names)))
        .collect();
    let mut out_ops = Vec::with_capacity(ops.len());
    for (op, rust_name) in ops {
        let mut ty = |used: Option<Use<'_>>, suffix: &str| -> Option<Ty> {
            match used? {
                Use::Named(model) => names
                    .iter()
                    .find(|(m, _)| m == model)
                    .map(|(_, rust)| Ty::Model(rust.clone()))
                    .or(Some(Ty::Json)),
                Use::Json => Some(Ty::Json),
                Use::Inline(value) => {
                    let rust = unique(format!("{}{suffix}", pascal(rust_name)), &taken);
                    taken.push(rust.clone());
                    defs.push((rust.clone(), normalize(value, &names)));
                    Some(Ty::Model(rust))
                }
            }
        };
        let body = ty(op.body.as_ref().map(use_of), "Body");
        let (ok, err) = answers(op);
        let ok = ty(ok, "Response");
        let err = ty(err, "Error");
        out_ops.push(OpTypes { body, ok, err });
    }
    if defs.is_empty() {
        return Generated {
            items: TokenStream::new(),
            ops: out_ops,
        };
    }
    let Some(space) = type_space_with_fallbacks(defs) else {
        // Every definition is any JSON, so this is not reached; if it were, the routes stay
        // typed by any JSON.
        let json = |t: Option<Ty>| t.map(|_| Ty::Json);
        return Generated {
            items: TokenStream::new(),
            ops: out_ops
                .into_iter()
                .map(|o| OpTypes {
                    body: json(o.body),
                    ok: json(o.ok),
                    err: json(o.err),
                })
                .collect(),
        };
    };
    let types = reroot(space.to_stream());
    let doc = format!(
        " The models of `{source}` as Rust types (generated by `typify`), also re-exported in \
         the endpoint module. A model keeps its name in PascalCase; one named like an item \
         generated beside it (`Routes`), a prelude name (`Clone`, `Ok`...) or a type typify \
         makes inside another model (`OrderStatus` beside `Order.status`) gets `Model` behind \
         (`RoutesModel`); a schema written in place in an operation is \
         `<Method>Body`, `<Method>Response` or `<Method>Error` (`PostCalcBody`). Draft 4's \
         boolean `exclusiveMinimum` is read; `pattern` is not checked, and the `date-time`, \
         `date`, `time` and `uuid` formats are strings."
    );
    let items = quote! {
        #[doc = #doc]
        #[allow(
            missing_docs,
            unreachable_pub,
            missing_debug_implementations,
            dead_code,
            unused,
            non_camel_case_types,
            clippy::all,
            clippy::pedantic,
            clippy::unwrap_used,
            clippy::expect_used
        )]
        pub mod models {
            #types
        }
        #[doc(inline)]
        #[allow(unused_imports)]
        pub use self::models::*;
    };
    Generated {
        items,
        ops: out_ops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amplify_api_config::routes::read_openapi;

    #[test]
    fn draft_4_quirks_and_refs_are_normalized() {
        let names = vec![
            ("Input".to_owned(), "Input".to_owned()),
            ("Routes".to_owned(), "RoutesModel".to_owned()),
        ];
        let schema = serde_json::json!({
            "$schema": "http://json-schema.org/draft-04/schema#", "title": "T", "type": "object",
            "properties": {
                "a": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
                "b": {"type": "number", "maximum": 9, "exclusiveMaximum": false},
                "r": {"$ref": "#/components/schemas/Routes"},
                "i": {"$ref": "https://apigateway.amazonaws.com/restapis/abc/models/Input"},
                "x": {"$ref": "#/definitions/Missing"},
                "s": {"type": "string", "pattern": "^a+$", "format": "date-time"},
                "pattern": {"type": "string"}
            }
        });
        assert_eq!(
            normalize(&schema, &names),
            serde_json::json!({
                "title": "T", "type": "object",
                "properties": {
                    "a": {"type": "number", "exclusiveMinimum": 0},
                    "b": {"type": "number", "maximum": 9},
                    "r": {"$ref": "#/definitions/RoutesModel"},
                    "i": {"$ref": "#/definitions/Input"},
                    "x": {},
                    "s": {"type": "string"},
                    "pattern": {"type": "string"}
                }
            })
        );
    }

    #[test]
    fn a_model_named_like_a_type_typify_makes_inside_another_is_renamed() {
        for models in [
            r#""Order": {"type": "object", "properties": {"status": {"type": "string", "enum": ["a", "b"]}}},
               "OrderStatus": {"type": "object", "properties": {"x": {"type": "integer"}}}"#,
            r#""OrderStatus": {"type": "object", "properties": {"x": {"type": "integer"}}},
               "Order": {"type": "object", "properties": {"status": {"type": "string", "enum": ["a", "b"]}}}"#,
        ] {
            let text =
                format!(r#"{{"swagger": "2.0", "paths": {{}}, "definitions": {{{models}}}}}"#);
            let table = read_openapi(&text).unwrap();
            let code = generate(&table, &[], "x").items.to_string();
            assert_eq!(code.matches("pub enum OrderStatus ").count(), 1, "{code}");
            assert_eq!(
                code.matches("pub struct OrderStatusModel ").count(),
                1,
                "{code}"
            );
            assert!(code.contains("Option < OrderStatus >"), "{code}");
        }
    }

    #[test]
    fn names_collisions_and_fallbacks() {
        let table = read_openapi(
            r##"{"swagger": "2.0", "paths": {"/a": {"post": {
                "parameters": [{"in": "body", "name": "b", "schema": {"type": "object",
                  "properties": {"x": {"type": "integer"}}}}],
                "responses": {"200": {"schema": {"$ref": "#/definitions/Routes"}},
                              "201": {"schema": {"$ref": "#/definitions/PostABody"}},
                              "400": {"schema": {"$ref": "#/definitions/odd one"}}}}}},
              "definitions": {"Routes": {"type": "object"}, "PostABody": {"type": "string"},
                "odd one": {"type": "object", "properties": {"n": {"type": "integer"}}},
                "Weird": {"type": "object", "properties": {"n": {"type": "integer",
                  "minimum": "zero"}}}}}"##,
        )
        .unwrap();
        let op = table.routes[0].operations[0].clone();
        let generated = generate(&table, &[(&op, "post_a")], "a.json");
        assert_eq!(
            generated.ops[0],
            OpTypes {
                body: Some(Ty::Model("PostABody2".to_owned())),
                ok: Some(Ty::Json),
                err: Some(Ty::Model("OddOne".to_owned())),
            }
        );
        let code = generated.items.to_string();
        let items = [
            "RoutesModel",
            "PostABody (",
            "PostABody2",
            "OddOne",
            "Weird (",
        ];
        let missing: Vec<&str> = items
            .into_iter()
            .filter(|item| !code.contains(&format!("pub struct {item}")))
            .collect();
        assert_eq!(missing, Vec::<&str>::new(), "{code}");
        assert!(
            code.contains("Any JSON: typify cannot make a Rust type"),
            "{code}"
        );
        let outside = code.replace("__private :: serde", "");
        assert!(!outside.contains(":: serde"), "{code}");
        assert!(
            code.contains(":: amplify_api :: __private :: serde :: Deserialize"),
            "{code}"
        );
        assert!(
            code.contains("# [serde (crate = \"::amplify_api::__private::serde\")]"),
            "{code}"
        );
    }
}
