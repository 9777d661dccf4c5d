"""A hostile HTTP server: each request is answered with something malformed or extreme, chosen by
the last segment of its path (`/stage/<mode>`), written byte by byte on a raw socket so nothing
is tidied by an HTTP library. A second listener, the recorder, stands for "another origin": a
redirect points there, and it records every request it gets (method, path, headers), which
`GET /__recorded` returns as JSON.

Usage: python hostile_server.py HOSTILE_PORT RECORDER_PORT  (both on 127.0.0.1)
Run by .ci/run for tests/tests/hostile.rs (`MODES` there lists the same names).
"""

import json
import socket
import socketserver
import sys
import threading
import time

RECORDER_PORT = 0
RECORDED = []
RECORDED_LOCK = threading.Lock()


def read_request(sock):
    """The request head (bytes) and body, or None if the peer closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1 << 20:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                length = 0
    body = rest
    while len(body) < length:
        chunk = sock.recv(min(65536, length - len(body)))
        if not chunk:
            break
        body += chunk
    return head, body


def response(status_line, headers, body=b""):
    out = b"HTTP/1.1 " + status_line + b"\r\n"
    for name, value in headers:
        out += name + b": " + value + b"\r\n"
    return out + b"\r\n" + body


def error(status, error_type, message, extra=()):
    body = json.dumps({"message": message}).encode()
    headers = [
        (b"x-amzn-ErrorType", error_type),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ] + list(extra)
    return response(status, headers, body)


def retry_after(value, status=b"503 Service Unavailable"):
    return error(status, b"ServiceUnavailableException", "busy", [(b"retry-after", value)])


def date(value):
    return error(
        b"403 Forbidden",
        b"InvalidSignatureException",
        "Signature expired: 20200101T000000Z is now earlier than 20261205T000000Z",
        [(b"date", value)],
    )


def redirect(status, mode, method):
    location = f"http://127.0.0.1:{RECORDER_PORT}/caught/{mode}/{method}".encode()
    return response(status, [(b"location", location), (b"content-length", b"0")])


def echo_secrets(head, body, status):
    # Everything the request carried, quoted back in the error body and a header.
    text = head.decode("latin-1") + "\n" + body[:4096].decode("latin-1")
    auth = b""
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() in (b"authorization", b"x-amz-security-token"):
            auth += value.strip() + b" "
    payload = json.dumps({"message": "denied: " + text, "request": text}).encode()
    return response(
        status,
        [
            (b"x-amzn-ErrorType", b"AccessDeniedException"),
            (b"x-echo", auth.strip() or b"none"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ],
        payload,
    )


def answer(mode, method, head, body, sock):
    """Writes the answer for `mode`; returns when the connection may be closed."""
    simple = {
        "retry-after-huge": lambda: retry_after(b"18446744073709551615"),
        "retry-after-huge-429": lambda: retry_after(
            b"18446744073709551615", b"429 Too Many Requests"
        ),
        "retry-after-bigger": lambda: retry_after(b"99999999999999999999999999999"),
        "retry-after-negative": lambda: retry_after(b"-5"),
        "retry-after-text": lambda: retry_after(b"soon"),
        "retry-after-fraction": lambda: retry_after(b"1.5"),
        "retry-after-past-date": lambda: retry_after(b"Wed, 21 Oct 2015 07:28:00 GMT"),
        "retry-after-far-date": lambda: retry_after(b"Fri, 31 Dec 9999 23:59:59 GMT"),
        "date-garbage": lambda: date(b"not a date at all"),
        "date-far-future": lambda: date(b"Fri, 31 Dec 9999 23:59:59 GMT"),
        "date-far-past": lambda: date(b"Thu, 01 Jan 1970 00:00:00 GMT"),
        "huge-error": lambda: error(
            b"500 Internal Server Error", b"InternalFailure", "x" * (10 * 1024 * 1024)
        ),
        "non-utf8-headers": lambda: response(
            b"400 Bad Request",
            [
                (b"x-amzn-ErrorType", b"\xff\xfeBad\xc3\x28"),
                (b"x-weird", b"\xc3\x28\xa0\xa1"),
                (b"content-length", b"2"),
            ],
            b"{}",
        ),
        "non-utf8-throttle": lambda: response(
            b"400 Bad Request",
            [(b"x-amzn-ErrorType", b"ThrottlingException\xff"), (b"content-length", b"0")],
        ),
        "deep-json": lambda: response(
            b"400 Bad Request",
            [(b"content-type", b"application/json"), (b"content-length", b"200000")],
            b"[" * 100000 + b"]" * 100000,
        ),
        "non-json": lambda: response(
            b"502 Bad Gateway",
            [(b"content-type", b"application/json"), (b"content-length", b"22")],
            b"<html>\x00\xff oops</html>",
        ),
        "informational": lambda: b"HTTP/1.1 100 Continue\r\n\r\n"
        + b"HTTP/1.1 103 Early Hints\r\nlink: </a>; rel=preload\r\n\r\n"
        + response(b"200 OK", [(b"content-length", b"2")], b"ok"),
        "status-599": lambda: response(b"599 Whatever", [(b"content-length", b"0")]),
        "status-999": lambda: response(b"999 Odd", [(b"content-length", b"0")]),
        "status-garbage": lambda: response(b"abc Odd", [(b"content-length", b"0")]),
        "status-299": lambda: response(b"299 Odd", [(b"content-length", b"2")], b"ok"),
        "head-with-body": lambda: response(
            b"200 OK", [(b"content-length", b"5")], b"hello"
        ),
        "huge-header": lambda: response(
            b"200 OK", [(b"x-big", b"a" * 200_000), (b"content-length", b"0")]
        ),
        "many-headers": lambda: response(
            b"200 OK",
            [(f"x-h{i}".encode(), b"v") for i in range(5000)] + [(b"content-length", b"0")],
        ),
        "redirect-301": lambda: redirect(b"301 Moved", mode, method),
        "redirect-302": lambda: redirect(b"302 Found", mode, method),
        "redirect-303": lambda: redirect(b"303 See Other", mode, method),
        "redirect-307": lambda: redirect(b"307 Temporary Redirect", mode, method),
        "redirect-308": lambda: redirect(b"308 Permanent Redirect", mode, method),
        "echo-secrets-403": lambda: echo_secrets(head, body, b"403 Forbidden"),
        "echo-secrets-500": lambda: echo_secrets(head, body, b"500 Internal Server Error"),
        "echo-secrets-400": lambda: echo_secrets(head, body, b"400 Bad Request"),
    }
    if mode in simple:
        sock.sendall(simple[mode]())
        return
    if mode == "short-body" or mode == "short-error-body":
        status = b"200 OK" if mode == "short-body" else b"500 Internal Server Error"
        sock.sendall(response(status, [(b"content-length", b"1000")], b"0123456789"))
        return
    if mode == "broken-chunked" or mode == "broken-chunked-error":
        status = b"200 OK" if mode == "broken-chunked" else b"500 Internal Server Error"
        sock.sendall(
            response(status, [(b"transfer-encoding", b"chunked")], b"5\r\nhello\r\nzz\r\nabc\r\n")
        )
        return
    if mode == "stall-head":
        time.sleep(3600)
        return
    if mode == "stall-body":
        sock.sendall(response(b"200 OK", [(b"content-length", b"100")], b"0123"))
        time.sleep(3600)
        return
    if mode == "stall-error-body":
        sock.sendall(response(b"500 Internal Server Error", [(b"content-length", b"100")], b"{"))
        time.sleep(3600)
        return
    if mode == "close-immediately":
        return
    if mode == "reset":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        return
    sock.sendall(error(b"404 Not Found", b"NotFoundException", f"no mode {mode!r}"))


class Hostile(socketserver.BaseRequestHandler):
    def handle(self):
        request = read_request(self.request)
        if request is None:
            return
        head, body = request
        request_line = head.split(b"\r\n")[0].decode("latin-1")
        method, _, target = request_line.partition(" ")
        path = target.split(" ")[0].split("?")[0]
        mode = path.rstrip("/").rsplit("/", 1)[-1]
        try:
            answer(mode, method, head, body, self.request)
        except OSError:
            pass


class Recorder(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            request = read_request(self.request)
            if request is None:
                return
            head, body = request
            lines = head.decode("latin-1").split("\r\n")
            method, _, target = lines[0].partition(" ")
            target = target.rsplit(" ", 1)[0]
            if target == "/__recorded":
                with RECORDED_LOCK:
                    payload = json.dumps(RECORDED).encode()
                self.request.sendall(
                    response(
                        b"200 OK",
                        [(b"content-type", b"application/json"),
                         (b"content-length", str(len(payload)).encode())],
                        payload,
                    )
                )
                continue
            headers = []
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers.append([name.strip().lower(), value.strip()])
            with RECORDED_LOCK:
                RECORDED.append(
                    {"method": method, "target": target, "headers": headers, "body_len": len(body)}
                )
            self.request.sendall(response(b"200 OK", [(b"content-length", b"8")], b"recorded"))


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global RECORDER_PORT
    hostile_port, RECORDER_PORT = int(sys.argv[1]), int(sys.argv[2])
    recorder = Server(("127.0.0.1", RECORDER_PORT), Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    hostile = Server(("127.0.0.1", hostile_port), Hostile)
    print(f"hostile server on 127.0.0.1:{hostile_port}, recorder on {RECORDER_PORT}", flush=True)
    hostile.serve_forever()


if __name__ == "__main__":
    main()
