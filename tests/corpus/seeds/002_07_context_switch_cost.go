package main

import (
	"fmt"
	"runtime"
	"sync"
)

// channel-based handoff forces a context switch — measure the cost
func contextSwitchCost(n int) {
	ch1 := make(chan struct{})
	ch2 := make(chan struct{})
	var wg sync.WaitGroup

	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i++ {
			<-ch1           // wait — context switch TO this goroutine
			ch2 <- struct{}{} // send — context switch AWAY
		}
	}()

	for i := 0; i < n; i++ {
		ch1 <- struct{}{} // send — context switch AWAY
		<-ch2             // wait — context switch BACK
	}
	wg.Wait()
}

func main() {
	runtime.GOMAXPROCS(1) // isolate: all switches on one thread
	fmt.Println("measuring context switch overhead...")
	contextSwitchCost(1_000_000)
	fmt.Println("done — run with -benchmem for precise measurement")
	// go test -bench=BenchmarkContextSwitch -benchmem -run=^$
}
