//go:build !race

package oracle

// raceDetector is true under go test -race.
const raceDetector = false
