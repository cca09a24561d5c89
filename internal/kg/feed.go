package kg

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Live updates (the subscription graphChanged): one Feed per process polls
// the store's change records (Store.Changes) while anyone subscribes and
// hands every new entry to the subscribers it touches. On Neo4j the records
// are in the database, so a write through any API process reaches the
// subscribers of every process.

// Defaults of FeedOptions.
const (
	DefaultFeedPoll             = 200 * time.Millisecond
	DefaultFeedBuffer           = 256
	DefaultMaxSubscriptions     = 1_000
	DefaultMaxConnSubscriptions = 20
	MaxSubscriptionIDs          = 100
)

// Reasons (extensions.reason) of the errors that end or refuse a
// subscription.
const (
	ReasonSubscriberTooSlow = "SUBSCRIBER_TOO_SLOW"
	ReasonTooManySubs       = "TOO_MANY_SUBSCRIPTIONS"
)

// FeedOptions configure NewFeed; zero values take the defaults.
type FeedOptions struct {
	Poll   time.Duration // how often the change records are read while anyone subscribes
	Buffer int           // entries a subscriber may fall behind before it is ended
	Max    int           // subscriptions in the process
	Logger *slog.Logger
}

// Feed fans the change records out to subscribers.
type Feed struct {
	store Store
	o     FeedOptions

	mu      sync.Mutex
	subs    map[*Subscription]struct{}
	running bool
	last    uint64 // the version whose entries were handed out last
}

// NewFeed returns the feed of s.
func NewFeed(s Store, o FeedOptions) *Feed {
	if o.Poll <= 0 {
		o.Poll = DefaultFeedPoll
	}
	if o.Buffer <= 0 {
		o.Buffer = DefaultFeedBuffer
	}
	if o.Max <= 0 {
		o.Max = DefaultMaxSubscriptions
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Feed{store: s, o: o, subs: map[*Subscription]struct{}{}}
}

// Subscription is one subscriber: C delivers the entries about its labels
// and ids written after it subscribed, and is closed when the
// subscription ends; Err then says why (nil after Close).
type Subscription struct {
	C      <-chan ChangeEntry
	c      chan ChangeEntry
	labels []Label
	ids    []string
	feed   *Feed
	err    error
}

// Err is why C was closed: nil when the subscriber closed it.
func (s *Subscription) Err() error {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	return s.err
}

// Close ends the subscription; C is closed.
func (s *Subscription) Close() {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	s.feed.end(s, nil)
}

// end removes s with err; the caller holds mu.
func (f *Feed) end(s *Subscription, err error) {
	if _, ok := f.subs[s]; !ok {
		return
	}
	delete(f.subs, s)
	s.err = err
	close(s.c)
}

// Subscribe starts a subscription to the entries about labels and ids
// (empty: all) written from now on. A process at its limit refuses it.
func (f *Feed) Subscribe(ctx context.Context, labels []Label, ids []string) (*Subscription, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.subs) >= f.o.Max {
		return nil, &Error{Kind: ErrUnavailable, Reason: ReasonTooManySubs,
			Msg: "this server has as many subscriptions as it takes; try again later or use Query.changes"}
	}
	if !f.running {
		// From the version now: a write before it is not sent.
		v, err := f.store.Version(ctx)
		if err != nil {
			return nil, err
		}
		f.last, f.running = v, true
		go f.run()
	}
	c := make(chan ChangeEntry, f.o.Buffer)
	s := &Subscription{C: c, c: c, labels: labels, ids: ids, feed: f}
	f.subs[s] = struct{}{}
	return s, nil
}

// run polls while anyone subscribes.
func (f *Feed) run() {
	t := time.NewTicker(f.o.Poll)
	defer t.Stop()
	for range t.C {
		f.mu.Lock()
		if len(f.subs) == 0 {
			f.running = false
			f.mu.Unlock()
			return
		}
		after := f.last
		f.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		recs, err := f.store.Changes(ctx, after, 500)
		cancel()
		if err != nil {
			f.o.Logger.Warn("the change feed could not read the change records; trying again", "err", err.Error())
			continue
		}
		f.deliver(after, recs)
	}
}

// deliver hands out the records that follow on from after. Records that
// are gone (pruned while the feed was further behind than the retention)
// end every subscription: their subscribers must catch up from
// Query.changes.
func (f *Feed) deliver(after uint64, recs ChangeRecords) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.last != after {
		return
	}
	for _, c := range recs.Changes {
		if c.Version <= f.last {
			continue
		}
		if c.Version != f.last+1 {
			f.expire(c.Version - 1)
			continue
		}
		f.last = c.Version
		for _, e := range c.Entries() {
			for s := range f.subs {
				if !e.Touches(s.labels, s.ids) {
					continue
				}
				select {
				case s.c <- e:
				default:
					f.end(s, &Error{Kind: ErrTimeout, Reason: ReasonSubscriberTooSlow, Msg: "the subscriber fell " +
						"behind the change feed and was ended; resume from Query.changes with the last cursor kept"})
				}
			}
		}
	}
	// Below the version read, every record is visible (only the newest
	// may not be yet): one missing there is gone.
	if len(recs.Changes) == 0 && recs.Version > f.last+1 {
		f.expire(recs.Version - 1)
	}
}

// expire ends every subscription after a gap in the records and goes on
// from version v.
func (f *Feed) expire(v uint64) {
	for s := range f.subs {
		f.end(s, &Error{Kind: ErrInvalid, Reason: ReasonChangesExpired, Msg: "the change feed missed records " +
			"that are no longer kept; resume from Query.changes or read the graph afresh"})
	}
	f.last = v
}
