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

    def request(
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
    ) -> Tuple[Any, Dict[str, str]]:
        """Returns (parsed body, lower-cased headers); raises MadApiError on a non-2xx answer (a 3xx too, unless
        `redirect_ok`: then its headers, with `location`, are the result) and on a failed exchange (status 0)."""
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
                return _parse(res.read(), res.headers.get("Content-Type", "")), _lower(res.headers)
        except urllib.error.HTTPError as err:
            try:
                raw = err.read()
            except (OSError, http.client.HTTPException):
                raw = b""  # the status is known; a broken error body does not hide it
            body = _parse(raw, err.headers.get("Content-Type", "") if err.headers else "")
            if 300 <= err.code < 400:
                if redirect_ok:
                    return body, _lower(err.headers)
                location = err.headers.get("Location", "") if err.headers else ""
                raise MadApiError(err.code, f"unexpected redirect (HTTP {err.code}) to {location}", body) from None
            raise MadApiError.from_response(err.code, body) from None
        except urllib.error.URLError as err:
            raise MadApiError(0, f"cannot reach {self.base_url}: {err.reason}") from err
        except (OSError, http.client.HTTPException) as err:  # a timeout or a broken connection after the request went out
            raise MadApiError(0, f"no complete answer from {self.base_url}: {err!r}") from err


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
