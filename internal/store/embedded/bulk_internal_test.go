package embedded

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

// appendRel writes what json.Marshal writes, byte for byte.
func TestAppendRelIsMarshal(t *testing.T) {
	now := time.Date(2026, 12, 1, 23, 4, 5, 123456789, time.UTC)
	stamp, _ := now.MarshalJSON()
	other := time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	for _, r := range []kg.Rel{
		{Type: kg.RelPartnersWith, From: "a", To: "b", CreatedAt: now, UpdatedAt: now},
		{Type: kg.RelParticipatesIn, From: "a-1", To: "p-2", Role: "LEAD", Start: "2020-01-01", End: "2021-01-01",
			Sources:   []string{"s1", `quote " back \ slash`, "tab\tnl\ncr\r\x01\x1f<>&\u2028\u2029 åäö 😀"},
			CreatedAt: other, UpdatedAt: now},
		{Type: kg.RelHasCompetency, From: "x", To: "c", Level: 5, Evidence: "Delivered <b>", CreatedAt: now, UpdatedAt: now},
		{Type: kg.RelRequires, From: "n", To: "c", Importance: 3, Description: "d", Since: "2019-02-03"},
		{Type: kg.RelMemberOf, From: "bad\xffutf8", To: "y"},
	} {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendRel(nil, &r, now, stamp)
		if err != nil || string(got) != string(want) {
			t.Errorf("appendRel = %s, %v\n      want %s", got, err, want)
		}
	}
}
