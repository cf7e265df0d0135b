package main

import (
	"fmt"
	"runtime"
	"time"
)

// demonstrate context switch overhead by measuring goroutine ping-pong
func pingPong(n int) time.Duration {
	ch := make(chan struct{})
	start := time.Now()

	go func() {
		for i := 0; i < n; i++ {
			<-ch         // receive — context switch to this goroutine
			ch <- struct{}{} // send — context switch back
		}
	}()

	for i := 0; i < n; i++ {
		ch <- struct{}{} // send — triggers context switch
		<-ch             // receive — triggers context switch back
	}
	return time.Since(start)
}

func main() {
	runtime.GOMAXPROCS(1) // single thread: all context switches visible
	n := 100_000
	elapsed := pingPong(n)
	fmt.Printf("%d ping-pongs in %v\n", n, elapsed)
	fmt.Printf("avg per switch: %v\n", elapsed/time.Duration(n*2))
}
