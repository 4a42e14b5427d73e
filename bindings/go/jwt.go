package microauthd

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

// JWKS is the auth plane's published key set.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

type JWK struct {
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	Alg string `json:"alg"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// Verifier checks auth-plane access tokens locally for a backend: RS256 or ES256 signature against the JWKS
// (refetched when an unknown kid appears, at most once a minute), issuer, optional audience, exp/nbf, and
// that the token is an auth-plane access token. It cannot see revocation: use GET /verify for that.
type Verifier struct {
	Client   *AuthClient
	Issuer   string
	Audience string // optional
	Leeway   time.Duration

	mu      sync.Mutex
	keys    map[string]interface{}
	fetched time.Time
}

var b64 = base64.RawURLEncoding

func (v *Verifier) key(ctx context.Context, kid string) (interface{}, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if k, ok := v.keys[kid]; ok {
		return k, nil
	}
	if time.Since(v.fetched) < time.Minute && v.keys != nil {
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	set, err := v.Client.JWKS(ctx)
	if err != nil {
		return nil, err
	}
	v.keys, v.fetched = map[string]interface{}{}, time.Now()
	for _, j := range set.Keys {
		if pub, err := j.publicKey(); err == nil {
			v.keys[j.Kid] = pub
		}
	}
	if k, ok := v.keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown key id %q", kid)
}

func (j JWK) publicKey() (interface{}, error) {
	switch j.Kty {
	case "RSA":
		n, err1 := b64.DecodeString(j.N)
		e, err2 := b64.DecodeString(j.E)
		if err1 != nil || err2 != nil {
			return nil, errors.New("bad RSA key")
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	case "EC":
		x, err1 := b64.DecodeString(j.X)
		y, err2 := b64.DecodeString(j.Y)
		if err1 != nil || err2 != nil || j.Crv != "P-256" {
			return nil, errors.New("bad EC key")
		}
		return &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}, nil
	}
	return nil, fmt.Errorf("unsupported key type %q", j.Kty)
}

// Verify returns the token's claims when it is a valid auth-plane access token.
func (v *Verifier) Verify(ctx context.Context, token string) (map[string]interface{}, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT")
	}
	var header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := decodeSegment(parts[0], &header); err != nil {
		return nil, err
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return nil, errors.New("bad signature encoding")
	}
	key, err := v.key(ctx, header.Kid)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	switch pub := key.(type) {
	case *rsa.PublicKey:
		if header.Alg != "RS256" || rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
			return nil, errors.New("invalid signature")
		}
	case *ecdsa.PublicKey:
		if header.Alg != "ES256" || len(sig) != 64 ||
			!ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
			return nil, errors.New("invalid signature")
		}
	default:
		return nil, errors.New("unsupported key")
	}
	var claims map[string]interface{}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return nil, err
	}
	return claims, v.checkClaims(claims)
}

func (v *Verifier) checkClaims(c map[string]interface{}) error {
	now := float64(time.Now().Unix())
	leeway := v.Leeway.Seconds()
	if exp, ok := c["exp"].(float64); !ok || now > exp+leeway {
		return errors.New("token expired")
	}
	if nbf, ok := c["nbf"].(float64); ok && now+leeway < nbf {
		return errors.New("token not yet valid")
	}
	if c["iss"] != v.Issuer {
		return errors.New("wrong issuer")
	}
	if c["mad"] != "auth" || c["token_use"] != "access" {
		return errors.New("not an auth-plane access token")
	}
	if v.Audience != "" && !hasAudience(c["aud"], v.Audience) {
		return errors.New("wrong audience")
	}
	return nil
}

func hasAudience(aud interface{}, want string) bool {
	switch a := aud.(type) {
	case string:
		return a == want
	case []interface{}:
		for _, x := range a {
			if x == want {
				return true
			}
		}
	}
	return false
}

func decodeSegment(seg string, out interface{}) error {
	raw, err := b64.DecodeString(seg)
	if err != nil {
		return errors.New("bad JWT encoding")
	}
	return json.Unmarshal(raw, out)
}
