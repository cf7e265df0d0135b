package main

import "fmt"

func main() {
	a := 08
	b := 'xy'
	c := "bad \q"
	d := 0b102
	e := 1_
	fmt.Println(a, b, c, d, e, #)
}
