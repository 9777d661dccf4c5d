//! From the file's text to a [`Json`] tree, with each value's line and column: a JSON file, or
//! a JavaScript / TypeScript file holding the config object (`aws-exports.js`, a hand-written
//! `config.js`, `amplify-config.ts`), whose JavaScript [`super::js`] finds and masks.
//!
//! The parser is `jsonc-parser` (dprint's, the one `deno` reads `deno.json` with): it reads JSON
//! and the JavaScript object syntax people write (comments, unquoted and single-quoted keys,
//! single-quoted strings, trailing commas, JSON5 escapes and numbers) into an AST with the byte
//! range of every value, which is what gives diagnostics their line and column. `json5` (serde
//! only: positions for syntax errors, none for values; pest) and `serde_json` (strict JSON)
//! cannot.

use std::collections::HashMap;

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::diagnostics::{ConfigError, JsonPath, LineIndex, Located};
use super::js::{self, Masked};
use super::json::{Json, Member, Object, Value};

/// What the file is, for syntax error messages.
fn what(json: bool) -> &'static str {
    if json { "JSON" } else { "JavaScript object" }
}

/// Parses the config file's text: JSON, or a JavaScript / TypeScript file.
pub(crate) fn parse(text: &str) -> Result<Json, ConfigError> {
    parse_with(text, false)
}

/// [`parse`], also accepting what no config file should have (missing commas): the reading of
/// a file with a syntax error that still yields its names.
pub(crate) fn parse_lenient(text: &str) -> Result<Json, ConfigError> {
    parse_with(text, true)
}

/// [`parse`], [`parse_lenient`] when `lenient`.
fn parse_with(text: &str, lenient: bool) -> Result<Json, ConfigError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let is_json = body.trim_start().starts_with(['{', '[']) || body.trim().is_empty();
    let (start, end) = if is_json {
        (bom, text.len())
    } else {
        let (start, end) = js::find_object(body).ok_or_else(|| {
            ConfigError::whole(
                "found no config object: expected a JSON file, or a JavaScript/TypeScript file \
                 with the object in `export default {...}`, `const config = {...}`, \
                 `module.exports = {...}` or `Amplify.configure({...})`",
            )
        })?;
        (bom + start, bom + end)
    };
    let lines = LineIndex::new(text);
    let masked = js::mask(&text[start..end]).map_err(|at| {
        let pos = lines.pos(start + at);
        ConfigError::whole(format!(
            "invalid {} at line {}, column {}: nested more than {} levels deep",
            what(is_json),
            pos.line,
            pos.column,
            js::MAX_DEPTH
        ))
    })?;
    let options = ParseOptions {
        // JavaScript has no missing commas; everything else is JavaScript object syntax.
        allow_missing_commas: lenient,
        ..ParseOptions::default()
    };
    let parsed = jsonc_parser::parse_to_ast(&masked.text, &CollectOptions::default(), &options)
        .map_err(|e| {
            let pos = lines.pos(start + e.range().start);
            let kind = e.kind().to_string();
            let mut reason = kind.chars();
            let reason = reason.next().map_or(String::new(), |c| {
                c.to_lowercase().chain(reason).collect::<String>()
            });
            ConfigError::whole(format!(
                "invalid {} at line {}, column {}: {reason}",
                what(is_json),
                pos.line,
                pos.column
            ))
        })?;
    let root = parsed
        .value
        .ok_or_else(|| ConfigError::whole("the config file is empty"))?;
    let mut opaque: HashMap<usize, Vec<(usize, String)>> = HashMap::new();
    for (&at, masked) in &masked.masked {
        if let Masked::Member { object, text } = masked {
            opaque.entry(*object).or_default().push((at, text.clone()));
        }
    }
    let tree = Tree {
        lines: &lines,
        offset: start,
        masked: &masked.masked,
        opaque: &opaque,
    };
    Ok(tree.convert(&root, &JsonPath::root()))
}

/// Converts `jsonc-parser`'s AST into [`Json`], putting the masked JavaScript back.
struct Tree<'a> {
    lines: &'a LineIndex<'a>,
    /// Where the parsed text starts in the file.
    offset: usize,
    masked: &'a HashMap<usize, Masked>,
    opaque: &'a HashMap<usize, Vec<(usize, String)>>,
}

impl Tree<'_> {
    fn convert(&self, value: &ast::Value<'_>, path: &JsonPath) -> Json {
        let start = value.range().start;
        let pos = self.lines.pos(self.offset + start);
        let value = match value {
            ast::Value::NullKeyword(_) => Value::Null,
            ast::Value::BooleanLit(b) => Value::Bool(b.value),
            ast::Value::StringLit(s) => Value::String(s.value.to_string()),
            ast::Value::NumberLit(n) => match self.masked.get(&start) {
                Some(Masked::Expression(e)) => Value::Expression(e.clone()),
                Some(Masked::String(s)) => Value::String(s.clone()),
                _ => Value::Number(n.value.to_owned()),
            },
            ast::Value::Array(a) => Value::Array(
                a.elements
                    .iter()
                    .enumerate()
                    .map(|(i, e)| self.convert(e, &path.index(i)))
                    .collect(),
            ),
            ast::Value::Object(o) => {
                let members = o
                    .properties
                    .iter()
                    .map(|p| {
                        let key = p.name.as_str().to_owned();
                        let key_pos = self.lines.pos(self.offset + p.name.range().start);
                        let value = self.convert(&p.value, &path.key(&key));
                        Member {
                            key,
                            key_pos,
                            value,
                        }
                    })
                    .collect();
                let mut opaque: Vec<Located<String>> = self
                    .opaque
                    .get(&start)
                    .into_iter()
                    .flatten()
                    .map(|(at, text)| Located {
                        value: text.clone(),
                        path: path.clone(),
                        pos: self.lines.pos(self.offset + at),
                    })
                    .collect();
                opaque.sort_by_key(|o| o.pos);
                Value::Object(Object { members, opaque })
            }
        };
        Json { value, pos }
    }
}

#[cfg(test)]
mod tests {
    use super::super::diagnostics::Pos;
    use super::*;

    const AWS_EXPORTS_JS: &str = "/* eslint-disable */\n\
        // WARNING: DO NOT EDIT. This file is automatically generated by AWS Amplify.\n\
        \n\
        const awsmobile = {\n    \"aws_project_region\": \"us-east-1\"\n};\n\
        \n\
        \n\
        export default awsmobile;\n";

    fn members(json: &Json) -> Vec<(&str, &Value)> {
        match &json.value {
            Value::Object(o) => o
                .members
                .iter()
                .map(|m| (m.key.as_str(), &m.value.value))
                .collect(),
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn reads_json() {
        let json = parse("\u{feff} {\"a\": \"b\"}").unwrap();
        assert_eq!(members(&json), [("a", &Value::String("b".into()))]);
        assert_eq!(json.pos, Pos { line: 1, column: 3 });
    }

    #[test]
    fn reads_the_object_inside_aws_exports_js() {
        let json = parse(AWS_EXPORTS_JS).unwrap();
        assert_eq!(
            members(&json),
            [("aws_project_region", &Value::String("us-east-1".into()))]
        );
        let Value::Object(o) = &json.value else {
            panic!()
        };
        assert_eq!(
            o.members[0].value.pos,
            Pos {
                line: 5,
                column: 27
            }
        );
        let commonjs = "var awsmobile = {\"a\": 1};\nmodule.exports = awsmobile;";
        assert_eq!(members(&parse(commonjs).unwrap()).len(), 1);
        // `awsmobile` mentioned before its definition is skipped.
        let mentioned = "// awsmobile settings\nconst awsmobile = {};\nexport default awsmobile;";
        assert!(members(&parse(mentioned).unwrap()).is_empty());
    }

    #[test]
    fn reads_javascript_object_syntax() {
        let text = "// The app's config.\nexport default {\n  /* REST */ region: 'eu-west-1', // trailing\n  'name': \"a\",\n  list: [1, 2,],\n  url: `https://x.example.com`,\n  env: import.meta.env.VITE_URL,\n  ...base,\n};\n";
        let json = parse(text).unwrap();
        assert_eq!(
            members(&json),
            [
                ("region", &Value::String("eu-west-1".into())),
                ("name", &Value::String("a".into())),
                (
                    "list",
                    &Value::Array(vec![
                        Json {
                            value: Value::Number("1".into()),
                            pos: Pos {
                                line: 5,
                                column: 10
                            }
                        },
                        Json {
                            value: Value::Number("2".into()),
                            pos: Pos {
                                line: 5,
                                column: 13
                            }
                        },
                    ])
                ),
                ("url", &Value::String("https://x.example.com".into())),
                ("env", &Value::Expression("import.meta.env.VITE_URL".into())),
            ]
        );
        let Value::Object(o) = &json.value else {
            panic!()
        };
        assert_eq!(o.members[4].value.pos, Pos { line: 7, column: 8 });
        assert_eq!(o.opaque.len(), 1);
        assert_eq!(o.opaque[0].value, "...base");
        assert_eq!(o.opaque[0].pos, Pos { line: 8, column: 3 });
    }

    #[test]
    fn syntax_errors_give_file_line_and_column() {
        let err = parse("{\n  \"a\": \"b\",\n  \"c\" 1\n}").unwrap_err();
        assert_eq!(
            err.message,
            "invalid JSON at line 3, column 7: expected colon after the string or word in object property"
        );
        // In a .js file, positions count from the top of the file.
        let js = AWS_EXPORTS_JS.replace("\"us-east-1\"", "\"us-east-1\" \"x\"");
        let err = parse(&js).unwrap_err();
        assert_eq!(
            err.message,
            "invalid JavaScript object at line 5, column 38: expected comma"
        );
        // Never serde_json's bare "key must be a string".
        let err = parse("const awsmobile = {,};\nexport default awsmobile;").unwrap_err();
        assert!(
            err.message
                .starts_with("invalid JavaScript object at line 1, column 20"),
            "{err}"
        );
    }

    #[test]
    fn neither_json_nor_javascript_says_what_was_expected() {
        let err = parse("export default config;").unwrap_err();
        assert!(
            err.message.contains("found no config object"),
            "{}",
            err.message
        );
        let err = parse("").unwrap_err();
        assert_eq!(err.message, "the config file is empty");
    }
}
