package metrics

import (
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/storetest"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// TestContractInstrumented runs the store contract suite over the
// instrumented store, on this run's store (embedded, or Neo4j with
// NEO4J_URI): instrumenting changes no answer, no refusal and no
// ordering. Afterwards every operation the suite calls has been timed and
// the suite's refusals counted.
func TestContractInstrumented(t *testing.T) {
	m := New()
	storetest.Run(t, func(t *testing.T) kg.Store { return InstrumentStore(teststore.Open(t), m) })
	if t.Failed() {
		return
	}
	for _, op := range storeOperations {
		if op == "Close" {
			continue // the suite never closes a store: its cleanup does, below the wrapper
		}
		if n, ok := sample(t, m, "samverkan_store_call_duration_seconds", map[string]string{"operation": op}); !ok || n == 0 {
			t.Errorf("no %s call was timed (%v, %v)", op, n, ok)
		}
	}
	if n, _ := sample(t, m, "samverkan_store_call_errors_total", map[string]string{"operation": "UpsertNode", "kind": "invalid"}); n == 0 {
		t.Error("the suite's refused upserts were not counted as invalid")
	}
}
