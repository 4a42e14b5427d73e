package microauthd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
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

func must[T any](t *testing.T, v T, err error) T {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	return v
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
	must(t, c.Login(ctx, adminUser, adminPassword, ""))
	return c, ctx
}

func TestInfoKeysAndErrors(t *testing.T) {
	c, ctx := admin(t)
	if p := must(t, c.Ping(ctx)); p["message"] != "pong from admin" {
		t.Fatal(p)
	}
	if v := must(t, c.Version(ctx)); v["name"] != "microauthd" {
		t.Fatal(v)
	}
	if keys := must(t, c.ListKeys(ctx, "auth")); len(keys) != 2 {
		t.Fatal(keys)
	}
	if keys := must(t, c.RotateKeys(ctx, "admin")); len(keys) != 3 {
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
	u := must(t, c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))
	if must(t, c.GetUser(ctx, u.ID)).Username != name || must(t, c.UserIDByName(ctx, name)) != u.ID {
		t.Fatal("get/id-by-name")
	}
	if p := must(t, c.ListUsers(ctx, 1000, 0, false)); p.Total < 2 {
		t.Fatal(p.Total)
	}
	if must(t, c.UpdateUser(ctx, u.ID, map[string]interface{}{"email": "n-" + name + "@example.com"})).Email != "n-"+name+"@example.com" {
		t.Fatal("update")
	}
	must(t, c.VerifyEmail(ctx, u.ID))
	must(t, c.DeactivateUser(ctx, u.ID))
	must(t, c.ActivateUser(ctx, u.ID))
	_, err := c.ActivateUser(ctx, u.ID)
	wantStatus(t, 400, err)
	until := "2999-01-01T00:00:00Z"
	must(t, c.SetLockout(ctx, u.ID, &until))
	must(t, c.SetLockout(ctx, u.ID, nil))
	if must(t, c.GetUser(ctx, u.ID)).LockoutUntil != nil {
		t.Fatal("lockout not cleared")
	}
	must(t, c.ResetPassword(ctx, u.ID, "another-password-2"))

	role := must(t, c.CreateRole(ctx, uniq("gorole-"), "r"))
	must(t, c.UpdateRole(ctx, role.ID, map[string]interface{}{"description": "changed"}))
	if len(must(t, c.ListRoles(ctx))) == 0 || must(t, c.GetRole(ctx, role.ID)).Name != role.Name || must(t, c.RoleIDByName(ctx, role.Name)) != role.ID {
		t.Fatal("roles")
	}
	perm := must(t, c.CreatePermission(ctx, uniq("goperm-")))
	must(t, c.UpdatePermission(ctx, perm.ID, perm.Name+"-x"))
	if must(t, c.GetPermission(ctx, perm.ID)).Name != perm.Name+"-x" || must(t, c.PermissionIDByName(ctx, perm.Name+"-x")) != perm.ID {
		t.Fatal("permissions")
	}
	must(t, c.ListPermissions(ctx))
	must(t, c.AssignPermission(ctx, role.ID, perm.ID))
	if len(must(t, c.RolePermissions(ctx, role.ID))) != 1 || len(must(t, c.PermissionDtosOfRole(ctx, role.ID))) != 1 || len(must(t, c.AllPermissionDtos(ctx))) == 0 {
		t.Fatal("role permissions")
	}
	if must(t, c.CheckAccess(ctx, u.ID, perm.ID)).Allowed {
		t.Fatal("access before role")
	}
	must(t, c.AssignRole(ctx, u.ID, role.ID))
	must(t, c.AssignRole(ctx, u.ID, role.ID))
	if ids := must(t, c.RoleIDsOfUser(ctx, u.ID)); len(ids) != 1 {
		t.Fatal(ids)
	}
	if len(must(t, c.UserRoles(ctx, u.ID, false))) != 1 || len(must(t, c.UserRoles(ctx, u.ID, true))) < 2 || len(must(t, c.UserPermissions(ctx, u.ID))) != 1 {
		t.Fatal("user roles")
	}
	if !must(t, c.CheckAccess(ctx, u.ID, perm.ID)).Allowed {
		t.Fatal("access")
	}
	must(t, c.ReplaceUserRoles(ctx, u.ID, nil))
	must(t, c.ReplaceUserRoles(ctx, u.ID, []RoleDto{{ID: role.ID, Name: role.Name}}))
	must(t, c.UnassignRole(ctx, u.ID, role.ID))
	must(t, c.RemovePermission(ctx, role.ID, perm.ID))
	must(t, c.DeletePermission(ctx, perm.ID))
	must(t, c.DeleteRole(ctx, role.ID))

	scope := must(t, c.CreateScope(ctx, uniq("go.scope."), "d"))
	must(t, c.UpdateScope(ctx, scope.ID, map[string]interface{}{"desc": "new"}))
	if must(t, c.GetScope(ctx, scope.ID)).Name != scope.Name || must(t, c.ScopeIDByName(ctx, scope.Name)) != scope.ID || len(must(t, c.ListScopes(ctx))) == 0 {
		t.Fatal("scopes")
	}
	must(t, c.AssignUserScopes(ctx, u.ID, []string{scope.ID}))
	if len(must(t, c.UserScopes(ctx, u.ID))) != 1 {
		t.Fatal("user scopes")
	}
	must(t, c.RemoveUserScope(ctx, u.ID, scope.ID))
	must(t, c.DeleteScope(ctx, scope.ID))
	must(t, c.DeleteUser(ctx, u.ID))
	_, err = c.GetUser(ctx, u.ID)
	wantStatus(t, 404, err)
}

func TestClientsFlagsAndAudit(t *testing.T) {
	c, ctx := admin(t)
	cl := must(t, c.CreateClient(ctx, uniq("go-client-"), "", "Go", "go-api"))
	if cl.ClientSecret == "" || must(t, c.ClientIDByName(ctx, cl.ClientID)) != cl.ID || must(t, c.GetClient(ctx, cl.ID)).ClientID != cl.ClientID {
		t.Fatal("client")
	}
	must(t, c.UpdateClient(ctx, cl.ID, map[string]interface{}{"display_name": "Renamed"}))
	must(t, c.ListClients(ctx))
	if s := must(t, c.ChangeClientSecret(ctx, cl.ID, "")); len(s.Message) < 32 {
		t.Fatal("secret")
	}
	uri := must(t, c.AddRedirectURI(ctx, cl.ID, "https://app.example.com/cb"))
	if len(must(t, c.ListRedirectURIs(ctx, cl.ID))) != 1 {
		t.Fatal("redirect uris")
	}
	must(t, c.DeleteRedirectURI(ctx, uri.ID))
	idp := must(t, c.AddIdp(ctx, cl.ID, ExternalIdpProvider{ProviderKey: "google", DisplayName: "Google", Issuer: "https://accounts.google.com", ClientIdentifier: "x", Scopes: "openid"}))
	idp.DisplayName = "G"
	must(t, c.UpdateIdp(ctx, cl.ID, idp))
	if len(must(t, c.ListIdps(ctx, cl.ID))) != 1 {
		t.Fatal("idps")
	}
	must(t, c.DeleteIdp(ctx, cl.ID, idp.ID))
	scope := must(t, c.CreateScope(ctx, uniq("go.client."), ""))
	must(t, c.AssignClientScopes(ctx, cl.ID, []string{scope.ID}))
	if len(must(t, c.ClientScopes(ctx, cl.ID))) != 1 {
		t.Fatal("client scopes")
	}
	must(t, c.RemoveClientScope(ctx, cl.ID, scope.ID))
	must(t, c.SetFlag(ctx, cl.ID, "TOKEN_EXPIRATION", true))
	must(t, c.SetFlagOptions(ctx, cl.ID, "TOKEN_EXPIRATION", "600"))
	if !must(t, c.GetFlag(ctx, cl.ClientID, "TOKEN_EXPIRATION")) || must(t, c.GetFlagOptions(ctx, cl.ID, "TOKEN_EXPIRATION")) != "600" {
		t.Fatal("flags")
	}
	must(t, c.DeleteClient(ctx, cl.ClientID))

	logs := must(t, c.ListAuditLogs(ctx, "", "", 10))
	if len(logs) == 0 || must(t, c.GetAuditLog(ctx, logs[0].ID)).ID != logs[0].ID {
		t.Fatal("audit")
	}
	if v := must(t, c.VerifyAuditChain(ctx)); v["ok"] != true {
		t.Fatal(v)
	}
	must(t, c.PurgeAuditLogs(ctx, 3650))
}

func TestTokensAndVerification(t *testing.T) {
	c, ctx := admin(t)
	name := uniq("gotok")
	u := must(t, c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))
	openid, err := c.ScopeIDByName(ctx, "openid")
	if err != nil {
		openid = must(t, c.CreateScope(ctx, "openid", "OpenID Connect")).ID
	}
	must(t, c.AssignUserScopes(ctx, u.ID, []string{openid}))
	cl := must(t, c.CreateClient(ctx, uniq("go-app-"), "", "App", "go-api"))
	a := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	must(t, a.Ping(ctx))
	must(t, a.Version(ctx))
	if d := must(t, a.Discovery(ctx)); !strings.HasSuffix(d["token_endpoint"].(string), "/token") {
		t.Fatal(d)
	}
	tok := must(t, a.PasswordGrant(ctx, name, "user-password-1", ""))
	issuer := must(t, a.Discovery(ctx))["issuer"].(string)
	v := &Verifier{Client: a, Issuer: issuer, Audience: "go-api"}
	if claims := must(t, v.Verify(ctx, tok.AccessToken)); claims["sub"] != u.ID {
		t.Fatal(claims)
	}
	if _, err := v.Verify(ctx, tok.AccessToken[:len(tok.AccessToken)-4]+"AAAA"); err == nil {
		t.Fatal("tampered token verified")
	}
	if must(t, a.Me(ctx))["sub"] != u.ID || must(t, a.Userinfo(ctx))["sub"] != u.ID || !strings.Contains(must(t, a.Whoami(ctx))["message"], u.ID) {
		t.Fatal("self-service")
	}
	if len(must(t, a.MeSessions(ctx))) != 1 || len(must(t, a.MeRefreshTokens(ctx))) != 1 {
		t.Fatal("me lists")
	}
	if h := must(t, a.Verify(ctx, tok.AccessToken, "", "")); h.Get("X-Auth-Sub") != u.ID {
		t.Fatal(h)
	}
	if must(t, a.Introspect(ctx, tok.AccessToken, ""))["active"] != true || must(t, c.Introspect(ctx, tok.AccessToken))["valid"] != true {
		t.Fatal("introspect")
	}
	if s := must(t, c.GetSession(ctx, tok.Jti)); s.UserID != u.ID {
		t.Fatal(s)
	}
	must(t, c.ListSessions(ctx, 100, 0))
	must(t, c.SessionsOfUser(ctx, u.ID))
	next := must(t, a.Refresh(ctx, *tok.RefreshToken))
	_, err = a.Refresh(ctx, *tok.RefreshToken)
	wantStatus(t, 400, err)
	if must(t, a.Introspect(ctx, next.AccessToken, ""))["active"] != false {
		t.Fatal("family not revoked")
	}
	rts := must(t, c.RefreshTokensOfUser(ctx, u.ID))
	if len(rts) != 2 || must(t, c.GetRefreshToken(ctx, rts[0].ID)).UserID != u.ID {
		t.Fatal(rts)
	}
	must(t, c.ListRefreshTokens(ctx, 100, 0))
	t2 := must(t, a.PasswordGrant(ctx, name, "user-password-1", ""))
	must(t, a.Revoke(ctx, t2.AccessToken, "access_token"))
	t3 := must(t, a.PasswordGrant(ctx, name, "user-password-1", ""))
	if must(t, c.RevokeSession(ctx, t3.Jti)).Status != "revoked" {
		t.Fatal("revoke session")
	}
	t4 := must(t, a.PasswordGrant(ctx, name, "user-password-1", ""))
	must(t, c.Revoke(ctx, t4.AccessToken, ""))
	must(t, a.PasswordGrant(ctx, name, "user-password-1", ""))
	must(t, a.Logout(ctx))
	must(t, a.PasswordGrant(ctx, name, "user-password-1", ""))
	must(t, a.LogoutAll(ctx))
	must(t, c.PurgeSessions(ctx, PurgeRequest{PurgeExpired: true, PurgeRevoked: true}))
	must(t, c.PurgeRefreshTokens(ctx, PurgeRequest{PurgeExpired: true, PurgeRevoked: true}))

	m := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	m.UseForm = true
	if cc := must(t, m.ClientCredentials(ctx, "")); cc.RefreshToken != nil {
		t.Fatal("client_credentials refresh token")
	}
	must(t, m.OidcToken(ctx, ""))
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
	u := must(t, c.CreateUser(ctx, name, name+"@example.com", "user-password-1"))
	cl := must(t, c.CreateClient(ctx, uniq("go-otp-"), "", "OTP", "go-api"))
	must(t, c.SetFlag(ctx, cl.ID, "ENABLE_TOTP", true))
	enrol := must(t, c.GenerateTotp(ctx, u.ID, cl.ID, ""))
	secret := strings.SplitN(strings.SplitN(enrol.OtpauthURI, "secret=", 2)[1], "&", 2)[0]
	code, err := exec.Command("oathtool", "--totp", "-b", secret).Output()
	if err != nil {
		t.Fatalf("oathtool (Debian package oathtool) is required: %v", err)
	}
	must(t, c.VerifyTotp(ctx, u.ID, cl.ID, strings.TrimSpace(string(code))))
	a := NewAuthClient(authURL, cl.ClientID, cl.ClientSecret)
	_, err = a.PasswordGrant(ctx, name, "user-password-1", "")
	wantStatus(t, 400, err)
	must(t, c.DisableTotp(ctx, u.ID, cl.ID))
	must(t, a.PasswordGrant(ctx, name, "user-password-1", ""))

	op := uniq("goops")
	opUser := must(t, c.CreateUser(ctx, op, op+"@example.com", "user-password-1"))
	var ids []string
	for _, s := range []string{"admin:provision_users", "admin:reset_passwords", "admin:deactivate_users", "admin:read_user", "admin:list_users"} {
		ids = append(ids, must(t, c.ScopeIDByName(ctx, s)))
	}
	must(t, c.AssignUserScopes(ctx, opUser.ID, ids))
	must(t, a.PasswordGrant(ctx, op, "user-password-1", ""))
	created := must(t, a.ProvisionUser(ctx, uniq("goprov"), uniq("p")+"@example.com", "user-password-1"))
	if must(t, a.ReadUser(ctx, created.ID)).ID != created.ID || len(must(t, a.ListUsers(ctx))) == 0 {
		t.Fatal("scoped reads")
	}
	must(t, a.ResetUserPassword(ctx, created.ID, "new-password-3"))
	must(t, a.DeactivateUser(ctx, created.ID))
	if must(t, c.GetUser(ctx, created.ID)).IsActive {
		t.Fatal("not deactivated")
	}
}
