package main

import (
	"fmt"
	"sync"
)

// pipeline orchestration: three stages connected by channels
func generate(nums ...int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, n := range nums { out <- n }
	}()
	return out
}

func square(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for n := range in { out <- n * n }
	}()
	return out
}

func fanIn(channels ...<-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, ch := range channels {
		wg.Add(1)
		go func(c <-chan int) {
			defer wg.Done()
			for v := range c { out <- v }
		}(ch)
	}
	go func() { wg.Wait(); close(out) }()
	return out
}

func main() {
	// orchestrated pipeline: generate → square → fanIn → print
	nums := generate(1, 2, 3, 4, 5)
	squared := square(nums)
	for v := range squared {
		fmt.Println(v) // 1 4 9 16 25
	}
}
