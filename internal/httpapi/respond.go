package httpapi

import (
	"encoding/json"
	"net/http"
)

// gqlErrors is a GraphQL error response body with one coded error, for
// answers given outside the GraphQL executor.
func gqlErrors(msg, code string) map[string]any {
	return map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]string{"code": code}}}}
}

// writeJSON writes v as the JSON body of a response with this status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
