// Generics: type parameter lists, constraints with ~ and unions, comparable, any,
// generic types with generic receivers, explicit and inferred instantiation.
package main

import "fmt"

type Ordered interface {
	~int | ~int64 | ~float64 | ~string
}

type Number interface{ ~int | ~float64 }

// generic type with one parameter
type List[T any] struct {
	head *node[T]
	size int
}

type node[T any] struct {
	val  T
	next *node[T]
}

// generic receivers: pointer and value
func (l *List[T]) Push(v T) {
	l.head = &node[T]{val: v, next: l.head}
	l.size++
}

func (l List[T]) Len() int { return l.size }

func (l *List[_]) Clear() { l.head, l.size = nil, 0 } // blank type parameter in receiver

// two type parameters; constraint written inline
type Map[K comparable, V any] map[K]V

func (m Map[K, V]) Keys() []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

type Pair[A, B any] struct {
	First  A
	Second B
}

// ambiguity cases: a type parameter list that starts like an array length.
// NOTE: `type PtrBox[P *int | *string] struct{...}` (no trailing comma) is parsed by Go as
// an ARRAY type with length expression `P*int | *string` and fails to type-check;
// the trailing comma (or wrapping in interface{...}) makes it a type parameter list.
type PtrBox[P *int | *string,] struct{ p P }
type PtrBox2[P interface{ *int }] struct{ p P }

const N = 2

type Arr [N * 2]int // array with a constant expression length (NOT generic)
type InlineC[T interface{ ~int }] []T
type WithComma[T *int,] struct{ t T } // trailing comma disambiguates

func Max[T Ordered](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func Sum[S ~[]E, E Number](s S) (total E) {
	for _, v := range s {
		total += v
	}
	return
}

func MapSlice[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func Zero[T any]() T {
	var z T
	return z
}

type MyInts []int

func main() {
	var l List[string]
	l.Push("a")
	l.Push("b")
	fmt.Println(l.Len())
	l.Clear()

	m := Map[string, int]{"x": 1} // generic type instantiation in a composite literal
	var mm Map[string, int]      // instantiated generic type in a var declaration
	mm = Map[string, int](nil)   // ...and as a conversion: looks like an index expression
	_ = mm
	ss := MapSlice[int, string]([]int{3}, func(i int) string { return "v" }) // explicit, two type args
	_ = ss
	fmt.Println(len(m.Keys()))

	fmt.Println(Max[int](3, 4), Max(2.5, 1.5), Max("a", "b")) // explicit and inferred
	fmt.Println(Sum(MyInts{1, 2, 3}), Sum[[]float64, float64]([]float64{.5, .25}))
	strs := MapSlice([]int{1, 2}, func(i int) string { return fmt.Sprint(i * 10) })
	fmt.Println(strs, Zero[int](), Zero[string]() == "")

	f := Max[float64] // instantiated generic function as a value
	fmt.Println(f(1, 2))

	p := Pair[string, []int]{"k", []int{1}}
	pp := &Pair[int, Pair[int, int]]{1, Pair[int, int]{2, 3}}
	fmt.Println(p.First, pp.Second.Second)

	s := "s"
	_ = PtrBox[*string]{&s}
	_ = InlineC[int]{1, 2}
	_ = WithComma[*int]{}
	_ = PtrBox2[*int]{}
	_ = Arr{3: 1}

	var ls []List[int] = make([]List[int], 2)
	ls[0].Push(1)
	push := (*List[int]).Push // method expression on an instantiated type
	push(&ls[1], 2)
	fmt.Println(ls[0].Len(), ls[1].Len())
}
