package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// compare throughput: too many vs right-sized goroutine pool
func runWithWorkers(tasks int, workers int) time.Duration {
	work := make(chan int, tasks)
	var wg sync.WaitGroup

	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				time.Sleep(time.Microsecond) // minimal IO-like work
			}
		}()
	}

	start := time.Now()
	for i := 0; i < tasks; i++ { work <- i }
	close(work)
	wg.Wait()
	return time.Since(start)
}

func main() {
	tasks := 10_000
	cpus := runtime.NumCPU()

	t1 := runWithWorkers(tasks, cpus)          // right-sized pool
	t2 := runWithWorkers(tasks, tasks)          // one goroutine per task

	fmt.Printf("pool(%d workers):  %v\n", cpus, t1)
	fmt.Printf("unbounded(%d goroutines): %v\n", tasks, t2)
}
