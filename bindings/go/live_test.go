package microauthd

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

const adminUser, adminPassword = "goadmin", "go-admin-password"

var authURL, adminURL string

// TestMain starts the real server (node dist/src/main.js) on loopback ephemeral ports.
func TestMain(m *testing.M) {
	_, file, _, _ := runtime.Caller(0)
	main := filepath.Join(filepath.Dir(file), "..", "..", "dist", "src", "main.js")
	if _, err := os.Stat(main); err != nil {
		fmt.Fprintln(os.Stderr, "build the server first (npm run build):", err)
		os.Exit(1)
	}
	dir, _ := os.MkdirTemp("", "microauthd-go-")
	cmd := exec.Command("node", main, "--db-file", filepath.Join(dir, "mad.db3"), "--auth-port", "0", "--admin-port", "0",
		"--no-prompt", "--log-level", "warn", "--admin-username", adminUser, "--admin-password", adminPassword,
		"--argon2id-time", "1", "--argon2id-memory", "1024", "--argon2id-parallelism", "1",
		"--auth-domain", "127.0.0.1", "--auth-domain-no-ssl", "--rate-limit-auth", "0", "--rate-limit-admin", "0")
	cmd.Dir = dir
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ready := make(chan [2]string, 1)
	go func() {
		re := regexp.MustCompile(`microauthd ready: auth (\S+)\s+admin (\S+)`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				ready <- [2]string{m[1], m[2]}
			}
		}
	}()
	select {
	case urls := <-ready:
		authURL, adminURL = urls[0], urls[1]
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "server did not start")
		_ = cmd.Process.Kill()
		os.Exit(1)
	}
	code := m.Run()
	_ = cmd.Process.Signal(os.Interrupt)
	_ = cmd.Wait()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

var counter int

func uniq(prefix string) string {
	counter++
	return fmt.Sprintf("%s%d%d", prefix, time.Now().UnixNano()%1e9, counter)
}

// must(f())(t) fails the test on an error and returns the value.
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func wantStatus(t *testing.T, status int, err error) {
	t.Helper()
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != status {
		t.Fatalf("want HTTP %d, got %v", status, err)
	}
}

func admin(t *testing.T) (*AdminClient, context.Context) {
	ctx := context.Background()
	c := NewAdminClient(adminURL, "")
	must(c.Login(ctx, adminUser, adminPassword, ""))(t)
	return c, ctx
}

func TestInfoKeysAndErrors(t *testing.T) {
	c, ctx := admin(t)
	if p := must(c.Ping(ctx))(t); p["message"] != "pong from admin" {
		t.Fatal(p)
	}
	if v := must(c.Version(ctx))(t); v["name"] != "microauthd" {
		t.Fatal(v)
	}
	if keys := must(c.ListKeys(ctx, "auth"))(t); len(keys) != 2 {
		t.Fatal(keys)
	}
	if keys := must(c.RotateKeys(ctx, "admin"))(t); len(keys) != 3 {
		t.Fatal(keys)
	}
	_, err := NewAdminClient(adminURL, "").ListRoles(ctx)
	wantStatus(t, 401, err)
	_, err = NewAdminClient(adminURL, "").Login(ctx, adminUser, "wrong", "")
	wantStatus(t, 403, err)
	_, err = NewAdminClient("http://127.0.0.1:1", "").Ping(ctx)
	wantStatus(t, 0, err)
}

func TestUsersRolesPermissionsScopes(t *testing.T) {
	c, ctx := admin(t)
	name := uniq("gouser")
	u := must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	if must(c.GetUser(ctx, u.ID))(t).Username != name || must(c.UserIDByName(ctx, name))(t) != u.ID {
		t.Fatal("get/id-by-name")
	}
	if p := must(c.ListUsers(ctx, 1000, 0, false))(t); p.Total < 2 {
		t.Fatal(p.Total)
	}
	if must(c.UpdateUser(ctx, u.ID, map[string]interface{}{"email": "n-" + name + "@example.com"}))(t).Email != "n-"+name+"@example.com" {
		t.Fatal("update")
	}
	must(c.VerifyEmail(ctx, u.ID))(t)
	must(c.DeactivateUser(ctx, u.ID))(t)
	must(c.ActivateUser(ctx, u.ID))(t)
	_, err := c.ActivateUser(ctx, u.ID)
	wantStatus(t, 400, err)
	until := "2999-01-01T00:00:00Z"
	must(c.SetLockout(ctx, u.ID, &until))(t)
	must(c.SetLockout(ctx, u.ID, nil))(t)
	if must(c.GetUser(ctx, u.ID))(t).LockoutUntil != nil {
		t.Fatal("lockout not cleared")
	}
	must(c.ResetPassword(ctx, u.ID, "another-password-2"))(t)

	role := must(c.CreateRole(ctx, uniq("gorole-"), "r"))(t)
	must(c.UpdateRole(ctx, role.ID, map[string]interface{}{"description": "changed"}))(t)
	if len(must(c.ListRoles(ctx))(t)) == 0 || must(c.GetRole(ctx, role.ID))(t).Name != role.Name || must(c.RoleIDByName(ctx, role.Name))(t) != role.ID {
		t.Fatal("roles")
	}
	perm := must(c.CreatePermission(ctx, uniq("goperm-")))(t)
	must(c.UpdatePermission(ctx, perm.ID, perm.Name+"-x"))(t)
	if must(c.GetPermission(ctx, perm.ID))(t).Name != perm.Name+"-x" || must(c.PermissionIDByName(ctx, perm.Name+"-x"))(t) != perm.ID {
		t.Fatal("permissions")
	}
	must(c.ListPermissions(ctx))(t)
	must(c.AssignPermission(ctx, role.ID, perm.ID))(t)
	if len(must(c.RolePermissions(ctx, role.ID))(t)) != 1 || len(must(c.PermissionDtosOfRole(ctx, role.ID))(t)) != 1 || len(must(c.AllPermissionDtos(ctx))(t)) == 0 {
		t.Fatal("role permissions")
	}
	if must(c.CheckAccess(ctx, u.ID, perm.ID))(t).Allowed {
		t.Fatal("access before role")
	}
	must(c.AssignRole(ctx, u.ID, role.ID))(t)
	must(c.AssignRole(ctx, u.ID, role.ID))(t)
	if ids := must(c.RoleIDsOfUser(ctx, u.ID))(t); len(ids) != 1 {
		t.Fatal(ids)
	}
	if len(must(c.UserRoles(ctx, u.ID, false))(t)) != 1 || len(must(c.UserRoles(ctx, u.ID, true))(t)) < 2 || len(must(c.UserPermissions(ctx, u.ID))(t)) != 1 {
		t.Fatal("user roles")
	}
	if !must(c.CheckAccess(ctx, u.ID, perm.ID))(t).Allowed {
		t.Fatal("access")
	}
	must(c.ReplaceUserRoles(ctx, u.ID, nil))(t)
	must(c.ReplaceUserRoles(ctx, u.ID, []RoleDto{{ID: role.ID, Name: role.Name}}))(t)
	must(c.UnassignRole(ctx, u.ID, role.ID))(t)
	must(c.RemovePermission(ctx, role.ID, perm.ID))(t)
	must(c.DeletePermission(ctx, perm.ID))(t)
	must(c.DeleteRole(ctx, role.ID))(t)

	scope := must(c.CreateScope(ctx, uniq("go.scope."), "d"))(t)
	must(c.UpdateScope(ctx, scope.ID, map[string]interface{}{"desc": "new"}))(t)
	if must(c.GetScope(ctx, scope.ID))(t).Name != scope.Name || must(c.ScopeIDByName(ctx, scope.Name))(t) != scope.ID || len(must(c.ListScopes(ctx))(t)) == 0 {
		t.Fatal("scopes")
	}
	must(c.AssignUserScopes(ctx, u.ID, []string{scope.ID}))(t)
	if len(must(c.UserScopes(ctx, u.ID))(t)) != 1 {
		t.Fatal("user scopes")
	}
	must(c.RemoveUserScope(ctx, u.ID, scope.ID))(t)
	must(c.DeleteScope(ctx, scope.ID))(t)
	must(c.DeleteUser(ctx, u.ID))(t)
	_, err = c.GetUser(ctx, u.ID)
	wantStatus(t, 404, err)
}

func TestClientsFlagsAndAudit(t *testing.T) {
	c, ctx := admin(t)
	cl := must(c.CreateClient(ctx, uniq("go-client-"), "", "Go", "go-api"))(t)
	if cl.ClientSecret == "" || must(c.ClientIDByName(ctx, cl.ClientID))(t) != cl.ID || must(c.GetClient(ctx, cl.ID))(t).ClientID != cl.ClientID {
		t.Fatal("client")
	}
	must(c.UpdateClient(ctx, cl.ID, map[string]interface{}{"display_name": "Renamed"}))(t)
	must(c.ListClients(ctx))(t)
	if s := must(c.ChangeClientSecret(ctx, cl.ID, ""))(t); len(s.Message) < 32 {
		t.Fatal("secret")
	}
	uri := must(c.AddRedirectURI(ctx, cl.ID, "https://app.example.com/cb"))(t)
	if len(must(c.ListRedirectURIs(ctx, cl.ID))(t)) != 1 {
		t.Fatal("redirect uris")
	}
	must(c.DeleteRedirectURI(ctx, uri.ID))(t)
	again := must(c.AddRedirectURI(ctx, cl.ID, "https://app.example.com/cb2"))(t)
	if m := must(c.DeleteRedirectURIViaBody(ctx, again.ID))(t); m.Message != "Redirect URI deleted" || len(must(c.ListRedirectURIs(ctx, cl.ID))(t)) != 0 {
		t.Fatal("redirect uri not deleted via the body", m)
	}
	_, err := c.DeleteRedirectURIViaBody(ctx, again.ID)
	wantStatus(t, 404, err)
	idp := must(c.AddIdp(ctx, cl.ID, ExternalIdpProvider{ProviderKey: "google", DisplayName: "Google", Issuer: "https://accounts.google.com", ClientIdentifier: "x", Scopes: "openid"}))(t)
	idp.DisplayName = "G"
	must(c.UpdateIdp(ctx, cl.ID, idp))(t)
	if len(must(c.ListIdps(ctx, cl.ID))(t)) != 1 {
		t.Fatal("idps")
	}
	must(c.DeleteIdp(ctx, cl.ID, idp.ID))(t)
	scope := must(c.CreateScope(ctx, uniq("go.client."), ""))(t)
	must(c.AssignClientScopes(ctx, cl.ID, []string{scope.ID}))(t)
	if len(must(c.ClientScopes(ctx, cl.ID))(t)) != 1 {
		t.Fatal("client scopes")
	}
	must(c.RemoveClientScope(ctx, cl.ID, scope.ID))(t)
	must(c.SetFlag(ctx, cl.ID, "TOKEN_EXPIRATION", true))(t)
	must(c.SetFlagOptions(ctx, cl.ID, "TOKEN_EXPIRATION", "600"))(t)
	if !must(c.GetFlag(ctx, cl.ClientID, "TOKEN_EXPIRATION"))(t) || must(c.GetFlagOptions(ctx, cl.ID, "TOKEN_EXPIRATION"))(t) != "600" {
		t.Fatal("flags")
	}
	must(c.DeleteClient(ctx, cl.ClientID))(t)

	logs := must(c.ListAuditLogs(ctx, "", "", 10))(t)
	if len(logs) == 0 || must(c.GetAuditLog(ctx, logs[0].ID))(t).ID != logs[0].ID {
		t.Fatal("audit")
	}
	if v := must(c.VerifyAuditChain(ctx))(t); v["ok"] != true {
		t.Fatal(v)
	}
	must(c.PurgeAuditLogs(ctx, 3650))(t)
}

func TestTokensAndVerification(t *testing.T) {
	c, ctx := admin(t)
	name := uniq("gotok")
	u := must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	openid, err := c.ScopeIDByName(ctx, "openid")
	if err != nil {
		openid = must(c.CreateScope(ctx, "openid", "OpenID Connect"))(t).ID
	}
	must(c.AssignUserScopes(ctx, u.ID, []string{openid}))(t)
	cl := must(c.CreateClient(ctx, uniq("go-app-"), "", "App", "go-api"))(t)
	a := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	must(a.Ping(ctx))(t)
	must(a.Version(ctx))(t)
	if d := must(a.Discovery(ctx))(t); !strings.HasSuffix(d["token_endpoint"].(string), "/token") {
		t.Fatal(d)
	}
	tok := must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	issuer := must(a.Discovery(ctx))(t)["issuer"].(string)
	v := &Verifier{Client: a, Issuer: issuer, Audience: "go-api"}
	if claims := must(v.Verify(ctx, tok.AccessToken))(t); claims["sub"] != u.ID {
		t.Fatal(claims)
	}
	if _, err := v.Verify(ctx, tok.AccessToken[:len(tok.AccessToken)-4]+"AAAA"); err == nil {
		t.Fatal("tampered token verified")
	}
	if must(a.Me(ctx))(t)["sub"] != u.ID || must(a.Userinfo(ctx))(t)["sub"] != u.ID || !strings.Contains(must(a.Whoami(ctx))(t)["message"], u.ID) {
		t.Fatal("self-service")
	}
	if len(must(a.MeSessions(ctx))(t)) != 1 || len(must(a.MeRefreshTokens(ctx))(t)) != 1 {
		t.Fatal("me lists")
	}
	if h := must(a.Verify(ctx, tok.AccessToken, "", ""))(t); h.Get("X-Auth-Sub") != u.ID {
		t.Fatal(h)
	}
	if must(a.Introspect(ctx, tok.AccessToken, ""))(t)["active"] != true || must(c.Introspect(ctx, tok.AccessToken))(t)["valid"] != true {
		t.Fatal("introspect")
	}
	if s := must(c.GetSession(ctx, tok.Jti))(t); s.UserID != u.ID {
		t.Fatal(s)
	}
	must(c.ListSessions(ctx, 100, 0))(t)
	must(c.SessionsOfUser(ctx, u.ID))(t)
	next := must(a.Refresh(ctx, *tok.RefreshToken))(t)
	_, err = a.Refresh(ctx, *tok.RefreshToken)
	wantStatus(t, 400, err)
	if must(a.Introspect(ctx, next.AccessToken, ""))(t)["active"] != false {
		t.Fatal("family not revoked")
	}
	rts := must(c.RefreshTokensOfUser(ctx, u.ID))(t)
	if len(rts) != 2 || must(c.GetRefreshToken(ctx, rts[0].ID))(t).UserID != u.ID {
		t.Fatal(rts)
	}
	must(c.ListRefreshTokens(ctx, 100, 0))(t)
	t2 := must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	must(a.Revoke(ctx, t2.AccessToken, "access_token"))(t)
	t3 := must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	if must(c.RevokeSession(ctx, t3.Jti))(t).Status != "revoked" {
		t.Fatal("revoke session")
	}
	t4 := must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	must(c.Revoke(ctx, t4.AccessToken, ""))(t)
	must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	must(a.Logout(ctx))(t)
	must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	must(a.LogoutAll(ctx))(t)
	must(c.PurgeSessions(ctx, PurgeRequest{PurgeExpired: true, PurgeRevoked: true}))(t)
	must(c.PurgeRefreshTokens(ctx, PurgeRequest{PurgeExpired: true, PurgeRevoked: true}))(t)

	m := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	m.UseForm = true
	if cc := must(m.ClientCredentials(ctx, ""))(t); cc.RefreshToken != nil {
		t.Fatal("client_credentials refresh token")
	}
	must(m.OidcToken(ctx, ""))(t)
	_, err = NewAuthClient(authURL, cl.ClientID, "wrong-secret").ClientCredentials(ctx, "")
	wantStatus(t, 401, err)
	_, err = a.PasswordGrant(ctx, name, "wrong-password", "")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "invalid_grant" {
		t.Fatal(err)
	}
}

func TestTotpAndScopedUsers(t *testing.T) {
	c, ctx := admin(t)
	name := uniq("gootp")
	u := must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	cl := must(c.CreateClient(ctx, uniq("go-otp-"), "", "OTP", "go-api"))(t)
	must(c.SetFlag(ctx, cl.ID, "ENABLE_TOTP", true))(t)
	enrol := must(c.GenerateTotp(ctx, u.ID, cl.ID, ""))(t)
	secret := strings.SplitN(strings.SplitN(enrol.OtpauthURI, "secret=", 2)[1], "&", 2)[0]
	code, err := exec.Command("oathtool", "--totp", "-b", secret).Output()
	if err != nil {
		t.Fatalf("oathtool (Debian package oathtool) is required: %v", err)
	}
	must(c.VerifyTotp(ctx, u.ID, cl.ID, strings.TrimSpace(string(code))))(t)
	a := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	_, err = a.PasswordGrant(ctx, name, "user-password-1", "")
	wantStatus(t, 400, err)
	must(c.DisableTotp(ctx, u.ID, cl.ID))(t)
	must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)

	op := uniq("goops")
	opUser := must(c.CreateUser(ctx, op, op+"@example.com", "user-password-1"))(t)
	var ids []string
	for _, s := range []string{"admin:provision_users", "admin:reset_passwords", "admin:deactivate_users", "admin:read_user", "admin:list_users"} {
		ids = append(ids, must(c.ScopeIDByName(ctx, s))(t))
	}
	must(c.AssignUserScopes(ctx, opUser.ID, ids))(t)
	must(a.PasswordGrant(ctx, op, "user-password-1", ""))(t)
	created := must(a.ProvisionUser(ctx, uniq("goprov"), uniq("p")+"@example.com", "user-password-1"))(t)
	if must(a.ReadUser(ctx, created.ID))(t).ID != created.ID || len(must(a.ListUsers(ctx))(t)) == 0 {
		t.Fatal("scoped reads")
	}
	must(a.ResetUserPassword(ctx, created.ID, "new-password-3"))(t)
	must(a.DeactivateUser(ctx, created.ID))(t)
	if must(c.GetUser(ctx, created.ID))(t).IsActive {
		t.Fatal("not deactivated")
	}
}

func oathtool(t *testing.T, secret string, ago time.Duration) string {
	t.Helper()
	at := time.Now().Add(-ago).UTC().Format("2006-01-02 15:04:05 UTC")
	code, err := exec.Command("oathtool", "--totp", "-b", "--now", at, secret).Output()
	if err != nil {
		t.Fatalf("oathtool (Debian package oathtool) is required: %v", err)
	}
	return strings.TrimSpace(string(code))
}

// pkce returns a verifier and its S256 challenge (RFC 7636 §4.1-4.2).
func pkce() (string, string) {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	verifier := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func TestHeadlessLoginWithTotpThenTheCodeGrant(t *testing.T) {
	const redirect = "https://app.example.com/cb"
	c, ctx := admin(t)
	name := uniq("gopk")
	u := must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	cl := must(c.CreateClient(ctx, uniq("go-pk-"), "", "PKCE", "go-api"))(t)
	must(c.AddRedirectURI(ctx, cl.ID, redirect))(t)
	must(c.SetFlag(ctx, cl.ID, "ENABLE_TOTP", true))(t)
	enrol := must(c.GenerateTotp(ctx, u.ID, cl.ID, ""))(t)
	secret := strings.SplitN(strings.SplitN(enrol.OtpauthURI, "secret=", 2)[1], "&", 2)[0]
	must(c.VerifyTotp(ctx, u.ID, cl.ID, oathtool(t, secret, 30*time.Second)))(t) // the login below uses a later code
	a := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	verifier, challenge := pkce()

	started := must(a.Authorize(ctx, AuthorizeRequest{RedirectURI: redirect, CodeChallenge: challenge, Scope: "openid", Nonce: "n-1", State: "st-1"}))(t)
	if started.RequiresTotp || must(a.AuthSession(ctx, started.Jti))(t).ClientID != cl.ClientID {
		t.Fatal(started)
	}
	_, err := a.Finalize(ctx, started.Jti) // no password step yet
	wantStatus(t, 400, err)
	if err.(*APIError).Message != "Invalid credentials" {
		t.Fatal(err)
	}
	_, err = a.LoginPassword(ctx, started.Jti, name, "wrong-password")
	wantStatus(t, 400, err)
	if !must(a.LoginPassword(ctx, started.Jti, name, "user-password-1"))(t).RequiresTotp {
		t.Fatal("TOTP not required")
	}
	_, err = a.Finalize(ctx, started.Jti) // TOTP pending
	wantStatus(t, 400, err)
	must(a.LoginTotp(ctx, started.Jti, oathtool(t, secret, 0)))(t)
	location := must(a.Finalize(ctx, started.Jti))(t)
	back := must(url.Parse(location))(t)
	if !strings.HasPrefix(location, redirect+"?") || back.Query().Get("state") != "st-1" {
		t.Fatal(location)
	}

	tok := must(a.AuthorizationCodeGrant(ctx, back.Query().Get("code"), redirect, verifier))(t)
	if tok.IDToken == nil || must(a.Me(ctx))(t)["sub"] != u.ID {
		t.Fatal(tok)
	}
	v := &Verifier{Client: a, Issuer: must(a.Discovery(ctx))(t)["issuer"].(string), Audience: "go-api"}
	must(v.Verify(ctx, tok.AccessToken))(t)
	if _, err := v.Verify(ctx, *tok.IDToken); err == nil { // signed by the same key, but no access token
		t.Fatal("an ID token verified as an access token")
	}
	_, err = a.AuthorizationCodeGrant(ctx, back.Query().Get("code"), redirect, verifier) // one use
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Code != "invalid_grant" {
		t.Fatal(err)
	}
	_, err = a.AuthSession(ctx, started.Jti)
	wantStatus(t, 404, err)

	// Form client authentication, and a wrong verifier.
	f := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	f.UseForm = true
	must(c.DisableTotp(ctx, u.ID, cl.ID))(t)
	jti := must(f.Authorize(ctx, AuthorizeRequest{RedirectURI: redirect, CodeChallenge: challenge, Scope: "profile"}))(t).Jti
	must(f.LoginPassword(ctx, jti, name, "user-password-1"))(t)
	code := must(url.Parse(must(f.Finalize(ctx, jti))(t)))(t).Query().Get("code")
	_, err = f.AuthorizationCodeGrant(ctx, code, redirect, "wrong-verifier-"+verifier)
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Code != "invalid_grant" {
		t.Fatal(err)
	}
}

func TestAdminJWKSAndRefreshFamilyRevocation(t *testing.T) {
	c, ctx := admin(t)
	header := strings.SplitN(must(NewAdminClient(adminURL, "").Login(ctx, adminUser, adminPassword, ""))(t).AccessToken, ".", 2)[0]
	var h struct{ Kid string }
	if err := decodeSegment(header, &h); err != nil {
		t.Fatal(err)
	}
	has := func(set JWKS) bool {
		for _, k := range set.Keys {
			if k.Kid == h.Kid {
				return true
			}
		}
		return false
	}
	if !has(must(c.AdminJWKS(ctx))(t)) || has(must(NewAuthClient(authURL, "", "").JWKS(ctx))(t)) {
		t.Fatal("the admin token's kid must be published on the admin plane only")
	}
	anon := NewAuthClient(authURL, "", "")
	v := &Verifier{Client: anon, Issuer: must(anon.Discovery(ctx))(t)["issuer"].(string)}
	if _, err := v.Verify(ctx, c.Token()); err == nil {
		t.Fatal("an admin token verified as an auth-plane token")
	}

	name := uniq("gorrt")
	u := must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	cl := must(c.CreateClient(ctx, uniq("go-rrt-"), "", "RRT", "go-api"))(t)
	a := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	first := must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	second := must(a.Refresh(ctx, *first.RefreshToken))(t)
	var spent string
	for _, rt := range must(c.RefreshTokensOfUser(ctx, u.ID))(t) {
		if rt.IsRevoked {
			spent = rt.ID
		}
	}
	must(c.RevokeRefreshToken(ctx, spent))(t) // the spent one: its family goes too
	for _, rt := range must(c.RefreshTokensOfUser(ctx, u.ID))(t) {
		if !rt.IsRevoked {
			t.Fatal("family not revoked", rt)
		}
	}
	_, err := a.Refresh(ctx, *second.RefreshToken)
	wantStatus(t, 400, err)
	_, err = c.RevokeRefreshToken(ctx, "no-such-refresh-token")
	wantStatus(t, 404, err)
}

func TestMetadataPublicKeyAndVerifyRequirements(t *testing.T) {
	c, ctx := admin(t)
	name := uniq("gofa")
	u := must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	cl := must(c.CreateClient(ctx, uniq("go-fa-"), "", "FA", "go-api"))(t)
	a := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	meta := must(a.AuthorizationServerMetadata(ctx))(t)
	if fmt.Sprint(meta) != fmt.Sprint(must(a.Discovery(ctx))(t)) {
		t.Fatal(meta)
	}
	if pem := must(a.PublicKeyPEM(ctx))(t); !strings.HasPrefix(pem, "-----BEGIN PUBLIC KEY-----") {
		t.Fatal(pem)
	}
	tok := must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t).AccessToken
	if h := must(a.Verify(ctx, tok, "", "", "go-api"))(t); h.Get("X-Auth-Sub") != u.ID {
		t.Fatal(h)
	}
	_, err := a.Verify(ctx, tok, "", "", "another-api")
	wantStatus(t, 403, err)
	_, err = a.Verify(ctx, tok, "admin:list_users", "")
	wantStatus(t, 403, err)
	_, err = a.Verify(ctx, "not-a-token", "", "")
	wantStatus(t, 401, err)
}

func TestAuthorizationURLDrivesTheBrowserLogin(t *testing.T) {
	const redirect = "https://app.example.com/cb"
	c, ctx := admin(t)
	name := uniq("gobr")
	u := must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	cl := must(c.CreateClient(ctx, uniq("go-br-"), "", "Browser", "go-api"))(t)
	must(c.AddRedirectURI(ctx, cl.ID, redirect))(t)
	a := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	verifier, challenge := pkce()
	link := a.AuthorizationURL(AuthorizeRequest{RedirectURI: redirect, CodeChallenge: challenge, Scope: "openid profile", Nonce: "n 1", State: "a b&c=d"})
	if !strings.HasPrefix(link, authURL+"/authorize?") {
		t.Fatal(link)
	}
	// A browser that does not follow redirects.
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	step := func(res *http.Response, err error) (*http.Response, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, string(body)
	}
	res, _ := step(browser.Get(link))
	login := res.Header.Get("Location")
	if res.StatusCode != 302 || !strings.HasPrefix(login, "/login?jti=") {
		t.Fatal(res.Status, login)
	}
	_, page := step(browser.Get(authURL + login))
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	jti := must(url.Parse(login))(t).Query().Get("jti")
	res, _ = step(browser.PostForm(authURL+"/login", url.Values{"jti": {jti}, "csrf": {csrf}, "username": {name}, "password": {"user-password-1"}}))
	res, _ = step(browser.Get(authURL + res.Header.Get("Location")))
	back := must(url.Parse(res.Header.Get("Location")))(t).Query()
	if back.Get("state") != "a b&c=d" {
		t.Fatal(back)
	}
	must(a.AuthorizationCodeGrant(ctx, back.Get("code"), redirect, verifier))(t)
	if must(a.Me(ctx))(t)["sub"] != u.ID {
		t.Fatal("not signed in")
	}
	foreign := NewAuthClient(authURL, cl.ClientID, "").AuthorizationURL(AuthorizeRequest{RedirectURI: "https://evil.example.com/cb", CodeChallenge: challenge})
	if res, _ := step(browser.Get(foreign)); res.StatusCode != 400 { // never redirected to an unregistered URI
		t.Fatal(res.Status)
	}
}

func TestSessionListFilters(t *testing.T) {
	c, ctx := admin(t)
	name := uniq("gosf")
	must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	one := must(c.CreateClient(ctx, uniq("go-sf-"), "", "One", "go-api"))(t)
	other := must(c.CreateClient(ctx, uniq("go-sf-"), "", "Other", "go-api"))(t)
	a := NewAuthClient(authURL, one.ClientID, one.ClientSecret)
	live := must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	revoked := must(a.PasswordGrant(ctx, name, "user-password-1", ""))(t)
	must(c.RevokeSession(ctx, revoked.Jti))(t)
	elsewhere := must(NewAuthClient(authURL, other.ClientID, other.ClientSecret).PasswordGrant(ctx, name, "user-password-1", ""))(t)

	ids := func(f SessionFilter) string {
		p := must(c.ListSessions(ctx, 1000, 0, f))(t)
		if p.Total != len(p.Items) {
			t.Fatalf("X-Total-Count %d for %d items", p.Total, len(p.Items))
		}
		var out []string
		for _, s := range p.Items {
			out = append(out, s.ID)
		}
		sort.Strings(out)
		return strings.Join(out, ",")
	}
	both := []string{live.Jti, revoked.Jti}
	sort.Strings(both)
	for name, tc := range map[string]struct {
		filter SessionFilter
		want   string
	}{
		"client":             {SessionFilter{ClientID: one.ClientID}, strings.Join(both, ",")},
		"client, active":     {SessionFilter{ClientID: one.ClientID, Active: Bool(true)}, live.Jti},
		"client, not active": {SessionFilter{ClientID: one.ClientID, Active: Bool(false)}, revoked.Jti},
		"client, auth plane": {SessionFilter{ClientID: other.ClientID, MadUse: "auth"}, elsewhere.Jti},
		"client, admin":      {SessionFilter{ClientID: other.ClientID, MadUse: "admin"}, ""},
	} {
		if got := ids(tc.filter); got != tc.want {
			t.Errorf("%s: got %q, want %q", name, got, tc.want)
		}
	}
	adminSessions := must(c.ListSessions(ctx, 1000, 0, SessionFilter{MadUse: "admin"}))(t).Items
	if len(adminSessions) == 0 {
		t.Fatal("no admin sessions")
	}
	for _, s := range adminSessions {
		if s.MadUse != "admin" {
			t.Fatalf("mad_use=admin listed %+v", s)
		}
	}
	if all := must(c.ListSessions(ctx, 1000, 0))(t); all.Total < 4 {
		t.Fatalf("unfiltered: %d sessions", all.Total)
	}
}

func TestAdminIntrospectWithATokenTypeHint(t *testing.T) {
	c, ctx := admin(t)
	name := uniq("goih")
	must(c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))(t)
	cl := must(c.CreateClient(ctx, uniq("go-ih-"), "", "Hint", "go-api"))(t)
	tok := must(NewAuthClient(authURL, cl.ClientID, cl.ClientSecret).PasswordGrant(ctx, name, "user-password-1", ""))(t)
	if r := must(c.Introspect(ctx, *tok.RefreshToken, "refresh_token"))(t); r["active"] != true || r["token_type"] != "refresh_token" {
		t.Fatal(r)
	}
	if r := must(c.Introspect(ctx, tok.AccessToken, "access_token"))(t); r["jti"] != tok.Jti {
		t.Fatal(r)
	}
	if r := must(c.Introspect(ctx, tok.AccessToken, "refresh_token"))(t); r["valid"] != true { // a hint, not a filter
		t.Fatal(r)
	}
	must(c.Revoke(ctx, *tok.RefreshToken, "refresh_token"))(t)
	if r := must(c.Introspect(ctx, *tok.RefreshToken, "refresh_token"))(t); len(r) != 1 || r["active"] != false {
		t.Fatal(r)
	}
}
