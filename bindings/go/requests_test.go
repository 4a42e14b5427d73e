package microauthd

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
)

// What goes on the wire for options the live server cannot tell apart in its answers.

type seen struct {
	method, path string
	query        url.Values
	body         interface{}
}

func recorder(t *testing.T) (*AdminClient, *[]seen) {
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body interface{}
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Errorf("%s %s: body %q is not JSON", r.Method, r.URL.Path, raw)
			}
		}
		got = append(got, seen{r.Method, r.URL.EscapedPath(), r.URL.Query(), body})
		w.Header().Set("Content-Type", "application/json")
		if r.Method == "GET" {
			_, _ = w.Write([]byte(`[]`))
			return
		}
		_, _ = w.Write([]byte(`{"success":true,"message":"ok"}`))
	}))
	t.Cleanup(srv.Close)
	return NewAdminClient(srv.URL, "t"), &got
}

func TestAdminIntrospectSendsTheHintOnlyWhenGiven(t *testing.T) {
	c, got := recorder(t)
	ctx := context.Background()
	must(c.Introspect(ctx, "tok", "refresh_token"))(t)
	must(c.Introspect(ctx, "tok"))(t)
	want := []interface{}{map[string]interface{}{"token": "tok", "token_type_hint": "refresh_token"}, map[string]interface{}{"token": "tok"}}
	for i, s := range *got {
		if s.method != "POST" || s.path != "/introspect" || !reflect.DeepEqual(s.body, want[i]) {
			t.Errorf("call %d: %+v", i, s)
		}
	}
}

func TestDeleteRedirectURIViaTheBody(t *testing.T) {
	c, got := recorder(t)
	ctx := context.Background()
	must(c.DeleteRedirectURIViaBody(ctx, "r/1"))(t)
	must(c.DeleteRedirectURI(ctx, "r/1"))(t)
	want := []seen{{"DELETE", "/clients/redirect-uris", url.Values{}, "r/1"}, {"DELETE", "/clients/redirect-uris/r%2F1", url.Values{}, nil}}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("got %+v", *got)
	}
}

func TestSessionFiltersInTheQuery(t *testing.T) {
	c, got := recorder(t)
	ctx := context.Background()
	must(c.ListSessions(ctx, 100, 0, SessionFilter{ClientID: "web", MadUse: "auth", Active: Bool(false)}))(t)
	must(c.ListSessions(ctx, 100, 0))(t)
	must(c.ListSessions(ctx, 100, 0, SessionFilter{}))(t)
	all := url.Values{"limit": {"100"}, "offset": {"0"}, "client_id": {"web"}, "mad_use": {"auth"}, "active": {"false"}}
	none := url.Values{"limit": {"100"}, "offset": {"0"}}
	for i, want := range []url.Values{all, none, none} {
		if s := (*got)[i]; s.path != "/sessions" || !reflect.DeepEqual(s.query, want) {
			t.Errorf("call %d: %+v", i, s)
		}
	}
}
