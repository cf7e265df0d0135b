package main

import "fmt"

func f(a int, b) {
}

func main() {
	x := [3]int{1, 2, 3
	if x[0] == 1 {
		fmt.Println("one"
	}
	for i := 0; i < 3; i++ i++ {
	}
	var y = 
}

func g() {
	return 1 +
}
