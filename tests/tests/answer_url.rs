//! The URL an answer and an error name (method aside): the request's, without its query, through
//! retries. The send path moves it into the answer once instead of copying it per attempt
//! (issue 24), so these check it arrives, on every way a request is sent.

mod common;

use amplify_api::Error;
use amplify_api_emulator::Fault;
use common::{api_with_retry, emulator, retry_with_base_delay_ms};

#[tokio::test]
async fn answers_and_errors_carry_the_url_without_its_query() {
    let emu = emulator().await;
    let api = api_with_retry(&emu, retry_with_base_delay_ms(1));
    let want = format!("{}/items/42", emu.api_url().trim_end_matches('/'));

    let resp = api
        .get("/items/42")
        .query("code", "secret-sentinel")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.url_without_query(), want);

    // A second attempt's answer, after a 503.
    emu.api().respond_next(1, Fault::Status(503));
    let resp = api
        .get("/items/42?code=secret-sentinel")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.attempts(), 2);
    assert_eq!(resp.url_without_query(), want);

    let streaming = api
        .get("/items/42")
        .query("code", "secret-sentinel")
        .send_streaming()
        .await
        .unwrap();
    assert_eq!(streaming.url_without_query(), want);

    // An error answer names the same URL, also without the query.
    emu.api().respond_next(10, Fault::Status(404));
    let Error::Status(e) = api
        .get("/items/42")
        .query("code", "secret-sentinel")
        .send()
        .await
        .unwrap_err()
    else {
        panic!("a 404 is a status error")
    };
    assert_eq!(e.url_without_query(), want);
    assert!(!e.to_string().contains("secret-sentinel"), "{e}");
}
