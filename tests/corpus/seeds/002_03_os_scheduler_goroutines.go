package main

import (
	"fmt"
	"runtime"
	"time"
)

// OS scheduler gives each OS thread a time slice — Go scheduler multiplexes goroutines
// on top of OS threads — goroutines are MUCH cheaper than OS threads
func main() {
	fmt.Printf("OS threads (GOMAXPROCS): %d\n", runtime.GOMAXPROCS(0))

	// launch 10,000 goroutines — would be impossible with OS threads
	done := make(chan struct{})
	count := 10_000

	for i := 0; i < count; i++ {
		go func() {
			time.Sleep(100 * time.Millisecond) // each goroutine waits — parks, not blocks OS thread
			done <- struct{}{}
		}()
	}

	for i := 0; i < count; i++ {
		<-done
	}

	fmt.Printf("completed %d goroutines — OS would need far fewer threads\n", count)
}
