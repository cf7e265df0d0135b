package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// parallel: two goroutines run SIMULTANEOUSLY on separate CPU cores
func cpuWork(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	start := time.Now()
	sum := 0
	for i := 0; i < 50_000_000; i++ {
		sum += i
	}
	fmt.Printf("worker %d: sum=%d elapsed=%v\n", id, sum, time.Since(start))
}

func main() {
	fmt.Printf("GOMAXPROCS=%d (parallel goroutines possible)\n", runtime.GOMAXPROCS(0))

	var wg sync.WaitGroup
	start := time.Now()
	wg.Add(2)
	go cpuWork(1, &wg) // runs on core 1
	go cpuWork(2, &wg) // runs on core 2 simultaneously — true parallelism
	wg.Wait()
	fmt.Printf("total elapsed: %v (less than 2× single-worker time = parallelism)\n", time.Since(start))
}
