//! Credentials cold start: 1,000 concurrent first requests on a new client (Cognito GetId and
//! GetCredentialsForIdentity needed first) vs the same 1,000 on the warm client, against the
//! emulator (`amplify-api-emulator`). Counts the Cognito calls from the emulator's counters. A third figure,
//! a new client with static credentials, shows what opening the connections alone costs.
//!
//! `cargo bench -p tests --bench cold_start` (`COLD_START_ROUNDS`, default 9).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use amplify_api::credentials::Credentials;
use amplify_api::{Client, Endpoint, EndpointClient};
use amplify_api_emulator::Emulator;

const REQUESTS: usize = 1_000;

/// Sends `REQUESTS` requests at once; the time until the last response.
async fn burst(api: &EndpointClient) -> Duration {
    let started = Instant::now();
    let sends = (0..REQUESTS).map(|i| {
        let api = api.clone();
        tokio::spawn(async move { api.get(format!("/burst/{i}")).send().await })
    });
    for result in futures::future::join_all(sends).await {
        let response = result.unwrap().unwrap();
        assert_eq!(response.status(), 200);
    }
    started.elapsed()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let rounds: usize = std::env::var("COLD_START_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(9);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut fresh_static = Vec::new();
    let mut calls = Vec::new();
    runtime.block_on(async {
        for _ in 0..rounds {
            let emu = Emulator::start().await.unwrap();
            let client = Client::builder()
                .endpoint(Endpoint::new("api", emu.api_url()).region("us-east-1"))
                .identity_pool(emu.identity_pool_id())
                .cognito_endpoint(emu.cognito_url())
                .read_env(false)
                .build()
                .unwrap();
            let api = client.endpoint("api").unwrap();
            cold.push(burst(&api).await.as_secs_f64() * 1e3);
            calls.push((
                emu.cognito().get_id_calls(),
                emu.cognito().get_credentials_calls(),
            ));
            warm.push(burst(&api).await.as_secs_f64() * 1e3);
            // New connections, but no credentials to fetch.
            emu.allow_credentials("AKIDBENCH", "bench-secret", None);
            let static_client = Client::builder()
                .endpoint(Endpoint::new("api", emu.api_url()).region("us-east-1"))
                .credentials_provider(Credentials::new(
                    "AKIDBENCH",
                    "bench-secret",
                    None,
                    None,
                    "bench",
                ))
                .read_env(false)
                .build()
                .unwrap();
            let static_api = static_client.endpoint("api").unwrap();
            fresh_static.push(burst(&static_api).await.as_secs_f64() * 1e3);
        }
    });
    let (cold_ms, warm_ms) = (median(cold.clone()), median(warm.clone()));
    let static_ms = median(fresh_static.clone());
    let exactly_one = calls.iter().all(|&c| c == (1, 1));
    println!(
        "\nCredentials cold start: {REQUESTS} concurrent requests, median of {rounds} rounds (each a new emulator and client)"
    );
    println!("| | time to last response | x warm |");
    println!("| --- | --- | --- |");
    println!(
        "| cold (new client: GetId + GetCredentialsForIdentity first) | {cold_ms:.1} ms | {:.2} |",
        cold_ms / warm_ms
    );
    println!(
        "| new client, static credentials (new connections, no Cognito) | {static_ms:.1} ms | {:.2} |",
        static_ms / warm_ms
    );
    println!("| warm (cached credentials) | {warm_ms:.1} ms | 1.00 |");
    println!(
        "\nCognito calls per cold burst (GetId, GetCredentialsForIdentity), each round: {calls:?} -> {}",
        if exactly_one {
            "exactly one of each (target met)"
        } else {
            "NOT exactly one of each (target missed)"
        }
    );
    println!("rounds, cold ms: {cold:.1?}; static ms: {fresh_static:.1?}; warm ms: {warm:.1?}");
}
