"""Client for every route of the microauthd AUTH plane (default http://127.0.0.1:9040)."""
from __future__ import annotations

import urllib.parse
from typing import Any, Dict, List, Optional

from ._http import Transport, basic_auth
from .models import (
    AuthSessionView, MadApiError, MessageResponse, PkceAuthorizeResponse, RefreshTokenResponse, SessionResponse, TokenResponse,
    UserObject, from_dict,
)


class AuthClient:
    """`client_id`/`client_secret` authenticate this client (HTTP Basic by default); `token` is a bearer
    access token for the self-service routes."""

    def __init__(self, base_url: str = "http://127.0.0.1:9040", client_id: Optional[str] = None,
                 client_secret: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0,
                 use_basic: bool = True) -> None:
        self.http = Transport(base_url, token, timeout)
        self.client_id = client_id
        self.client_secret = client_secret
        self.use_basic = use_basic

    @property
    def token(self) -> Optional[str]:
        return self.http.token

    @token.setter
    def token(self, value: Optional[str]) -> None:
        self.http.token = value

    def _client_form(self, form: Dict[str, Optional[str]]) -> Dict[str, Any]:
        """Client authentication: HTTP Basic (RFC 6749 §2.3.1) or form fields."""
        if self.client_id is None:
            return {"form": form, "anonymous": True}
        if self.use_basic and self.client_secret is not None:
            return {"form": form, "anonymous": True, "headers": {"Authorization": basic_auth(self.client_id, self.client_secret)}}
        return {"form": {**form, "client_id": self.client_id, "client_secret": self.client_secret}, "anonymous": True}

    def _token(self, path: str, form: Dict[str, Optional[str]]) -> TokenResponse:
        body, _ = self.http.request("POST", path, **self._client_form(form))
        res = from_dict(TokenResponse, body)
        self.http.token = res.access_token
        return res

    # -- info --------------------------------------------------------------------------------------------
    def ping(self) -> Dict[str, Any]:
        return self.http.request("GET", "/ping", anonymous=True)[0]

    def version(self) -> Dict[str, Any]:
        return self.http.request("GET", "/version", anonymous=True)[0]

    def jwks(self) -> Dict[str, Any]:
        return self.http.request("GET", "/jwks.json", anonymous=True)[0]

    def discovery(self) -> Dict[str, Any]:
        return self.http.request("GET", "/.well-known/openid-configuration", anonymous=True)[0]

    def authorization_server_metadata(self) -> Dict[str, Any]:
        """RFC 8414 metadata (/.well-known/oauth-authorization-server): the same document as discovery."""
        return self.http.request("GET", "/.well-known/oauth-authorization-server", anonymous=True)[0]

    def public_key_pem(self) -> str:
        """The current signing key as SPKI PEM (/keys/auth.pem), for proxies that verify with one static key."""
        return self.http.request("GET", "/keys/auth.pem", anonymous=True)[0]

    # -- token grants (each keeps the new access token on this client) --------------------------------------
    def password_grant(self, username: str, password: str, totp_code: Optional[str] = None, scope: Optional[str] = None) -> TokenResponse:
        return self._token("/token", {"grant_type": "password", "username": username, "password": password,
                                      "totp_code": totp_code, "scope": scope})

    def refresh(self, refresh_token: str) -> TokenResponse:
        return self._token("/token", {"grant_type": "refresh_token", "refresh_token": refresh_token})

    def client_credentials(self, scope: Optional[str] = None) -> TokenResponse:
        return self._token("/token", {"grant_type": "client_credentials", "scope": scope})

    def oidc_token(self, scope: Optional[str] = None) -> TokenResponse:
        return self._token("/oidc/token", {"grant_type": "client_credentials", "scope": scope})

    def authorization_code_grant(self, code: str, redirect_uri: str, code_verifier: str) -> TokenResponse:
        """`POST /token` grant_type=authorization_code; a public client (no client_secret) sends only its client_id."""
        return self._token("/token", {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                                      "code_verifier": code_verifier})

    def authorization_url(self, redirect_uri: str, code_challenge: str, scope: Optional[str] = None, nonce: Optional[str] = None,
                          state: Optional[str] = None, max_age: Optional[int] = None, code_challenge_method: str = "S256") -> str:
        """The GET /authorize URL to send a user's browser to (the hosted /login and /totp pages, then a redirect to
        `redirect_uri` with `code` and `state`; redeem with authorization_code_grant). `response_type=code`; built on
        this client's base URL, so give the client the public one."""
        params = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri, "code_challenge": code_challenge,
                  "code_challenge_method": code_challenge_method, "scope": scope, "nonce": nonce, "state": state,
                  "max_age": None if max_age is None else str(max_age)}
        return f"{self.http.base_url}/authorize?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})

    # -- headless authorization code + PKCE login: authorize → login_password → (login_totp) → finalize --------
    def authorize(self, redirect_uri: str, code_challenge: str, scope: Optional[str] = None, nonce: Optional[str] = None,
                  state: Optional[str] = None, max_age: Optional[int] = None, code_challenge_method: str = "S256") -> PkceAuthorizeResponse:
        """`POST /authorize` for this client: opens a login; `nonce` is required with the `openid` scope."""
        body, _ = self.http.request("POST", "/authorize", anonymous=True, form={
            "client_id": self.client_id, "redirect_uri": redirect_uri, "code_challenge": code_challenge,
            "code_challenge_method": code_challenge_method, "scope": scope, "nonce": nonce, "state": state,
            "max_age": None if max_age is None else str(max_age)})
        return from_dict(PkceAuthorizeResponse, body)

    def login_password(self, jti: str, username: str, password: str, redirect_uri: Optional[str] = None) -> PkceAuthorizeResponse:
        """`POST /login/password`; the answer's `requires_totp` says whether login_totp must follow."""
        body, _ = self.http.request("POST", "/login/password", anonymous=True,
                                    form={"jti": jti, "username": username, "password": password, "redirect_uri": redirect_uri})
        return from_dict(PkceAuthorizeResponse, body)

    def login_totp(self, jti: str, totp_code: str, redirect_uri: Optional[str] = None) -> PkceAuthorizeResponse:
        body, _ = self.http.request("POST", "/login/totp", anonymous=True,
                                    form={"jti": jti, "totp_code": totp_code, "redirect_uri": redirect_uri})
        return from_dict(PkceAuthorizeResponse, body)

    def auth_session(self, jti: str) -> AuthSessionView:
        """`GET /auth-session/{jti}`: what a login page may show about a login in progress."""
        return from_dict(AuthSessionView, self.http.request("GET", f"/auth-session/{urllib.parse.quote(jti, safe='')}", anonymous=True)[0])

    def finalize(self, jti: str) -> str:
        """`POST /login/finalize`: the redirect URI, with `code` and `state`, the server answers with (302). A refused
        login (no password step, TOTP pending, unknown or expired jti) raises MadApiError 400 `Invalid credentials`."""
        body, headers = self.http.request("POST", "/login/finalize", anonymous=True, form={"jti": jti}, redirect_ok=True)
        if not headers.get("location"):
            raise MadApiError(200, "expected a redirect from /login/finalize", body)
        return headers["location"]

    # -- introspection and revocation (client-authenticated) ------------------------------------------------
    def introspect(self, token: str, token_type_hint: Optional[str] = None) -> Dict[str, Any]:
        return self.http.request("POST", "/introspect", **self._client_form({"token": token, "token_type_hint": token_type_hint}))[0]

    def revoke(self, token: str, token_type_hint: Optional[str] = None) -> MessageResponse:
        body, _ = self.http.request("POST", "/revoke", **self._client_form({"token": token, "token_type_hint": token_type_hint}))
        return from_dict(MessageResponse, body)

    def verify_token(self, token: str, audience: Optional[str] = None) -> Dict[str, Any]:
        """Backend helper: is this an auth-plane ACCESS token, valid right now (and meant for `audience`, when
        given)? Delegates the signature, issuer, expiry and revocation checks to the server (RFC 7662
        introspection), so it needs only the standard library; introspection also answers `active` for a live
        refresh token, which is refused here. Raises MadApiError(401) otherwise; returns the introspection."""
        result = self.introspect(token, "access_token")
        if not result.get("active"):
            raise MadApiError(401, "token is not active", result)
        if result.get("token_type") != "access_token" or result.get("token_use") != "access" or result.get("mad") != "auth":
            raise MadApiError(401, "not an auth-plane access token", result)
        aud = result.get("aud")
        if audience is not None and audience not in (aud if isinstance(aud, list) else [aud]):
            raise MadApiError(401, "token not meant for this audience", result)
        return result

    def verify(self, token: str, scope: Optional[str] = None, role: Optional[str] = None, aud: Optional[str] = None) -> Dict[str, str]:
        """GET /verify (forward-auth): returns the X-Auth-* identity headers when the token passes (every `scope`,
        any `role`, every `aud`: space-separated); a refusal raises MadApiError 401 or 403."""
        _, headers = self.http.request("GET", "/verify", query={"scope": scope, "role": role, "aud": aud},
                                       headers={"Authorization": f"Bearer {token}"})
        return {k: v for k, v in headers.items() if k.startswith("x-auth-")}

    # -- self-service (bearer) -------------------------------------------------------------------------
    def userinfo(self) -> Dict[str, Any]:
        return self.http.request("GET", "/userinfo")[0]

    def me(self) -> Dict[str, Any]:
        return self.http.request("GET", "/me")[0]

    def me_sessions(self) -> List[SessionResponse]:
        return [from_dict(SessionResponse, s) for s in self.http.request("GET", "/me/sessions")[0] or []]

    def me_refresh_tokens(self) -> List[RefreshTokenResponse]:
        return [from_dict(RefreshTokenResponse, s) for s in self.http.request("GET", "/me/refresh-tokens")[0] or []]

    def whoami(self) -> Dict[str, Any]:
        return self.http.request("GET", "/whoami")[0]

    def logout(self) -> MessageResponse:
        return from_dict(MessageResponse, self.http.request("POST", "/logout")[0])

    def logout_all(self) -> MessageResponse:
        return from_dict(MessageResponse, self.http.request("POST", "/logout-all")[0])

    # -- scoped user administration (bearer with admin:* scopes) ----------------------------------------------
    def provision_user(self, username: str, email: str, password: str) -> UserObject:
        return from_dict(UserObject, self.http.request("POST", "/user", json_body={"username": username, "email": email, "password": password})[0])

    def reset_user_password(self, user_id: str, new_password: str) -> MessageResponse:
        q = urllib.parse.quote(user_id, safe="")
        return from_dict(MessageResponse, self.http.request("POST", f"/user/{q}/reset", json_body={"new_password": new_password})[0])

    def deactivate_user(self, user_id: str) -> MessageResponse:
        q = urllib.parse.quote(user_id, safe="")
        return from_dict(MessageResponse, self.http.request("POST", f"/user/{q}/deactivate")[0])

    def read_user(self, user_id: str) -> UserObject:
        return from_dict(UserObject, self.http.request("GET", f"/user/{urllib.parse.quote(user_id, safe='')}")[0])

    def list_users(self) -> List[UserObject]:
        return [from_dict(UserObject, u) for u in self.http.request("GET", "/users")[0] or []]
