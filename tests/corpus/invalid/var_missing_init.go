package main

import "fmt"

var x int = 

func main() {
	fmt.Println(x)
}
