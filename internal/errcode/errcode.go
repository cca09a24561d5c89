// Package errcode holds the extensions.code values of the API's errors
// (DESIGN.md §4), so that every layer that answers an error (the GraphQL
// adapter, the limits, the auth checks, the HTTP middleware) names them
// without importing the adapter.
package errcode

const (
	BadUserInput    = "BAD_USER_INPUT"
	NotFound        = "NOT_FOUND"
	Conflict        = "CONFLICT"
	Unauthenticated = "UNAUTHENTICATED"
	Forbidden       = "FORBIDDEN"
	RateLimited     = "RATE_LIMITED"
	Timeout         = "TIMEOUT"
	Internal        = "INTERNAL"
	// Unavailable: the store cannot serve the request now (its disk is
	// full, it is closed or unreachable); nothing is wrong with the input.
	Unavailable = "UNAVAILABLE"
)
