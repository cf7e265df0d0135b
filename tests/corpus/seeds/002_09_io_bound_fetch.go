package main

import (
	"fmt"
	"sync"
	"time"
)

// IO-bound: each task blocks on I/O — goroutine parks, thread stays free
func fetchData(id int, latency time.Duration) (string, error) {
	time.Sleep(latency) // goroutine parked by timer — OS thread handles other goroutines
	return fmt.Sprintf("data-%d", id), nil
}

func concurrentFetch(count int, latency time.Duration) []string {
	results := make([]string, count)
	var wg sync.WaitGroup

	for i := 0; i < count; i++ {
		wg.Add(1)
		go func(idx int) {
			defer wg.Done()
			data, _ := fetchData(idx, latency)
			results[idx] = data
		}(i)
	}
	wg.Wait()
	return results
}

func main() {
	latency := 100 * time.Millisecond
	count := 50

	start := time.Now()
	results := concurrentFetch(count, latency)
	elapsed := time.Since(start)

	fmt.Printf("fetched %d items in %v\n", len(results), elapsed)
	fmt.Printf("expected sequential: %v, actual concurrent: %v\n",
		time.Duration(count)*latency, elapsed)
	// concurrent ~= 1× latency, not count× latency
}
