"""A third-party SigV4 oracle: botocore's SigV4Auth recomputes each request's signature from the
request as it arrived on the wire (raw path, raw query, the headers SignedHeaders lists, the body
bytes) and the server answers like API Gateway:

- 200 with a JSON echo of what arrived (method, raw path, raw query, headers in arrival order,
  body as hex); for HEAD the echo is in the `x-oracle-echo` header, as hex of the JSON;
- 403 `InvalidSignatureException` with the canonical request and string to sign it expected.

It shares no code with amplify-api: the canonicalization is botocore's own. Only the list of
signed headers is taken from the request (botocore would otherwise pick its own), and the time,
region and service from its `x-amz-date` and credential scope.

It refuses what API Gateway refuses, and what a signer that stopped signing a header would send:
`SignedHeaders` must be sorted and lower-case, list `host` and `x-amz-date`, and cover every
header sent but the transport's own (`UNSIGNED_OK`): every `x-amz-*` and every caller header.

Usage: python sigv4_oracle.py PORT  (listens on 127.0.0.1; the keys are below).
Run by .ci/run for tests/tests/oracle.rs.
"""

import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

# The access keys the oracle knows, as tests/tests/oracle.rs signs with them.
KEYS = {
    "AKIDORACLE": ("oracle/secret+key=", None),
    "ASIAORACLE": ("oracle-session-secret", "oracle/session+token=="),
}


# Headers an HTTP stack may add after signing (or a client may leave unsigned): everything else
# that arrives must be listed in SignedHeaders.
UNSIGNED_OK = {
    "authorization",
    "user-agent",
    "accept",
    "accept-encoding",
    "content-length",
    "transfer-encoding",
    "connection",
    "expect",
}


def unsigned_headers_problem(listed, wire_headers):
    """Why the listed SignedHeaders would be refused, or None."""
    if listed != sorted(listed) or any(name != name.lower() for name in listed):
        return f"SignedHeaders {';'.join(listed)} is not sorted and lower-case"
    for required in ("host", "x-amz-date"):
        if required not in listed:
            return f"'{required}' must be a SignedHeader (SignedHeaders={';'.join(listed)})"
    for name, _ in wire_headers:
        name = name.lower()
        if name not in listed and (name.startswith("x-amz-") or name not in UNSIGNED_OK):
            return f"header '{name}' was sent but is not signed (SignedHeaders={';'.join(listed)})"
    return None


class ListedHeadersAuth(SigV4Auth):
    """SigV4Auth, signing exactly the headers the request says it signed."""

    def __init__(self, credentials, service, region, listed, wire_headers):
        super().__init__(credentials, service, region)
        self._listed = listed
        self._wire_headers = wire_headers

    def headers_to_sign(self, request):
        signed = HTTPHeaders()
        for name, value in self._wire_headers:
            if name.lower() in self._listed:
                signed[name.lower()] = value
        return signed


def parse_authorization(value):
    algorithm, _, rest = value.partition(" ")
    if algorithm != "AWS4-HMAC-SHA256":
        return None
    parts = {}
    for part in rest.split(","):
        key, _, val = part.strip().partition("=")
        parts[key] = val
    try:
        key_id, date, region, service, terminator = parts["Credential"].split("/")
        listed = parts["SignedHeaders"].split(";")
        signature = parts["Signature"]
    except (KeyError, ValueError):
        return None
    if terminator != "aws4_request":
        return None
    return key_id, date, region, service, listed, signature


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: the test prints the figures
        pass

    def answer(self, status, body, echo_header=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        if status == 403:
            self.send_header("x-amzn-ErrorType", "InvalidSignatureException")
        self.send_header("content-type", "application/json")
        if echo_header is not None:
            self.send_header("x-oracle-echo", echo_header)
        self.send_header("content-length", str(0 if self.command == "HEAD" else len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        # `self.path` is the request target exactly as sent: nothing decoded or normalized.
        raw_path, _, raw_query = self.path.partition("?")
        wire_headers = list(self.headers.items())
        echo = {
            "method": self.command,
            "path": raw_path,
            "query": raw_query,
            "headers": [[n.lower(), v] for n, v in wire_headers],
            "body": body.hex(),
        }
        auth = parse_authorization(self.headers.get("authorization") or "")
        if auth is None:
            return self.answer(403, {"message": "no SigV4 authorization header"})
        key_id, date, region, service, listed, signature = auth
        if key_id not in KEYS:
            return self.answer(403, {"message": f"unknown access key {key_id}"})
        problem = unsigned_headers_problem(listed, wire_headers)
        if problem is not None:
            return self.answer(403, {"message": problem})
        secret, token = KEYS[key_id]
        if token is not None and self.headers.get("x-amz-security-token") != token:
            return self.answer(403, {"message": "wrong session token"})
        amz_date = self.headers.get("x-amz-date") or ""
        if amz_date[:8] != date:
            return self.answer(403, {"message": "x-amz-date is not the credential's date"})
        request = AWSRequest(
            method=self.command,
            url=f"http://{self.headers.get('host')}{self.path}",
            data=body,
        )
        request.context["timestamp"] = amz_date
        signer = ListedHeadersAuth(
            Credentials(key_id, secret, token), service, region, set(listed), wire_headers
        )
        canonical = signer.canonical_request(request)
        string_to_sign = signer.string_to_sign(request, canonical)
        expected = signer.signature(string_to_sign, request)
        listed_as_botocore_would = signer.signed_headers(signer.headers_to_sign(request))
        if listed_as_botocore_would != ";".join(listed):
            return self.answer(
                403,
                {"message": f"SignedHeaders {';'.join(listed)} is not botocore's {listed_as_botocore_would}"},
            )
        if not hmac.compare_digest(expected, signature):
            return self.answer(
                403,
                {
                    "message": "The request signature we calculated does not match the signature "
                    "you provided.",
                    "canonical_request": canonical,
                    "string_to_sign": string_to_sign,
                },
            )
        if self.command == "HEAD":
            encoded = json.dumps(echo).encode().hex()
            return self.answer(200, {}, echo_header=encoded)
        return self.answer(200, echo)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


def main():
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(f"sigv4 oracle (botocore {botocore.__version__}) on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
