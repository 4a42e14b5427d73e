"""The HTTP core shared by AdminClient and AuthClient: urllib only, JSON in and out."""
from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Mapping, Optional, Tuple

from .models import MadApiError


def basic_auth(client_id: str, client_secret: str) -> str:
    """RFC 6749 §2.3.1: both parts form-urlencoded, then base64."""
    raw = f"{urllib.parse.quote(client_id, safe='')}:{urllib.parse.quote(client_secret, safe='')}"
    return "Basic " + base64.b64encode(raw.encode()).decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are never followed: urllib would turn a POST into a GET and send the bearer token to
    wherever the Location points. A 3xx is then an HTTPError like any other non-2xx answer."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Transport:
    def __init__(self, base_url: str, token: Optional[str] = None, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, **kw: Any) -> Tuple[Any, Dict[str, str]]:
        """exchange() without the status: (parsed body, lower-cased headers)."""
        _, body, headers = self.exchange(method, path, **kw)
        return body, headers

    def exchange(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: Optional[Mapping[str, Optional[str]]] = None,
        query: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        anonymous: bool = False,
        send_json: bool = False,
        redirect_ok: bool = False,
        expect_json: bool = True,
        shape: Optional[type] = None,
    ) -> Tuple[int, Any, Dict[str, str]]:
        """Returns (status, parsed body, lower-cased headers); raises MadApiError on a non-2xx answer (a 3xx too, unless
        `redirect_ok`: then its headers, with `location`, are the result), on a failed exchange (status 0) and, when
        `expect_json` (all but the few routes that answer something else), on a 2xx answer that is not JSON (another web
        server at the base URL, say), or, with `shape` (dict: a JSON object; list: an array of objects; str: a string),
        not JSON of that shape."""
        url = self.base_url + path
        if query:
            pairs = {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in query.items() if v is not None}
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        hdrs = {"Accept": "application/json", "User-Agent": "microauthd-python"}
        hdrs.update(headers or {})
        if self.token and not anonymous and "Authorization" not in hdrs:
            hdrs["Authorization"] = f"Bearer {self.token}"
        data = None
        if json_body is not None or send_json:
            hdrs["Content-Type"] = "application/json"
            data = json.dumps(json_body).encode()
        elif form is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            data = urllib.parse.urlencode({k: v for k, v in form.items() if v is not None}).encode()
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with _OPENER.open(req, timeout=self.timeout) as res:  # noqa: S310 (caller-chosen URL)
                status, raw, content_type = res.status, res.read(), res.headers.get("Content-Type", "")
                answer_headers = _lower(res.headers)
        except urllib.error.HTTPError as err:
            try:
                raw = err.read()
            except (OSError, http.client.HTTPException):
                raw = b""  # the status is known; a broken error body does not hide it
            body = _parse(raw, err.headers.get("Content-Type", "") if err.headers else "")
            if 300 <= err.code < 400:
                if redirect_ok:
                    return err.code, body, _lower(err.headers)
                location = err.headers.get("Location", "") if err.headers else ""
                raise MadApiError(err.code, f"unexpected redirect (HTTP {err.code}) to {location}", body) from None
            raise MadApiError.from_response(err.code, body) from None
        except urllib.error.URLError as err:
            raise MadApiError(0, f"cannot reach {self.base_url}: {err.reason}") from err
        except (OSError, http.client.HTTPException) as err:  # a timeout or a broken connection after the request went out
            raise MadApiError(0, f"no complete answer from {self.base_url}: {err!r}") from err
        if not expect_json:
            return status, _parse(raw, content_type), answer_headers
        return status, self._json(method, path, status, content_type, raw, shape), answer_headers

    def _json(self, method: str, path: str, status: int, content_type: str, raw: bytes, shape: Optional[type]) -> Any:
        """The parsed JSON of a 2xx answer; anything else there is a MadApiError with that status."""
        body: Any = None
        wanted = "JSON"
        if not raw:
            problem = "an empty body"
        elif "json" not in content_type:
            body = raw.decode("utf-8", "replace")
            problem = content_type.split(";")[0].strip() or "no content type"
        else:
            text = raw.decode("utf-8", "replace")
            try:
                body = json.loads(text)  # parsed once (the error paths keep the text, as _parse does)
            except ValueError as err:
                body, problem = text, f"malformed JSON ({err})"
            else:
                if _fits(body, shape):
                    return body
                wanted = {dict: "a JSON object", list: "a JSON array of objects", str: "a JSON string"}.get(shape, "JSON")
                problem = f"a JSON {_kind(body)}"
        raise MadApiError(status, f"expected {wanted} from {method} {path}, got {problem} (HTTP {status}); "
                                  f"is {self.base_url} a microauthd server?", body)


def _fits(body: Any, shape: Optional[type]) -> bool:
    if shape is list:
        return isinstance(body, list) and all(isinstance(item, dict) for item in body)
    return shape is None or isinstance(body, shape)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "array" + ("" if all(isinstance(item, dict) for item in value) else " of other values")
    return {dict: "object", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "null")


def _lower(headers: Any) -> Dict[str, str]:
    return {k.lower(): v for k, v in headers.items()} if headers else {}


def _parse(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text
