//! Form bodies, URL-encoded and multipart, signed byte for byte and decoded on the server side
//! by third-party readers (`url`'s `form_urlencoded`, `multer`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::Error;
use amplify_api::multipart::{Form, Part};
use amplify_api_emulator::EchoPart;
use common::{ECHO, client, emulator, send_echo};

#[tokio::test]
async fn a_urlencoded_form_is_signed_and_decodes_to_what_was_given() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let pairs = [
        ("user", "ana"),
        ("note", "a b+c&d=e"),
        ("ü key", "日本 %41"),
        ("empty", ""),
        ("user", "second"),
    ];
    let echo = send_echo(api.post("/login").form(&pairs)).await;
    assert_eq!(
        echo.headers.get("content-type").map(String::as_str),
        Some("application/x-www-form-urlencoded")
    );
    assert!(echo.signed_headers.iter().any(|h| h == "content-type"));
    // RFC 3986 encoding: `%20` for a space, `+` sent as `%2B`, so no reader can misread it.
    assert!(
        echo.body.starts_with("user=ana&note=a%20b%2Bc%26d%3De&"),
        "{}",
        echo.body
    );
    let expected: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(echo.form, expected);

    // A content type of the caller's own is kept.
    let echo = send_echo(
        api.put("/x")
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .form(&[("a", "1")]),
    )
    .await;
    assert_eq!(echo.form, [("a".to_owned(), "1".to_owned())]);
}

#[tokio::test]
async fn a_multipart_form_with_text_and_file_parts_is_signed_and_decodes_part_by_part() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let dir = tempfile_dir();
    let path = dir.join("report.csv");
    let file_bytes: Vec<u8> = (0..200_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect();
    std::fs::write(&path, &file_bytes).unwrap();

    let form = Form::new()
        .text("title", "Q3 \"final\" ü")
        .text("empty", "")
        .part(
            "photo",
            Part::bytes(vec![0xff, 0xd8, 0x00, 0x0d, 0x0a])
                .file_name("a b.jpg")
                .content_type("image/jpeg"),
        )
        .part(
            "report",
            Part::file(&path).await.unwrap().content_type("text/csv"),
        );
    let resp = api
        .post("/uploads")
        .header("content-type", "text/plain")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let echo: amplify_api_emulator::Echo = resp.json().unwrap();
    let content_type = echo.headers.get("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary=amplify-api-"),
        "{content_type}"
    );
    assert!(echo.signed_headers.iter().any(|h| h == "content-type"));
    let summary: Vec<(&str, Option<&str>, Option<&str>, usize)> = echo
        .parts
        .iter()
        .map(|p: &EchoPart| {
            (
                p.name.as_str(),
                p.file_name.as_deref(),
                p.content_type.as_deref(),
                p.len,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("title", None, None, "Q3 \"final\" ü".len()),
            ("empty", None, None, 0),
            ("photo", Some("a b.jpg"), Some("image/jpeg"), 5),
            (
                "report",
                Some("report.csv"),
                Some("text/csv"),
                file_bytes.len()
            ),
        ]
    );
    assert_eq!(echo.parts[0].text, "Q3 \"final\" ü");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn form_mistakes_are_errors_before_anything_is_sent() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let err = Part::file("/nonexistent/amplify-api/form-part")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("cannot read")),
        "{err}"
    );
    let bad = Form::new().part("p", Part::text("x").content_type("text/plain\nx-evil: 1"));
    let err = api.post("/x").multipart(bad).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("content type")),
        "{err}"
    );
    let err = api.get("/x").form(&[("a", "b")]).send().await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(_)),
        "a GET carries no body: {err}"
    );
    assert_eq!(emu.api().requests_served(), 0);
}

/// A fresh directory under the system's temp dir.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "amplify-api-forms-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
