package main

import (
	"fmt"
	"sync"
)

// choose the right primitive for the problem:
// atomic:  single numeric counter with no dependent reads
// mutex:   guard access to a struct or map
// channel: communicate results between goroutines
// once:    initialize shared state exactly once

var (
	// sync.Once: initialize expensive shared resource exactly once — thread-safe
	once     sync.Once
	sharedDB *FakeDB
)

type FakeDB struct{ name string }

func initDB() *FakeDB {
	once.Do(func() {
		fmt.Println("initializing DB — runs exactly once")
		sharedDB = &FakeDB{name: "production"}
	})
	return sharedDB
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := initDB() // all 5 goroutines call this — DB initialized once
			fmt.Println("using db:", db.name)
		}()
	}
	wg.Wait()
}
