// Channel types (direction and Go's associativity rules), send/receive expressions,
// channel conversions, close/len/cap, goroutines talking over channels.
package main

import "fmt"

// `<-` associates with the leftmost chan possible:
type (
	SendOfChan  chan<- chan int     // chan<- (chan int)
	SendOfSend  chan<- chan<- int   // chan<- (chan<- int)
	SendOfRecv  chan<- <-chan int   // chan<- (<-chan int)
	RecvOfRecv  <-chan <-chan int   // <-chan (<-chan int)
	BiOfRecv    chan (<-chan int)   // parentheses needed: `chan <-chan int` would be `chan<- chan int`
	BiOfBi      chan chan int
	RecvOfFunc  <-chan func() <-chan int
	ChanOfSlice chan []chan<- string
)

func producer(out chan<- int, n int) {
	defer close(out)
	for i := range n {
		out <- i
	}
}

func consumer(in <-chan int) (sum int) {
	for v := range in {
		sum += v
	}
	return
}

func relay(ch chan<- chan int) {
	inner := make(chan int, 1)
	inner <- 99
	ch <- inner
}

func main() {
	c := make(chan int)
	go producer(c, 5)
	fmt.Println(consumer(c))

	// channels of channels
	cc := make(chan chan int, 1)
	go relay(cc)
	fmt.Println(<-<-cc) // receive from the received channel

	var rr RecvOfRecv
	var bo BiOfRecv = make(chan (<-chan int), 1)
	ready := make(chan int, 1)
	ready <- 7
	bo <- ready
	rr = (chan (<-chan int))(bo) // unnamed bidirectional chan is assignable to a receive-only one
	fmt.Println(<-<-rr)

	var sos SendOfSend = make(chan chan<- int, 1)
	var sor SendOfRecv = make(chan<- <-chan int, 1)
	_, _ = sos, sor

	// explicit conversions between channel types
	bi := make(chan int, 3)
	ro := (<-chan int)(bi)
	so := (chan<- int)(bi)
	so <- 1
	bi <- <-ro + 1 // send the result of a receive expression
	v, ok := <-bi
	fmt.Println(v, ok, len(bi), cap(bi))

	// receive as operands of other expressions
	bi <- 10
	bi <- 20
	sum := <-bi + <-bi
	fmt.Println(sum, -<-func() chan int { x := make(chan int, 1); x <- 3; return x }())

	// nil channel, closed channel receive, buffered channel of funcs
	var nilc chan int
	close(bi)
	z, ok2 := <-bi
	fmt.Println(nilc == nil, z, ok2)
	fc := make(chan func() int, 1)
	fc <- func() int { return 42 }
	fmt.Println((<-fc)())
	var rof RecvOfFunc
	_ = rof
	cs := make(ChanOfSlice, 1)
	cs <- []chan<- string{make(chan string, 1)}
	(<-cs)[0] <- "hi"
	done := make(chan struct{})
	go func() { done <- struct{}{} }()
	<-done
	var _ SendOfChan = cc
	var _ BiOfBi = cc
}
