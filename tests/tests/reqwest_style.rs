//! What a `reqwest` user types works, signed and received as meant: `.query(key, value)` with
//! any `Display` value, `.query_pairs(&params)` for a `Serialize` struct or a slice of pairs,
//! and `.header` with the typed `http` names and values as well as text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::Error;
use common::{ECHO, client, emulator, send_echo, send_err};
use http::header::{ACCEPT, HeaderName, HeaderValue};

#[tokio::test]
async fn query_takes_any_display_value() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let owned = String::from("pen");
    let echo = send_echo(
        api.get("/items")
            .query("limit", 10)
            .query("draft", true)
            .query("ratio", 0.5)
            .query("name", &owned)
            .query("name", owned.clone())
            .query("tag", "a b"),
    )
    .await;
    assert_eq!(
        echo.query,
        "limit=10&draft=true&ratio=0.5&name=pen&name=pen&tag=a%20b"
    );
    // The emulator verified the signature over the same parameters (or it would refuse).
    assert!(!echo.signed_headers.is_empty());
    let echo = send_echo(api.get("/items").queries([("page", 2), ("size", 50)])).await;
    assert_eq!(echo.query, "page=2&size=50");
}

#[tokio::test]
async fn query_pairs_serializes_a_struct_in_field_order() {
    #[derive(serde::Serialize)]
    struct Page<'a> {
        limit: u32,
        after: Option<&'a str>,
        sort: &'a str,
        desc: bool,
    }
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let page = Page {
        limit: 10,
        after: None,
        sort: "name & date",
        desc: true,
    };
    let echo = send_echo(api.get("/items").query("v", 1).query_pairs(&page)).await;
    // Field order, `None` left out, RFC 3986 encoding like every query parameter.
    assert_eq!(echo.query, "v=1&limit=10&sort=name%20%26%20date&desc=true");
    let echo = send_echo(
        api.get("/items")
            .query_pairs(&[("tag", "a+b"), ("tag", "c")])
            .query_pairs(&[("n", 1)]),
    )
    .await;
    assert_eq!(echo.query, "tag=a%2Bb&tag=c&n=1");
}

#[tokio::test]
async fn query_pairs_refuses_what_is_not_flat() {
    #[derive(serde::Serialize)]
    struct Inner {
        x: u8,
    }
    #[derive(serde::Serialize)]
    struct Nested {
        inner: Inner,
    }
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let err = send_err(api.get("/items").query_pairs(&Nested {
        inner: Inner { x: 1 },
    }))
    .await;
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("cannot serialize the query parameters"),
        "{err}"
    );
}

#[tokio::test]
async fn header_takes_typed_http_names_and_values() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let name = HeaderName::from_static("x-trace");
    let value = HeaderValue::from_static("abc");
    let echo = send_echo(
        api.get("/items")
            .header(ACCEPT, "application/json")
            .header(&name, &value)
            .header("x-owned", String::from("yes"))
            .header(
                HeaderName::from_static("x-tag"),
                HeaderValue::from_static("t"),
            ),
    )
    .await;
    assert_eq!(echo.headers["accept"], "application/json");
    assert_eq!(echo.headers["x-trace"], "abc");
    assert_eq!(echo.headers["x-owned"], "yes");
    assert_eq!(echo.headers["x-tag"], "t");
    for signed in ["accept", "x-trace", "x-owned", "x-tag"] {
        assert!(echo.signed_headers.iter().any(|h| h == signed), "{signed}");
    }
    // A value that is not visible ASCII is refused before sending, as a text value is.
    let bytes = HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap();
    let err = send_err(api.get("/items").header("x-name", bytes)).await;
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("`x-name`"), "{err}");
}

#[tokio::test]
async fn a_sensitive_typed_value_stays_out_of_debug() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let mut secret = HeaderValue::from_static("s3cr3t-value");
    secret.set_sensitive(true);
    let request = api.get("/items").header("x-secret", secret);
    let debug = format!("{request:?}");
    assert!(!debug.contains("s3cr3t-value"), "{debug}");
    let echo = send_echo(request).await;
    assert_eq!(echo.headers["x-secret"], "s3cr3t-value");
}
