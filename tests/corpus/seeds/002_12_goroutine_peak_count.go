package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	maxGoroutines := 0

	// launch goroutines and observe peak count
	for i := 0; i < 10000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			if n := runtime.NumGoroutine(); n > maxGoroutines {
				maxGoroutines = n
			}
			mu.Unlock()
		}()
	}
	wg.Wait()

	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	fmt.Printf("peak goroutines: %d\n", maxGoroutines)
	fmt.Printf("heap alloc: %d MB\n", mem.HeapAlloc/1024/1024)
	// 10,000 goroutines use ~20-40MB vs OS threads would need ~10GB
}
