package main

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// network poller in action: 100 goroutines waiting on HTTP — only a few OS threads used
func fetchConcurrently(urls []string) []int {
	results := make([]int, len(urls))
	var wg sync.WaitGroup

	for i, url := range urls {
		wg.Add(1)
		go func(idx int, u string) {
			defer wg.Done()
			// http.Get: goroutine parks at network read — network poller watches the fd
			// OS thread is RELEASED and runs other goroutines while waiting
			resp, err := http.Get(u)
			if err != nil {
				results[idx] = 0
				return
			}
			defer resp.Body.Close()
			results[idx] = resp.StatusCode
		}(i, url)
	}
	wg.Wait()
	return results
}

func main() {
	// in real use: fetchConcurrently([]string{"https://go.dev", ...})
	fmt.Println("network poller enables concurrent HTTP with minimal OS threads")
	fmt.Println("goroutine parks on read → network poller notifies on data available")
	_ = time.Second // suppress unused import in simplified demo
}
