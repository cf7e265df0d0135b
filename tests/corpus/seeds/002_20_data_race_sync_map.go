package main

import (
	"fmt"
	"sync"
)

// race: concurrent map writes — undefined behavior, likely panic
func raceMap() map[string]int {
	m := map[string]int{}
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		key := fmt.Sprintf("key%d", i)
		go func() {
			defer wg.Done()
			m[key] = 1 // DATA RACE: concurrent writes to map
		}()
	}
	wg.Wait()
	return m
}

// fix: sync.Map for concurrent access
func safeMap() *sync.Map {
	var m sync.Map
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		key := fmt.Sprintf("key%d", i)
		go func() {
			defer wg.Done()
			m.Store(key, 1) // safe: sync.Map handles concurrent access
		}()
	}
	wg.Wait()
	return &m
}

func main() {
	// run raceMap with -race flag to see the race detector report
	// raceMap() // uncomment to see race — DO NOT run in production
	sm := safeMap()
	sm.Range(func(k, v interface{}) bool {
		fmt.Printf("%v=%v\n", k, v)
		return true
	})
}
// detect races: go run -race main.go
// race detector adds ~10× overhead — only use in tests and staging
