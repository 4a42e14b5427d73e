package microauthd

// Wire models, with the contract's JSON field names.

type MessageResponse struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}

type TokenResponse struct {
	AccessToken  string  `json:"access_token"`
	TokenType    string  `json:"token_type"`
	ExpiresIn    int     `json:"expires_in"`
	Jti          string  `json:"jti"`
	RefreshToken *string `json:"refresh_token"`
	Aud          string  `json:"aud"`
	IDToken      *string `json:"id_token"`
}

type UserObject struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	Email         string  `json:"email"`
	CreatedAt     string  `json:"created_at"`
	LockoutUntil  *string `json:"lockout_until"`
	IsActive      bool    `json:"is_active"`
	EmailVerified bool    `json:"email_verified"`
	TotpEnabled   bool    `json:"totp_enabled"`
}

type RoleObject struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	IsProtected bool    `json:"is_protected"`
	IsActive    bool    `json:"is_active"`
}

type RoleDto struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type PermissionObject struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type ScopeObject struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Desc        *string `json:"desc"`
	IsActive    bool    `json:"is_active"`
	IsProtected bool    `json:"is_protected"`
	CreatedAt   string  `json:"created_at"`
}

type ClientObject struct {
	ID           string `json:"id"`
	ClientID     string `json:"client_id"`
	DisplayName  string `json:"display_name"`
	IsActive     bool   `json:"is_active"`
	CreatedAt    string `json:"created_at"`
	Audience     string `json:"audience"`
	ClientSecret string `json:"client_secret,omitempty"`
}

type ClientRedirectURI struct {
	ID          string `json:"id"`
	ClientID    string `json:"client_id"`
	RedirectURI string `json:"redirect_uri"`
}

type ExternalIdpProvider struct {
	ID               string `json:"id"`
	ClientID         string `json:"client_id"`
	ProviderKey      string `json:"provider_key"`
	DisplayName      string `json:"display_name"`
	Issuer           string `json:"issuer"`
	ClientIdentifier string `json:"client_identifier"`
	Scopes           string `json:"scopes"`
	CreatedAt        string `json:"created_at,omitempty"`
	ModifiedAt       string `json:"modified_at,omitempty"`
}

type SessionResponse struct {
	ID               string  `json:"id"`
	UserID           string  `json:"user_id"`
	Username         string  `json:"username"`
	ClientID         string  `json:"client_id"`
	IssuedAt         string  `json:"issued_at"`
	ExpiresAt        string  `json:"expires_at"`
	IsRevoked        bool    `json:"is_revoked"`
	TokenUse         string  `json:"token_use"`
	MadUse           string  `json:"mad_use"`
	LoginMethod      *string `json:"login_method"`
	IsSessionBased   bool    `json:"is_session_based"`
	SessionMaxAge    int     `json:"session_max_age"`
	SessionExpiresAt *string `json:"session_expires_at"`
}

type RefreshTokenResponse struct {
	ID            string `json:"id"`
	UserID        string `json:"user_id"`
	Username      string `json:"username"`
	SessionID     string `json:"session_id"`
	ClientID      string `json:"client_id"`
	IssuedAt      string `json:"issued_at"`
	ExpiresAt     string `json:"expires_at"`
	IsRevoked     bool   `json:"is_revoked"`
	IsOpenIDToken bool   `json:"is_openid_token"`
}

type AuditLogResponse struct {
	ID        string  `json:"id"`
	ActorID   *string `json:"actor_id"`
	Action    string  `json:"action"`
	Secondary *string `json:"secondary"`
	Target    *string `json:"target"`
	Timestamp string  `json:"timestamp"`
	IPAddress *string `json:"ip_address"`
	UserAgent *string `json:"user_agent"`
}

type RevokeResponse struct {
	Jti     string `json:"jti"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

type AccessCheckResponse struct {
	UserID       string `json:"user_id"`
	PermissionID string `json:"permission_id"`
	Allowed      bool   `json:"allowed"`
}

type TotpQrResponse struct {
	Success    bool    `json:"success"`
	Filename   *string `json:"filename"`
	OtpauthURI string  `json:"otpauth_uri"`
	QrSvg      string  `json:"qr_svg"`
}

type KeyInfo struct {
	Kid          string  `json:"kid"`
	Alg          string  `json:"alg"`
	Status       string  `json:"status"`
	CreatedAt    string  `json:"created_at"`
	ActivatedAt  *string `json:"activated_at"`
	RetiredAt    *string `json:"retired_at"`
	PublishUntil *string `json:"publish_until"`
}

// Page is a list plus the server's X-Total-Count.
type Page[T any] struct {
	Items []T
	Total int
}

// SessionFilter narrows AdminClient.ListSessions (GET /sessions); an empty field is no filter. ClientID is the client
// identifier; MadUse "auth" or "admin" (the plane the token is for); Active true lists sessions neither revoked nor
// expired, false those revoked or expired (Bool(true) / Bool(false)).
type SessionFilter struct {
	ClientID string
	MadUse   string
	Active   *bool
}

// Bool returns a pointer to b, for SessionFilter.Active.
func Bool(b bool) *bool { return &b }

type PurgeRequest struct {
	OlderThanSeconds int  `json:"older_than_seconds"`
	PurgeExpired     bool `json:"purge_expired"`
	PurgeRevoked     bool `json:"purge_revoked"`
}

// PkceAuthorizeResponse answers POST /authorize, /login/password and /login/totp.
type PkceAuthorizeResponse struct {
	Jti            string `json:"jti"`
	ClientID       string `json:"client_id"`
	RedirectURI    string `json:"redirect_uri"`
	RequiresTotp   bool   `json:"requires_totp"`
	IsSessionBased bool   `json:"is_session_based"`
}

// AuthSessionView (GET /auth-session/{jti}) is what a login page may show about a login in progress.
type AuthSessionView struct {
	Jti            string `json:"jti"`
	ClientID       string `json:"client_id"`
	ClientName     string `json:"client_name"`
	Scope          string `json:"scope"`
	RequiresTotp   bool   `json:"requires_totp"`
	RedirectHost   string `json:"redirect_host"`
	RedirectOrigin string `json:"redirect_origin"`
	ExpiresAt      string `json:"expires_at"`
}

// AuthorizeRequest opens a headless login (POST /authorize). ClientID defaults to the AuthClient's;
// CodeChallengeMethod to S256 (the only one accepted); Nonce is required with the openid scope.
type AuthorizeRequest struct {
	ClientID            string
	RedirectURI         string
	CodeChallenge       string
	CodeChallengeMethod string
	Scope               string
	Nonce               string
	State               string
	MaxAge              int
}
