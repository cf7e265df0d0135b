package main

import (
	"fmt"
	"runtime"
)

func main() {
	// P count = GOMAXPROCS = number of goroutines that can run in parallel
	currentP := runtime.GOMAXPROCS(0) // 0 = query without changing
	fmt.Printf("current P count: %d\n", currentP)
	fmt.Printf("hardware threads: %d\n", runtime.NumCPU())

	// change P count for experiments
	runtime.GOMAXPROCS(2) // restrict to 2 Ps — forces some goroutines to share
	fmt.Printf("after set: %d\n", runtime.GOMAXPROCS(0))

	// restore
	runtime.GOMAXPROCS(currentP)

	// current goroutine count
	fmt.Printf("goroutines running: %d\n", runtime.NumGoroutine())
}
