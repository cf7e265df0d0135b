// Less common top-level forms: multiple init functions, blank functions/vars,
// compiler directives, goroutine/defer with method values, recover, shadowed builtins.
package main

import (
	"fmt"
	"os"
)

var order []string

func init() { order = append(order, "init1") }
func init() { order = append(order, "init2") } // several init funcs are allowed

var _ = register("blank var initializer") // evaluated for its side effect

func register(s string) int { order = append(order, s); return 0 }

func _() {} // blank function: never callable, still type-checked

//go:noinline
func directive(x int) int { return x + 1 }

type Logger struct{ prefix string }

func (l *Logger) Log(s string) { fmt.Println(l.prefix + s) }

func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	q = a / b
	return
}

func shadowBuiltins() int {
	len := func(s string) int { return 0 } // shadows the builtin
	true := false                         // predeclared identifiers can be shadowed
	nil := 1
	if !true {
		return len("abc") + nil
	}
	return -1
}

type (
	Celsius    float64
	Fahrenheit float64
)

func CToF(c Celsius) Fahrenheit { return Fahrenheit(c*9/5 + 32) }

func main() {
	l := &Logger{"> "}
	done := make(chan bool)
	log := l.Log // method value bound to l
	go func() { log("from goroutine"); done <- true }()
	<-done
	defer l.Log("deferred method value")
	defer fmt.Println(order)
	q, err := safeDiv(1, 0)
	fmt.Println(q, err, directive(1), shadowBuiltins(), CToF(100))
	fmt.Fprintln(os.Stderr, "to stderr")
	var iface interface {
		Log(string)
	} = l
	iface.Log("through interface")
	x := min(3, 1, 2) + max(1, 2)
	clear(order[:0])
	fmt.Println(x, len(order) > 0, cap(make([]int, 0, 4)), new(int) != nil, complex(1, 2), real(3i), imag(3i))
}
