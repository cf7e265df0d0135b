package main

import (
	"fmt"
	"time"
)

// CPU-bound: goroutine never yields — needs more CPUs, not more goroutines
func cpuBound() int {
	sum := 0
	for i := 0; i < 10_000_000; i++ {
		sum += i * i // pure computation — no opportunity to yield
	}
	return sum
}

// IO-bound: goroutine parks while waiting — one thread handles many goroutines
func ioBound(id int) string {
	time.Sleep(100 * time.Millisecond) // simulates network/disk wait — goroutine parks
	return fmt.Sprintf("io-%d done", id)
}

func main() {
	// CPU-bound: best with GOMAXPROCS workers (one per core)
	start := time.Now()
	_ = cpuBound()
	fmt.Println("cpu-bound:", time.Since(start))

	// IO-bound: 100 goroutines, but only milliseconds total
	start = time.Now()
	results := make(chan string, 100)
	for i := 0; i < 100; i++ {
		go func(id int) { results <- ioBound(id) }(i)
	}
	for i := 0; i < 100; i++ { <-results }
	fmt.Println("io-bound (100 concurrent):", time.Since(start)) // ~100ms not 10s
}
