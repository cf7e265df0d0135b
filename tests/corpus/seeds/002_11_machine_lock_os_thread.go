package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

func main() {
	// force creation of extra Ms by blocking them with syscalls
	var wg sync.WaitGroup
	blockCount := runtime.NumCPU() * 2

	for i := 0; i < blockCount; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// LockOSThread: this goroutine is pinned to its M (OS thread)
			// useful for CGo, thread-local storage, or OS-specific calls
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			fmt.Printf("locked to OS thread\n")
		}()
	}
	wg.Wait()

	// see thread stats
	var stats debug.GCStats
	debug.ReadGCStats(&stats)
	fmt.Printf("goroutines: %d\n", runtime.NumGoroutine())
}
