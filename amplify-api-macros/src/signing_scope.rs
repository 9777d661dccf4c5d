//! What a host name says about SigV4 signing: `(service, region)`.
//!
//! The same rule as the runtime's `amplify_api::infer_signing_scope`
//! (`amplify-api/src/endpoint.rs`), which this crate cannot depend on (the runtime depends on
//! it). Keep the two in step: `tests/tests/generated_clients.rs` checks that the `REGION` and
//! `SERVICE` constants the macro generates equal what the runtime resolves for every fixture.

/// `<id>.execute-api.<region>.amazonaws.com(.cn)` -> `execute-api`; `lambda.<region>.amazonaws.com`
/// and `<id>.lambda-url.<region>.on.aws` -> `lambda`; anything else (custom domains, localhost)
/// says nothing.
pub(crate) fn infer(host: &str) -> Option<(&'static str, &str)> {
    let host = host.trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    let region_after = |i: usize| labels.get(i + 1).copied().filter(|r| is_region(r));
    let tail = |i: usize| labels.get(i..).unwrap_or_default();
    let aws_suffix = |i: usize| {
        matches!(
            tail(i + 2),
            ["amazonaws", "com"] | ["amazonaws", "com", "cn"]
        )
    };
    for (i, label) in labels.iter().enumerate() {
        match *label {
            "execute-api" if i > 0 && aws_suffix(i) => {
                return region_after(i).map(|r| ("execute-api", r));
            }
            "lambda" if i == 0 && aws_suffix(i) => return region_after(i).map(|r| ("lambda", r)),
            "lambda-url" if i > 0 && matches!(tail(i + 2), ["on", "aws"]) => {
                return region_after(i).map(|r| ("lambda", r));
            }
            _ => {}
        }
    }
    None
}

/// Whether `label` looks like an AWS region name (`us-east-1`, `cn-north-1`): lowercase ASCII
/// letters, digits and dashes, with at least one dash.
pub(crate) fn is_region(label: &str) -> bool {
    !label.is_empty()
        && label.contains('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_hosts_name_service_and_region() {
        let cases = [
            (
                "abc.execute-api.eu-west-1.amazonaws.com",
                Some(("execute-api", "eu-west-1")),
            ),
            (
                "abc.execute-api.cn-north-1.amazonaws.com.cn",
                Some(("execute-api", "cn-north-1")),
            ),
            (
                "abc.execute-api.us-east-1.amazonaws.com.",
                Some(("execute-api", "us-east-1")),
            ),
            (
                "lambda.us-west-2.amazonaws.com",
                Some(("lambda", "us-west-2")),
            ),
            (
                "xyz.lambda-url.ap-south-1.on.aws",
                Some(("lambda", "ap-south-1")),
            ),
            ("api.example.com", None),
            ("execute-api.example.com", None),
            ("abc.execute-api.amazonaws.com", None),
            ("abc.execute-api.US-EAST-1.amazonaws.com", None),
            ("x.lambda.us-west-2.amazonaws.com", None),
            ("127.0.0.1", None),
            ("", None),
        ];
        for (host, expected) in cases {
            assert_eq!(infer(host), expected, "{host}");
        }
    }

    #[test]
    fn region_names() {
        assert!(is_region("us-east-1"));
        assert!(is_region("us-gov-west-1"));
        assert!(!is_region("US East"));
        assert!(!is_region("useast1"));
        assert!(!is_region(""));
    }
}
