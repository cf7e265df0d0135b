// Regenerates the rngCooked table of stdlib/math/rand/rng.gom: run it under real Go
// (../shared/tools/go-oracle scripts/rng-cooked.go) and paste the 607 numbers.

package main

// Prints the 607 "cooked" words of math/rand's seeded source: the state after Seed(1) with
// the seeding generator's own contribution removed, read through unsafe.

import (
	"fmt"
	"math/rand"
	"unsafe"
)

type source struct {
	tap, feed int
	vec       [607]int64
}

type iface struct{ tab, data unsafe.Pointer }

const int32max = (1 << 31) - 1

// lcg is the minimal-standard generator x' = 48271*x mod (2^31-1), by Schrage's method.
func lcg(x int32) int32 {
	const q, r = 44488, 3399
	hi, lo := x/q, x%q
	x = 48271*lo - r*hi
	if x < 0 {
		x += int32max
	}
	return x
}

func main() {
	src := rand.NewSource(1)
	s := (*source)((*iface)(unsafe.Pointer(&src)).data)
	x := int32(1)
	for i := -20; i < 607; i++ {
		x = lcg(x)
		if i < 0 {
			continue
		}
		u := int64(x) << 40
		x = lcg(x)
		u ^= int64(x) << 20
		x = lcg(x)
		u ^= int64(x)
		fmt.Printf("%d,\n", s.vec[i]^u)
	}
}
