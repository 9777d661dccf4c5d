//! The README's and the guides' code cannot go stale: `examples/src/lib.rs` compiles every
//! block as a doc test, and a block that cannot be a doc test (a `#[cfg(test)]` module, a
//! file the example config lacks) is fenced `rust,ignore` after a line
//! `<!-- compiled: FILE -->`, and must be a verbatim copy of part of that compiled file.

use std::path::{Path, PathBuf};

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The pages whose code `examples/src/lib.rs` compiles.
fn pages() -> Vec<PathBuf> {
    let root = root();
    let mut pages = vec![
        root.join("README.md"),
        root.join("amplify-api/cli/README.md"),
    ];
    let guide = root.join("amplify-api/src/guide");
    let mut guides: Vec<PathBuf> = std::fs::read_dir(&guide)
        .unwrap_or_else(|e| panic!("{}: {e}", guide.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    guides.sort();
    pages.extend(guides);
    pages
}

/// The `rust,ignore` blocks of `text`: (the line before the fence, the block's text).
fn ignored_blocks(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "```rust,ignore" {
            let before = if i > 0 { lines[i - 1] } else { "" };
            let end = lines[i + 1..]
                .iter()
                .position(|l| l.trim() == "```")
                .map_or(lines.len(), |p| i + 1 + p);
            out.push((before.to_owned(), lines[i + 1..end].join("\n")));
            i = end;
        }
        i += 1;
    }
    out
}

/// Whether `source` has `block`'s lines in a row, all indented alike (a block may be copied
/// from inside a function, without its indent).
fn contains_dedented(source: &str, block: &str) -> bool {
    let wanted: Vec<&str> = block.lines().collect();
    let lines: Vec<&str> = source.lines().collect();
    if wanted.is_empty() {
        return true;
    }
    lines.windows(wanted.len()).any(|window| {
        let indent = window
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        window
            .iter()
            .zip(&wanted)
            .all(|(line, want)| line.get(indent..).unwrap_or("").trim_end() == want.trim_end())
    })
}

#[test]
fn every_page_is_compiled_by_the_examples_crate() {
    let lib = std::fs::read_to_string(root().join("examples/src/lib.rs")).unwrap();
    for page in pages() {
        let relative = page
            .strip_prefix(root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let included = format!("../../{relative}");
        assert!(
            lib.contains(&format!("include_str!(\"{included}\")")),
            "examples/src/lib.rs does not compile the code of {relative}: add \
             `#[doc = include_str!(\"{included}\")]`"
        );
    }
}

#[test]
fn every_ignored_block_is_a_copy_of_compiled_code() {
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (before, block) in ignored_blocks(&text) {
            let file = before
                .trim()
                .strip_prefix("<!-- compiled: ")
                .and_then(|r| r.strip_suffix(" -->"))
                .unwrap_or_else(|| {
                    panic!(
                        "{}: a `rust,ignore` block must follow `<!-- compiled: FILE -->` \
                         (the compiled file it is copied from); it follows {before:?}",
                        page.display()
                    )
                });
            let source = std::fs::read_to_string(root().join(file))
                .unwrap_or_else(|e| panic!("{}: {file}: {e}", page.display()));
            assert!(
                contains_dedented(&source, &block),
                "{}: the block after `<!-- compiled: {file} -->` is not in {file} any more; \
                 copy it again:\n{block}",
                page.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 1, "no `rust,ignore` block was checked");
}

#[test]
fn a_block_matches_its_source_only_as_written_there() {
    let source = "fn f() {\n    let a = 1;\n    let b = 2;\n}\n";
    assert!(contains_dedented(source, "let a = 1;\nlet b = 2;"));
    assert!(!contains_dedented(source, "let a = 1;\nlet b = 3;"));
    assert!(!contains_dedented(source, "let b = 2;\nlet a = 1;"));
}

#[test]
fn a_stale_block_is_found() {
    let page = "x\n<!-- compiled: f.rs -->\n```rust,ignore\nlet a = 1;\n```\n";
    assert_eq!(
        ignored_blocks(page),
        [(
            "<!-- compiled: f.rs -->".to_owned(),
            "let a = 1;".to_owned()
        )]
    );
}
