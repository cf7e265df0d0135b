// Package clause, imports of every form, and top-level const/var/type declarations.
package main

import "fmt" // single import

import (
	"errors"
	str "strings" // renamed import
	_ "unicode"   // blank import (for side effects)
	. "math"      // dot import: Sqrt, Pi used unqualified

	"os"
)

// grouped consts with iota and implicit repetition
const (
	A = iota // 0
	B        // 1 (implicit repetition of "= iota")
	C        // 2
	_        // 3 skipped
	D4       // 4
)

const (
	KB int64 = 1 << (10 * (iota + 1)) // typed, implicit repetition of expression
	MB
	GB
)

const (
	x0, y0 = iota, iota * 10 // two per line
	x1, y1
)

const single = "one"
const typed float64 = 2.5
const big = 1 << 100 >> 98 // untyped constant arithmetic beyond int64

// var forms
var v1 int
var v2 = "inferred"
var v3, v4 int = 3, 4
var v5, v6 = 5, "six"
var (
	g1     int
	g2     = 2.0
	g3, g4 string
	g5, g6 = errors.New("e"), str.ToUpper("up")
)

// type declarations
type Celsius float64            // defined type
type Temp = Celsius             // alias
type (
	ID     int
	Name   string
	Pair   struct{ K, V string }
	Lookup = map[string]int // alias inside group
	Fn     func(int, string) (bool, error)
)

type Counter int

func (c Counter) Double() Counter { return c * 2 }

func main() {
	// local declarations of every kind
	const local = 7
	var lv int = local
	type localT struct{ n int }
	var (
		la = localT{n: lv}
		lb Temp = 36.6
	)
	fmt.Println(A, B, C, D4, KB, MB, GB, x0, y0, x1, y1, single, typed, big)
	fmt.Println(v1, v2, v3, v4, v5, v6, g1, g2, g3, g4, g5, g6)
	fmt.Println(la.n, lb, Sqrt(16), Pi > 3, Counter(21).Double())
	var l Lookup = Lookup{"a": 1}
	var f Fn = func(i int, s string) (bool, error) { return i > 0, nil }
	ok, _ := f(1, "s")
	fmt.Println(l["a"], ok, ID(3), Name("n"), Pair{"k", "v"})
	if len(os.Args) > 99 {
		os.Exit(1)
	}
}
