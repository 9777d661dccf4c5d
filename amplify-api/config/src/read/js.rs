//! The JavaScript around and inside a config object, for [`super::source`]: where the object is
//! in an `aws-exports.js` / `config.js` / `amplify-config.ts` (`export default {...}`,
//! `const x = {...}`, `module.exports = ...`, `Amplify.configure({...})`), and which of its
//! values and members are JavaScript expressions rather than JSON5 literals.
//!
//! Why this is hand-written: the literals themselves (comments, unquoted and single-quoted keys,
//! single-quoted strings, trailing commas, JSON5 escapes and numbers) are parsed by
//! `jsonc-parser`, but no JSON5 parser reads `process.env.X`, `` `${a}` ``, `a || 'b'` or
//! `...spread`: they are JavaScript, and the only crates that parse JavaScript are whole
//! compilers (oxc, swc: dozens of crates and minutes of build in a proc macro every user
//! compiles). So this module only *finds* them, with a lexer that knows what JavaScript needs
//! to skip correctly (strings, template literals with nested `${}`, comments, brackets), and
//! masks them with same-length blanks, so `jsonc-parser` reads the rest and every byte offset
//! stays that of the file. Regular-expression literals are not recognised (configs have none).

use std::collections::HashMap;

/// One JavaScript token: its kind and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `'...'` or `"..."`.
    Str,
    /// `` `...` `` without `${}`.
    PlainTemplate,
    /// `` `...${x}...` ``.
    Template,
    /// An identifier, keyword or number (letters, digits, `_`, `$`, `.` inside numbers).
    Word,
    /// `...`.
    Spread,
    /// Any other character.
    Punct(u8),
}

/// The tokens of `text` (comments skipped). Stops at the first thing it cannot lex (an
/// unterminated string or comment); `jsonc-parser` reports those.
fn lex(text: &str) -> Vec<Token> {
    lex_nested(text, 0)
}

/// How deep template literals may nest in `${}` before the lexer gives up on one.
const MAX_TEMPLATE_DEPTH: usize = 16;

/// [`lex`], inside `depth` template substitutions.
fn lex_nested(text: &str, depth: usize) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let kind = match b {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                match text[i + 2..].find("*/") {
                    Some(n) => i += n + 4,
                    None => break,
                }
                continue;
            }
            b'"' | b'\'' => match string_end(bytes, i) {
                Some(end) => {
                    i = end;
                    Kind::Str
                }
                None => break,
            },
            b'`' => match template_end(text, i, depth) {
                Some((end, substitutions)) => {
                    i = end;
                    if substitutions {
                        Kind::Template
                    } else {
                        Kind::PlainTemplate
                    }
                }
                None => break,
            },
            b'.' if text[i..].starts_with("...") => {
                i += 3;
                Kind::Spread
            }
            b if is_word_byte(b)
                || (b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                i += 1;
                while i < bytes.len() {
                    let word = &bytes[start..i];
                    let exponent_sign = matches!(bytes[i], b'-' | b'+')
                        && is_number(word)
                        && !word.starts_with(b"0x")
                        && word.ends_with(b"e") | word.ends_with(b"E");
                    if !(is_word_byte(bytes[i])
                        || bytes[i] == b'.' && is_number(word)
                        || exponent_sign)
                    {
                        break;
                    }
                    i += 1;
                }
                Kind::Word
            }
            _ => {
                // One character, whole (a non-ASCII one is several bytes).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Punct(b)
            }
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
        });
    }
    tokens
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Whether `word` is (the start of) a number, so a `.` continues it.
fn is_number(word: &[u8]) -> bool {
    word.first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
}

/// Words that may stand between two operands in an expression (`new URL(x)`, `x as const`).
const OPERATOR_WORDS: &[&str] = &[
    "new",
    "typeof",
    "void",
    "await",
    "as",
    "satisfies",
    "in",
    "instanceof",
    "of",
    "delete",
];

/// The end of the string literal starting at `start` (its quote).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i + 1),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The end of the template literal starting at `start` (its backtick), and whether it has
/// `${}` substitutions (which may nest strings, templates and braces).
fn template_end(text: &str, start: usize, depth: usize) -> Option<(usize, bool)> {
    if depth >= MAX_TEMPLATE_DEPTH {
        return None;
    }
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let mut substitutions = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => return Some((i + 1, substitutions)),
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                substitutions = true;
                let inner = i + 2;
                let tokens = lex_nested(&text[inner..], depth + 1);
                let mut depth = 0usize;
                let close = tokens.iter().find(|t| match t.kind {
                    Kind::Punct(b'{') => {
                        depth += 1;
                        false
                    }
                    Kind::Punct(b'}') if depth == 0 => true,
                    Kind::Punct(b'}') => {
                        depth -= 1;
                        false
                    }
                    _ => false,
                })?;
                i = inner + close.end;
            }
            _ => i += 1,
        }
    }
    None
}

/// Where the config object is in a JavaScript or TypeScript file: the byte range of its
/// braces, `{` to `}` included. Looked for, in this order: the object passed to
/// `Amplify.configure(...)`, `export default`-ed, or assigned to `module.exports`; one of those
/// naming a variable: that variable's `const|let|var NAME = {...}`; else the first such
/// declaration; else an object the file starts with (JSON5 after comments).
pub(crate) fn find_object(text: &str) -> Option<(usize, usize)> {
    let tokens = lex(text);
    let word = |t: &Token, w: &str| t.kind == Kind::Word && &text[t.start..t.end] == w;
    let punct = |t: Option<&Token>, c: u8| t.is_some_and(|t| t.kind == Kind::Punct(c));
    // The token index after which an exported or configured value starts.
    let mut exported = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let configure = word(t, "configure") && punct(tokens.get(i + 1), b'(');
        let export_default =
            word(t, "export") && tokens.get(i + 1).is_some_and(|n| word(n, "default"));
        let module_exports = word(t, "exports")
            && i > 1
            && punct(tokens.get(i - 1), b'.')
            && word(&tokens[i - 2], "module")
            && punct(tokens.get(i + 1), b'=');
        if configure || export_default || module_exports {
            exported.push(i + 2);
        }
    }
    let declaration = |name: Option<&str>| {
        tokens.iter().enumerate().find_map(|(i, t)| {
            let keyword = ["const", "let", "var"].iter().any(|k| word(t, k));
            let named = tokens.get(i + 1).filter(|n| n.kind == Kind::Word)?;
            if !keyword || name.is_some_and(|name| &text[named.start..named.end] != name) {
                return None;
            }
            // Skip a TypeScript type annotation up to `=`.
            let eq = tokens[i + 2..]
                .iter()
                .take_while(|t| !punct(Some(t), b';'))
                .position(|t| punct(Some(t), b'='))?;
            let open = i + 2 + eq + 1;
            punct(tokens.get(open), b'{').then_some(open)
        })
    };
    let open = exported
        .iter()
        .find(|&&i| punct(tokens.get(i), b'{'))
        .copied()
        .or_else(|| {
            exported.iter().find_map(|&i| {
                let named = tokens.get(i).filter(|t| t.kind == Kind::Word)?;
                declaration(Some(&text[named.start..named.end]))
            })
        })
        .or_else(|| declaration(None))
        // A JSON5 / JSONC file: the object is the first thing after its comments.
        .or_else(|| punct(tokens.first(), b'{').then_some(0))?;
    let close = group_end(&tokens, open)?;
    Some((tokens[open].start, tokens[close].end))
}

/// The index of the token closing the bracket opened at `open`.
fn group_end(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.kind {
            Kind::Punct(b'{' | b'[' | b'(') => depth += 1,
            Kind::Punct(b'}' | b']' | b')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// What a masked piece of the object was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Masked {
    /// A value that is a JavaScript expression, as written.
    Expression(String),
    /// A value that is a template literal without substitutions: a string.
    String(String),
    /// A member that is not `key: value` (`...spread`, a shorthand `name`, `[computed]: v`,
    /// a method), as written, in the object starting at this byte offset.
    Member {
        /// The byte offset of the object's `{`.
        object: usize,
        /// The member as written.
        text: String,
    },
}

/// The object text with its JavaScript masked, and what was masked, by byte offset.
#[derive(Debug)]
pub(crate) struct MaskedObject {
    /// The text, every byte where it was (masked bytes are blanks; a masked value is `0`).
    pub(crate) text: String,
    /// The masked pieces by the byte offset where they start.
    pub(crate) masked: HashMap<usize, Masked>,
}

/// How deeply objects and arrays may nest (`jsonc-parser` allows 512).
pub(crate) const MAX_DEPTH: usize = 256;

/// Masks the JavaScript in `text` (an object literal, or a JSON file): values that are not
/// literals become `0` and blanks, members that are not `key: value` become blanks. Nesting
/// deeper than [`MAX_DEPTH`] is an error: the byte offset of the bracket that goes too deep.
pub(crate) fn mask(text: &str) -> Result<MaskedObject, usize> {
    let tokens = lex(text);
    let mut depth = 0usize;
    for t in &tokens {
        match t.kind {
            Kind::Punct(b'{' | b'[' | b'(') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(t.start);
                }
            }
            Kind::Punct(b'}' | b']' | b')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut out = MaskedObject {
        text: text.to_owned(),
        masked: HashMap::new(),
    };
    if !tokens.is_empty() {
        let mut walker = Walker {
            text,
            tokens: &tokens,
            bytes: std::mem::take(&mut out.text).into_bytes(),
            masked: &mut out.masked,
        };
        walker.value(0);
        out.text = String::from_utf8(walker.bytes).unwrap_or_else(|_| text.to_owned());
    }
    Ok(out)
}

/// Walks the tokens of an object literal, masking what is not JSON5.
struct Walker<'a> {
    text: &'a str,
    tokens: &'a [Token],
    bytes: Vec<u8>,
    masked: &'a mut HashMap<usize, Masked>,
}

impl Walker<'_> {
    fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// The index after the value or member starting at `i`: the `,` or closing bracket at
    /// depth 0 (or the end).
    fn extent(&self, i: usize) -> usize {
        let mut depth = 0usize;
        let mut j = i;
        while let Some(t) = self.tokens.get(j) {
            match t.kind {
                Kind::Punct(b'{' | b'[' | b'(') => depth += 1,
                Kind::Punct(b'}' | b']' | b')') if depth == 0 => return j,
                Kind::Punct(b'}' | b']' | b')') => depth -= 1,
                Kind::Punct(b',') if depth == 0 => return j,
                _ => {}
            }
            j += 1;
        }
        j
    }

    /// Blanks bytes `start..end`, keeping line breaks.
    fn blank(&mut self, start: usize, end: usize) {
        for b in &mut self.bytes[start..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }

    /// The value starting at token `i`; returns the index after it.
    fn value(&mut self, i: usize) -> usize {
        let end = self.extent(i);
        if end == i {
            return i;
        }
        let whole_group = matches!(self.kind(i), Some(Kind::Punct(b'{' | b'[')))
            && group_end(self.tokens, i) == Some(end - 1);
        let literal = matches!(
            (end - i, self.kind(i), self.kind(i + 1)),
            (1, Some(Kind::Str | Kind::Word), _)
                | (2, Some(Kind::Punct(b'-' | b'+')), Some(Kind::Word))
        );
        let (start, stop) = (self.tokens[i].start, self.tokens[end - 1].end);
        if whole_group && self.kind(i) == Some(Kind::Punct(b'{')) {
            self.object(i);
        } else if whole_group {
            self.array(i);
        } else if end - i == 1 && self.kind(i) == Some(Kind::PlainTemplate) {
            let raw = &self.text[start + 1..stop - 1];
            self.masked.insert(start, Masked::String(raw.to_owned()));
            self.blank(start, stop);
            self.bytes[start] = b'0';
        } else if (!literal || self.is_identifier(i)) && self.is_expression(i, end) {
            self.masked
                .insert(start, Masked::Expression(self.text[start..stop].to_owned()));
            self.blank(start, stop);
            self.bytes[start] = b'0';
        }
        end
    }

    /// Whether tokens `i..end` can be one JavaScript expression: no two operands in a row
    /// (`"a" "b"` is a missing comma, a syntax error `jsonc-parser` reports, not JavaScript).
    fn is_expression(&self, i: usize, end: usize) -> bool {
        let operator_word = |t: &Token| {
            t.kind == Kind::Word && OPERATOR_WORDS.contains(&&self.text[t.start..t.end])
        };
        let operand = |t: &Token| {
            matches!(
                t.kind,
                Kind::Str | Kind::Word | Kind::Template | Kind::PlainTemplate
            ) && !operator_word(t)
        };
        let closes = |t: &Token| operand(t) || matches!(t.kind, Kind::Punct(b')' | b']' | b'}'));
        self.tokens[i..end]
            .windows(2)
            .all(|pair| !(closes(&pair[0]) && operand(&pair[1])))
    }

    /// Whether the member at tokens `i..end` is JavaScript that is not `key: value`: a
    /// `...spread`, a shorthand `name`, a `[computed]: key` or a method `name() {}`.
    fn is_js_member(&self, i: usize, end: usize) -> bool {
        match (self.kind(i), end - i) {
            (Some(Kind::Spread), _) => true,
            (Some(Kind::Word), 1) => true,
            (Some(Kind::Punct(b'[')), _) => group_end(self.tokens, i)
                .is_some_and(|close| self.kind(close + 1) == Some(Kind::Punct(b':'))),
            (Some(Kind::Word | Kind::Str), _) => {
                let parens = self.kind(i + 1) == Some(Kind::Punct(b'('));
                parens
                    && group_end(self.tokens, i + 1).is_some_and(|close| {
                        self.kind(close + 1) == Some(Kind::Punct(b'{'))
                            && group_end(self.tokens, close + 1) == Some(end - 1)
                    })
            }
            _ => false,
        }
    }

    /// Whether token `i` is a word that JSON5 does not take as a value (an identifier).
    fn is_identifier(&self, i: usize) -> bool {
        let t = self.tokens[i];
        let word = &self.text[t.start..t.end];
        t.kind == Kind::Word
            && !word.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            && !["true", "false", "null", "Infinity", "NaN"].contains(&word)
    }

    /// The object whose `{` is token `open`.
    fn object(&mut self, open: usize) {
        let object = self.tokens[open].start;
        let mut i = open + 1;
        loop {
            match self.kind(i) {
                None | Some(Kind::Punct(b'}')) => return,
                Some(Kind::Punct(b',')) => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let end = self.extent(i);
            let key = matches!(self.kind(i), Some(Kind::Str | Kind::Word));
            if key && self.kind(i + 1) == Some(Kind::Punct(b':')) {
                i = self.value(i + 2);
                continue;
            }
            if end == i || !self.is_js_member(i, end) {
                // A syntax error: `jsonc-parser` reports it.
                return;
            }
            // JavaScript that is not `key: value`: blank it, and its comma.
            let start = self.tokens[i].start;
            let stop = self.tokens[end.saturating_sub(1).max(i)].end;
            let text = self.text[start..stop].to_owned();
            let with_comma = match self.tokens.get(end) {
                Some(t) if t.kind == Kind::Punct(b',') => t.end,
                _ => stop,
            };
            self.masked.insert(start, Masked::Member { object, text });
            self.blank(start, with_comma);
            i = end;
        }
    }

    /// The array whose `[` is token `open`.
    fn array(&mut self, open: usize) {
        let mut i = open + 1;
        loop {
            match self.kind(i) {
                None | Some(Kind::Punct(b']')) => return,
                Some(Kind::Punct(b',')) => i += 1,
                _ => {
                    let next = self.value(i);
                    if next == i {
                        return;
                    }
                    i = next;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object_of(text: &str) -> &str {
        let (start, end) = find_object(text).unwrap();
        &text[start..end]
    }

    #[test]
    fn finds_the_config_object_in_each_shape() {
        let cases = [
            ("export default { a: 1 };", "{ a: 1 }"),
            (
                "const awsmobile = { a: '}' };\nexport default awsmobile;",
                "{ a: '}' }",
            ),
            ("module.exports = { a: 1 }", "{ a: 1 }"),
            (
                "const other = { b: 2 };\nconst config = { a: 1 };\nmodule.exports = config;",
                "{ a: 1 }",
            ),
            (
                "import { Amplify } from 'aws-amplify';\n// configure({ no: 1 })\nAmplify.configure({ a: `}` });",
                "{ a: `}` }",
            ),
            (
                "import type { ResourcesConfig } from 'aws-amplify';\n\
                 const config: ResourcesConfig = { a: 1 } satisfies ResourcesConfig;\n\
                 export default config;",
                "{ a: 1 }",
            ),
            (
                "Amplify.configure(config);\nconst config = {x: [1, {y: 2}]};",
                "{x: [1, {y: 2}]}",
            ),
        ];
        for (text, object) in cases {
            assert_eq!(object_of(text), object, "{text}");
        }
        assert_eq!(object_of("// JSONC\n/* c */ {a: 1}"), "{a: 1}");
        assert_eq!(find_object("export default config;"), None);
        assert_eq!(find_object("const a = 1;"), None);
    }

    #[test]
    fn masks_expressions_and_keeps_offsets() {
        let text = "{ a: process.env.API_URL, b: 'x', c: `t`, d: `${h}/x`, e: a || 'b',\n  f: 'p' + q, g: -1, ...rest, h: [x, 2], i: true }";
        let masked = mask(text).unwrap();
        assert_eq!(masked.text.len(), text.len());
        let expressions: Vec<(&str, &Masked)> = {
            let mut v: Vec<(usize, &Masked)> = masked.masked.iter().map(|(k, m)| (*k, m)).collect();
            v.sort_by_key(|(k, _)| *k);
            v.into_iter().map(|(k, m)| (&text[k..k + 1], m)).collect()
        };
        let kinds: Vec<&Masked> = expressions.iter().map(|(_, m)| *m).collect();
        assert_eq!(
            kinds,
            [
                &Masked::Expression("process.env.API_URL".into()),
                &Masked::String("t".into()),
                &Masked::Expression("`${h}/x`".into()),
                &Masked::Expression("a || 'b'".into()),
                &Masked::Expression("'p' + q".into()),
                &Masked::Member {
                    object: 0,
                    text: "...rest".into()
                },
                &Masked::Expression("x".into()),
            ]
        );
        assert!(masked.text.contains("b: 'x'"), "{}", masked.text);
        assert!(masked.text.contains("g: -1"), "{}", masked.text);
        assert!(masked.text.contains("i: true"), "{}", masked.text);
        assert!(!masked.text.contains("rest"), "{}", masked.text);
    }

    #[test]
    fn shorthand_computed_and_method_members_are_masked() {
        let masked = mask("{ region, [k]: 1, get() { return 1 }, ok: 2 }").unwrap();
        assert_eq!(masked.masked.len(), 3);
        assert!(masked.text.ends_with("ok: 2 }"), "{}", masked.text);
        assert!(!masked.text.contains("region"));
    }

    #[test]
    fn syntax_errors_are_left_to_the_parser() {
        for text in [
            "{\"a\": \"x\"\n \"b\": 1}",
            "{\"c\" 1}",
            "{a: 'x' 'y'}",
            "{a: b c}",
            "[1 2]",
        ] {
            let masked = mask(text).unwrap();
            assert!(masked.masked.is_empty(), "{text}: {masked:?}");
        }
        // ... while operators between operands are JavaScript.
        let masked = mask("{a: new URL(x), b: x as string, c: typeof y}").unwrap();
        assert_eq!(masked.masked.len(), 3);
    }

    #[test]
    fn plain_json_is_untouched() {
        let text = r#"{"a": [1, -2.5e3, 1e-5, "x", null, {"b": false}], "c": {}}"#;
        let masked = mask(text).unwrap();
        assert_eq!(masked.text, text);
        assert!(masked.masked.is_empty());
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(mask(&deep).unwrap_err(), MAX_DEPTH);
        assert!(mask(&"[".repeat(MAX_DEPTH)).is_ok());
    }
}
