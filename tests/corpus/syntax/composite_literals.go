// Composite literals: keyed and positional, elided inner types, [...] arrays,
// pointers to elements, nested maps/slices/structs, trailing commas.
package main

import "fmt"

type Point struct{ X, Y int }

type Line struct {
	A, B  Point
	Label string
}

type Poly struct {
	Pts  []Point
	Meta map[string][]int
}

func main() {
	p1 := Point{1, 2}             // positional
	p2 := Point{X: 3}             // keyed, partial
	p3 := Point{}                 // empty
	pp := &Point{Y: 4}            // address of literal
	pts := []Point{{1, 2}, {3, 4}} // elided element type
	ptrs := []*Point{{1, 2}, &Point{5, 6}, nil} // elided &Point
	m := map[string][]int{"a": {1}, "b": {2, 3}, "c": nil}
	mp := map[Point]string{{1, 2}: "p", {X: 0}: "origin"} // elided key type
	mpp := map[*Point]int{{1, 1}: 1}                       // elided &Point key
	arr := [...]int{1, 2, 3}
	sparse := [...]string{2: "two", 5: "five"} // keyed array: length 6
	idx := []int{0: 10, 4: 40, 50}             // keyed slice; 50 at index 5
	grid := [2][3]int{{1, 2, 3}, {4, 5, 6}}
	nested := [][]Point{{{1, 1}, {2, 2}}, {}}
	lines := []Line{
		{A: Point{0, 0}, B: Point{1, 1}, Label: "diag"},
		{Point{2, 2}, Point{3, 3}, "pos"},
		{A: Point{X: 1}}, // trailing comma
	}
	poly := Poly{
		Pts: []Point{
			{1, 2},
			{X: 3, Y: 4},
		},
		Meta: map[string][]int{
			"k": {1, 2},
		},
	}
	anon := struct {
		Name string
		Tags []string
	}{"n", []string{"t"}}
	anons := []struct{ a, b int }{{1, 2}, {a: 3}}
	mm := map[string]map[string]int{"outer": {"inner": 1}}
	fns := map[string]func(int) int{
		"dbl": func(x int) int { return x * 2 },
	}
	chans := []chan int{make(chan int), nil}
	ifaces := []any{1, "s", Point{}, nil, []int{1}}
	arrOfMaps := [2]map[int]bool{{1: true}, {}}
	sliceOfArr := [][2]string{{"a", "b"}, {"c"}}
	pointerToArr := &[...]float64{.5, 1.5}
	emptyStruct := struct{}{}
	set := map[string]struct{}{"x": {}, "y": struct{}{}}
	const k = 3
	constKey := [...]int{k: 1, k + 1: 2}

	fmt.Println(p1, p2, p3, *pp, pts, *ptrs[0], m, mp, len(mpp))
	fmt.Println(arr, len(sparse), idx, grid, nested, lines, poly)
	fmt.Println(anon, anons, mm, fns["dbl"](4), len(chans), ifaces, arrOfMaps)
	fmt.Println(sliceOfArr, *pointerToArr, emptyStruct, len(set), constKey)
	fmt.Println(Point{1, 2}.X, []int{1, 2, 3}[1], map[string]int{"z": 26}["z"], len([]int{}))
}
