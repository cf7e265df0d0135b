// Expression switches, type switches and select statements in all their forms.
package main

import (
	"fmt"
	"io"
)

type Shape interface{ Area() float64 }
type Sq struct{ s float64 }

func (q Sq) Area() float64 { return q.s * q.s }

func classify(v any) string {
	switch t := v.(type) { // type switch with binding
	case nil:
		return "nil"
	case int, int64: // several types: t has the type of v
		return fmt.Sprint("integer ", t)
	case string:
		return "string " + t
	case []int:
		return fmt.Sprint("slice len ", len(t))
	case func() int, map[string]int, chan<- int, *Sq:
		return "composite type"
	case Shape:
		return fmt.Sprint("shape ", t.Area())
	case error, fmt.Stringer:
		return "iface"
	default:
		return fmt.Sprintf("other %T", t)
	}
}

func neverCalled() {
	select {} // empty select: blocks forever
}

func main() {
	x := 2
	switch x { // tag
	case 1:
		fmt.Println("one")
	case 2, 3: // list
		fmt.Println("two or three")
		fallthrough
	case 4:
		fmt.Println("fell into four")
	default:
		fmt.Println("default")
	}
	switch y := x * 2; y { // init + tag
	case 4:
		fmt.Println("y=4")
	}
	switch { // no tag
	case x > 1 && x < 3:
		fmt.Println("range")
	}
	switch z := 5; { // init, no tag
	case z > 1:
	}
	switch x := x + 1; x { // shadowing init, tag, empty body
	}
	switch {
	default: // default first
	case x == 0:
	}
	switch f := func() int { return 1 }; f() {
	case 1:
	}
	// type switches
	fmt.Println(classify(nil), classify(3), classify(int64(4)), classify("s"), classify([]int{1}))
	fmt.Println(classify(Sq{2}), classify(&Sq{1}), classify(io.EOF), classify(1.5))
	var v any = "str"
	switch v.(type) { // no binding
	case string:
	}
	switch w := v; u := w.(type) { // init + binding
	case string:
		_ = u
	}

	// select with every case form
	c := make(chan int, 1)
	out := make(chan int, 1)
	var r int
	var ok bool
	for i := 0; i < 6; i++ {
		if i%2 == 0 {
			c <- i
		}
		select {
		case out <- i: // send
			<-out
		case v := <-c: // receive with short declaration
			fmt.Println("recv", v)
		case v, ok := <-c: // comma-ok declaration
			fmt.Println(v, ok)
		case r = <-c: // receive with assignment
		case r, ok = <-c: // comma-ok assignment
		case <-c: // receive, value discarded
		}
	}
	select {
	case <-c:
	default: // non-blocking
		fmt.Println("empty", r, ok)
	}
	close(c)
	select {
	case v, ok := <-c:
		fmt.Println("closed:", v, ok)
	}
	var arr [1]int
	select {
	case arr[0] = <-out: // receive into an index expression
	default:
	}
	_ = neverCalled
}
