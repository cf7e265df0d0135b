package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var wg sync.WaitGroup

	// without sync: data race — counter result is non-deterministic
	unsafeCounter := 0
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unsafeCounter++ // read-modify-write: NOT atomic
		}()
	}
	wg.Wait()
	fmt.Printf("unsafe counter (racy): %d (should be 1000)\n", unsafeCounter)

	// with atomic: deterministic — hardware guarantees indivisibility
	var safeCounter int64
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&safeCounter, 1) // single atomic instruction
		}()
	}
	wg.Wait()
	fmt.Printf("safe counter (atomic): %d\n", safeCounter) // always 1000
}
// run with: go run -race main.go to detect the data race
