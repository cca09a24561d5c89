package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/samverkan/samverkan/internal/httpstatus"
)

// postTransport is gqlgen's POST transport behind a strict reading of the
// body: one JSON object (trailing data refused) whose query, operationName,
// variables and extensions have the types the spec gives them. A body that
// fails is answered 400 with one short coded message, never echoed and
// without decoder text; a body past the limit the server set with
// http.MaxBytesReader is 413, whether its length was declared or not.
type postTransport struct{ transport.POST }

// getTransport is gqlgen's GET transport behind the same strict reading of
// variables and extensions. It marks the request, so that requestChecks
// answers an operation other than a query with 405.
type getTransport struct{ transport.GET }

// requestBody is what a GraphQL-over-HTTP request body may hold; other
// entries are ignored, as the spec allows.
type requestBody struct {
	Query         *json.RawMessage `json:"query"`
	OperationName *json.RawMessage `json:"operationName"`
	Variables     *json.RawMessage `json:"variables"`
	Extensions    *json.RawMessage `json:"extensions"`
}

// Do reads and decodes the body once (the strict checks and gqlgen's
// parameters come from the same decoding), then runs the operation as
// gqlgen's POST transport does: the same response media type, statuses and
// answer bytes.
func (t postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseContentType(r)
	w.Header().Add("Content-Type", contentType)
	start := graphql.Now()
	body, ok := readAll(w, r, exec)
	if !ok {
		return
	}
	params := &graphql.RawParams{}
	if !decodeParams(body, params) {
		// The fast decoding failed: say what is wrong the way the strict
		// reading does.
		msg, _ := checkBody(body)
		if msg == "" {
			msg = "the request body is not valid JSON"
		}
		requestError(w, r, exec, http.StatusBadRequest, msg, "INVALID_BODY")
		return
	}
	if strings.TrimSpace(params.Query) == "" {
		if _, persisted := params.Extensions["persistedQuery"]; !persisted {
			// Not a well-formed GraphQL-over-HTTP request: 400 under either
			// media type, whatever status gqlgen picks for it.
			httpstatus.Set(ctx, http.StatusBadRequest, nil)
		}
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		status := http.StatusOK
		if errcode.GetErrorKind(opErr) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity
			if contentType == graphqlResponseJSON {
				status = http.StatusBadRequest
			}
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

const graphqlResponseJSON = "application/graphql-response+json"

// responseContentType is the media type gqlgen's POST transport answers in
// (its defaults): the first of application/json and
// application/graphql-response+json that Accept names, application/json for
// no Accept or a wildcard first, else application/graphql-response+json.
func responseContentType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	switch accept {
	case "":
		return "application/json"
	case graphqlResponseJSON, "application/json":
		return accept
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", "application/json":
			return "application/json"
		case graphqlResponseJSON:
			return graphqlResponseJSON
		}
	}
	return graphqlResponseJSON
}

// readAll reads the body, answering the request itself and returning false
// when it cannot: 413 past the limit the server set with
// http.MaxBytesReader, 400 otherwise.
func readAll(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) ([]byte, bool) {
	if r.Body == nil {
		return nil, true
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			requestError(w, r, exec, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("the request body is over the limit of %d bytes", tooLarge.Limit), "BODY_TOO_LARGE")
			return nil, false
		}
		requestError(w, r, exec, http.StatusBadRequest, "the request body could not be read", "INVALID_BODY")
		return nil, false
	}
	return body, true
}

// decodeParams decodes a POST body into p in one pass, as gqlgen does
// (numbers kept as json.Number), and reports whether the body passes the
// strict reading: one JSON object or null, nothing but white space after
// it, query and operationName strings or null, variables and extensions
// objects or null. Any JSON type mismatch fails it, so a body it accepts is
// one checkBody accepts, and the other way round.
func decodeParams(body []byte, p *graphql.RawParams) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(p); err != nil {
		return false
	}
	for _, c := range body[dec.InputOffset():] {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

// writeResponse writes resp as gqlgen's transports do (json.Marshal),
// without reflection for the common answer: data, and at most one
// extension whose value is a whole number (extensions.graphVersion, which
// every query's answer has).
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp.Errors == nil && resp.Label == "" && resp.Path == nil && resp.HasNext == nil && resp.Data != nil {
		if ext, ok := plainExtension(resp.Extensions); ok {
			b := make([]byte, 0, len(resp.Data)+len(ext)+10)
			b = append(b, `{"data":`...)
			if n, ok := appendData(b, resp.Data); ok {
				_, _ = w.Write(append(append(n, ext...), '}'))
				return
			}
		}
	}
	b, err := json.Marshal(resp)
	if err != nil {
		panic(fmt.Errorf("unable to marshal %s: %w", string(resp.Data), err))
	}
	_, _ = w.Write(b)
}

// plainExtension returns json.Marshal's `,"extensions":{...}` for
// extensions that are none (empty) or one whose key is a plain name and
// whose value is a whole number; ok is false for any other.
func plainExtension(ext map[string]any) (out []byte, ok bool) {
	if len(ext) == 0 {
		return nil, ext == nil
	}
	if len(ext) > 1 {
		return nil, false
	}
	for k, v := range ext {
		if k == "" || len(k) > 64 {
			return nil, false
		}
		for i := 0; i < len(k); i++ {
			if c := k[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
				return nil, false
			}
		}
		out = make([]byte, 0, len(k)+40)
		out = append(append(append(out, `,"extensions":{"`...), k...), `":`...)
		switch n := v.(type) {
		case uint64:
			out = strconv.AppendUint(out, n, 10)
		case int:
			out = strconv.AppendInt(out, int64(n), 10)
		case int64:
			out = strconv.AppendInt(out, n, 10)
		default:
			return nil, false
		}
	}
	return append(out, '}'), true
}

// appendData appends data as json.Marshal writes a json.RawMessage:
// compacted, with <, >, &, U+2028 and U+2029 escaped. It fails on data that
// is not valid JSON.
// It compacts into b's own spare capacity (writeResponse makes room), so
// that a big answer is not copied again.
func appendData(b, data []byte) ([]byte, bool) {
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, data); err != nil {
		return b, false
	}
	out := buf.Bytes()
	if c := out[len(b):]; bytes.ContainsAny(c, "<>&\u2028\u2029") {
		var esc bytes.Buffer
		json.HTMLEscape(&esc, c)
		return append(out[:len(b)], esc.Bytes()...), true
	}
	return out, true
}

// multipartTransport is gqlgen's multipart/mixed transport (incremental
// delivery, for @defer) behind the same strict reading of the body as
// postTransport. gqlgen picks it for a JSON POST whose Accept names
// multipart/mixed; the response is multipart whether or not the operation
// defers anything.
type multipartTransport struct{ transport.MultipartMixed }

func (t multipartTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if readBody(w, r, exec) {
		t.MultipartMixed.Do(w, r.WithContext(withIncremental(r.Context())), exec)
	}
}

// readBody reads and checks a POST body, answering the request itself and
// returning false when the body is refused; otherwise r.Body holds the same
// bytes again for gqlgen.
func readBody(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) bool {
	body, ok := readAll(w, r, exec)
	if !ok {
		return false
	}
	msg, noQuery := checkBody(body)
	if msg != "" {
		requestError(w, r, exec, http.StatusBadRequest, msg, "INVALID_BODY")
		return false
	}
	if noQuery {
		// Not a well-formed GraphQL-over-HTTP request: 400 under either
		// media type, whatever status gqlgen picks for it.
		httpstatus.Set(r.Context(), http.StatusBadRequest, nil)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

func (t getTransport) Supports(r *http.Request) bool {
	// Any GET that is not a websocket handshake (an Upgrade to something
	// else is an ordinary GET here).
	return r.Method == http.MethodGet && !strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

func (t getTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		requestError(w, r, exec, http.StatusBadRequest, "the query string is not valid URL encoding", "INVALID_PARAMETERS")
		return
	}
	for _, name := range []string{"variables", "extensions"} {
		if v := q.Get(name); v != "" {
			if msg := checkObject(name, []byte(v)); msg != "" {
				requestError(w, r, exec, http.StatusBadRequest, msg, "INVALID_PARAMETERS")
				return
			}
		}
	}
	var query, extensions *json.RawMessage
	if q.Has("query") {
		raw, _ := json.Marshal(q.Get("query"))
		query = (*json.RawMessage)(&raw)
	}
	if e := q.Get("extensions"); e != "" {
		raw := json.RawMessage(e)
		extensions = &raw
	}
	if noQuery(query, extensions) {
		httpstatus.Set(r.Context(), http.StatusBadRequest, nil)
	}
	ctx := context.WithValue(r.Context(), getKey{}, true)
	if r.Header.Get("Upgrade") != "" {
		r = r.Clone(ctx)
		r.Header.Del("Upgrade") // gqlgen's GET refuses any
	} else {
		r = r.WithContext(ctx)
	}
	t.GET.Do(w, r, exec)
}

// checkBody returns what is wrong with a POST body ("" when nothing is),
// and whether it names no operation at all: no query and no persisted one.
func checkBody(body []byte) (string, bool) {
	var b requestBody
	if msg := decodeOne(body, &b, "the request body"); msg != "" {
		return msg, false
	}
	msg := checkFields(b)
	return msg, msg == "" && noQuery(b.Query, b.Extensions)
}

// noQuery reports whether a request has neither a query (absent, null or
// "") nor a persistedQuery extension that stands for one.
func noQuery(query, extensions *json.RawMessage) bool {
	if query != nil {
		var q string
		if json.Unmarshal(*query, &q) == nil && strings.TrimSpace(q) != "" {
			return false
		}
	}
	if extensions != nil {
		var ext map[string]json.RawMessage
		if json.Unmarshal(*extensions, &ext) == nil && ext["persistedQuery"] != nil {
			return false
		}
	}
	return true
}

func checkFields(b requestBody) string {
	if b.Query != nil && !isJSONString(*b.Query) {
		return "query must be a string"
	}
	if b.OperationName != nil && !isJSONString(*b.OperationName) && !isJSONNull(*b.OperationName) {
		return "operationName must be a string"
	}
	if b.Variables != nil {
		if msg := checkObject("variables", *b.Variables); msg != "" {
			return msg
		}
	}
	if b.Extensions != nil {
		if msg := checkObject("extensions", *b.Extensions); msg != "" {
			return msg
		}
	}
	return ""
}

// checkObject checks that raw is a JSON object or null.
func checkObject(name string, raw []byte) string {
	var m map[string]json.RawMessage
	if isJSONNull(raw) {
		return ""
	}
	if msg := decodeOne(raw, &m, name); msg != "" {
		return msg
	}
	return ""
}

// decodeOne decodes exactly one JSON value of data into v and describes a
// failure in a few words of its own.
func decodeOne(data []byte, v any, what string) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return what + " is empty"
		case errors.As(err, &syntax):
			return fmt.Sprintf("%s is not valid JSON (at byte %d)", what, syntax.Offset)
		case errors.As(err, &typ):
			return what + " must be a JSON object"
		}
		return what + " is not valid JSON"
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return what + " has data after its JSON value"
	}
	return ""
}

func isJSONString(raw []byte) bool {
	var s string
	return json.Unmarshal(raw, &s) == nil && !isJSONNull(raw)
}

func isJSONNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

// requestError answers a request that is refused before gqlgen sees it,
// through the executor's error path (presenter, metrics). The response is
// JSON (application/graphql-response+json when the client asks for it).
func requestError(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, status int, msg, reason string) {
	ct := "application/json"
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "application/graphql-response+json" {
			ct = mt
			break
		}
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "application/json" {
			break
		}
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	resp := exec.DispatchError(r.Context(), gqlerror.List{{
		Message:    msg,
		Extensions: map[string]any{"code": CodeBadUserInput, "reason": reason},
	}})
	b, _ := json.Marshal(resp)
	_, _ = w.Write(b)
}
