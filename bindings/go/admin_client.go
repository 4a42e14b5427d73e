package microauthd

import (
	"context"
	"net/url"
	"strconv"
)

// AdminClient covers every route of the ADMIN plane (default http://127.0.0.1:9041).
type AdminClient struct{ t *transport }

func NewAdminClient(baseURL, token string) *AdminClient {
	return &AdminClient{t: newTransport(baseURL, token)}
}

// Token returns the admin token in use; SetToken replaces it.
func (c *AdminClient) Token() string       { return c.t.token }
func (c *AdminClient) SetToken(tok string) { c.t.token = tok }

func call[T any](ctx context.Context, t *transport, r request) (T, error) {
	var out T
	_, err := t.do(ctx, r, &out)
	return out, err
}

func page[T any](ctx context.Context, t *transport, path string, q url.Values) (Page[T], error) {
	var items []T
	res, err := t.do(ctx, request{method: "GET", path: path, query: q}, &items)
	if err != nil {
		return Page[T]{}, err
	}
	return Page[T]{Items: items, Total: totalCount(res.Header, len(items))}, nil
}

func (c *AdminClient) msg(ctx context.Context, r request) (MessageResponse, error) {
	return call[MessageResponse](ctx, c.t, r)
}

// ---- info, login, keys, token checks ----

func (c *AdminClient) Ping(ctx context.Context) (map[string]string, error) {
	return call[map[string]string](ctx, c.t, request{method: "GET", path: "/ping", anonymous: true})
}

func (c *AdminClient) Version(ctx context.Context) (map[string]string, error) {
	return call[map[string]string](ctx, c.t, request{method: "GET", path: "/version", anonymous: true})
}

// Login signs in as an administrator and keeps the token for later calls.
func (c *AdminClient) Login(ctx context.Context, username, password, clientID string) (TokenResponse, error) {
	if clientID == "" {
		clientID = "admin"
	}
	res, err := call[TokenResponse](ctx, c.t, request{method: "POST", path: "/token", anonymous: true,
		form: url.Values{"username": {username}, "password": {password}, "client_id": {clientID}}})
	if err == nil {
		c.t.token = res.AccessToken
	}
	return res, err
}

// AdminJWKS returns the admin plane's published keys (GET /jwks.json on the admin port: verifying admin tokens).
func (c *AdminClient) AdminJWKS(ctx context.Context) (JWKS, error) {
	return call[JWKS](ctx, c.t, request{method: "GET", path: "/jwks.json", anonymous: true})
}

func (c *AdminClient) ListKeys(ctx context.Context, plane string) ([]KeyInfo, error) {
	return call[[]KeyInfo](ctx, c.t, request{method: "GET", path: "/keys/" + esc(plane)})
}

func (c *AdminClient) RotateKeys(ctx context.Context, plane string) ([]KeyInfo, error) {
	return call[[]KeyInfo](ctx, c.t, request{method: "POST", path: "/keys/" + esc(plane) + "/rotate"})
}

// Introspect answers, for an active auth-plane access or refresh token, its claims plus valid, expired and active;
// for an inactive one, {"active": false} alone. The optional hint ("access_token" or "refresh_token") is sent as
// token_type_hint: which kind the server looks up first.
func (c *AdminClient) Introspect(ctx context.Context, token string, hint ...string) (map[string]interface{}, error) {
	body := map[string]string{"token": token}
	if len(hint) > 0 && hint[0] != "" {
		body["token_type_hint"] = hint[0]
	}
	return call[map[string]interface{}](ctx, c.t, request{method: "POST", path: "/introspect", json: body})
}

func (c *AdminClient) Revoke(ctx context.Context, token, hint string) (MessageResponse, error) {
	f := url.Values{"token": {token}}
	if hint != "" {
		f.Set("token_type_hint", hint)
	}
	return c.msg(ctx, request{method: "POST", path: "/revoke", form: f})
}

// ---- users ----

func (c *AdminClient) CreateUser(ctx context.Context, username, email, password string) (UserObject, error) {
	return call[UserObject](ctx, c.t, request{method: "POST", path: "/users", json: map[string]string{"username": username, "email": email, "password": password}})
}

func (c *AdminClient) ListUsers(ctx context.Context, limit, offset int, includeInactive bool) (Page[UserObject], error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
	if includeInactive {
		q.Set("include_inactive", "true")
	}
	return page[UserObject](ctx, c.t, "/users", q)
}

func (c *AdminClient) GetUser(ctx context.Context, id string) (UserObject, error) {
	return call[UserObject](ctx, c.t, request{method: "GET", path: "/users/" + esc(id)})
}

func (c *AdminClient) UserIDByName(ctx context.Context, username string) (string, error) {
	return call[string](ctx, c.t, request{method: "GET", path: "/users/id-by-name/" + esc(username)})
}

// UpdateUser sends a partial update: only the given fields change.
func (c *AdminClient) UpdateUser(ctx context.Context, id string, fields map[string]interface{}) (UserObject, error) {
	body := map[string]interface{}{"id": id}
	for k, v := range fields {
		body[k] = v
	}
	return call[UserObject](ctx, c.t, request{method: "PUT", path: "/users/" + esc(id), json: body})
}

func (c *AdminClient) VerifyEmail(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/users/" + esc(id) + "/verify-email"})
}

func (c *AdminClient) DeactivateUser(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/users/deactivate/" + esc(id)})
}

func (c *AdminClient) ActivateUser(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/users/" + esc(id) + "/activate"})
}

func (c *AdminClient) DeleteUser(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/users/" + esc(id)})
}

func (c *AdminClient) ResetPassword(ctx context.Context, id, newPassword string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/users/" + esc(id) + "/reset", json: map[string]string{"new_password": newPassword}})
}

// SetLockout locks until the given ISO-8601 time (revoking sessions); nil clears the lockout.
func (c *AdminClient) SetLockout(ctx context.Context, id string, until *string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/users/" + esc(id) + "/set-lockout", json: map[string]*string{"lockout_until": until}})
}

func (c *AdminClient) GenerateTotp(ctx context.Context, userID, clientID, outputPath string) (TotpQrResponse, error) {
	if outputPath == "" {
		outputPath = "."
	}
	return call[TotpQrResponse](ctx, c.t, request{method: "POST", path: "/users/" + esc(userID) + "/totp/generate",
		json: map[string]string{"user_id": userID, "client_id": clientID, "qr_output_path": outputPath}})
}

func (c *AdminClient) VerifyTotp(ctx context.Context, userID, clientID, code string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/users/totp/verify", json: map[string]string{"user_id": userID, "client_id": clientID, "code": code}})
}

func (c *AdminClient) DisableTotp(ctx context.Context, userID, clientID string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/users/" + esc(userID) + "/" + esc(clientID) + "/disable-totp"})
}

func (c *AdminClient) UserScopes(ctx context.Context, userID string) ([]ScopeObject, error) {
	return call[[]ScopeObject](ctx, c.t, request{method: "GET", path: "/users/" + esc(userID) + "/scopes"})
}

func (c *AdminClient) AssignUserScopes(ctx context.Context, userID string, scopeIDs []string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/users/" + esc(userID) + "/scopes", json: map[string][]string{"scope_ids": scopeIDs}})
}

func (c *AdminClient) RemoveUserScope(ctx context.Context, userID, scopeID string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/users/" + esc(userID) + "/scopes/" + esc(scopeID)})
}

func (c *AdminClient) UserRoles(ctx context.Context, userID string, all bool) ([]RoleDto, error) {
	return call[[]RoleDto](ctx, c.t, request{method: "GET", path: "/users/" + esc(userID) + "/roles", query: url.Values{"all": {strconv.FormatBool(all)}}})
}

func (c *AdminClient) ReplaceUserRoles(ctx context.Context, userID string, roles []RoleDto) (MessageResponse, error) {
	if roles == nil {
		roles = []RoleDto{}
	}
	return c.msg(ctx, request{method: "PUT", path: "/users/" + esc(userID) + "/roles", json: roles})
}

// ---- roles ----

func (c *AdminClient) CreateRole(ctx context.Context, name, description string) (RoleObject, error) {
	return call[RoleObject](ctx, c.t, request{method: "POST", path: "/roles", json: map[string]string{"name": name, "description": description}})
}

func (c *AdminClient) UpdateRole(ctx context.Context, id string, fields map[string]interface{}) (RoleObject, error) {
	return call[RoleObject](ctx, c.t, request{method: "PUT", path: "/roles/" + esc(id), json: fields})
}

func (c *AdminClient) ListRoles(ctx context.Context) ([]RoleObject, error) {
	return call[[]RoleObject](ctx, c.t, request{method: "GET", path: "/roles"})
}

func (c *AdminClient) GetRole(ctx context.Context, id string) (RoleObject, error) {
	return call[RoleObject](ctx, c.t, request{method: "GET", path: "/roles/" + esc(id)})
}

func (c *AdminClient) RoleIDByName(ctx context.Context, name string) (string, error) {
	return call[string](ctx, c.t, request{method: "GET", path: "/roles/id-by-name/" + esc(name)})
}

func (c *AdminClient) DeleteRole(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/roles/" + esc(id)})
}

func (c *AdminClient) AssignRole(ctx context.Context, userID, roleID string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/roles/assign", json: map[string]string{"user_id": userID, "role_id": roleID}})
}

func (c *AdminClient) UnassignRole(ctx context.Context, userID, roleID string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/roles/unassign", json: map[string]string{"user_id": userID, "role_id": roleID}})
}

func (c *AdminClient) RoleIDsOfUser(ctx context.Context, userID string) ([]string, error) {
	return call[[]string](ctx, c.t, request{method: "GET", path: "/roles/user/" + esc(userID)})
}

func (c *AdminClient) AssignPermission(ctx context.Context, roleID, permissionID string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/roles/" + esc(roleID) + "/permissions", json: map[string]string{"permission_id": permissionID}})
}

func (c *AdminClient) RemovePermission(ctx context.Context, roleID, permissionID string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/roles/" + esc(roleID) + "/permissions/" + esc(permissionID)})
}

func (c *AdminClient) RolePermissions(ctx context.Context, roleID string) ([]PermissionObject, error) {
	return call[[]PermissionObject](ctx, c.t, request{method: "GET", path: "/roles/" + esc(roleID) + "/permissions"})
}

// ---- permissions ----

func (c *AdminClient) CreatePermission(ctx context.Context, name string) (PermissionObject, error) {
	return call[PermissionObject](ctx, c.t, request{method: "POST", path: "/permissions", json: map[string]string{"name": name}})
}

func (c *AdminClient) UpdatePermission(ctx context.Context, id, name string) (PermissionObject, error) {
	return call[PermissionObject](ctx, c.t, request{method: "PUT", path: "/permissions/" + esc(id), json: map[string]string{"id": id, "name": name}})
}

func (c *AdminClient) ListPermissions(ctx context.Context) ([]PermissionObject, error) {
	return call[[]PermissionObject](ctx, c.t, request{method: "GET", path: "/permissions"})
}

func (c *AdminClient) GetPermission(ctx context.Context, id string) (PermissionObject, error) {
	return call[PermissionObject](ctx, c.t, request{method: "GET", path: "/permissions/" + esc(id)})
}

func (c *AdminClient) PermissionIDByName(ctx context.Context, name string) (string, error) {
	return call[string](ctx, c.t, request{method: "GET", path: "/permissions/id-by-name/" + esc(name)})
}

func (c *AdminClient) DeletePermission(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/permissions/" + esc(id)})
}

func (c *AdminClient) AllPermissionDtos(ctx context.Context) ([]RoleDto, error) {
	return call[[]RoleDto](ctx, c.t, request{method: "GET", path: "/permissions/retrieve/all"})
}

func (c *AdminClient) PermissionDtosOfRole(ctx context.Context, roleID string) ([]RoleDto, error) {
	return call[[]RoleDto](ctx, c.t, request{method: "GET", path: "/permissions/retrieve/" + esc(roleID)})
}

func (c *AdminClient) UserPermissions(ctx context.Context, userID string) ([]PermissionObject, error) {
	return call[[]PermissionObject](ctx, c.t, request{method: "GET", path: "/permissions/user/" + esc(userID)})
}

func (c *AdminClient) CheckAccess(ctx context.Context, userID, permissionID string) (AccessCheckResponse, error) {
	return call[AccessCheckResponse](ctx, c.t, request{method: "POST", path: "/check-access", json: map[string]string{"user_id": userID, "permission_id": permissionID}})
}

// ---- scopes ----

func (c *AdminClient) CreateScope(ctx context.Context, name, desc string) (ScopeObject, error) {
	return call[ScopeObject](ctx, c.t, request{method: "POST", path: "/scopes", json: map[string]string{"name": name, "desc": desc}})
}

func (c *AdminClient) UpdateScope(ctx context.Context, id string, fields map[string]interface{}) (ScopeObject, error) {
	return call[ScopeObject](ctx, c.t, request{method: "PUT", path: "/scopes/" + esc(id), json: fields})
}

func (c *AdminClient) ListScopes(ctx context.Context) ([]ScopeObject, error) {
	return call[[]ScopeObject](ctx, c.t, request{method: "GET", path: "/scopes"})
}

func (c *AdminClient) GetScope(ctx context.Context, id string) (ScopeObject, error) {
	return call[ScopeObject](ctx, c.t, request{method: "GET", path: "/scopes/" + esc(id)})
}

func (c *AdminClient) ScopeIDByName(ctx context.Context, name string) (string, error) {
	return call[string](ctx, c.t, request{method: "GET", path: "/scopes/id-by-name/" + esc(name)})
}

func (c *AdminClient) DeleteScope(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/scopes/" + esc(id)})
}

// ---- clients ----

// CreateClient: with an empty secret the server generates one and returns it once in ClientSecret.
func (c *AdminClient) CreateClient(ctx context.Context, clientID, secret, displayName, audience string) (ClientObject, error) {
	body := map[string]string{"client_id": clientID, "display_name": displayName, "audience": audience}
	if secret != "" {
		body["client_secret"] = secret
	}
	return call[ClientObject](ctx, c.t, request{method: "POST", path: "/clients", json: body})
}

func (c *AdminClient) UpdateClient(ctx context.Context, key string, fields map[string]interface{}) (ClientObject, error) {
	return call[ClientObject](ctx, c.t, request{method: "PUT", path: "/clients/" + esc(key), json: fields})
}

func (c *AdminClient) ListClients(ctx context.Context) ([]ClientObject, error) {
	return call[[]ClientObject](ctx, c.t, request{method: "GET", path: "/clients"})
}

func (c *AdminClient) GetClient(ctx context.Context, key string) (ClientObject, error) {
	return call[ClientObject](ctx, c.t, request{method: "GET", path: "/clients/" + esc(key)})
}

func (c *AdminClient) ClientIDByName(ctx context.Context, identifier string) (string, error) {
	return call[string](ctx, c.t, request{method: "GET", path: "/clients/id-by-name/" + esc(identifier)})
}

// ChangeClientSecret: an empty newSecret makes the server generate one; the answer's Message is the secret.
func (c *AdminClient) ChangeClientSecret(ctx context.Context, key, newSecret string) (MessageResponse, error) {
	body := map[string]interface{}{"client_id": key, "new_secret": nil}
	if newSecret != "" {
		body["new_secret"] = newSecret
	}
	return c.msg(ctx, request{method: "POST", path: "/clients/secret", json: body})
}

func (c *AdminClient) DeleteClient(ctx context.Context, key string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/clients/" + esc(key)})
}

func (c *AdminClient) AddRedirectURI(ctx context.Context, key, uri string) (ClientRedirectURI, error) {
	return call[ClientRedirectURI](ctx, c.t, request{method: "POST", path: "/clients/" + esc(key) + "/redirect-uris", json: map[string]string{"redirect_uri": uri}})
}

func (c *AdminClient) ListRedirectURIs(ctx context.Context, key string) ([]ClientRedirectURI, error) {
	return call[[]ClientRedirectURI](ctx, c.t, request{method: "GET", path: "/clients/" + esc(key) + "/redirect-uris"})
}

func (c *AdminClient) DeleteRedirectURI(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/clients/redirect-uris/" + esc(id)})
}

// DeleteRedirectURIViaBody deletes a redirect URI with the original form: DELETE /clients/redirect-uris with the
// id as a JSON string body.
func (c *AdminClient) DeleteRedirectURIViaBody(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/clients/redirect-uris", json: id})
}

func (c *AdminClient) ListIdps(ctx context.Context, key string) ([]ExternalIdpProvider, error) {
	return call[[]ExternalIdpProvider](ctx, c.t, request{method: "GET", path: "/clients/" + esc(key) + "/idp"})
}

func (c *AdminClient) AddIdp(ctx context.Context, key string, idp ExternalIdpProvider) (ExternalIdpProvider, error) {
	idp.ClientID = key
	return call[ExternalIdpProvider](ctx, c.t, request{method: "POST", path: "/clients/" + esc(key) + "/idp", json: idp})
}

func (c *AdminClient) UpdateIdp(ctx context.Context, key string, idp ExternalIdpProvider) (ExternalIdpProvider, error) {
	idp.ClientID = key
	return call[ExternalIdpProvider](ctx, c.t, request{method: "PUT", path: "/clients/" + esc(key) + "/idp/" + esc(idp.ID), json: idp})
}

func (c *AdminClient) DeleteIdp(ctx context.Context, key, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/clients/" + esc(key) + "/idp/" + esc(id)})
}

func (c *AdminClient) AssignClientScopes(ctx context.Context, key string, scopeIDs []string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/clients/" + esc(key) + "/scopes", json: map[string][]string{"scope_ids": scopeIDs}})
}

func (c *AdminClient) ClientScopes(ctx context.Context, key string) ([]ScopeObject, error) {
	return call[[]ScopeObject](ctx, c.t, request{method: "GET", path: "/clients/" + esc(key) + "/scopes"})
}

func (c *AdminClient) RemoveClientScope(ctx context.Context, key, scopeID string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/clients/" + esc(key) + "/scopes/" + esc(scopeID)})
}

// ---- client feature flags ----

func (c *AdminClient) SetFlag(ctx context.Context, key, flag string, enabled bool) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/client/options/" + esc(flag), form: url.Values{"client_id": {key}, "enabled": {strconv.FormatBool(enabled)}}})
}

func (c *AdminClient) GetFlag(ctx context.Context, key, flag string) (bool, error) {
	res, err := call[struct {
		Message string `json:"message"`
		Enabled *bool  `json:"enabled"`
	}](ctx, c.t, request{method: "GET", path: "/client/options/" + esc(flag), query: url.Values{"client_id": {key}}})
	if err != nil {
		return false, err
	}
	if res.Enabled != nil {
		return *res.Enabled, nil
	}
	return res.Message == "True", nil
}

func (c *AdminClient) SetFlagOptions(ctx context.Context, key, flag, options string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/client/options/" + esc(flag) + "/ext", form: url.Values{"client_id": {key}, "options": {options}}})
}

func (c *AdminClient) GetFlagOptions(ctx context.Context, key, flag string) (string, error) {
	res, err := c.msg(ctx, request{method: "GET", path: "/client/options/" + esc(flag) + "/ext", query: url.Values{"client_id": {key}}})
	return res.Message, err
}

// ---- sessions and refresh tokens ----

// ListSessions lists sessions newest first; an optional SessionFilter narrows the list (its zero value: no filter).
func (c *AdminClient) ListSessions(ctx context.Context, limit, offset int, filter ...SessionFilter) (Page[SessionResponse], error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
	for _, f := range filter {
		setIf(setIf(q, "client_id", f.ClientID), "mad_use", f.MadUse)
		if f.Active != nil {
			q.Set("active", strconv.FormatBool(*f.Active))
		}
	}
	return page[SessionResponse](ctx, c.t, "/sessions", q)
}

func (c *AdminClient) GetSession(ctx context.Context, jti string) (SessionResponse, error) {
	return call[SessionResponse](ctx, c.t, request{method: "GET", path: "/sessions/" + esc(jti)})
}

func (c *AdminClient) RevokeSession(ctx context.Context, jti string) (RevokeResponse, error) {
	return call[RevokeResponse](ctx, c.t, request{method: "DELETE", path: "/sessions/" + esc(jti)})
}

func (c *AdminClient) SessionsOfUser(ctx context.Context, userID string) ([]SessionResponse, error) {
	return call[[]SessionResponse](ctx, c.t, request{method: "GET", path: "/sessions/user/" + esc(userID)})
}

func (c *AdminClient) PurgeSessions(ctx context.Context, p PurgeRequest) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/sessions/purge", json: p})
}

func (c *AdminClient) ListRefreshTokens(ctx context.Context, limit, offset int) (Page[RefreshTokenResponse], error) {
	return page[RefreshTokenResponse](ctx, c.t, "/refresh-tokens", url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}})
}

func (c *AdminClient) GetRefreshToken(ctx context.Context, id string) (RefreshTokenResponse, error) {
	return call[RefreshTokenResponse](ctx, c.t, request{method: "GET", path: "/refresh-tokens/" + esc(id)})
}

func (c *AdminClient) RefreshTokensOfUser(ctx context.Context, userID string) ([]RefreshTokenResponse, error) {
	return call[[]RefreshTokenResponse](ctx, c.t, request{method: "GET", path: "/refresh-tokens/user/" + esc(userID)})
}

// RevokeRefreshToken revokes the refresh token and its whole family (every token rotated from the same grant).
func (c *AdminClient) RevokeRefreshToken(ctx context.Context, id string) (MessageResponse, error) {
	return c.msg(ctx, request{method: "DELETE", path: "/refresh-tokens/" + esc(id)})
}

func (c *AdminClient) PurgeRefreshTokens(ctx context.Context, p PurgeRequest) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/refresh-tokens/purge", json: p})
}

// ---- audit log ----

func (c *AdminClient) ListAuditLogs(ctx context.Context, userID, action string, limit int) ([]AuditLogResponse, error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if userID != "" {
		q.Set("userId", userID)
	}
	if action != "" {
		q.Set("action", action)
	}
	return call[[]AuditLogResponse](ctx, c.t, request{method: "GET", path: "/audit-logs", query: q})
}

func (c *AdminClient) GetAuditLog(ctx context.Context, id string) (AuditLogResponse, error) {
	return call[AuditLogResponse](ctx, c.t, request{method: "GET", path: "/audit-logs/" + esc(id)})
}

func (c *AdminClient) PurgeAuditLogs(ctx context.Context, olderThanDays int) (MessageResponse, error) {
	return c.msg(ctx, request{method: "POST", path: "/audit-logs/purge", json: map[string]int{"older_than_days": olderThanDays}})
}

func (c *AdminClient) VerifyAuditChain(ctx context.Context) (map[string]interface{}, error) {
	return call[map[string]interface{}](ctx, c.t, request{method: "GET", path: "/audit-logs/verify"})
}
