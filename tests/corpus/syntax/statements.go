// Simple statements, assignment operators, inc/dec, send, go, defer, return,
// if/else chains with init, labels with break/continue/goto, blocks, empty statements.
package main

import (
	"fmt"
	"sync"
)

func returns(n int) (int, string) {
	if n < 0 {
		return -1, "neg" // multi-value return
	}
	return n, "ok"
}

func bare() (a, b int) {
	a, b = 1, 2
	return // bare return
}

func nothing() {
	return // return with no values
}

func main() {
	// short variable declarations, parallel assignment, redeclaration
	a, b := 10, 3
	a, c := 20, 4 // a reused, c new
	a, b = b, a   // swap
	_ = c
	var m = map[string]int{}
	m["k"], a = 1, 2

	// every assignment operator
	x := 100
	x += 5
	x -= 3
	x *= 2
	x /= 4
	x %= 7
	x &= 0xF
	x |= 0x10
	x ^= 0x3
	x <<= 2
	x >>= 1
	x &^= 0x8
	fmt.Println(a, b, x)

	// increment / decrement on various operands
	x++
	x--
	m["k"]++
	arr := [3]int{}
	arr[1]++
	p := &x
	*p++
	s := struct{ n int }{}
	s.n--
	fmt.Println(x, m, arr, s)

	// send, go, defer
	ch := make(chan int, 2)
	ch <- 1
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); ch <- 2 }()
	wg.Wait()
	defer fmt.Println("deferred 1")
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r)
		}
	}()
	fmt.Println(<-ch, <-ch)

	// if / else if / else, with and without init statements
	if v, msg := returns(a); v > 5 {
		fmt.Println("big", msg)
	} else if v > 1 {
		fmt.Println("medium", msg)
	} else if w := v * 2; w == 0 {
		fmt.Println("zero")
	} else {
		fmt.Println("small", v, w)
	}
	if x++; x > 0 { // init is an inc statement
	}
	if ch <- 3; len(ch) == 1 { // init is a send statement
		<-ch
	}

	// labels, goto, labeled break/continue
	i := 0
loop:
	if i < 3 {
		i++
		goto loop
	}
outer:
	for j := 0; j < 3; j++ {
	inner:
		for k := 0; k < 3; k++ {
			switch {
			case k == 1:
				continue inner
			case j == 2:
				break outer
			case k == 2:
				continue outer
			}
		}
	}
	goto end
end:
	; // labeled empty statement

	// nested blocks and empty statements
	{
		y := 1
		{
			y := y + 1
			_ = y
		}
		;;
	}
	;
	a1, a2 := bare()
	nothing()
	fmt.Println(i, a1, a2)
	var arr2 [2]int
	arr2[0], arr2[1] = arr2[1], arr2[0]
	panic("boom")
}
