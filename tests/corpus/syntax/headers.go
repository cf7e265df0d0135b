// Go's composite-literal rule in if/for/switch headers: a bare T{...} at the top level
// of a header is ambiguous with the block's '{', so it must be parenthesized. Literals
// whose type starts with '[' / 'map' / 'struct', or that are inside (...), [...], or a
// func literal body, are fine.
package main

import "fmt"

type T struct{ a, b int }

func (t T) ok() bool { return t.a == t.b }

func get() T { return T{} }

func main() {
	x := T{}
	if x == (T{}) { // parenthesized: required
		fmt.Println("zero")
	}
	if (T{1, 1}).ok() {
		fmt.Println("ok")
	}
	if x := (T{a: 1}); x.a == 1 { // literal in the init statement, parenthesized
		fmt.Println(x)
	}
	if v := get(); v == (T{}) {
	}
	for _, v := range []int{1, 2, 3} { // slice literal: fine unparenthesized
		fmt.Print(v)
	}
	for _, tt := range []struct{ a, b int }{{1, 2}, {3, 4}} { // anonymous struct element type
		fmt.Print(tt.a + tt.b)
	}
	for k := range map[string]int{"a": 1} {
		fmt.Print(k)
	}
	for i := range [3]int{} {
		_ = i
	}
	for _, p := range []T{{1, 2}, {a: 3}} {
		_ = p
	}
	for i := 0; i < len([]T{{}}); i++ {
	}
	for x != (T{9, 9}) {
		x = T{9, 9}
	}
	switch (T{}) { // tag is a parenthesized literal
	case T{}: // case expressions need no parens
		fmt.Println("case T{}")
	}
	switch t := (T{1, 2}); t {
	case T{1, 2}:
	}
	switch {
	case x == T{9, 9}: // case clause: no ambiguity either
	}
	// func literals in headers
	if f := func() bool { return true }; f() {
		fmt.Println("init func literal")
	}
	if func() bool { return true }() {
		fmt.Println("called func literal as condition")
	}
	if func() bool { return T{1, 1}.ok() }() { // struct literal inside a func body inside a header
		fmt.Println("struct literal in func literal body")
	}
	for i := func() int { t := T{a: 2}; return t.a }(); i > 0; i-- {
	}
	switch func() T { return T{3, 3} }() {
	case T{3, 3}:
		fmt.Println("switch on func literal result")
	}
	if ok := func(t T) bool { return t.ok() }(T{5, 5}); ok { // literal as an argument: inside (...)
	}
	if ts := []T{{1, 1}}; ts[0] == (T{1, 1}) {
	}
	if x.ok() == (T{9, 9}).ok() || get() == (T{}) && len(map[T]int{{}: 1}) == 1 {
	}
	if m := map[T]bool{T{}: true}; m[T{}] { // inside [...] the literal is fine
	}
	if v := [2]T{{1, 2}}[0]; v.a == 1 {
	}
	for range []T{T{}, {}} {
	}
}
