package core

import (
	"math"
	"sync"
)

// cells holds the out-parameters of one C call (summaries, a float64 result,
// a size_t result). Go memory handed to C escapes to the heap, so a local
// variable would cost an allocation per call: about 50 ns here with its share
// of garbage collection, more than the whole cgo transition. The cells are
// pooled instead, and a call allocates nothing.
type cells struct {
	sum [3]Summary
	f   [1]float64
	u   [1]uint64
}

var cellPool = sync.Pool{New: func() interface{} { return new(cells) }}

func getCells() *cells { return cellPool.Get().(*cells) }

func (c *cells) put() { cellPool.Put(c) }

// count releases c and returns c.u[0], or the error of the raw call r.
func (c *cells) count(op string, r int64) (uint64, error) {
	v := c.u[0]
	c.put()
	if r != 0 {
		return 0, fail(op, r)
	}
	return v, nil
}

// float releases c and returns c.f[0], or NaN and the error of the raw
// call r.
func (c *cells) float(op string, r int64) (float64, error) {
	v := c.f[0]
	c.put()
	if r != 0 {
		return math.NaN(), fail(op, r)
	}
	return v, nil
}

// summary releases c and returns c.sum[0], or the error of the raw call r.
func (c *cells) summary(op string, r int64) (Summary, error) {
	s := c.sum[0]
	c.put()
	if r != 0 {
		return Summary{}, fail(op, r)
	}
	return s, nil
}
