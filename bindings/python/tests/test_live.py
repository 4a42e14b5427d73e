"""The Python binding against a live microauthd: every method, success and error paths."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import unittest
import urllib.parse
import uuid
from typing import Tuple

from microauthd import AdminClient, AuthClient, MadApiError
from microauthd.models import RoleDto

from .server import ADMIN_PASSWORD, ADMIN_USER, LiveServer

SERVER: LiveServer


def setUpModule() -> None:
    global SERVER
    SERVER = LiveServer()


def tearDownModule() -> None:
    SERVER.stop()


def uniq(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def oathtool(secret: str, seconds_ago: int = 0) -> str:
    if shutil.which("oathtool") is None:
        raise AssertionError("oathtool (Debian package oathtool) is required for the TOTP test")
    at = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(time.time() - seconds_ago))
    return subprocess.check_output(["oathtool", "--totp", "-b", "--now", at, secret], text=True).strip()


def pkce() -> Tuple[str, str]:
    """(verifier, S256 challenge), RFC 7636 §4.1-4.2."""
    verifier = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class BindingTest(unittest.TestCase):
    admin: AdminClient

    @classmethod
    def setUpClass(cls) -> None:
        cls.admin = AdminClient(SERVER.admin_url)
        cls.admin.login(ADMIN_USER, ADMIN_PASSWORD)

    def assertApiError(self, status: int, fn, *args, **kwargs) -> MadApiError:  # noqa: N802
        with self.assertRaises(MadApiError) as ctx:
            fn(*args, **kwargs)
        self.assertEqual(ctx.exception.status, status, ctx.exception.message)
        return ctx.exception

    def new_client(self, scopes=()):  # a confidential client with a server-generated secret
        client = self.admin.create_client(uniq("py-client-"), display_name="Python test", audience="py-api")
        self.assertTrue(client.client_secret)
        if scopes:
            self.admin.assign_client_scopes(client.id, list(scopes))
        return client


class InfoAndKeys(BindingTest):
    def test_ping_version_keys(self) -> None:
        self.assertEqual(self.admin.ping()["message"], "pong from admin")
        self.assertEqual(self.admin.version()["name"], "microauthd")
        keys = self.admin.list_keys("auth")
        self.assertEqual(sorted(k.status for k in keys), ["current", "standby"])
        rotated = self.admin.rotate_keys("admin")
        self.assertIn("retired", [k.status for k in rotated])
        self.assertApiError(404, self.admin.list_keys, "nope")

    def test_admin_jwks_publishes_the_admin_signing_key(self) -> None:
        def kid(token: str) -> str:
            header = token.split(".")[0]
            return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]

        admin_kid = kid(AdminClient(SERVER.admin_url).login(ADMIN_USER, ADMIN_PASSWORD).access_token)
        self.assertIn(admin_kid, [k["kid"] for k in self.admin.admin_jwks()["keys"]])
        self.assertNotIn(admin_kid, [k["kid"] for k in AuthClient(SERVER.auth_url).jwks()["keys"]])

    def test_errors_carry_status_and_message(self) -> None:
        anonymous = AdminClient(SERVER.admin_url)
        err = self.assertApiError(401, anonymous.list_roles)
        self.assertTrue(err.message)
        self.assertApiError(403, AdminClient(SERVER.admin_url).login, ADMIN_USER, "wrong-password")
        self.assertApiError(0, AdminClient("http://127.0.0.1:1").ping)


class Users(BindingTest):
    def test_user_lifecycle(self) -> None:
        name = uniq("pyuser")
        user = self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        self.assertEqual(user.username, name)
        self.assertTrue(user.is_active)
        self.assertEqual(self.admin.get_user(user.id).email, f"{name}@example.com")
        self.assertEqual(self.admin.user_id_by_name(name), user.id)
        page = self.admin.list_users(limit=1000)
        self.assertIn(user.id, [u.id for u in page.items])
        self.assertGreaterEqual(page.total, 2)
        self.assertEqual(self.admin.update_user(user.id, email=f"new-{name}@example.com").email, f"new-{name}@example.com")
        self.assertTrue(self.admin.verify_email(user.id).success)
        self.assertTrue(self.admin.get_user(user.id).email_verified)
        self.assertTrue(self.admin.deactivate_user(user.id).success)
        self.assertIn(user.id, [u.id for u in self.admin.list_users(limit=1000, include_inactive=True).items])
        self.assertTrue(self.admin.activate_user(user.id).success)
        self.assertApiError(400, self.admin.activate_user, user.id)
        self.assertTrue(self.admin.set_lockout(user.id, "2999-01-01T00:00:00Z").success)
        self.assertIsNotNone(self.admin.get_user(user.id).lockout_until)
        self.assertTrue(self.admin.set_lockout(user.id, None).success)
        self.assertIsNone(self.admin.get_user(user.id).lockout_until)
        self.assertTrue(self.admin.reset_password(user.id, "another-password-2").success)
        self.assertApiError(400, self.admin.create_user, name, "dup@example.com", "user-password-1")
        self.assertTrue(self.admin.delete_user(user.id).success)
        self.assertApiError(404, self.admin.get_user, user.id)


class RolesPermissionsScopes(BindingTest):
    def test_roles_and_permissions(self) -> None:
        user = self.admin.create_user(uniq("rp"), f"{uniq('rp')}@example.com", "user-password-1")
        role = self.admin.create_role(uniq("role-"), "a role")
        self.assertEqual(self.admin.update_role(role.id, description="changed").description, "changed")
        self.assertIn(role.id, [r.id for r in self.admin.list_roles()])
        self.assertEqual(self.admin.get_role(role.id).name, role.name)
        self.assertEqual(self.admin.role_id_by_name(role.name), role.id)
        perm = self.admin.create_permission(uniq("perm-"))
        renamed = uniq("perm-renamed-")
        self.assertEqual(self.admin.update_permission(perm.id, renamed).name, renamed)
        self.assertIn(perm.id, [p.id for p in self.admin.list_permissions()])
        self.assertEqual(self.admin.get_permission(perm.id).name, renamed)
        self.assertEqual(self.admin.permission_id_by_name(renamed), perm.id)
        self.assertApiError(400, self.admin.create_permission, renamed)
        self.assertTrue(self.admin.assign_permission(role.id, perm.id).success)
        self.assertEqual([p.id for p in self.admin.role_permissions(role.id)], [perm.id])
        self.assertIn(perm.id, [p.id for p in self.admin.all_permission_dtos()])
        self.assertEqual([p.id for p in self.admin.permission_dtos_of_role(role.id)], [perm.id])
        self.assertFalse(self.admin.check_access(user.id, perm.id).allowed)
        self.assertTrue(self.admin.assign_role(user.id, role.id).success)
        self.assertTrue(self.admin.assign_role(user.id, role.id).success)  # idempotent
        self.assertEqual(self.admin.role_ids_of_user(user.id), [role.id])
        self.assertEqual([r.id for r in self.admin.user_roles(user.id)], [role.id])
        self.assertIn(role.id, [r.id for r in self.admin.user_roles(user.id, all_roles=True)])
        self.assertEqual([p.id for p in self.admin.user_permissions(user.id)], [perm.id])
        self.assertTrue(self.admin.check_access(user.id, perm.id).allowed)
        self.assertTrue(self.admin.replace_user_roles(user.id, []).success)
        self.assertEqual(self.admin.user_roles(user.id), [])
        self.admin.replace_user_roles(user.id, [RoleDto(id=role.id, name=role.name)])
        self.assertTrue(self.admin.unassign_role(user.id, role.id).success)
        self.assertTrue(self.admin.remove_permission(role.id, perm.id).success)
        self.assertTrue(self.admin.delete_permission(perm.id).success)
        self.assertTrue(self.admin.delete_role(role.id).success)
        self.assertApiError(404, self.admin.get_role, role.id)
        mad_admin = self.admin.role_id_by_name("MadAdmin")
        self.assertApiError(400, self.admin.delete_role, mad_admin)

    def test_scopes(self) -> None:
        user = self.admin.create_user(uniq("sc"), f"{uniq('sc')}@example.com", "user-password-1")
        scope = self.admin.create_scope(uniq("py.scope."), "desc")
        self.assertEqual(scope.desc, "desc")
        self.assertEqual(self.admin.update_scope(scope.id, desc="new").desc, "new")
        self.assertIn(scope.id, [s.id for s in self.admin.list_scopes()])
        self.assertEqual(self.admin.get_scope(scope.id).name, scope.name)
        self.assertEqual(self.admin.scope_id_by_name(scope.name), scope.id)
        self.assertTrue(self.admin.assign_user_scopes(user.id, [scope.id]).success)
        self.assertEqual([s.id for s in self.admin.user_scopes(user.id)], [scope.id])
        self.assertTrue(self.admin.remove_user_scope(user.id, scope.id).success)
        self.assertTrue(self.admin.delete_scope(scope.id).success)
        protected = self.admin.scope_id_by_name("admin:read_user")
        self.assertApiError(400, self.admin.delete_scope, protected)


class Clients(BindingTest):
    def test_client_lifecycle(self) -> None:
        client = self.new_client()
        self.assertEqual(self.admin.get_client(client.id).client_id, client.client_id)
        self.assertEqual(self.admin.client_id_by_name(client.client_id), client.id)
        self.assertEqual(self.admin.update_client(client.id, display_name="Renamed").display_name, "Renamed")
        self.assertIn(client.id, [c.id for c in self.admin.list_clients()])
        new_secret = self.admin.change_client_secret(client.id).message
        self.assertGreaterEqual(len(new_secret), 32)
        uri = self.admin.add_redirect_uri(client.id, "https://app.example.com/cb")
        self.assertEqual([u.redirect_uri for u in self.admin.list_redirect_uris(client.id)], ["https://app.example.com/cb"])
        self.assertApiError(400, self.admin.add_redirect_uri, client.id, "http://evil.example.com/cb")
        self.assertTrue(self.admin.delete_redirect_uri(uri.id).success)
        self.assertEqual(self.admin.list_redirect_uris(client.id), [])
        again = self.admin.add_redirect_uri(client.id, "https://app.example.com/cb2")
        self.assertEqual(self.admin.delete_redirect_uri(again.id, via_body=True).message, "Redirect URI deleted")
        self.assertEqual(self.admin.list_redirect_uris(client.id), [])
        self.assertApiError(404, self.admin.delete_redirect_uri, again.id, via_body=True)
        idp = self.admin.add_idp(client.id, "google", "Google", "https://accounts.google.com", "ext-client")
        self.assertEqual([i.id for i in self.admin.list_idps(client.id)], [idp.id])
        self.assertEqual(self.admin.update_idp(client.id, idp.id, provider_key="google", display_name="G", issuer=idp.issuer,
                                               client_identifier="ext-client", scopes="openid").display_name, "G")
        self.assertTrue(self.admin.delete_idp(client.id, idp.id).success)
        scope = self.admin.create_scope(uniq("py.client."))
        self.assertTrue(self.admin.assign_client_scopes(client.id, [scope.id]).success)
        self.assertEqual([s.id for s in self.admin.client_scopes(client.id)], [scope.id])
        self.assertTrue(self.admin.remove_client_scope(client.id, scope.id).success)
        self.assertTrue(self.admin.set_flag(client.id, "TOKEN_EXPIRATION", True).success)
        self.assertTrue(self.admin.get_flag(client.client_id, "TOKEN_EXPIRATION"))
        self.assertTrue(self.admin.set_flag_options(client.id, "TOKEN_EXPIRATION", "600").success)
        self.assertEqual(self.admin.get_flag_options(client.id, "TOKEN_EXPIRATION"), "600")
        self.assertApiError(400, self.admin.set_flag, client.id, "NOT_A_FLAG", True)
        self.assertTrue(self.admin.delete_client(client.client_id).success)
        self.assertApiError(404, self.admin.get_client, client.id)


class Tokens(BindingTest):
    def test_grants_introspection_revocation_sessions(self) -> None:
        try:
            openid_id = self.admin.scope_id_by_name("openid")
        except MadApiError:
            openid_id = self.admin.create_scope("openid", "OpenID Connect").id
        name = uniq("tok")
        user = self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        self.admin.assign_user_scopes(user.id, [openid_id])
        client = self.new_client()
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret)
        self.assertEqual(auth.ping()["message"], "pong from auth")
        self.assertEqual(auth.version()["name"], "microauthd")
        self.assertTrue(auth.jwks()["keys"])
        self.assertTrue(auth.discovery()["token_endpoint"].endswith("/token"))

        tokens = auth.password_grant(name, "user-password-1")
        self.assertEqual(tokens.token_type.lower(), "bearer")
        self.assertTrue(tokens.refresh_token)
        self.assertEqual(auth.me()["sub"], user.id)
        self.assertIn(user.id, auth.whoami()["message"])
        self.assertEqual(auth.userinfo()["sub"], user.id)
        self.assertEqual(len(auth.me_sessions()), 1)
        self.assertEqual(len(auth.me_refresh_tokens()), 1)
        self.assertTrue(auth.introspect(tokens.access_token)["active"])
        self.assertEqual(auth.verify_token(tokens.access_token)["sub"], user.id)
        self.assertEqual(auth.verify(tokens.access_token)["x-auth-sub"], user.id)
        self.assertIn(tokens.jti, [s.id for s in self.admin.sessions_of_user(user.id)])
        self.assertEqual(self.admin.get_session(tokens.jti).user_id, user.id)
        self.assertGreaterEqual(self.admin.list_sessions().total, 1)
        self.assertTrue(self.admin.introspect(tokens.access_token)["valid"])

        refreshed = auth.refresh(tokens.refresh_token)
        self.assertNotEqual(refreshed.refresh_token, tokens.refresh_token)
        err = self.assertApiError(400, auth.refresh, tokens.refresh_token)  # reuse revokes the family
        self.assertEqual(err.error, "invalid_grant")
        self.assertFalse(auth.introspect(refreshed.access_token)["active"])
        rts = self.admin.refresh_tokens_of_user(user.id)
        self.assertEqual(len(rts), 2)
        self.assertEqual(self.admin.get_refresh_token(rts[0].id).user_id, user.id)
        self.assertGreaterEqual(self.admin.list_refresh_tokens().total, 2)

        again = auth.password_grant(name, "user-password-1")
        self.assertTrue(auth.revoke(again.access_token).success)
        self.assertFalse(auth.introspect(again.access_token)["active"])
        third = auth.password_grant(name, "user-password-1")
        self.assertEqual(self.admin.revoke_session(third.jti).status, "revoked")
        fourth = auth.password_grant(name, "user-password-1")
        self.assertTrue(self.admin.revoke(fourth.access_token).success)
        fifth = auth.password_grant(name, "user-password-1")
        self.assertTrue(auth.logout().success)
        self.assertFalse(auth.introspect(fifth.access_token)["active"])
        auth.password_grant(name, "user-password-1")
        self.assertTrue(auth.logout_all().success)
        self.assertTrue(self.admin.purge_sessions(0, purge_expired=True, purge_revoked=True).success)
        self.assertTrue(self.admin.purge_refresh_tokens(0, purge_expired=True, purge_revoked=True).success)

        machine = AuthClient(SERVER.auth_url, client.client_id, client.client_secret, use_basic=False)
        cc = machine.client_credentials()
        self.assertIsNone(cc.refresh_token)
        self.assertTrue(machine.oidc_token().access_token)
        self.assertApiError(401, AuthClient(SERVER.auth_url, client.client_id, "wrong-secret").client_credentials)
        self.assertApiError(400, auth.password_grant, name, "wrong-password")

    def test_session_list_filters(self) -> None:
        name = uniq("sf")
        self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        one, other = self.new_client(), self.new_client()
        auth = AuthClient(SERVER.auth_url, one.client_id, one.client_secret)
        live = auth.password_grant(name, "user-password-1")
        revoked = auth.password_grant(name, "user-password-1")
        self.admin.revoke_session(revoked.jti)
        elsewhere = AuthClient(SERVER.auth_url, other.client_id, other.client_secret).password_grant(name, "user-password-1")

        def ids(**filters) -> list:  # noqa: ANN003
            page = self.admin.list_sessions(limit=1000, **filters)
            self.assertEqual(page.total, len(page.items), filters)
            return sorted(s.id for s in page.items)

        self.assertEqual(ids(client_id=one.client_id), sorted([live.jti, revoked.jti]))
        self.assertEqual(ids(client_id=one.client_id, active=True), [live.jti])
        self.assertEqual(ids(client_id=one.client_id, active=False), [revoked.jti])  # False is a filter, not "no filter"
        self.assertEqual(ids(client_id=other.client_id, mad_use="auth"), [elsewhere.jti])
        self.assertEqual(ids(client_id=other.client_id, mad_use="admin"), [])
        admin_sessions = self.admin.list_sessions(limit=1000, mad_use="admin").items
        self.assertTrue(admin_sessions)
        self.assertEqual({s.mad_use for s in admin_sessions}, {"admin"})

    def test_admin_introspect_with_a_token_type_hint(self) -> None:
        name = uniq("ih")
        self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        client = self.new_client()
        tokens = AuthClient(SERVER.auth_url, client.client_id, client.client_secret).password_grant(name, "user-password-1")
        hinted = self.admin.introspect(tokens.refresh_token, token_type_hint="refresh_token")
        self.assertEqual((hinted["active"], hinted["token_type"]), (True, "refresh_token"))
        self.assertEqual(self.admin.introspect(tokens.access_token, token_type_hint="access_token")["jti"], tokens.jti)
        self.assertTrue(self.admin.introspect(tokens.access_token, token_type_hint="refresh_token")["valid"])  # a hint, not a filter
        self.assertTrue(self.admin.revoke(tokens.refresh_token, "refresh_token").success)
        self.assertEqual(self.admin.introspect(tokens.refresh_token, token_type_hint="refresh_token"), {"active": False})

    def test_admin_revokes_a_refresh_token_family(self) -> None:
        name = uniq("rrt")
        user = self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        client = self.new_client()
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret)
        first = auth.password_grant(name, "user-password-1")
        second = auth.refresh(first.refresh_token)
        [spent] = [t for t in self.admin.refresh_tokens_of_user(user.id) if t.is_revoked]
        self.assertTrue(self.admin.revoke_refresh_token(spent.id).success)  # the spent one: its family goes too
        self.assertTrue(all(t.is_revoked for t in self.admin.refresh_tokens_of_user(user.id)))
        self.assertEqual(self.assertApiError(400, auth.refresh, second.refresh_token).error, "invalid_grant")
        self.assertApiError(404, self.admin.revoke_refresh_token, "no-such-refresh-token")

    def test_metadata_public_key_and_verify_requirements(self) -> None:
        name = uniq("fa")
        user = self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        client = self.new_client()
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret)
        self.assertEqual(auth.authorization_server_metadata(), auth.discovery())
        pem = auth.public_key_pem()
        self.assertTrue(pem.startswith("-----BEGIN PUBLIC KEY-----"), pem)
        token = auth.password_grant(name, "user-password-1").access_token
        self.assertEqual(auth.verify(token, aud="py-api")["x-auth-sub"], user.id)
        self.assertApiError(403, auth.verify, token, aud="another-api")
        self.assertApiError(403, auth.verify, token, scope="admin:list_users")
        self.assertApiError(401, auth.verify, "not-a-token")

    def test_verify_token_accepts_only_access_tokens(self) -> None:
        name = uniq("vt")
        self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        client = self.new_client()
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret)
        tokens = auth.password_grant(name, "user-password-1")
        self.assertEqual(auth.verify_token(tokens.access_token, audience="py-api")["token_type"], "access_token")
        err = self.assertApiError(401, auth.verify_token, tokens.access_token, audience="another-api")
        self.assertIn("audience", err.message)
        self.assertTrue(auth.introspect(tokens.refresh_token)["active"])  # a live refresh token of this client...
        self.assertApiError(401, auth.verify_token, tokens.refresh_token)  # ...is no access credential
        self.assertApiError(401, auth.verify_token, "not-a-token")

    def test_totp_enrolment_and_login(self) -> None:
        name = uniq("otp")
        user = self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        client = self.new_client()
        self.admin.set_flag(client.id, "ENABLE_TOTP", True)
        enrol = self.admin.generate_totp(user.id, client.id)
        self.assertTrue(enrol.otpauth_uri.startswith("otpauth://totp/"))
        self.assertIn("<svg", enrol.qr_svg)
        secret = enrol.otpauth_uri.split("secret=")[1].split("&")[0]
        self.assertApiError(400, self.admin.verify_totp, user.id, client.id, "000000")
        self.assertTrue(self.admin.verify_totp(user.id, client.id, oathtool(secret)).success)
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret)
        self.assertApiError(400, auth.password_grant, name, "user-password-1")
        self.assertTrue(self.admin.disable_totp(user.id, client.id).success)
        self.assertTrue(auth.password_grant(name, "user-password-1").access_token)

    def test_scoped_user_routes(self) -> None:
        name = uniq("ops")
        operator = self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        scope_ids = [self.admin.scope_id_by_name(s) for s in
                     ("admin:provision_users", "admin:reset_passwords", "admin:deactivate_users", "admin:read_user", "admin:list_users")]
        self.admin.assign_user_scopes(operator.id, scope_ids)
        client = self.new_client()
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret)
        auth.password_grant(name, "user-password-1")
        created = auth.provision_user(uniq("prov"), f"{uniq('prov')}@example.com", "user-password-1")
        self.assertEqual(auth.read_user(created.id).id, created.id)
        self.assertIn(created.id, [u.id for u in auth.list_users()])
        self.assertTrue(auth.reset_user_password(created.id, "new-password-3").success)
        self.assertTrue(auth.deactivate_user(created.id).success)
        self.assertFalse(self.admin.get_user(created.id).is_active)


class AuthorizationCode(BindingTest):
    REDIRECT = "https://app.example.com/cb"

    def test_headless_login_with_totp_then_the_code_grant(self) -> None:
        name = uniq("pk")
        user = self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        client = self.new_client()
        self.admin.add_redirect_uri(client.id, self.REDIRECT)
        self.admin.set_flag(client.id, "ENABLE_TOTP", True)
        secret = self.admin.generate_totp(user.id, client.id).otpauth_uri.split("secret=")[1].split("&")[0]
        self.admin.verify_totp(user.id, client.id, oathtool(secret, seconds_ago=30))  # the login below uses a later code
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret)
        verifier, challenge = pkce()

        started = auth.authorize(self.REDIRECT, challenge, scope="openid", nonce="n-1", state="st-1")
        self.assertFalse(started.requires_totp)
        self.assertEqual(auth.auth_session(started.jti).client_id, client.client_id)
        err = self.assertApiError(400, auth.finalize, started.jti)  # no password step yet
        self.assertEqual(err.message, "Invalid credentials")
        self.assertApiError(400, auth.login_password, started.jti, name, "wrong-password")
        self.assertTrue(auth.login_password(started.jti, name, "user-password-1").requires_totp)
        self.assertApiError(400, auth.finalize, started.jti)  # TOTP pending
        self.assertFalse(auth.login_totp(started.jti, oathtool(secret)).requires_totp)
        location = auth.finalize(started.jti)
        self.assertTrue(location.startswith(self.REDIRECT + "?"))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
        self.assertEqual(query["state"], ["st-1"])

        tokens = auth.authorization_code_grant(query["code"][0], self.REDIRECT, verifier)
        self.assertTrue(tokens.id_token)
        self.assertEqual(auth.me()["sub"], user.id)
        err = self.assertApiError(400, auth.authorization_code_grant, query["code"][0], self.REDIRECT, verifier)  # one use
        self.assertEqual(err.error, "invalid_grant")
        self.assertApiError(404, auth.auth_session, started.jti)

    def test_authorization_url_drives_the_browser_login(self) -> None:
        name = uniq("br")
        user = self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        client = self.new_client()
        self.admin.add_redirect_uri(client.id, self.REDIRECT)
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret)
        verifier, challenge = pkce()
        url = auth.authorization_url(self.REDIRECT, challenge, scope="openid profile", nonce="n 1", state="a b&c=d")
        self.assertTrue(url.startswith(SERVER.auth_url + "/authorize?response_type=code&"))

        def browser(method: str, path_or_url: str, **kw):  # noqa: ANN202, ANN003 (a browser that does not follow redirects)
            return auth.http.request(method, path_or_url.replace(SERVER.auth_url, ""), anonymous=True, redirect_ok=True,
                                     expect_json=False, **kw)

        login = browser("GET", url)[1]["location"]
        self.assertTrue(login.startswith("/login?jti="), login)
        page, _ = browser("GET", login)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        jti = urllib.parse.parse_qs(urllib.parse.urlsplit(login).query)["jti"][0]
        finalize = browser("POST", "/login", form={"jti": jti, "csrf": csrf, "username": name, "password": "user-password-1"})[1]["location"]
        back = browser("GET", finalize)[1]["location"]
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)
        self.assertEqual(query["state"], ["a b&c=d"])
        auth.authorization_code_grant(query["code"][0], self.REDIRECT, verifier)
        self.assertEqual(auth.me()["sub"], user.id)

        foreign = AuthClient(SERVER.auth_url, client.client_id).authorization_url("https://evil.example.com/cb", challenge)
        self.assertApiError(400, browser, "GET", foreign)  # never redirected to an unregistered URI

    def test_code_grant_with_form_client_auth_refuses_a_wrong_verifier(self) -> None:
        name = uniq("pkf")
        self.admin.create_user(name, f"{name}@example.com", "user-password-1")
        client = self.new_client()
        self.admin.add_redirect_uri(client.id, self.REDIRECT)
        auth = AuthClient(SERVER.auth_url, client.client_id, client.client_secret, use_basic=False)
        verifier, challenge = pkce()
        jti = auth.authorize(self.REDIRECT, challenge, scope="profile").jti
        auth.login_password(jti, name, "user-password-1", redirect_uri=self.REDIRECT)
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(auth.finalize(jti)).query)["code"][0]
        err = self.assertApiError(400, auth.authorization_code_grant, code, self.REDIRECT, "wrong-verifier-" + verifier)
        self.assertEqual(err.error, "invalid_grant")


class AuditLog(BindingTest):
    def test_audit(self) -> None:
        self.admin.create_role(uniq("audited-"))
        logs = self.admin.list_audit_logs(limit=10)
        self.assertTrue(logs)
        self.assertEqual(self.admin.get_audit_log(logs[0].id).id, logs[0].id)
        self.assertTrue(self.admin.list_audit_logs(action="role_created"))
        self.assertTrue(self.admin.verify_audit_chain()["ok"])
        self.assertTrue(self.admin.purge_audit_logs(3650).success)
        self.assertApiError(400, self.admin.purge_audit_logs, 0)


if __name__ == "__main__":
    unittest.main()
