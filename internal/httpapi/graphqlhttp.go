package httpapi

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"slices"
	"strconv"

	"github.com/samverkan/samverkan/internal/httpstatus"
)

// withGraphQLOverHTTP brings gqlgen's HTTP answers to request errors in line
// with the GraphQL-over-HTTP spec (checked in CI by graphql-http's audits):
//
//   - Under application/json a well-formed request that fails to parse,
//     validate or coerce its variables is answered 200, not 422: legacy
//     clients read the errors from the body whatever the status.
//   - A request error never carries a data entry (the request was not
//     executed), so a 4xx JSON body's "data": null is dropped. This is what
//     application/graphql-response+json requires; application/json gets the
//     same body for consistency.
//
// Only 4xx responses are buffered and rewritten; anything else (results,
// websocket upgrades) streams through untouched.
//
// It also does httpstatus.Middleware's work (the status and headers that
// httpstatus.Set asks for replace gqlgen's, and the rewrite sees them) in
// the same wrapper of the writer, so that a request's writer is wrapped
// once here, not twice; a websocket upgrade goes through
// httpstatus.Middleware itself.
func withGraphQLOverHTTP(next http.Handler) http.Handler {
	upgrades := httpstatus.Middleware(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			upgrades.ServeHTTP(w, r)
			return
		}
		g := &graphQLOverHTTP{w: w}
		next.ServeHTTP(g, r.WithContext(httpstatus.NewContext(r.Context(), &g.st)))
		if g.buffering { // write the held-back response, rewritten where the spec asks
			code, body := rewriteRequestError(g.status, w.Header().Get("Content-Type"), g.buf.Bytes())
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(code)
			_, _ = w.Write(body)
		}
	})
}

// graphQLOverHTTP is the writer of one response of withGraphQLOverHTTP
// (not an upgrade): a http.ResponseWriter and http.Flusher, which is all
// the GraphQL transports ask of it (SSE and multipart/mixed flush), that
// unwraps to the server's writer for http.ResponseController. One value
// per request rather than httpsnoop's wrapper, hooks and their closures.
type graphQLOverHTTP struct {
	w         http.ResponseWriter
	st        httpstatus.Status
	status    int // 0 until the handler decides
	buffering bool
	buf       bytes.Buffer
}

func (g *graphQLOverHTTP) Header() http.Header         { return g.w.Header() }
func (g *graphQLOverHTTP) Unwrap() http.ResponseWriter { return g.w }
func (g *graphQLOverHTTP) WriteHeader(code int)        { g.decide(code) }

func (g *graphQLOverHTTP) Write(b []byte) (int, error) {
	g.decide(http.StatusOK)
	if g.buffering {
		return g.buf.Write(b)
	}
	return g.w.Write(b)
}

// Flush passes through unless the response is held back.
func (g *graphQLOverHTTP) Flush() {
	g.decide(http.StatusOK)
	if f, ok := g.w.(http.Flusher); ok && !g.buffering {
		f.Flush()
	}
}

// decide settles the response's status at its first header or byte: the
// one httpstatus.Set asked for, else code; a 4xx JSON answer is held back
// for the rewrite, anything else goes out.
func (g *graphQLOverHTTP) decide(code int) {
	if g.status != 0 {
		return
	}
	h := g.w.Header()
	code = g.st.Apply(h, code)
	g.status = code
	if code >= 400 && code < 500 && isJSONMediaType(h.Get("Content-Type")) {
		g.buffering = true // held back for the rewrite
		return
	}
	g.w.WriteHeader(code)
}

// rewriteRequestError returns the status and body a 4xx GraphQL response
// should have. Bodies that are not a GraphQL response with errors are left
// as they are.
func rewriteRequestError(status int, contentType string, body []byte) (int, []byte) {
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err != nil {
		return status, body
	}
	if _, ok := resp["errors"]; !ok {
		return status, body
	}
	if data, ok := resp["data"]; ok && string(bytes.TrimSpace(data)) == "null" {
		delete(resp, "data")
		// Keep "errors" first, as gqlgen writes it (the order carries no
		// meaning, but it is what people read first).
		body = marshalErrorsFirst(resp)
	}
	// gqlgen answers parse, validation and variable-coercion failures with
	// 422 under application/json; the spec wants 200 there. (A request
	// without a query is not well-formed at all: the transport has already
	// made that one 400.)
	mediaType, _, _ := mime.ParseMediaType(contentType)
	if status == http.StatusUnprocessableEntity && mediaType == "application/json" {
		status = http.StatusOK
	}
	return status, body
}

func marshalErrorsFirst(resp map[string]json.RawMessage) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	write := func(k string, v json.RawMessage) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		b.Write(key)
		b.WriteByte(':')
		b.Write(v)
	}
	write("errors", resp["errors"])
	keys := make([]string, 0, len(resp))
	for k := range resp {
		if k != "errors" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // stable output for the remaining entries

	for _, k := range keys {
		write(k, resp[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// isJSONMediaType reports whether a Content-Type is one gqlgen answers
// GraphQL responses in.
func isJSONMediaType(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mediaType == "application/json" || mediaType == "application/graphql-response+json")
}
