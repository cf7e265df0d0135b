package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// work stealing demonstration: uneven task distribution
// some Ps run out of work and steal from others
func unevenWork(tasks []int) int64 {
	var total int64
	var wg sync.WaitGroup

	// distribute work unevenly: first half gets heavy tasks
	for i, task := range tasks {
		wg.Add(1)
		weight := task
		if i < len(tasks)/2 {
			weight *= 10 // heavy tasks on "first" P's queue
		}
		go func(w int) {
			defer wg.Done()
			sum := int64(0)
			for j := 0; j < w*1000; j++ {
				sum += int64(j)
			}
			atomic.AddInt64(&total, sum) // idle Ps steal light tasks — balance achieved
		}(weight)
	}
	wg.Wait()
	return total
}

func main() {
	runtime.GOMAXPROCS(4)
	tasks := make([]int, 100)
	for i := range tasks { tasks[i] = i + 1 }

	start := time.Now()
	result := unevenWork(tasks)
	fmt.Printf("total=%d elapsed=%v (work stolen across Ps)\n", result, time.Since(start))
}
