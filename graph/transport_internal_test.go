package graph

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// writeResponse writes a data-only answer without json.Marshal; the bytes
// must be json.Marshal's, escapes and compaction included.
func TestWriteResponseIsJSONMarshal(t *testing.T) {
	yes := true
	for _, resp := range []*graphql.Response{
		{Data: json.RawMessage(`{"actor":{"name":"Ab"}}`)},
		{Data: json.RawMessage(`{"actor":{"name":"<b>&amp; \u2028\u2029 ä"}}`)},
		{Data: json.RawMessage("{ \"a\" : [1, 2,\n 3] }")},
		{Data: json.RawMessage(`null`)},
		{Data: nil},
		{Data: json.RawMessage(`{"a":1}`), HasNext: &yes},
		{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"graphVersion": 3}},
		{Data: json.RawMessage(`{"a": "<1>"}`), Extensions: map[string]any{"graphVersion": uint64(1 << 63)}},
		{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"graphVersion": int64(-2)}},
		{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{}},
		{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"b": 1, "a": uint64(2)}},
		{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"<x>": 1}},
		{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"v": "x"}},
		{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"v": 1.5}},
	} {
		want, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		writeResponse(&got, resp)
		if got.String() != string(want) {
			t.Errorf("writeResponse wrote %s, json.Marshal %s", got.String(), want)
		}
	}
}

// decodeParams accepts exactly the bodies checkBody accepts.
func TestDecodeParamsAgreesWithCheckBody(t *testing.T) {
	for _, body := range []string{
		`{"query":"{ a }"}`, `{"query":"{ a }"} `, "{\"query\":\"{ a }\"}\n\t\r", `{"query":"{ a }"} x`, `{"query":"{ a }"}{}`,
		`null`, `[]`, `"q"`, `1`, ``, `{`, `{"query":1}`, `{"query":null}`, `{"operationName":null}`, `{"operationName":2}`,
		`{"variables":null}`, `{"variables":[]}`, `{"variables":"x"}`, `{"variables":{"a":[1,{"b":2.5}]}}`,
		`{"extensions":{"persistedQuery":null}}`, `{"extensions":1}`, `{"Query":"{ a }"}`, `{"other":[1,2]}`,
		"{\"query\":\"{ a }\"}\f",
	} {
		var p graphql.RawParams
		msg, _ := checkBody([]byte(body))
		if ok := decodeParams([]byte(body), &p); ok != (msg == "") {
			t.Errorf("%q: decodeParams %v, checkBody %q", body, ok, msg)
		}
	}
}
