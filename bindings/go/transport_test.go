package microauthd

import (
	"context"
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
