package core

import (
	"errors"
	"fmt"

	"libcore.dev/core/internal/capi"
)

// Status is a libcore status code (core_status). The values are pinned by
// the C ABI. Like syscall.Errno, a Status is itself an error, so the
// non-OK constants are the sentinels for errors.Is.
type Status int

// The status codes of include/core/core.h.
const (
	StatusOK           Status = 0
	ErrInvalidArgument Status = 1 // NULL pointer, bad size, NaN option, bad enum
	ErrOutOfMemory     Status = 2
	ErrBufferTooSmall  Status = 3 // an output buffer is shorter than needed
	ErrFull            Status = 4
	ErrEmpty           Status = 5 // an operation that needs data got none
	ErrNotFound        Status = 6
	ErrIO              Status = 7
	ErrFormat          Status = 8
	ErrUnsupported     Status = 9
	ErrUnavailable     Status = 10
	ErrInternal        Status = 11
)

// String is libcore's name of the code, such as "CORE_E_EMPTY"
// (core_status_str; "CORE_E_UNKNOWN" for a value outside the enum).
func (s Status) String() string { return capi.Core_status_str(int64(s)) }

// Error makes a Status usable as an error and as an errors.Is target.
func (s Status) Error() string { return s.String() }

// Error is the error returned by every function of this package.
type Error struct {
	Op      string // the Go function that failed, such as "core.Min"
	Status  Status // the libcore status code
	Message string // libcore's message for the failing call, or the binding's own

	is error // a sentinel this error also matches (ErrClosed), or nil
}

// ErrClosed is matched (errors.Is) by the error of every call on a closed
// handle, such as a RingBuffer after Close. That error's Status is
// ErrInvalidArgument, what libcore says for a NULL handle.
var ErrClosed = errors.New("core: use of a closed handle")

// Is reports whether target is the sentinel this error stands for besides
// its Status (errors.Is(err, core.ErrClosed)).
func (e *Error) Is(target error) bool { return e.is != nil && target == e.is }

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Op + ": " + e.Status.String()
	}
	return e.Op + ": " + e.Status.String() + ": " + e.Message
}

// Unwrap returns the Status, so errors.Is(err, core.ErrEmpty) works.
func (e *Error) Unwrap() error { return e.Status }

// check turns the result of a raw call (0, or a captured error) into an
// error. The success path is one comparison.
func check(op string, r int64) error {
	if r == 0 {
		return nil
	}
	return fail(op, r)
}

func fail(op string, r int64) error {
	e := &Error{
		Op:      op,
		Status:  Status(capi.Core_go_error_status(r)),
		Message: capi.Core_go_error_message(r),
	}
	capi.Core_go_error_free(r)
	return e
}

// argError is an error found by the binding before calling libcore.
func argError(op string, st Status, format string, args ...interface{}) error {
	return &Error{Op: op, Status: st, Message: fmt.Sprintf(format, args...)}
}

// closedError is the error of a call on a closed handle.
func closedError(op, what string) error {
	return &Error{Op: op, Status: ErrInvalidArgument, Message: "the " + what + " is closed", is: ErrClosed}
}

// checkSize validates a length or count given as an int.
func checkSize(op, name string, n int) error {
	if n < 0 {
		return argError(op, ErrInvalidArgument, "%s = %d is negative", name, n)
	}
	return nil
}

// checkDdof validates ddof, which libcore takes as an unsigned int.
func checkDdof(op string, ddof int) (uint, error) {
	if ddof < 0 || uint64(ddof) > uint64(^uint32(0)) {
		return 0, argError(op, ErrInvalidArgument, "ddof = %d is outside [0, %d]", ddof, ^uint32(0))
	}
	return uint(ddof), nil
}
