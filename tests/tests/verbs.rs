//! Each verb, with query, header and body variants, against the verifying emulator.

mod common;

use amplify_api_emulator::Echo;
use common::{ECHO, client, emulator, send_echo};
use serde::{Deserialize, Serialize};

#[tokio::test]
async fn every_verb_is_signed_and_accepted() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let cases = [
        ("GET", api.get("/items")),
        ("POST", api.post("/items").text("new")),
        ("PUT", api.put("/items/1").text("replace")),
        ("PATCH", api.patch("/items/1").text("change")),
        ("DELETE", api.delete("/items/1")),
        ("DELETE", api.del("/items/2")),
    ];
    for (method, request) in cases {
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let echo: Echo = resp.json().unwrap();
        assert_eq!(echo.method, method);
        assert!(
            echo.signed_headers
                .contains(&"x-amz-security-token".to_string())
        );
        assert_eq!(echo.region, "us-east-1");
        assert_eq!(echo.service, "execute-api");
        // Every header that arrived is signed, but user-agent (and the signature itself).
        let unsigned: Vec<&String> = echo
            .headers
            .keys()
            .filter(|h| !echo.signed_headers.contains(h))
            .filter(|h| !matches!(h.as_str(), "user-agent" | "authorization"))
            .collect();
        assert!(
            unsigned.is_empty(),
            "{method}: unsigned headers {unsigned:?}"
        );
    }
    let head = api.head("/items").send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.bytes().is_empty(), "HEAD has no body");
    assert_eq!(emu.api().requests_served(), 7);
}

#[tokio::test]
async fn queries_are_encoded_rfc3986_and_sent_as_signed() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let echo: Echo = send_echo(
        api.get("/search?from=path")
            .query("q", "a b+c/d")
            .query("q", "")
            .query("tag", "ü")
            .query("", "empty-key"),
    )
    .await;
    assert_eq!(echo.path, "/search");
    assert_eq!(
        echo.query,
        "from=path&q=a%20b%2Bc%2Fd&q=&tag=%C3%BC&=empty-key"
    );
}

#[tokio::test]
async fn headers_are_sent_and_signed_except_user_agent() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let echo: Echo = send_echo(
        api.get("/h")
            .header("X-Trace", "abc")
            .header("x-multi", "1")
            .header("x-multi", "2"),
    )
    .await;
    assert_eq!(echo.headers.get("x-trace").map(String::as_str), Some("abc"));
    for name in [
        "x-trace",
        "x-multi",
        "host",
        "x-amz-date",
        "x-amz-security-token",
    ] {
        assert!(
            echo.signed_headers.iter().any(|h| h == name),
            "{name} signed: {:?}",
            echo.signed_headers
        );
    }
    assert!(!echo.signed_headers.iter().any(|h| h == "user-agent"));
    assert!(
        echo.headers
            .get("user-agent")
            .is_some_and(|ua| ua.starts_with("amplify-api-rust/"))
    );
    assert!(!echo.headers.contains_key("x-amz-content-sha256"));
    assert!(!echo.headers.contains_key("x-amz-user-agent"));
}

#[tokio::test]
async fn bodies_are_hashed_as_sent() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    for len in [0usize, 1, 1024, 300 * 1024] {
        let body: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let echo: Echo = send_echo(api.put("/blob").body(body.clone())).await;
        assert_eq!(echo.body_len, len);
        let text: Echo = send_echo(api.post("/t").text("héllo")).await;
        assert_eq!(text.body, "héllo");
        assert_eq!(
            text.headers.get("content-type").map(String::as_str),
            Some("text/plain; charset=utf-8")
        );
    }
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Item {
    id: u32,
    name: String,
    tags: Vec<String>,
}

#[tokio::test]
async fn json_round_trip() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let item = Item {
        id: 7,
        name: "pen \"blue\"".into(),
        tags: vec!["a".into(), "ü".into()],
    };
    let echo: Echo = send_echo(api.post("/items").json(&item)).await;
    assert_eq!(
        echo.headers.get("content-type").map(String::as_str),
        Some("application/json")
    );
    let back: Item = serde_json::from_str(&echo.body).unwrap();
    assert_eq!(back, item);
    // A content type the caller chose is kept.
    let echo: Echo = send_echo(
        api.post("/items")
            .header("content-type", "application/vnd.api+json")
            .json(&item),
    )
    .await;
    assert_eq!(
        echo.headers.get("content-type").map(String::as_str),
        Some("application/vnd.api+json")
    );
}

#[tokio::test]
async fn endpoint_paths_join_with_one_slash() {
    let emu = emulator().await;
    let client = common::builder(&emu)
        .endpoint_url(ECHO, format!("{}/dev/", emu.api_url()))
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    for (path, expected) in [
        ("/items", "/dev/items"),
        ("items", "/dev/items"),
        ("", "/dev"),
        ("/", "/dev/"),
    ] {
        let echo: Echo = send_echo(api.get(path)).await;
        assert_eq!(echo.path, expected, "{path:?}");
    }
}
