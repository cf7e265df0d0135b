// Functions and methods: receivers, variadics, named/unnamed params and results,
// func literals, func types as params and results, method values/expressions.
package main

import (
	"errors"
	"fmt"
)

type Point struct{ X, Y int }

func (p Point) Sum() int       { return p.X + p.Y } // value receiver
func (p *Point) Scale(k int)   { p.X *= k; p.Y *= k } // pointer receiver
func (Point) Kind() string     { return "point" }   // receiver without a name
func (*Point) PtrKind() string { return "*point" }  // pointer receiver without a name
func (p *Point) Move(dx, dy int) (moved Point) {
	p.X, p.Y = p.X+dx, p.Y+dy
	moved = *p
	return
}

func noArgs()                  {}
func unnamed(int, string) bool { return true }
func grouped(a, b int, s string, ok bool) (int, string) {
	if ok {
		return a + b, s
	}
	return 0, ""
}

func named() (n int, err error) { // named results, bare return
	n = 42
	err = errors.New("named")
	return
}

func shadow() (x int) {
	defer func() { x *= 2 }() // deferred closure modifies named result
	return 21
}

func variadic(prefix string, nums ...int) int {
	total := 0
	for _, n := range nums {
		total += n
	}
	return len(prefix) + total
}

func blankParams(_ int, _ string) {}

func apply(f func(int) int, v int) int { return f(v) } // func type as parameter

func adder(base int) func(int) int { // func type as result
	return func(x int) int { return base + x }
}

func compose(fs ...func(int) int) func(int) int {
	return func(x int) int {
		for _, f := range fs {
			x = f(x)
		}
		return x
	}
}

func curry(a int) func(int) func(int) int {
	return func(b int) func(int) int { return func(c int) int { return a + b + c } }
}

func multiResult() (int, int, error) { return 1, 2, nil }

func takesMulti(a, b int, err error) int { return a + b }

type Op func(a, b int) (result int)

func main() {
	p := Point{1, 2}
	p.Scale(3)
	(&p).Scale(1)
	fmt.Println(p.Sum(), p.Kind(), p.PtrKind(), p.Move(1, 1))

	noArgs()
	fmt.Println(unnamed(1, "x"))
	fmt.Println(grouped(1, 2, "s", true))
	fmt.Println(named())
	fmt.Println(shadow())
	fmt.Println(variadic("ab"), variadic("", 1, 2, 3), variadic("x", []int{4, 5}...))
	blankParams(0, "")
	fmt.Println(apply(adder(10), 5), compose(adder(1), adder(2))(0), curry(1)(2)(3))
	fmt.Println(takesMulti(multiResult())) // f(g()) with multiple results

	// method values and method expressions
	sum := p.Sum
	scale := (&p).Scale
	scale(2)
	fSum := Point.Sum
	fScale := (*Point).Scale
	fSumPtr := (*Point).Sum // value method through pointer type
	fScale(&p, 1)
	fmt.Println(sum(), fSum(p), fSumPtr(&p))

	var op Op = func(a, b int) (r int) { r = a * b; return }
	fmt.Println(op(6, 7))

	// immediately invoked literals, in expressions and statements
	v := func(a int) int { return a * a }(9)
	func() { fmt.Println("iife", v) }()
	defer func(msg string) { fmt.Println(msg) }("deferred")
	var recursive func(int) int
	recursive = func(n int) int {
		if n <= 1 {
			return 1
		}
		return n * recursive(n-1)
	}
	fmt.Println(recursive(5))
}
