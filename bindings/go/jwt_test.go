package microauthd

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The Verifier against a fake JWKS, with tokens this test signs itself: each check is shown to matter alone.

const testIssuer = "https://id.example.com"

type testKeys struct {
	rsa *rsa.PrivateKey
	ec  *ecdsa.PrivateKey
}

func (k testKeys) serve(t *testing.T) *httptest.Server {
	t.Helper()
	set := JWKS{Keys: []JWK{
		{Kid: "rsa-1", Kty: "RSA", Alg: "RS256", N: b64.EncodeToString(k.rsa.N.Bytes()), E: b64.EncodeToString(big.NewInt(int64(k.rsa.E)).Bytes())},
		{Kid: "ec-1", Kty: "EC", Alg: "ES256", Crv: "P-256", X: b64.EncodeToString(k.ec.X.FillBytes(make([]byte, 32))),
			Y: b64.EncodeToString(k.ec.Y.FillBytes(make([]byte, 32)))},
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// sign makes a JWT whose header says alg/kid, signed with the RSA key (signAlg RS256) or the EC key (ES256).
func (k testKeys) sign(t *testing.T, alg, kid, signAlg string, claims map[string]interface{}) string {
	t.Helper()
	h, _ := json.Marshal(map[string]string{"alg": alg, "kid": kid, "typ": "JWT"})
	p, _ := json.Marshal(claims)
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(p)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	switch signAlg {
	case "RS256":
		sig, _ = rsa.SignPKCS1v15(rand.Reader, k.rsa, crypto.SHA256, digest[:])
	case "ES256":
		r, s, _ := ecdsa.Sign(rand.Reader, k.ec, digest[:])
		sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	}
	return input + "." + b64.EncodeToString(sig)
}

func accessClaims(change map[string]interface{}) map[string]interface{} {
	now := time.Now().Unix()
	c := map[string]interface{}{"iss": testIssuer, "aud": "orders-api", "sub": "user-1", "exp": now + 300, "iat": now, "nbf": now,
		"mad": "auth", "token_use": "access"}
	for k, v := range change {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func TestVerifierChecksSignatureAlgIssuerAudiencePlaneAndLifetime(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	keys := testKeys{rsa: rsaKey, ec: ecKey}
	v := &Verifier{Client: NewAuthClient(keys.serve(t).URL, "", ""), Issuer: testIssuer, Audience: "orders-api"}
	ctx := context.Background()

	for _, ok := range []string{keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(nil)), keys.sign(t, "ES256", "ec-1", "ES256", accessClaims(nil)),
		keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"aud": []string{"other", "orders-api"}}))} {
		if _, err := v.Verify(ctx, ok); err != nil {
			t.Fatalf("a good token was refused: %v", err)
		}
	}
	past := time.Now().Add(-time.Hour).Unix()
	good := keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(nil))
	refused := map[string]string{
		"alg none":                keys.sign(t, "none", "rsa-1", "RS256", accessClaims(nil)),
		"alg RS384, RS256 bytes":  keys.sign(t, "RS384", "rsa-1", "RS256", accessClaims(nil)),
		"alg ES256 on an RSA key": keys.sign(t, "ES256", "rsa-1", "RS256", accessClaims(nil)),
		"alg RS256 on an EC key":  keys.sign(t, "RS256", "ec-1", "ES256", accessClaims(nil)),
		"unknown kid":             keys.sign(t, "RS256", "rsa-2", "RS256", accessClaims(nil)),
		"wrong issuer":            keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"iss": "https://evil.example.com"})),
		"no issuer":               keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"iss": nil})),
		"wrong audience":          keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"aud": "billing-api"})),
		"no audience":             keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"aud": nil})),
		"admin plane":             keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"mad": "admin"})),
		"ID token, auth marker":   keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"token_use": "id"})),
		"ID token":                keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"token_use": "id", "mad": "id"})),
		"expired":                 keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"exp": past})),
		"no expiry":               keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"exp": nil})),
		"not yet valid":           keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"nbf": time.Now().Add(time.Hour).Unix()})),
		"other subject, same sig": swapPayload(good, keys.sign(t, "RS256", "rsa-1", "RS256", accessClaims(map[string]interface{}{"sub": "admin"}))),
		"not a JWT":               "abc.def",
	}
	for name, token := range refused {
		if claims, err := v.Verify(ctx, token); err == nil {
			t.Errorf("%s: verified %v", name, claims)
		}
	}
	// Leeway stretches expiry, not the other checks.
	lenient := &Verifier{Client: v.Client, Issuer: testIssuer, Leeway: 2 * time.Hour}
	if _, err := lenient.Verify(ctx, refused["expired"]); err != nil {
		t.Fatalf("leeway: %v", err)
	}
}

// swapPayload puts other's payload under token's header and signature.
func swapPayload(token, other string) string {
	a, b := strings.Split(token, "."), strings.Split(other, ".")
	return a[0] + "." + b[1] + "." + a[2]
}
