// Every form of the for statement.
package main

import "fmt"

func gen(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := range n {
			ch <- i
		}
		close(ch)
	}()
	return ch
}

func seq(yield func(int) bool) { // range-over-func iterator
	for i := 0; i < 3; i++ {
		if !yield(i) {
			return
		}
	}
}

func pairs(yield func(string, int) bool) {
	_ = yield("a", 1) && yield("b", 2)
}

func main() {
	// three-clause
	for i := 0; i < 3; i++ {
		fmt.Print(i)
	}
	// three-clause with empty parts
	j := 0
	for ; j < 3; {
		j++
	}
	for j := 0; j < 2; {
		j++
	}
	for ; ; j++ {
		if j > 5 {
			break
		}
	}
	// parallel assignment in post statement
	for lo, hi := 0, 5; lo < hi; lo, hi = lo+1, hi-1 {
	}
	// condition only
	k := 3
	for k > 0 {
		k--
	}
	// infinite
	n := 0
	for {
		n++
		if n == 2 {
			break
		}
	}
	// range over a channel (no variables, one variable)
	for range gen(2) {
	}
	for v := range gen(3) {
		fmt.Print(v)
	}
	// range over an integer
	for i := range 10 {
		_ = i
	}
	for range 3 {
		fmt.Print(".")
	}
	// range over a map, slice, string, array pointer
	m := map[string]int{"a": 1}
	for k, v := range m {
		fmt.Print(k, v)
	}
	for k := range m {
		_ = k
	}
	s := []int{4, 5}
	var idx, v int
	for _, v = range s { // assignment (=) form with blank
	}
	for idx, v = range s {
	}
	for idx = range s {
	}
	fmt.Print(idx, v)
	for i, r := range "héllo" {
		_, _ = i, r
	}
	arr := [3]int{}
	for i := range &arr {
		arr[i] = i
	}
	// range with index expressions as targets
	var slots [2]int
	for slots[0], slots[1] = range []int{7, 8} {
	}
	// range over functions
	for x := range seq {
		fmt.Print(x)
	}
	for k, v := range pairs {
		fmt.Print(k, v)
	}
	for range seq {
	}
	fmt.Println(slots)
}
