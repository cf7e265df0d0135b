// Operators at every precedence level, unary operators, selectors, index,
// slices (2- and 3-index), type assertions, calls with ..., conversions,
// and expressions broken across lines after operators and commas.
package main

import (
	"fmt"
	"strconv"
)

type T struct{ n int }

func (t T) Get() int { return t.n }

type Celsius float64

func two() (int, int) { return 1, 2 }

func main() {
	a, b, c := 7, 3, 2
	// precedence 5: * / % << >> & &^
	p5 := a*b/c%5<<1>>1&0xFF&^0x1
	// precedence 4: + - | ^
	p4 := a + b - c | 4 ^ 1
	// precedence 3: comparisons
	p3 := a == b || a != b && a < b || a <= b || a > b && a >= b
	// precedence 2 and 1: && binds tighter than ||
	t1, f1, f2 := true, false, false
	p1 := t1 || f1 && f2
	mixed := a + b*c - (a-b)/c<<2 | 1
	fmt.Println(p5, p4, p3, p1, mixed, a+b*c == a+(b*c), -a*-b)

	// unary operators
	x := 5
	ptr := &x
	ch := make(chan int, 1)
	ch <- 9
	u := [...]int{-x, +x, ^x, *ptr, <-ch}
	nb := !(x > 3)
	pp := &ptr
	**pp = 6
	fmt.Println(u, nb, x, - -x, ^^x, !!nb, -(-x))

	// selectors, index, slices
	t := T{n: 1}
	tp := &t
	fmt.Println(t.n, tp.n, (*tp).n, t.Get(), tp.Get(), (&t).Get())
	s := []int{0, 1, 2, 3, 4, 5}
	arr := [6]int{}
	fmt.Println(s[1], s[len(s)-1], s[:], s[1:], s[:2], s[1:3], s[1:2:3], s[:2:4], arr[1:4:5])
	str := "hello"
	fmt.Println(str[1], str[1:3], str[:], "lit"[1:], []byte(str)[0])
	m := map[[2]int]string{{1, 2}: "x"}
	fmt.Println(m[[2]int{1, 2}], (&arr)[2], (&arr)[1:2])

	// type assertions
	var i any = t
	tv := i.(T)
	_, isStr := i.(string)
	g := i.(interface{ Get() int }).Get()
	fmt.Println(tv.n, isStr, g, i.(T).n)

	// calls with ... and nested calls
	nums := []int{1, 2}
	fmt.Println(append(nums, nums...), append([]byte("a"), "bc"...))
	fmt.Println(two())

	// conversions
	r := 'é'
	bs := []byte(str)
	rs := []rune(str)
	f := float64(a) / 2
	cel := Celsius(36.6)
	fmt.Println(string(r), string(bs), string(rs), f, int(cel), strconv.Itoa(int(f)))
	up := (*T)(tp)
	fn := func() {}
	fn2 := (func())(fn)
	// NOTE: `func()(fn)` is NOT a conversion: Go parses it as the func TYPE `func() (fn)`
	// (result type fn). The conversion must be written `(func())(fn)`.
	var fn3 func()(int) = func() int { return 1 } // func() (int): parenthesized result type
	rc := (<-chan int)(ch)
	sc := (chan<- int)(ch)
	uptr := (*int)(nil)
	fn2()
	_ = fn3()
	fmt.Println(up.n, rc != nil, sc != nil, uptr == nil, []int(nil) == nil, any(nil))

	// expressions broken across lines after binary operators and commas
	long := a +
		b*
			c -
		1
	ok := a > 0 &&
		b > 0 ||
		c > 0
	call := fmt.Sprint(
		a,
		b,
		c, // trailing comma before the closing paren
	)
	chained := fmt.
		Sprint("method on next line")
	idx := s[
		1]
	fmt.Println(long, ok, call, chained, idx)

	// parenthesised expressions and types
	pv := ((((a))))
	var q (int) = (pv)
	var ptrT *(T) = &(t)
	fmt.Println(q, (*ptrT).n, (ptrT).Get())
}
