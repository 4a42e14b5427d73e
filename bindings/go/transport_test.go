package microauthd

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The transport against small fake servers: every non-2xx answer and every broken exchange is an *APIError.

func TestRedirectsAreErrorsAndNotFollowed(t *testing.T) {
	followed := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed = true
			_, _ = w.Write([]byte(`{"message":"pong"}`))
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	_, err := NewAdminClient(srv.URL, "secret-admin-token").Ping(context.Background())
	wantStatus(t, 302, err)
	if followed || !strings.Contains(err.Error(), "/elsewhere") {
		t.Fatalf("followed=%v err=%v", followed, err)
	}
}

func TestErrorBodiesOfEveryShapeKeepTheServersWords(t *testing.T) {
	cases := map[string]struct {
		contentType, body, message, code string
		status                           int
	}{
		"oauth":       {"application/json", `{"error":"invalid_grant","error_description":"Invalid credentials"}`, "Invalid credentials", "invalid_grant", 400},
		"envelope":    {"application/json", `{"success":false,"message":"Role not found"}`, "Role not found", "", 404},
		"json string": {"application/json", `"Invalid credentials"`, "Invalid credentials", "", 400},
		"text":        {"text/plain", "Too Many Requests\n", "Too Many Requests", "", 429},
		"empty":       {"application/json", "", "HTTP 401", "", 401},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			_, err := NewAdminClient(srv.URL, "").Ping(context.Background())
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != tc.status || apiErr.Message != tc.message || apiErr.Code != tc.code ||
				string(apiErr.Body) != tc.body {
				t.Fatalf("got %#v", err)
			}
		})
	}
}

func TestBrokenAnswersAndDeadlinesAreStatusZeroWithTheCause(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ping" { // promises 100 bytes, sends 10, hangs up
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte(`{"message"`))
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		select { // /version: too slow
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := NewAdminClient(srv.URL, "")
	_, err := c.Ping(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 0 || apiErr.Err == nil {
		t.Fatalf("broken body: %#v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = c.Version(ctx)
	if !errors.As(err, &apiErr) || apiErr.Status != 0 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline: %#v", err)
	}
}

// otherWebServer is some other web server at the base URL: 200 text/html for everything, except the answers given
// per path (microauthd's routes that are not JSON, or broken JSON answers).
func otherWebServer(t *testing.T, pages map[string]func(http.ResponseWriter)) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if page, ok := pages[r.URL.Path]; ok {
			page(w)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><h1>It works!</h1>"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func answer(status int, contentType, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func wantNotJSON(t *testing.T, name string, status int, message string, err error) {
	t.Helper()
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != status || !strings.Contains(apiErr.Message, message) {
		t.Errorf("%s: want an *APIError %d with %q, got %#v", name, status, message, err)
	}
}

func TestNotJSONWhereJSONIsExpectedIsAnAPIErrorWithTheStatus(t *testing.T) {
	base := otherWebServer(t, nil)
	ctx := context.Background()
	admin, auth := NewAdminClient(base, "t"), NewAuthClient(base, "client", "secret")
	auth.SetToken("t")
	calls := map[string]func() error{
		"Ping (a map)":           func() error { _, err := admin.Ping(ctx); return err },
		"GetUser (a model)":      func() error { _, err := admin.GetUser(ctx, "u1"); return err },
		"ListRoles (a slice)":    func() error { _, err := admin.ListRoles(ctx); return err },
		"ListUsers (a page)":     func() error { _, err := admin.ListUsers(ctx, 10, 0, false); return err },
		"UserIDByName (string)":  func() error { _, err := admin.UserIDByName(ctx, "alice"); return err },
		"DeleteUser (a message)": func() error { _, err := admin.DeleteUser(ctx, "u1"); return err },
		"GetFlag":                func() error { _, err := admin.GetFlag(ctx, "c", "ENABLE_TOTP"); return err },
		"Login":                  func() error { _, err := admin.Login(ctx, "admin", "pw", ""); return err },
		"ClientCredentials":      func() error { _, err := auth.ClientCredentials(ctx, ""); return err },
		"Introspect":             func() error { _, err := auth.Introspect(ctx, "tok", ""); return err },
		"JWKS":                   func() error { _, err := auth.JWKS(ctx); return err },
		"MeSessions":             func() error { _, err := auth.MeSessions(ctx); return err },
		"Authorize": func() error {
			_, err := auth.Authorize(ctx, AuthorizeRequest{RedirectURI: "https://app.example.com/cb", CodeChallenge: "c"})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		wantNotJSON(t, name, 200, "got text/html (HTTP 200); is "+base, err)
		var apiErr *APIError
		if errors.As(err, &apiErr) && (!strings.Contains(apiErr.Message, "expected JSON from ") || !strings.Contains(string(apiErr.Body), "It works!")) {
			t.Errorf("%s: %q, body %q", name, apiErr.Message, apiErr.Body)
		}
	}
	if admin.Token() != "t" {
		t.Errorf("Login kept the token %q from a page", admin.Token())
	}
}

func TestAnEmptyMalformedOrMisshapenTwoHundredIsAnAPIErrorToo(t *testing.T) {
	const js = "application/json"
	base := otherWebServer(t, map[string]func(http.ResponseWriter){
		"/users/u1":             answer(201, js, ""),
		"/roles":                answer(200, js, "<html>"),
		"/users":                answer(200, js, `{"message":"ok"}`),
		"/me":                   answer(200, js, `[]`),
		"/scopes/id-by-name/s":  answer(200, js, `{}`),
		"/client/options/F/ext": answer(200, "text/plain", "600"),
		"/ping":                 answer(200, "", "pong"),
	})
	ctx := context.Background()
	admin, auth := NewAdminClient(base, "t"), NewAuthClient(base, "", "")
	auth.SetToken("t")
	_, err := admin.GetUser(ctx, "u1")
	wantNotJSON(t, "empty", 201, "expected JSON from GET /users/u1, got an empty body (HTTP 201)", err)
	_, err = admin.ListRoles(ctx)
	wantNotJSON(t, "malformed", 200, "got malformed JSON", err)
	_, err = admin.ListUsers(ctx, 10, 0, false)
	wantNotJSON(t, "object for a list", 200, "got JSON of another shape", err)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		t.Errorf("the decoding error is not the cause: %#v", err)
	}
	_, err = auth.Me(ctx)
	wantNotJSON(t, "array for an object", 200, "got JSON of another shape", err)
	_, err = admin.ScopeIDByName(ctx, "s")
	wantNotJSON(t, "object for a string", 200, "got JSON of another shape", err)
	_, err = admin.GetFlagOptions(ctx, "c", "F")
	wantNotJSON(t, "text", 200, "got text/plain (HTTP 200)", err)
	_, err = admin.Ping(ctx)
	wantNotJSON(t, "no content type", 200, "got no content type", err)
}

func TestVerifyNeedsTheIdentityHeaders(t *testing.T) {
	_, err := NewAuthClient(otherWebServer(t, nil), "", "").Verify(context.Background(), "tok", "", "")
	wantNotJSON(t, "Verify", 200, "expected the X-Auth-Sub header from GET /verify", err)
}

func TestTheRoutesThatAreNotJSONStillWork(t *testing.T) {
	const pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"
	base := otherWebServer(t, map[string]func(http.ResponseWriter){
		"/keys/auth.pem": answer(200, "application/x-pem-file", pem),
		"/verify": func(w http.ResponseWriter) {
			w.Header().Set("X-Auth-Sub", "u1")
			w.Header().Set("X-Auth-Client", "web")
		},
		"/login/finalize": func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://app.example.com/cb?code=c1")
			answer(302, "text/html", "<p>Found</p>")(w)
		},
	})
	ctx := context.Background()
	auth := NewAuthClient(base, "client", "secret")
	if got := must(auth.PublicKeyPEM(ctx))(t); got != pem {
		t.Errorf("PEM %q", got)
	}
	if h := must(auth.Verify(ctx, "tok", "", ""))(t); h.Get("X-Auth-Sub") != "u1" || h.Get("X-Auth-Client") != "web" {
		t.Errorf("identity %v", h)
	}
	if loc := must(auth.Finalize(ctx, "jti"))(t); loc != "https://app.example.com/cb?code=c1" {
		t.Errorf("location %q", loc)
	}
}
