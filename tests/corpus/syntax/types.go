// Type literals: structs (embedded fields, tags), interfaces (methods, embedding,
// type-set elements), arrays, slices, maps, pointers, funcs, channels.
package main

import (
	"fmt"
	"strings"
	"sync"
)

type Base struct{ ID int }

type Other struct{ Note string }

type Record struct {
	Base                    // embedded T
	*Other                  // embedded *T
	sync.Mutex              // embedded pkg.T
	Name       string       `json:"name"`                   // raw-string tag
	Age        int          "json:\"age,omitempty\" db:\"a\"" // interpreted-string tag
	a, b       float64      // several names, one type
	_          int          // blank field
	next       *Record      // recursive pointer
	tags       []string     `x:"y"`
	meta       map[string]any
	grid       [2][3]int
	cb         func(int) error
	done       chan struct{}
	anon       struct {
		X, Y int `pos:"xy"`
	}
}

type Stringer interface {
	String() string
}

type ReadWriter interface {
	Stringer                    // embedded interface
	fmt.Formatter               // embedded qualified interface
	Read(p []byte) (n int, err error)
	Write([]byte) (int, error)  // unnamed params
}

// interfaces with type-set elements (constraints only)
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | float64
}

type Stringish interface {
	~string
	Len() int
}

type Mixed interface {
	int | string
	comparable
}

type Empty interface{}

type MyStr string

func (m MyStr) Len() int { return len(m) }

func (b Base) String() string { return fmt.Sprint("base#", b.ID) }

func useNumber[T Number](x T) T        { return x + x }
func useStr[S Stringish](s S) int      { return s.Len() + len(s) }
func useMixed[M Mixed](a, b M) bool    { return a == b }

type (
	Matrix   [2][2]float64
	IntPtrs  []*int
	Handlers map[string]func(string) string
	Pipe     chan<- []byte
	PtrToArr *[4]int
	Nested   map[[2]int][]map[string]*struct{ v int }
)

func main() {
	r := Record{Base: Base{1}, Other: &Other{"n"}, Name: "x", Age: 3}
	r.Lock()
	r.Unlock()
	r.anon.X = 5
	fmt.Println(r.ID, r.Note, r.String(), r.anon.X, r.a+r.b, r.grid[1][2])
	var s Stringer = r.Base
	var e Empty = 3
	var i interface{ M() } // inline interface type
	fmt.Println(s.String(), e, i == nil)
	fmt.Println(useNumber(21), useStr(MyStr("ab")), useMixed(1, 1))
	h := Handlers{"up": strings.ToUpper}
	fmt.Println(h["up"]("ok"), Matrix{{1, 0}, {0, 1}}, len(IntPtrs{nil}))
	var p PtrToArr = &[4]int{1, 2, 3, 4}
	n := Nested{{1, 2}: {{"k": {v: 9}}}}
	fmt.Println(p[3], n[[2]int{1, 2}][0]["k"].v)
	var pipe Pipe = make(chan []byte, 1)
	pipe <- []byte("x")
	var anonymous struct {
		f func() func() int
	}
	_ = anonymous
}
