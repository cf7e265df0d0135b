package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// from the OS's view: only GOMAXPROCS threads, always busy
// from Go's view: thousands of goroutines making IO progress
func simulateIOWorkload(goroutines int) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()

	for i := 0; i < goroutines; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			// goroutine parks — OS thread picks up next runnable goroutine
			// OS sees the thread as always occupied (CPU-bound from its perspective)
			time.Sleep(10 * time.Millisecond)
		}(i)
	}
	wg.Wait()
	return time.Since(start)
}

func main() {
	fmt.Printf("GOMAXPROCS: %d OS threads\n", runtime.GOMAXPROCS(0))
	fmt.Printf("running 1000 IO-bound goroutines...\n")

	elapsed := simulateIOWorkload(1000)
	fmt.Printf("elapsed: %v (OS sees %d busy threads, not 1000 blocked threads)\n",
		elapsed, runtime.GOMAXPROCS(0))
}
