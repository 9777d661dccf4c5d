//! Agreement: requests of every verb with odd paths, queries, headers and bodies, signed by the
//! client, are all accepted by the emulator's independent verifier; replayed copies with one
//! thing changed are all rejected; paths with dot segments are refused before sending.

mod common;

use amplify_api::{Error, Method};
use amplify_api_emulator::Echo;
use common::generate::{METHODS, QUERY_PIECES, pick, random_body, random_path};
use common::{ECHO, client, emulator};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const REQUESTS: usize = 520;

/// Sends `echo` (what the emulator received) again, byte for byte, with raw reqwest.
async fn replay(http: &reqwest::Client, base: &str, echo: &Echo, body: Vec<u8>) -> u16 {
    let mut url = format!("{base}{}", echo.path);
    if !echo.query.is_empty() {
        url.push('?');
        url.push_str(&echo.query);
    }
    let method = Method::from_bytes(echo.method.as_bytes()).unwrap();
    let mut request = http.request(method, url);
    // The framing header is the body's own length; reqwest leaves it out of an empty body, which
    // the client had signed as `content-length: 0`.
    if echo.headers.contains_key("content-length") {
        request = request.header("content-length", body.len());
    }
    request = request.body(body);
    for (name, value) in &echo.headers {
        if !matches!(
            name.as_str(),
            "host" | "content-length" | "user-agent" | "accept"
        ) {
            request = request.header(name, value);
        }
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn signed_requests_agree_with_the_independent_verifier() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let raw = reqwest::Client::new();
    let mut rng = StdRng::seed_from_u64(0x5167_4e56);
    let (mut tampered, mut heads, mut refused) = (0, 0, 0);
    for i in 0..REQUESTS {
        let method = METHODS[rng.random_range(0..METHODS.len())].clone();
        let path = random_path(&mut rng);
        let has_body = !matches!(method, Method::GET | Method::HEAD);
        let mut request = api
            .request(method.clone(), path.clone())
            .header("x-agreement", format!("n  {i}\t"));
        for _ in 0..rng.random_range(0..4) {
            request = request.query(pick(&mut rng, QUERY_PIECES), pick(&mut rng, QUERY_PIECES));
        }
        let body = if has_body {
            random_body(&mut rng)
        } else {
            Vec::new()
        };
        if has_body {
            request = request.body(body.clone());
        }
        if path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
        {
            // A URL parser would resolve the dot segment and send another path than written.
            let served = emu.api().requests_served();
            let err = request.send().await.unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{path:?}: {err}");
            assert_eq!(emu.api().requests_served(), served, "{path:?} was sent");
            refused += 1;
            continue;
        }
        let resp = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("request {i} {method} {path:?}: {e}"));
        if method == Method::HEAD {
            // Accepted by the verifier (it answers 403 otherwise); there is no echo to replay.
            assert_eq!(resp.status(), 200);
            assert!(resp.bytes().is_empty());
            heads += 1;
            continue;
        }
        let echo: Echo = resp.json().unwrap();
        assert_eq!(echo.body_len, body.len());
        if body.len() > 64 * 1024 {
            continue;
        }
        // The same bytes again are accepted: the replay itself is faithful...
        assert_eq!(
            replay(&raw, &emu.api_url(), &echo, body.clone()).await,
            200,
            "replay {i}"
        );
        // ...and any one change is caught.
        let mut copies: Vec<(&str, Echo, Vec<u8>)> = Vec::new();
        let mut e = echo.clone();
        e.path.push('x');
        copies.push(("path", e, body.clone()));
        let mut e = echo.clone();
        e.query = if e.query.is_empty() {
            "t=1".into()
        } else {
            format!("{}&t=1", e.query)
        };
        copies.push(("query", e, body.clone()));
        let mut e = echo.clone();
        e.headers
            .insert("x-agreement".into(), format!("n {}", i + 1));
        copies.push(("signed header", e, body.clone()));
        let mut e = echo.clone();
        let date = e.headers["x-amz-date"].clone();
        let bumped = if date.ends_with("0Z") {
            date.replace("0Z", "1Z")
        } else {
            format!("{}0Z", &date[..date.len() - 2])
        };
        e.headers.insert("x-amz-date".into(), bumped);
        copies.push(("date", e, body.clone()));
        // Another method (GET becomes HEAD: a signed GET is no signed HEAD).
        let mut e = echo.clone();
        e.method = match method {
            Method::GET => "HEAD",
            Method::POST => "PUT",
            Method::PUT => "PATCH",
            _ => "POST",
        }
        .into();
        copies.push(("method", e, body.clone()));
        if has_body {
            let mut b = body.clone();
            match b.first_mut() {
                Some(byte) => *byte ^= 1,
                None => b.push(b'!'),
            }
            copies.push(("body", echo.clone(), b));
        }
        for (what, copy, body) in copies {
            let status = replay(&raw, &emu.api_url(), &copy, body).await;
            assert_eq!(
                status, 403,
                "tampered {what} of request {i} ({method} {path:?}) was accepted"
            );
            tampered += 1;
        }
    }
    assert!(tampered > 2000, "{tampered} tampered copies");
    assert!(heads > 50, "{heads} HEAD requests");
    assert!(
        refused > 0 && refused < REQUESTS / 5,
        "{refused} dot-segment paths"
    );
}
