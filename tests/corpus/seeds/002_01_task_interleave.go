package main

import (
	"fmt"
	"sync"
)

// concurrency: two tasks make progress interleaved — not necessarily simultaneous
func task(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	fmt.Printf("task %d: started\n", id)
	// simulate work — scheduler may interleave these with other goroutines
	for i := 0; i < 3; i++ {
		fmt.Printf("task %d: step %d\n", id, i)
	}
}

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	go task(1, &wg) // order of output is not guaranteed — that IS concurrency
	go task(2, &wg)
	wg.Wait()
	fmt.Println("both tasks completed — order was non-deterministic")
}
