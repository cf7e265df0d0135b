// Numeric literals of every form, rune and string escapes, raw strings,
// Unicode identifiers.
package main

import "fmt"

func main() {
	// integers
	dec := 1_000_000
	hex := 0x_1F
	HEX := 0XFF
	oct := 0o17
	OCT := 0O17
	legacyOct := 017
	bin := 0b1010
	BIN := 0B1_0
	zero := 0
	hexE := 0x1e+5 // hex 0x1e plus 5 (not an exponent!) = 35
	fmt.Println(dec, hex, HEX, oct, OCT, legacyOct, bin, BIN, zero, hexE)

	// floats
	f1 := 1e3
	f2 := .5
	f3 := 1.
	f4 := 0x1p-2
	f5 := 1.5e-3
	f6 := 6.02E+23
	f7 := 0X1.8P1
	f8 := 1_0.2_5
	f9 := 0.
	f10 := 089.5 // decimal float, leading zeros allowed
	f11 := 0x_1.p4
	f12 := 1E6
	fmt.Println(f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12)

	// imaginary
	i1 := 1i
	i2 := 2.5i
	i3 := 1e2i
	i4 := 0x1p1i
	i5 := 0i
	i6 := 0123i // decimal for backwards compatibility: 123i
	i7 := 1_2i
	i8 := 0o7i
	fmt.Println(i1, i2, i3, i4, i5, i6, i7, i8, 3+4i)

	// runes
	runes := []rune{'a', 'ä', '本', '\t', '\n', '\\', '\'', '\x41', '\101', '\u00e9', '\U0001F600',
		'\a', '\b', '\f', '\r', '\v', '\000', '"'}
	fmt.Println(runes)

	// interpreted strings with escapes
	s := "tab\tnewline\nquote\"backslash\\ bell\a hex\x41 oct\101 u\u00e9 U\U0001F600 single'"
	bytes := "\xff\xfe\000"
	empty := ""
	fmt.Println(s, len(bytes), len(empty), "日本語")

	// raw strings, including one spanning several lines
	raw := `C:\path\no\escapes "quotes" 'single'`
	multi := `line one
	line two (tab kept)
line three with \n literally
`
	rawEmpty := ``
	fmt.Println(raw, multi, rawEmpty, len(`\n`))

	// Unicode identifiers
	π := 3.14
	日本 := 1
	naïve, _Ü, x٣ := "x", 2, 3 // letters and a Unicode digit
	var ɑβγ = π * 2
	fmt.Println(π, 日本, naïve, _Ü, x٣, ɑβγ)

	// big untyped constants
	const huge = 1 << 200
	const back = huge >> 198
	const fl = 1e400 / 1e399
	fmt.Println(back, fl, 'a'+1, "con"+"cat")
}
