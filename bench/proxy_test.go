package bench

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// proxy is a TCP proxy on loopback between the Go driver and Neo4j that
// counts round trips: a round trip (a request "flight") begins each time
// the client sends after having received, or sends first on a connection.
// Opening a connection counts one more (the TCP handshake). Pipelined
// messages sent together are one flight; a statement that needs an answer
// before the next can be sent is another.
//
// With a delay it also holds the first bytes of every flight, in each
// direction, for that long: a crude link simulation for machines whose
// kernel has no netem (bench/neo4j-netem.sh uses netem when it can).
type proxy struct {
	ln     net.Listener
	target string
	delay  time.Duration

	flights atomic.Int64
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   []net.Conn
	closed  bool
}

// startProxy listens on a free loopback port and forwards to target.
func startProxy(tb testing.TB, target string, delay time.Duration) *proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("proxy: %v", err)
	}
	p := &proxy{ln: ln, target: target, delay: delay}
	p.wg.Add(1)
	go p.accept()
	return p
}

// Addr is the host:port the driver should dial.
func (p *proxy) Addr() string { return p.ln.Addr().String() }

// RoundTrips is the number of flights so far, over every connection.
func (p *proxy) RoundTrips() int64 { return p.flights.Load() }

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

// track remembers a connection so Close can end it; false once closed.
func (p *proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns = append(p.conns, c)
	return true
}

func (p *proxy) serve(client net.Conn) {
	defer p.wg.Done()
	if !p.track(client) {
		client.Close()
		return
	}
	p.flights.Add(1) // the TCP handshake with the server
	if p.delay > 0 {
		time.Sleep(2 * p.delay)
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(server) {
		client.Close()
		if server != nil {
			server.Close()
		}
		return
	}
	// clientSpoke: the client has sent since it last received, so what it
	// sends now belongs to the same flight. It is cleared only once bytes
	// have been delivered to the client: what the client sends before that
	// it sent without having received (cleared just before the delivery, since
	// the client may answer it at once). answering: the server's bytes
	// belong to an answer whose first bytes were delayed already.
	var mu sync.Mutex
	clientSpoke, answering := false, false
	pump := func(dst, src net.Conn, fromClient bool) {
		defer func() {
			// Half-close so the other direction can still drain.
			if tc, ok := dst.(*net.TCPConn); ok {
				_ = tc.CloseWrite()
			}
		}()
		buf := make([]byte, 64<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				mu.Lock()
				var first bool
				if fromClient {
					first = !clientSpoke
					clientSpoke, answering = true, false
				} else {
					first = !answering
					answering = true
				}
				mu.Unlock()
				if first {
					if fromClient {
						p.flights.Add(1)
					}
					if p.delay > 0 {
						time.Sleep(p.delay)
					}
				}
				if !fromClient {
					// Just before the delivery: the client may answer it
					// before this goroutine runs again.
					mu.Lock()
					clientSpoke = false
					mu.Unlock()
				}
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	var both sync.WaitGroup
	both.Add(2)
	go func() { defer both.Done(); pump(server, client, true) }()
	go func() { defer both.Done(); pump(client, server, false) }()
	both.Wait()
	client.Close()
	server.Close()
}

// Close stops listening and ends every connection.
func (p *proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// TestProxyCountsFlights checks the counting on an echo server: a
// request–answer exchange is one round trip, several writes before an
// answer are still one, and the delay is applied per flight and direction.
func TestProxyCountsFlights(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
		}
	}()
	const delay = 20 * time.Millisecond
	p := startProxy(t, ln.Addr().String(), delay)
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	exchange := func(parts ...string) {
		want := 0
		for _, s := range parts {
			if _, err := c.Write([]byte(s)); err != nil {
				t.Fatal(err)
			}
			want += len(s)
		}
		buf := make([]byte, want)
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
	}
	exchange("hello") // connection + first flight
	for c := 0; p.RoundTrips() < 2 && c < 100; c++ {
		time.Sleep(time.Millisecond)
	}
	before := p.RoundTrips()
	start := time.Now()
	exchange("a", "b", "c")
	exchange("d")
	took := time.Since(start)
	if got := p.RoundTrips() - before; got != 2 {
		t.Errorf("two exchanges counted %d round trips", got)
	}
	if before != 2 {
		t.Errorf("connect and the first exchange counted %d round trips; want 2", before)
	}
	if took < 4*delay {
		t.Errorf("two exchanges over a %v link took %v; want at least %v", delay, took, 4*delay)
	}
}
