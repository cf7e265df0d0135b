package main

import (
	"fmt"
	"sync"
)

func greet(name string) {
	fmt.Printf("hello, %s\n", name)
}

func main() {
	var wg sync.WaitGroup

	// go keyword: launch greet as a goroutine — returns immediately
	wg.Add(1)
	go func() {
		defer wg.Done()
		greet("Harish")
	}()

	// go with a named function — equivalent
	wg.Add(1)
	go func() {
		defer wg.Done()
		greet("Alice")
	}()

	// go with an inline anonymous function — most common pattern
	name := "Bob"
	wg.Add(1)
	go func(n string) { // pass name as argument — avoid closure capture bug
		defer wg.Done()
		greet(n)
	}(name)

	wg.Wait()
}
