"""The transport against small fake servers: every non-2xx answer and every broken exchange is a MadApiError."""
from __future__ import annotations

import json
import threading
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Tuple

from microauthd import AdminClient, AuthClient, MadApiError

RELEASE = threading.Event()  # lets the slow handler finish at tear-down


class FakeHandler(BaseHTTPRequestHandler):
    # path -> (status, content type, body)
    answers: Dict[str, Tuple[int, str, bytes]] = {}
    hits: Dict[str, int] = {}

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/broken":  # promises 100 bytes, sends 10, hangs up
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b'{"message"')
            self.wfile.flush()
            self.close_connection = True
        elif self.path == "/slow":
            RELEASE.wait(5)
        else:
            status, content_type, body = self.answers.get(self.path, (200, "application/json", b'{"message":"ok"}'))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


class Transport(unittest.TestCase):
    server: ThreadingHTTPServer

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), FakeHandler)
        cls.server.daemon_threads = True
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.url = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls) -> None:
        RELEASE.set()
        cls.server.shutdown()
        cls.server.server_close()

    def fail_with(self, path: str, timeout: float = 5.0) -> MadApiError:
        client = AdminClient(self.url, token="secret-admin-token", timeout=timeout)
        with self.assertRaises(MadApiError) as ctx:
            client.http.request("GET", path)
        return ctx.exception

    def test_a_redirect_is_an_error_and_is_not_followed(self) -> None:
        err = self.fail_with("/redirect")
        self.assertEqual(err.status, 302)
        self.assertIn("/elsewhere", err.message)
        self.assertNotIn("/elsewhere", FakeHandler.hits)

    def test_error_bodies_of_every_shape_keep_the_servers_words(self) -> None:
        cases = {
            "/oauth": (400, "application/json", b'{"error":"invalid_grant","error_description":"Invalid credentials"}',
                       "Invalid credentials", "invalid_grant"),
            "/envelope": (404, "application/json", b'{"success":false,"message":"Role not found"}', "Role not found", None),
            "/json-string": (400, "application/json", b'"Invalid credentials"', "Invalid credentials", None),
            "/text": (429, "text/plain", b"Too Many Requests", "Too Many Requests", None),
            "/empty": (401, "application/json", b"", "HTTP 401", None),
        }
        for path, (status, content_type, body, message, error) in cases.items():
            with self.subTest(path):
                FakeHandler.answers[path] = (status, content_type, body)
                err = self.fail_with(path)
                self.assertEqual((err.status, err.message, err.error), (status, message, error))

    def test_a_broken_answer_is_status_0_with_its_cause(self) -> None:
        err = self.fail_with("/broken")
        self.assertEqual(err.status, 0)
        self.assertIsNotNone(err.__cause__)

    def test_a_timeout_is_status_0_with_its_cause(self) -> None:
        err = self.fail_with("/slow", timeout=0.3)
        self.assertEqual(err.status, 0)
        self.assertIsInstance(err.__cause__, OSError)


def serve(handler: type) -> Tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class OtherWebServer(BaseHTTPRequestHandler):
    """Some other web server at the base URL: 200 text/html for everything, except the answers of microauthd's
    routes that are not JSON (the PEM, /verify's headers, /login/finalize's redirect) when asked for them."""
    pages: Dict[str, Tuple[int, Dict[str, str], bytes]] = {}

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, body = self.pages.get(urllib.parse.urlsplit(self.path).path,
                                               (200, {"Content-Type": "text/html; charset=utf-8"}, b"<!doctype html><h1>It works!</h1>"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = answer


class NotJsonWhereJsonIsExpected(unittest.TestCase):
    server: ThreadingHTTPServer

    @classmethod
    def setUpClass(cls) -> None:
        cls.server, cls.url = serve(OtherWebServer)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self) -> None:
        OtherWebServer.pages = {}

    def test_every_kind_of_json_result_is_a_mad_api_error_with_the_status(self) -> None:
        admin = AdminClient(self.url, token="t")
        auth = AuthClient(self.url, "client", "secret", token="t")
        calls: Dict[str, Callable[[], Any]] = {
            "ping (a dict)": admin.ping, "get_user (a model)": lambda: admin.get_user("u1"), "list_roles (a list)": admin.list_roles,
            "list_users (a page)": admin.list_users, "user_id_by_name (a JSON string)": lambda: admin.user_id_by_name("alice"),
            "delete_user (a message)": lambda: admin.delete_user("u1"), "get_flag": lambda: admin.get_flag("c", "ENABLE_TOTP"),
            "login (keeps a token)": lambda: admin.login("admin", "pw"), "client_credentials": auth.client_credentials,
            "introspect": lambda: auth.introspect("tok"), "verify_token": lambda: auth.verify_token("tok"), "jwks": auth.jwks,
            "me_sessions": auth.me_sessions, "authorize": lambda: auth.authorize("https://app.example.com/cb", "challenge"),
        }
        for name, call in calls.items():
            with self.subTest(name):
                with self.assertRaises(MadApiError) as ctx:
                    call()
                err = ctx.exception
                self.assertEqual(err.status, 200)
                self.assertIn("expected JSON", err.message)
                self.assertIn("text/html", err.message)
                self.assertIn(self.url, err.message)
                self.assertIn("It works!", err.body)

    def test_an_empty_malformed_or_misshapen_2xx_body_is_a_mad_api_error_too(self) -> None:
        json_type = {"Content-Type": "application/json"}
        admin, auth = AdminClient(self.url, token="t"), AuthClient(self.url, token="t")
        cases: Dict[str, Tuple[Tuple[int, Dict[str, str], bytes], Callable[[], Any], int, str]] = {
            "/users/u1": ((201, json_type, b""), lambda: admin.get_user("u1"), 201, "got an empty body"),
            "/roles": ((200, json_type, b"<html>"), admin.list_roles, 200, "got malformed JSON"),
            "/users": ((200, json_type, b'{"message":"ok"}'), admin.list_users, 200, "expected a JSON array of objects from GET /users, got a JSON object"),
            "/me/sessions": ((200, json_type, b'["a"]'), auth.me_sessions, 200, "got a JSON array of other values"),
            "/me": ((200, json_type, b"[]"), auth.me, 200, "expected a JSON object from GET /me, got a JSON array ("),
            "/token": ((200, json_type, b'"tok"'), auth.client_credentials, 200, "expected a JSON object from POST /token, got a JSON string"),
            "/scopes/id-by-name/s": ((200, json_type, b"{}"), lambda: admin.scope_id_by_name("s"), 200, "expected a JSON string"),
            "/client/options/F": ((200, {"Content-Type": "text/plain"}, b"True"), lambda: admin.get_flag("c", "F"), 200, "got text/plain"),
        }
        OtherWebServer.pages = {path: answer for path, (answer, _, _, _) in cases.items()}
        for path, (_, call, status, message) in cases.items():
            with self.subTest(path):
                with self.assertRaises(MadApiError) as ctx:
                    call()
                self.assertEqual(ctx.exception.status, status)
                self.assertIn(message, ctx.exception.message)

    def test_verify_needs_the_identity_headers(self) -> None:
        with self.assertRaises(MadApiError) as ctx:  # another server's 200 is no proof of a valid token
            AuthClient(self.url).verify("tok")
        self.assertEqual(ctx.exception.status, 200)
        self.assertIn("X-Auth-Sub", ctx.exception.message)

    def test_the_routes_that_are_not_json_still_work(self) -> None:
        pem = b"-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"
        OtherWebServer.pages = {
            "/keys/auth.pem": (200, {"Content-Type": "application/x-pem-file"}, pem),
            "/verify": (200, {"X-Auth-Sub": "u1", "X-Auth-Client": "web"}, b""),
            "/login/finalize": (302, {"Location": "https://app.example.com/cb?code=c1", "Content-Type": "text/html"}, b"<p>Found</p>"),
        }
        auth = AuthClient(self.url, "client", "secret")
        self.assertEqual(auth.public_key_pem(), pem.decode())
        self.assertEqual(auth.verify("tok"), {"x-auth-sub": "u1", "x-auth-client": "web"})
        self.assertEqual(auth.finalize("jti"), "https://app.example.com/cb?code=c1")


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with a JSON message and keeps (method, path with query, JSON body) for the test."""
    seen: List[Tuple[str, str, Any]] = []

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def answer(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((self.command, self.path, json.loads(raw) if raw else None))
        body = b"[]" if self.command == "GET" else b'{"success":true,"message":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = answer


class WireForms(unittest.TestCase):
    """What goes on the wire for options the live server cannot tell apart in its answers."""

    def setUp(self) -> None:
        Recorder.seen = []
        self.server, url = serve(Recorder)
        self.admin = AdminClient(url, token="t")

    def tearDown(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def test_admin_introspect_sends_the_hint_only_when_given(self) -> None:
        self.admin.introspect("tok", token_type_hint="refresh_token")
        self.admin.introspect("tok")
        self.assertEqual(Recorder.seen, [("POST", "/introspect", {"token": "tok", "token_type_hint": "refresh_token"}),
                                         ("POST", "/introspect", {"token": "tok"})])

    def test_delete_redirect_uri_via_the_body(self) -> None:
        self.admin.delete_redirect_uri("r/1", via_body=True)
        self.admin.delete_redirect_uri("r/1")
        self.assertEqual(Recorder.seen, [("DELETE", "/clients/redirect-uris", "r/1"), ("DELETE", "/clients/redirect-uris/r%2F1", None)])

    def test_session_filters_in_the_query(self) -> None:
        self.admin.list_sessions(client_id="web", mad_use="auth", active=False)
        self.admin.list_sessions()
        [(_, with_filters, _), (_, without, _)] = Recorder.seen
        self.assertEqual(urllib.parse.parse_qs(urllib.parse.urlsplit(with_filters).query),
                         {"limit": ["100"], "offset": ["0"], "client_id": ["web"], "mad_use": ["auth"], "active": ["false"]})
        self.assertEqual(urllib.parse.parse_qs(urllib.parse.urlsplit(without).query), {"limit": ["100"], "offset": ["0"]})


if __name__ == "__main__":
    unittest.main()
