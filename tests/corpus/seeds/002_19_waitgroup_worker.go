package main

import (
	"fmt"
	"sync"
)

func worker(id int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()                 // must always call Done — defer guarantees it
	results <- id * id               // send result before Done
}

func main() {
	const n = 5
	var wg sync.WaitGroup
	results := make(chan int, n)     // buffered: workers don't block on send

	for i := 1; i <= n; i++ {
		wg.Add(1)                   // Add BEFORE launching — prevents race with Wait
		go worker(i, results, &wg)
	}

	// close channel when all workers are done — enables range over results
	go func() {
		wg.Wait()
		close(results)
	}()

	for r := range results {
		fmt.Println(r)
	}
}
