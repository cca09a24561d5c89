package auth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Identity is who sent a request: a key's name and role, or an anonymous
// caller, and the client address either way.
type Identity struct {
	// Name is the key's name; empty for an anonymous caller.
	Name string
	Role Role
	// ClientIP is the client's address (see TrustedProxies).
	ClientIP string
	// InvalidKey is set when credentials were sent that match no key: such
	// a request is refused even where an anonymous one would not be.
	InvalidKey bool
}

// Anonymous reports whether no valid key came with the request.
func (id Identity) Anonymous() bool { return id.Name == "" }

// RateKey is the bucket a request is rate-limited in: its key, or its
// client address without one. IPv6 addresses share the bucket of their
// /64, the block one subscriber usually holds: one client cannot get a
// fresh budget per address.
func (id Identity) RateKey() string {
	if id.Name != "" {
		return "key:" + id.Name
	}
	if a, err := netip.ParseAddr(id.ClientIP); err == nil && a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		return "ip:" + p.String()
	}
	return "ip:" + id.ClientIP
}

type identityKey struct{}

// WithIdentity returns ctx carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// FromContext returns the identity Middleware put into ctx; an anonymous
// one without an address when there is none.
func FromContext(ctx context.Context) Identity {
	id, _ := ctx.Value(identityKey{}).(Identity)
	return id
}

// TrustedProxies are the addresses of reverse proxies whose
// X-Forwarded-For header is believed. Empty (the default): the header is
// ignored and the client address is the TCP peer's, because any client can
// write the header.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies parses a comma-separated list of addresses and CIDR
// prefixes, e.g. "10.0.0.0/8, 192.168.1.7".
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", e)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (tp TrustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range tp {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientIP returns the address of the client of r: the TCP peer, or, when
// the peer is a trusted proxy, the right-most X-Forwarded-For address that
// is not itself a trusted proxy (the left-most part of the header is
// written by the client and proves nothing).
func (tp TrustedProxies) ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if len(tp) == 0 || !tp.trusts(peer) {
		return peer.String()
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break
		}
		client = a.Unmap()
		if !tp.trusts(client) {
			break
		}
	}
	return client.String()
}

// parseHop parses one X-Forwarded-For entry: an address, or an address
// with a port as some proxies write it ("203.0.113.7:4711",
// "[2001:db8::1]:4711"), or a bracketed IPv6 address.
func parseHop(h string) (netip.Addr, bool) {
	h = strings.TrimSpace(h)
	if a, err := netip.ParseAddr(h); err == nil {
		return a, true
	}
	if ap, err := netip.ParseAddrPort(h); err == nil {
		return ap.Addr(), true
	}
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		if a, err := netip.ParseAddr(h[1 : len(h)-1]); err == nil {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// Identify returns the identity that the Authorization header values give
// a client at ip: a valid `Bearer <key>` gives the key's name and role; no
// header an anonymous caller; anything else (another scheme, an unknown
// key, several headers) an anonymous caller marked InvalidKey.
func (ks *Keys) Identify(authorization []string, ip string) Identity {
	id := Identity{ClientIP: ip}
	if len(authorization) == 0 {
		return id
	}
	id.InvalidKey = true
	scheme, secret, ok := strings.Cut(strings.TrimSpace(authorization[0]), " ")
	if len(authorization) == 1 && ok && strings.EqualFold(scheme, "Bearer") {
		if k, found := ks.Lookup(strings.TrimSpace(secret)); found {
			return Identity{Name: k.Name, Role: k.Role, ClientIP: ip}
		}
	}
	return id
}

// Middleware puts the identity of every request (see Identify) into the
// request's context. The Authorization header is removed from the request
// that goes on, so that nothing further down can log the key.
func Middleware(keys *Keys, proxies TrustedProxies, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vals := r.Header.Values("Authorization")
		ctx := WithIdentity(r.Context(), keys.Identify(vals, proxies.ClientIP(r)))
		if len(vals) > 0 {
			r = r.Clone(ctx)
			r.Header.Del("Authorization")
		} else {
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}
