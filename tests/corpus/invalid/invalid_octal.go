package main

import "fmt"

func main() {
	x := 08
	fmt.Println(x)
}
