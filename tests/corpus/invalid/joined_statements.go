package main

import "fmt"

func main() {
	jobs := make(chan int, 100) results := make(chan int, 100)
	fmt.Println(jobs, results)
}
