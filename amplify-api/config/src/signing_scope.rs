//! What a host says about a request: its SigV4 scope `(service, region)` and whether it is
//! loopback. The one copy of these rules: the macro checks configs with it at compile time and
//! the runtime (`amplify_api::infer_signing_scope`) resolves endpoints with it.

/// `<id>.execute-api.<region>.amazonaws.com(.cn)` -> `execute-api`; `lambda.<region>.amazonaws.com`
/// and `<id>.lambda-url.<region>.on.aws` -> `lambda`; anything else (custom domains, localhost)
/// says nothing.
///
/// ```
/// use amplify_api_config::infer_signing_scope;
/// assert_eq!(
///     infer_signing_scope("abc.execute-api.eu-west-1.amazonaws.com"),
///     Some(("execute-api", "eu-west-1"))
/// );
/// assert_eq!(infer_signing_scope("api.example.com"), None);
/// ```
pub fn infer_signing_scope(host: &str) -> Option<(&'static str, &str)> {
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
/// Safe to put in a host name.
pub fn is_region(label: &str) -> bool {
    !label.is_empty()
        && label.contains('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A signing host (`signingHost`, `Endpoint::signing_host`) checked: a host name or address
/// with an optional port, nothing else (no scheme, path or user). Returns the name lower-cased
/// and the port, as the `host` header that is signed carries them.
///
/// ```
/// use amplify_api_config::checked_signing_host;
/// assert_eq!(
///     checked_signing_host(" ABC123.execute-api.us-east-1.amazonaws.com "),
///     Ok(("abc123.execute-api.us-east-1.amazonaws.com".to_owned(), None))
/// );
/// assert!(checked_signing_host("https://abc123.execute-api.us-east-1.amazonaws.com").is_err());
/// ```
pub fn checked_signing_host(host: &str) -> Result<(String, Option<u16>), String> {
    let trimmed = host.trim();
    let refuse = |why: &str| {
        Err(format!(
            "`{trimmed}` is not a signing host ({why}); give the host API Gateway sees, like \
             `abc123.execute-api.us-east-1.amazonaws.com`"
        ))
    };
    if trimmed.is_empty() {
        return refuse("it is empty");
    }
    if trimmed
        .bytes()
        .any(|b| matches!(b, b'/' | b'?' | b'#' | b'@' | b'\\') || !b.is_ascii_graphic())
    {
        return refuse("a host name and an optional port, without scheme, path or spaces");
    }
    let Ok(url) = url::Url::parse(&format!("https://{trimmed}")) else {
        return refuse("not a valid host name");
    };
    match url.host_str() {
        Some(name) if !name.is_empty() => Ok((name.to_owned(), url.port())),
        _ => refuse("not a valid host name"),
    }
}

/// A signing path prefix (`signingPathPrefix`, `Endpoint::signing_path_prefix`) checked: the
/// path a proxy puts before each request's path (CloudFront's origin path, like `/prod`), as it
/// is signed: `""` for none, else starting with `/` and without a trailing one.
///
/// ```
/// use amplify_api_config::checked_path_prefix;
/// assert_eq!(checked_path_prefix("/prod/"), Ok("/prod".to_owned()));
/// assert_eq!(checked_path_prefix("/"), Ok(String::new()));
/// assert!(checked_path_prefix("prod").is_err());
/// ```
pub fn checked_path_prefix(prefix: &str) -> Result<String, String> {
    let trimmed = prefix.trim();
    if !trimmed.starts_with('/')
        || trimmed
            .bytes()
            .any(|b| matches!(b, b'?' | b'#' | b'\\') || !b.is_ascii_graphic())
        || trimmed.split('/').any(|s| s == "." || s == "..")
    {
        return Err(format!(
            "`{trimmed}` is not a signing path prefix: it must start with `/` and be a plain \
             path (no query, `.` or `..` segments, spaces or non-ASCII; percent-encode those)"
        ));
    }
    Ok(trimmed.trim_end_matches('/').to_owned())
}

/// Whether `host` is a loopback name or address (`localhost`, `127.0.0.0/8`, `::1`), where plain
/// `http://` is accepted without `allow_http`.
pub fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
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
            assert_eq!(infer_signing_scope(host), expected, "{host}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for (url, loopback) in [
            ("http://localhost:1", true),
            ("http://LOCALHOST", true),
            ("http://127.0.0.1", true),
            ("http://127.9.9.9", true),
            ("http://[::1]", true),
            ("http://10.0.0.5", false),
            ("http://localhost.example.com", false),
            ("http://[::2]", false),
        ] {
            let url = url::Url::parse(url).unwrap();
            assert_eq!(is_loopback(&url.host().unwrap()), loopback, "{url}");
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
