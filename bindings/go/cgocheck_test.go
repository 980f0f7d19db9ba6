package core

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// The zero-copy calls are only proven legal if the cgo pointer checker is
// on while the tests run. This test hands C a pointer to Go memory that
// holds a Go pointer, in a child process: the checker must kill the child.
// The meson suite runs everything once more with GODEBUG=cgocheck=2, which
// adds checks of every pointer write to non-Go memory.
func TestCgoCheckIsActive(t *testing.T) {
	if os.Getenv("CORE_GO_CGOCHECK_CHILD") == "1" {
		type bad struct {
			p   *int
			pad [8]float64
		}
		b := &bad{p: new(int)}
		var out Summary
		capi.Core_stats_merge(unsafe.Pointer(b), unsafe.Pointer(b), unsafe.Pointer(&out))
		os.Exit(0) // reached only when nothing checks
	}
	t.Logf("GODEBUG=%q", os.Getenv("GODEBUG"))
	if want := os.Getenv("CORE_GO_WANT_GODEBUG"); want != "" && !strings.Contains(os.Getenv("GODEBUG"), want) {
		t.Fatalf("GODEBUG=%q, the suite asked for %q", os.Getenv("GODEBUG"), want)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCgoCheckIsActive$")
	cmd.Env = append(os.Environ(), "CORE_GO_CGOCHECK_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !bytes.Contains(out, []byte("Go pointer to")) {
		t.Fatalf("an illegal cgo argument was not caught (err %v):\n%s", err, out)
	}
}
