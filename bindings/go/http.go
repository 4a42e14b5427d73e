// Package microauthd is a client for both planes of microauthd (standard library only).
package microauthd

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// APIError is any failed call: Status is the HTTP status (0 = no connection, or no complete answer), Message
// the server's words, Code the OAuth error code (invalid_grant, …) on auth-plane OAuth errors, Body the raw
// error body. Err is the network error behind a Status 0 (errors.Is(err, context.DeadlineExceeded) works), or the
// decoding error behind a 2xx answer that is not the JSON expected.
type APIError struct {
	Status  int
	Message string
	Code    string
	Body    []byte
	Err     error
}

func (e *APIError) Error() string { return fmt.Sprintf("%s (HTTP %d)", e.Message, e.Status) }

func (e *APIError) Unwrap() error { return e.Err }

type transport struct {
	baseURL string
	token   string
	http    *http.Client
}

func newTransport(baseURL, token string) *transport {
	// Redirects are never followed: a 3xx is an APIError like any other non-2xx answer (a followed redirect
	// would turn a POST into a GET, and could carry the bearer token elsewhere); the login flow reads its
	// 302 itself (acceptRedirect).
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &transport{baseURL: strings.TrimRight(baseURL, "/"), token: token,
		http: &http.Client{Timeout: 30 * time.Second, CheckRedirect: noRedirect}}
}

type request struct {
	method    string
	path      string
	query     url.Values
	json      interface{}
	sendJSON  bool
	form      url.Values
	headers   map[string]string
	anonymous bool
	// acceptRedirect: a 3xx answer is the result (its Location is read from the returned headers).
	acceptRedirect bool
}

// do sends the request and decodes the JSON answer into out; it returns the response (its body already read). A
// 2xx answer must be JSON that fits out (an *APIError with that status otherwise: another web server at the base
// URL, say), except when out is nil (the answer is read from the headers) or a *[]byte (the body as is: the PEM).
func (t *transport) do(ctx context.Context, r request, out interface{}) (*http.Response, error) {
	u := t.baseURL + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	contentType := ""
	if r.json != nil || r.sendJSON {
		b, err := json.Marshal(r.json)
		if err != nil {
			return nil, err
		}
		body, contentType = bytes.NewReader(b), "application/json"
	} else if r.form != nil {
		body, contentType = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "microauthd-go")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	if t.token != "" && !r.anonymous && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	res, err := t.http.Do(req)
	if err != nil {
		return nil, &APIError{Status: 0, Message: fmt.Sprintf("cannot reach %s: %v", t.baseURL, err), Err: err}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return nil, &APIError{Status: 0, Message: fmt.Sprintf("incomplete answer from %s: %v", t.baseURL, err), Err: err}
	}
	if res.StatusCode >= 300 && !(r.acceptRedirect && res.StatusCode < 400) {
		e := toAPIError(res.StatusCode, raw)
		if res.StatusCode < 400 {
			e.Code, e.Message = "", fmt.Sprintf("unexpected redirect (HTTP %d) to %s", res.StatusCode, res.Header.Get("Location"))
		}
		return res, e
	}
	if b, ok := out.(*[]byte); ok { // a non-JSON answer (the PEM), as is
		*b = raw
		return res, nil
	}
	if out == nil {
		return res, nil
	}
	problem, contentType := "", res.Header.Get("Content-Type")
	var cause error
	switch {
	case len(raw) == 0:
		problem = "an empty body"
	case !strings.Contains(contentType, "json"):
		problem = strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0])
		if problem == "" {
			problem = "no content type"
		}
	default:
		if cause = json.Unmarshal(raw, out); cause != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(cause, &typeErr) {
				problem = fmt.Sprintf("JSON of another shape (%v)", cause)
			} else {
				problem = fmt.Sprintf("malformed JSON (%v)", cause)
			}
		}
	}
	if problem != "" {
		return res, &APIError{Status: res.StatusCode, Body: raw, Err: cause, Message: fmt.Sprintf(
			"expected JSON from %s %s, got %s (HTTP %d); is %s a microauthd server?", r.method, r.path, problem, res.StatusCode, t.baseURL)}
	}
	return res, nil
}

func toAPIError(status int, raw []byte) *APIError {
	var body struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		Message          string `json:"message"`
	}
	e := &APIError{Status: status, Body: raw, Message: fmt.Sprintf("HTTP %d", status)}
	var text string
	switch {
	case json.Unmarshal(raw, &body) == nil:
		switch {
		case body.Error != "":
			e.Code, e.Message = body.Error, body.Error
			if body.ErrorDescription != "" {
				e.Message = body.ErrorDescription
			}
		case body.Message != "":
			e.Message = body.Message
		}
	case json.Unmarshal(raw, &text) == nil && text != "":
		e.Message = text // a bare JSON string (POST /login/finalize: "Invalid credentials")
	case !json.Valid(raw) && len(bytes.TrimSpace(raw)) > 0:
		e.Message = string(bytes.TrimSpace(raw)) // a text answer (a proxy's error page)
	}
	return e
}

func totalCount(h http.Header, fallback int) int {
	if n, err := strconv.Atoi(h.Get("X-Total-Count")); err == nil {
		return n
	}
	return fallback
}

// basicAuth encodes client credentials as RFC 6749 §2.3.1 requires (form-urlencoded, then base64).
func basicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

func esc(s string) string { return url.PathEscape(s) }
