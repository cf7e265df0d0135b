// gen_cases.go prints src/fmt/cases_table.rs: every case's expected output is produced here
// by real Go's fmt. Regenerate from the repo root with
//
//	/work/shared/tools/go-oracle src/fmt/testdata/gen_cases.go > src/fmt/cases_table.rs && rustfmt --edition 2021 src/fmt/cases_table.rs
//
// Each case pairs Go operands with the Rust expressions (helpers in src/fmt/tests.rs) that
// build the same values as FmtValue trees.
package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"
)

var unsafePointerNil unsafe.Pointer

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type T struct {
	Name string
	Age  int
}

type Point struct{ X, Y int }

type Named struct {
	P   Point
	Tag string
	C   Celsius
}

type MyErr struct{ Code int }

func (e MyErr) Error() string { return fmt.Sprintf("code %d", e.Code) }

type G struct{ A int }

func (G) GoString() string { return "G!" }

type Boom struct{ A int }

func (Boom) String() string { panic("boom") }

type NilSafe struct{ A int }

func (n *NilSafe) String() string { return fmt.Sprint(n.A) }

type WithIface struct {
	E error
	X any
}

type MyInt int
type MyStr string
type Flag bool

type Case struct {
	mode   byte
	format string
	rust   string
	args   []any
}

func f(format, rust string, args ...any) Case { return Case{'f', format, rust, args} }
func p(rust string, args ...any) Case         { return Case{'p', "", rust, args} }
func l(rust string, args ...any) Case         { return Case{'l', "", rust, args} }

var negZero = math.Copysign(0, -1)

const tT = `strct("main.T", vec![("Name", s("Alice")), ("Age", int(30))])`
const tPoint = `strct("main.Point", vec![("X", int(1)), ("Y", int(2))])`

func cel(c float64) string {
	return fmt.Sprintf(`stringer(%q, fty(%#v, "main.Celsius"))`, Celsius(c).String(), c)
}

var cases = []Case{
	// ---- integers ----
	f("%d", "int(42)", 42),
	f("%d", "int(-42)", -42),
	f("%5d|%-5d|%05d", "int(42), int(42), int(42)", 42, 42, 42),
	f("%+d|% d|%+d|% d", "int(5), int(5), int(-5), int(-5)", 5, 5, -5, -5),
	f("%05d|%+05d|% 05d", "int(-42), int(42), int(42)", -42, 42, 42),
	f("%.3d|%8.3d|%-8.3d|%08.3d", "int(7), int(7), int(7), int(7)", 7, 7, 7, 7),
	f("%.0d|%5.0d|x", "int(0), int(0)", 0, 0),
	f("%b|%o|%O|%x|%X", "int(255), int(255), int(255), int(255), int(255)", 255, 255, 255, 255, 255),
	f("%#b|%#o|%#x|%#X|%#O", "int(5), int(8), int(255), int(255), int(8)", 5, 8, 255, 255, 8),
	f("%#o|%#x", "int(0), int(0)", 0, 0),
	f("%x|%X|%#x", "int(-255), int(-255), int(-255)", -255, -255, -255),
	f("%d|%d", "ity(9223372036854775807, \"int64\"), ity(-9223372036854775808, \"int64\")", int64(math.MaxInt64), int64(math.MinInt64)),
	f("%d|%x|%b", "uty(18446744073709551615, \"uint64\"), uty(18446744073709551615, \"uint64\"), uty(5, \"uint8\")", uint64(math.MaxUint64), uint64(math.MaxUint64), uint8(5)),
	f("%d|%d", "ity(-128, \"int8\"), uty(255, \"uint8\")", int8(-128), uint8(255)),
	f("%v|%+v|%#v", "int(-3), int(3), int(3)", -3, 3, 3),
	f("%#v|%#v|%#v", "uty(255, \"uint8\"), uty(0, \"uint\"), uty(16, \"uintptr\")", uint8(255), uint(0), uintptr(16)),
	f("%08b|%-8x|", "int(5), int(255)", 5, 255),
	f("%c|%c|%c", "int(65), ity(0x4e16, \"int32\"), ity(0x1F600, \"int32\")", 65, rune(0x4e16), rune(0x1F600)),
	f("%c|%c|%5c|%-3c|", "int(-1), int(0x110000), int(66), int(67)", -1, 0x110000, 66, 67),
	f("%q|%q|%q|%q", "ity(97, \"int32\"), ity(39, \"int32\"), ity(10, \"int32\"), ity(0x1F600, \"int32\")", 'a', '\'', '\n', rune(0x1F600)),
	f("%+q|%q|%q", "ity(0x4e16, \"int32\"), ity(0xD800, \"int32\"), int(0x7f)", rune(0x4e16), rune(0xD800), 0x7f),
	f("%U|%#U|%U|%#U", "ity(0x41, \"int32\"), ity(0x4e16, \"int32\"), ity(0x1F600, \"int32\"), int(10)", 'A', rune(0x4e16), rune(0x1F600), 10),
	f("%.6U|%10U|%-10U|%010U|", "int(0x41), int(0x41), int(0x41), int(0x41)", 0x41, 0x41, 0x41, 0x41),
	f("%d|%v|%x", "ity(7, \"main.MyInt\"), ity(7, \"main.MyInt\"), ity(255, \"main.MyInt\")", MyInt(7), MyInt(7), MyInt(255)),
	f("%s|%t|%e", "int(5), int(5), int(5)", 5, 5, 5),
	f("%z|%!|%é", "int(1), int(2), int(3)", 1, 2, 3),

	// ---- booleans ----
	f("%t|%v|%6t|%-6t|", "b(true), b(false), b(true), b(false)", true, false, true, false),
	f("%d|%s|%#v", "b(true), b(false), b(true)", true, false, true),
	f("%v|%T", "FmtValue::Bool { v: true, ty: t(\"main.Flag\") }, FmtValue::Bool { v: true, ty: t(\"main.Flag\") }", Flag(true), Flag(true)),

	// ---- floats ----
	f("%v|%v|%v|%v", "f64v(1e21), f64v(1e20), f64v(0.000001), f64v(1e-7)", 1e21, 1e20, 0.000001, 1e-7),
	f("%v|%v|%v|%v", "f64v(100.0), f64v(3.0), f32v(0.1), f64v(0.1)", 100.0, 3.0, float32(0.1), 0.1),
	f("%v|%v|%v|%v", "f64v(1000000.0), f64v(123456.0), f64v(1234567.0), f64v(0.0001)", 1000000.0, 123456.0, 1234567.0, 0.0001),
	f("%v|%v|%v", "f64v(f64::NAN), f64v(f64::INFINITY), f64v(f64::NEG_INFINITY)", math.NaN(), math.Inf(1), math.Inf(-1)),
	f("%v|%f|%e|%g", "f64v(-0.0), f64v(-0.0), f64v(-0.0), f64v(0.0)", negZero, negZero, negZero, 0.0),
	f("%f|%.2f|%.0f|%.0f|%.0f", "f64v(3.14159), f64v(3.14159), f64v(2.5), f64v(3.5), f64v(0.5)", 3.14159, 3.14159, 2.5, 3.5, 0.5),
	f("%.1f|%.2f|%.3f", "f64v(0.25), f64v(1.005), f64v(2.0005)", 0.25, 1.005, 2.0005),
	f("%e|%E|%.2e|%.0e", "f64v(123456.789), f64v(123456.789), f64v(123456.789), f64v(5.5)", 123456.789, 123456.789, 123456.789, 5.5),
	f("%g|%G|%.3g|%.3g|%.3g", "f64v(123456.789), f64v(1e-10), f64v(1.5), f64v(100.0), f64v(1000.0)", 123456.789, 1e-10, 1.5, 100.0, 1000.0),
	f("%g|%g|%.0g|%.10g|%g", "f64v(1e6), f64v(1e-5), f64v(123.0), f64v(1.0/3.0), f64v(1e100)", 1e6, 1e-5, 123.0, 1.0/3.0, 1e100),
	f("%F|%8.3f|%-8.3f|%08.3f|%+.2f|% .2f", "f64v(1.5), f64v(3.14159), f64v(3.14159), f64v(-3.14159), f64v(2.0), f64v(2.0)", 1.5, 3.14159, 3.14159, -3.14159, 2.0, 2.0),
	f("%#g|%#.3g|%#e|%#.0f|%#.0e|%#v", "f64v(1.0), f64v(2.0), f64v(1.0), f64v(3.0), f64v(3.0), f64v(1.0)", 1.0, 2.0, 1.0, 3.0, 3.0, 1.0),
	f("%#g|%#g|%#.4g", "f64v(123456789.0), f64v(0.0), f64v(0.00001234)", 123456789.0, 0.0, 0.00001234),
	f("%08.2f|%+08.2f|%-08.2f|% 8.2f", "f64v(-1.5), f64v(1.5), f64v(1.5), f64v(1.5)", -1.5, 1.5, 1.5, 1.5),
	f("%5v|%-6v|%05v|%+v|% v|%+v", "f64v(f64::NAN), f64v(f64::INFINITY), f64v(f64::NEG_INFINITY), f64v(f64::NAN), f64v(f64::NAN), f64v(f64::INFINITY)", math.NaN(), math.Inf(1), math.Inf(-1), math.NaN(), math.NaN(), math.Inf(1)),
	f("%b|%x|%X|%.3x|%x", "f64v(1.0), f64v(1.0), f64v(-3.5), f64v(1.0/3.0), f64v(0.0)", 1.0, 1.0, -3.5, 1.0/3.0, 0.0),
	f("%x|%b|%.1x", "f32v(0.1), f32v(1.0), f64v(1.96875)", float32(0.1), float32(1.0), 1.96875),
	f("%v|%v|%v|%v", "f32v(3.4028235e38), f32v(1e-45), f32v(16777216.0), f32v(0.3)", float32(math.MaxFloat32), float32(1e-45), float32(16777216.0), float32(0.3)),
	f("%v|%v|%v", "f64v(f64::MAX), f64v(5e-324), f64v(2.2250738585072014e-308)", math.MaxFloat64, 5e-324, 2.2250738585072014e-308),
	f("%.20f|%.30e|%.17g", "f64v(0.1), f64v(0.1), f64v(0.1)", 0.1, 0.1, 0.1),
	f("%.3f|%.10f|%.1f", "f64v(1e21), f64v(1e-11), f64v(-0.04)", 1e21, 1e-11, -0.04),
	f("%6.2v|%.3v|%10.4v|", "f64v(3.14159), f64v(1234.5678), f64v(0.000012345)", 3.14159, 1234.5678, 0.000012345),
	f("%v|%v|%.2f", "fty(2.5, \"main.Temp\"), f64v(12345678.0), f32v(2.675)", 2.5, 12345678.0, float32(2.675)),
	f("%d|%s|%q", "f64v(1.5), f64v(1.5), f64v(1.5)", 1.5, 1.5, 1.5),

	// ---- complex ----
	f("%v|%v|%.2f|%+.1e", "c128(1.0, 2.0), c128(-1.5, -0.5), c128(1.0, -2.0), c128(3.0, 4.0)", complex(1, 2), complex(-1.5, -0.5), complex(1, -2), complex(3, 4)),
	f("%v|%8.2f|%d|%#v", "c64(0.1, 0.2), c128(1.0, 2.0), c128(1.0, 2.0), c128(1.0, 0.0)", complex64(complex(0.1, 0.2)), complex(1, 2), complex(1, 2), complex(1, 0)),
	f("%v", "c128(f64::NAN, f64::INFINITY)", complex(math.NaN(), math.Inf(1))),

	// ---- strings ----
	f("%s|%v|%q|%x|%X", "s(\"hi\"), s(\"hi\"), s(\"hi\"), s(\"hi\"), s(\"hi\")", "hi", "hi", "hi", "hi", "hi"),
	f("%5s|%-5s|%.2s|%5.1s|%05s|", "s(\"ab\"), s(\"ab\"), s(\"abc\"), s(\"abc\"), s(\"ab\")", "ab", "ab", "abc", "abc", "ab"),
	f("%.2s|%4s|%-4s|", "s(\"日本語\"), s(\"日本\"), s(\"日\")", "日本語", "日本", "日"),
	f("%q|%+q|%#q|%#q|%#+q", "s(\"日本\\t\"), s(\"日本\"), s(\"ab`c\"), s(\"abc\"), s(\"日本\")", "日本\t", "日本", "ab`c", "abc", "日本"),
	f("%q|%q|%q", "s(\"\\u{7}\\u{8}\\u{c}\\r\\u{b}\\\\\\\"\"), s(\"\\u{0}\\u{1f}\\u{7f}\"), s(\"\\u{ad}\\u{feff}\\u{e000}\\u{10ffff}\")", "\a\b\f\r\v\\\"", "\x00\x1f\x7f", "\u00ad\ufeff\ue000\U0010ffff"),
	f("%q|%x|%s|%#q", "sty(b\"a\\xffb\", \"string\"), sty(b\"\\xff\\x00\", \"string\"), sty(b\"\\xe6\\x97\", \"string\"), sty(b\"\\xff\", \"string\")", "a\xffb", "\xff\x00", "\xe6\x97", "\xff"),
	f("%x|% x|%#x|%# x|%# X|%8x|%-8x|%.1x|", "s(\"abc\"), s(\"abc\"), s(\"abc\"), s(\"abc\"), s(\"abc\"), s(\"ab\"), s(\"ab\"), s(\"ab\")", "abc", "abc", "abc", "abc", "abc", "ab", "ab", "ab"),
	f("%x|%5x|%q|%#v|%v", "s(\"\"), s(\"\"), s(\"\"), s(\"\"), s(\"\")", "", "", "", "", ""),
	f("%#v|%d|%T", "sty(b\"x\", \"main.MyStr\"), s(\"hi\"), sty(b\"x\", \"main.MyStr\")", MyStr("x"), "hi", MyStr("x")),
	f("%10q|%-10q|%.1q|", "s(\"a\"), s(\"a\"), s(\"abc\")", "a", "a", "abc"),

	// ---- byte slices and arrays ----
	f("%s|%v|%d|%x|%X|%q", "bytes(b\"hi\"), bytes(b\"hi\"), bytes(b\"hi\"), bytes(b\"hi\"), bytes(b\"hi\"), bytes(b\"hi\")", []byte("hi"), []byte("hi"), []byte("hi"), []byte("hi"), []byte("hi"), []byte("hi")),
	f("%#v|%#v|%#v|%T", "bytes(&[1, 2]), nil_bytes(), bytes(b\"\"), bytes(b\"\")", []byte{1, 2}, []byte(nil), []byte{}, []byte{}),
	f("%s|%v|%x|%#v", "byte_array(b\"abc\"), byte_array(b\"abc\"), byte_array(b\"abc\"), byte_array(&[1, 2])", [3]byte{'a', 'b', 'c'}, [3]byte{'a', 'b', 'c'}, [3]byte{'a', 'b', 'c'}, [2]byte{1, 2}),
	f("% x|%#x|%5s|%.1s|%o|%c", "bytes(&[1, 171]), bytes(&[1, 171]), bytes(b\"ab\"), bytes(b\"ab\"), bytes(&[8, 9]), bytes(b\"hi\")", []byte{1, 171}, []byte{1, 171}, []byte("ab"), []byte("ab"), []byte{8, 9}, []byte("hi")),
	f("%v|%s|%#v", "slice(\"[][]uint8\", vec![bytes(b\"ab\")]), slice(\"[][]uint8\", vec![bytes(b\"ab\")]), slice(\"[][]uint8\", vec![bytes(&[1])])", [][]byte{[]byte("ab")}, [][]byte{[]byte("ab")}, [][]byte{{1}}),
	f("%s|%x|%v", "byte_slice(\"main.Bs\", vec![uty(104, \"uint8\"), uty(105, \"uint8\")]), byte_slice(\"main.Bs\", vec![uty(104, \"uint8\")]), byte_slice(\"main.Bs\", vec![uty(104, \"uint8\")])", Bs("hi"), Bs("h"), Bs("h")),

	// ---- slices, arrays ----
	f("%v|%d|%#v|%+v", "slice(\"[]int\", vec![int(1), int(2), int(3)]), slice(\"[]int\", vec![int(1), int(2)]), slice(\"[]int\", vec![int(1), int(2)]), slice(\"[]int\", vec![int(1)])", []int{1, 2, 3}, []int{1, 2}, []int{1, 2}, []int{1}),
	f("%v|%#v|%#v|%T", "nil_slice(\"[]int\"), nil_slice(\"[]int\"), slice(\"[]int\", vec![]), nil_slice(\"[]int\")", []int(nil), []int(nil), []int{}, []int(nil)),
	f("%5v|%-4d|%03d|%x", "slice(\"[]int\", vec![int(1), int(2)]), slice(\"[]int\", vec![int(1), int(2)]), slice(\"[]int\", vec![int(1), int(2)]), slice(\"[]int\", vec![int(10), int(255)])", []int{1, 2}, []int{1, 2}, []int{1, 2}, []int{10, 255}),
	f("%v|%q|%#v|%x", "slice(\"[]string\", vec![s(\"a\"), s(\"b c\")]), slice(\"[]string\", vec![s(\"a\"), s(\"b\")]), slice(\"[]string\", vec![s(\"a\")]), slice(\"[]string\", vec![s(\"hi\"), s(\"yo\")])", []string{"a", "b c"}, []string{"a", "b"}, []string{"a"}, []string{"hi", "yo"}),
	f("%v|%#v|%v", "array(\"[3]int\", vec![int(1), int(2), int(3)]), array(\"[2]bool\", vec![b(true), b(false)]), array(\"[0]int\", vec![])", [3]int{1, 2, 3}, [2]bool{true, false}, [0]int{}),
	f("%v|%#v", "slice(\"[][]int\", vec![slice(\"[]int\", vec![int(1)]), nil_slice(\"[]int\")]), slice(\"[][]int\", vec![slice(\"[]int\", vec![int(1)]), nil_slice(\"[]int\")])", [][]int{{1}, nil}, [][]int{{1}, nil}),
	f("%v|%#v|%d", "slice(\"[]interface {}\", vec![int(1), s(\"a\"), nil(), f64v(2.5)]), slice(\"[]interface {}\", vec![int(1), s(\"a\"), nil()]), slice(\"[]interface {}\", vec![nil()])", []any{1, "a", nil, 2.5}, []any{1, "a", nil}, []any{nil}),
	f("%v|%.1f|%5.1f", "slice(\"[]float64\", vec![f64v(1.0), f64v(2.5), f64v(1e21)]), slice(\"[]float64\", vec![f64v(1.25)]), array(\"[2]float32\", vec![f32v(0.1), f32v(2.0)])", []float64{1, 2.5, 1e21}, []float64{1.25}, [2]float32{0.1, 2}),
	f("%s|%d", "slice(\"[]int\", vec![int(1)]), slice(\"[]string\", vec![s(\"a\")])", []int{1}, []string{"a"}),

	// ---- maps ----
	f("%v|%#v", "map(\"map[string]int\", vec![(s(\"b\"), int(2)), (s(\"a\"), int(1)), (s(\"c\"), int(3))]), map(\"map[string]int\", vec![(s(\"b\"), int(2)), (s(\"a\"), int(1))])", map[string]int{"b": 2, "a": 1, "c": 3}, map[string]int{"b": 2, "a": 1}),
	f("%v|%#v|%v|%#v", "nil_map(\"map[string]int\"), nil_map(\"map[string]int\"), map(\"map[int]bool\", vec![]), map(\"map[int]bool\", vec![])", map[string]int(nil), map[string]int(nil), map[int]bool{}, map[int]bool{}),
	f("%v", "map(\"map[int]string\", vec![(int(10), s(\"x\")), (int(-1), s(\"y\")), (int(2), s(\"z\"))])", map[int]string{10: "x", -1: "y", 2: "z"}),
	f("%v|%v", "map(\"map[bool]int\", vec![(b(true), int(1)), (b(false), int(0))]), map(\"map[float64]int\", vec![(f64v(2.5), int(1)), (f64v(f64::NAN), int(2)), (f64v(-1.0), int(3))])", map[bool]int{true: 1, false: 0}, map[float64]int{2.5: 1, math.NaN(): 2, -1: 3}),
	f("%v|%+v", "map(\"map[main.Point]string\", vec![(strct(\"main.Point\", vec![(\"X\", int(2)), (\"Y\", int(0))]), s(\"b\")), (strct(\"main.Point\", vec![(\"X\", int(1)), (\"Y\", int(5))]), s(\"a\"))]), map(\"map[string]main.Point\", vec![(s(\"k\"), "+tPoint+")])", map[Point]string{{2, 0}: "b", {1, 5}: "a"}, map[string]Point{"k": {1, 2}}),
	f("%v|%#v", "map(\"map[string][]int\", vec![(s(\"a\"), slice(\"[]int\", vec![int(1), int(2)])), (s(\"b\"), nil_slice(\"[]int\"))]), map(\"map[string]interface {}\", vec![(s(\"a\"), int(1)), (s(\"b\"), s(\"x\")), (s(\"c\"), nil())])", map[string][]int{"a": {1, 2}, "b": nil}, map[string]any{"a": 1, "b": "x", "c": nil}),
	f("%d|%x|%5v|%q", "map(\"map[string]int\", vec![(s(\"a\"), int(10))]), map(\"map[string]int\", vec![(s(\"a\"), int(255))]), map(\"map[string]int\", vec![(s(\"a\"), int(1))]), map(\"map[string]int\", vec![(s(\"a\"), int(65))])", map[string]int{"a": 10}, map[string]int{"a": 255}, map[string]int{"a": 1}, map[string]int{"a": 65}),
	f("%v", "map(\"map[[2]int]string\", vec![(array(\"[2]int\", vec![int(1), int(2)]), s(\"b\")), (array(\"[2]int\", vec![int(1), int(1)]), s(\"a\"))])", map[[2]int]string{{1, 2}: "b", {1, 1}: "a"}),

	// ---- structs ----
	f("%v|%+v|%#v", tT+", "+tT+", "+tT, T{"Alice", 30}, T{"Alice", 30}, T{"Alice", 30}),
	f("%v|%+v|%#v", "&"[0:0]+"ptr(\"*main.T\", "+tT+"), ptr(\"*main.T\", "+tT+"), ptr(\"*main.T\", "+tT+")", &T{"Alice", 30}, &T{"Alice", 30}, &T{"Alice", 30}),
	f("%d|%s|%x|%6v|%q", tPoint+", "+tT+", "+tT+", "+tPoint+", "+tT, Point{1, 2}, T{"Alice", 30}, T{"Alice", 30}, Point{1, 2}, T{"Alice", 30}),
	f("%v|%+v|%#v", "strct(\"struct {}\", vec![]), strct(\"struct { A int; b string }\", vec![(\"A\", int(1)), (\"b\", s(\"x\"))]), strct(\"struct { A int; b string }\", vec![(\"A\", int(1)), (\"b\", s(\"x\"))])", struct{}{}, struct {
		A int
		b string
	}{1, "x"}, struct {
		A int
		b string
	}{1, "x"}),
	f("%v|%+v|%#v", "strct(\"main.Named\", vec![(\"P\", "+tPoint+"), (\"Tag\", s(\"t\")), (\"C\", "+cel(21.5)+")]), strct(\"main.Named\", vec![(\"P\", "+tPoint+"), (\"Tag\", s(\"\")), (\"C\", "+cel(0)+")]), strct(\"main.Named\", vec![(\"P\", "+tPoint+"), (\"Tag\", s(\"t\")), (\"C\", "+cel(1)+")])", Named{Point{1, 2}, "t", 21.5}, Named{Point{1, 2}, "", 0}, Named{Point{1, 2}, "t", 1}),
	f("%v|%+v|%#v", "strct(\"main.WithIface\", vec![(\"E\", niliface(\"error\")), (\"X\", niliface(\"interface {}\"))]), strct(\"main.WithIface\", vec![(\"E\", errv(\"code 7\", strct(\"main.MyErr\", vec![(\"Code\", int(7))]))), (\"X\", int(3))]), strct(\"main.WithIface\", vec![(\"E\", niliface(\"error\")), (\"X\", s(\"s\"))])", WithIface{}, WithIface{MyErr{7}, 3}, WithIface{nil, "s"}),
	f("%v|%#v", "strct(\"struct { P *int; F func(); C chan int; M map[string]int; S []int }\", vec![(\"P\", nil_ptr(\"*int\")), (\"F\", nil_func(\"func()\")), (\"C\", nil_chan(\"chan int\")), (\"M\", nil_map(\"map[string]int\")), (\"S\", nil_slice(\"[]int\"))]), strct(\"struct { P *int; F func(); C chan int; M map[string]int; S []int }\", vec![(\"P\", nil_ptr(\"*int\")), (\"F\", nil_func(\"func()\")), (\"C\", nil_chan(\"chan int\")), (\"M\", nil_map(\"map[string]int\")), (\"S\", nil_slice(\"[]int\"))])", struct {
		P *int
		F func()
		C chan int
		M map[string]int
		S []int
	}{}, struct {
		P *int
		F func()
		C chan int
		M map[string]int
		S []int
	}{}),
	f("%v|%+v", "slice(\"[]main.T\", vec!["+tT+", "+tT+"]), slice(\"[]*main.T\", vec![nil_ptr(\"*main.T\")])", []T{{"Alice", 30}, {"Alice", 30}}, []*T{nil}),
	f("%#v|%#v", "slice(\"[]main.Point\", vec!["+tPoint+"]), map(\"map[string]main.Point\", vec![(s(\"a\"), "+tPoint+")])", []Point{{1, 2}}, map[string]Point{"a": {1, 2}}),
	f("%v|%+v", "ptr(\"*[]int\", slice(\"[]int\", vec![int(1), int(2)])), ptr(\"*map[string]int\", map(\"map[string]int\", vec![(s(\"a\"), int(1))]))", &[]int{1, 2}, &map[string]int{"a": 1}),
	f("%v|%#v|%v", "ptr(\"*[2]int\", array(\"[2]int\", vec![int(1), int(2)])), ptr(\"*[]int\", slice(\"[]int\", vec![int(1)])), ptr(\"*struct {}\", strct(\"struct {}\", vec![]))", &[2]int{1, 2}, &[]int{1}, &struct{}{}),

	// ---- nil and pointers ----
	f("%v|%d|%s|%T", "nil(), nil(), nil(), nil()", nil, nil, nil, nil),
	f("%v|%#v|%d|%x|%s|%T", "nil_ptr(\"*int\"), nil_ptr(\"*int\"), nil_ptr(\"*int\"), nil_ptr(\"*int\"), nil_ptr(\"*int\"), nil_ptr(\"*int\")", (*int)(nil), (*int)(nil), (*int)(nil), (*int)(nil), (*int)(nil), (*int)(nil)),
	f("%v|%+v|%#v|%5v|%-6v|", "nil_ptr(\"*main.T\"), nil_ptr(\"*main.T\"), nil_ptr(\"*main.T\"), nil_ptr(\"*int\"), nil_ptr(\"*int\")", (*T)(nil), (*T)(nil), (*T)(nil), (*int)(nil), (*int)(nil)),
	f("%v|%#v|%v|%#v", "nil_func(\"func()\"), nil_func(\"func(int) string\"), nil_chan(\"chan int\"), nil_chan(\"chan int\")", (func())(nil), (func(int) string)(nil), (chan int)(nil), (chan int)(nil)),
	f("%p|%p|%p|%p", "nil_ptr(\"*int\"), nil_map(\"map[int]int\"), nil_slice(\"[]int\"), nil_func(\"func()\")", (*int)(nil), map[int]int(nil), []int(nil), (func())(nil)),
	f("%p|%#p|%p|%p", "nil_ptr(\"*int\"), nil_ptr(\"*int\"), int(5), s(\"x\")", (*int)(nil), (*int)(nil), 5, "x"),
	f("%T|%T|%T|%T|%T", "int(1), s(\"a\"), f64v(1.0), slice(\"[]interface {}\", vec![]), nil_ptr(\"*main.T\")", 1, "a", 1.0, []any{}, (*T)(nil)),
	f("%T|%10T|%-10T|%.3T|", "map(\"map[string][]int\", vec![]), int(1), b(true), s(\"x\")", map[string][]int{}, 1, true, "x"),
	f("%T|%T|%T", "c128(1.0, 0.0), nil_chan(\"<-chan int\"), nil_func(\"func(int, ...string) (bool, error)\")", complex(1, 0), (<-chan int)(nil), (func(int, ...string) (bool, error))(nil)),

	// ---- methods ----
	f("%v|%s|%d|%.2f|%q|%x", cel(21.5)+", "+cel(21.5)+", "+cel(21.5)+", "+cel(21.5)+", "+cel(21.5)+", "+cel(1), Celsius(21.5), Celsius(21.5), Celsius(21.5), Celsius(21.5), Celsius(21.5), Celsius(1)),
	f("%v|%#v|%+v|%8v|%-8v|%.3s|", cel(3)+", "+cel(3)+", "+cel(3)+", "+cel(3)+", "+cel(3)+", "+cel(3), Celsius(3), Celsius(3), Celsius(3), Celsius(3), Celsius(3), Celsius(3)),
	f("%v|%v|%#v", "slice(\"[]main.Celsius\", vec!["+cel(1)+", "+cel(2)+"]), map(\"map[string]main.Celsius\", vec![(s(\"x\"), "+cel(5)+")]), slice(\"[]main.Celsius\", vec!["+cel(1)+"])", []Celsius{1, 2}, map[string]Celsius{"x": 5}, []Celsius{1}),
	f("%v|%+v|%d|%#v", "errv(\"code 7\", strct(\"main.MyErr\", vec![(\"Code\", int(7))])), errv(\"code 7\", strct(\"main.MyErr\", vec![(\"Code\", int(7))])), errv(\"code 7\", strct(\"main.MyErr\", vec![(\"Code\", int(7))])), errv(\"code 7\", strct(\"main.MyErr\", vec![(\"Code\", int(7))]))", MyErr{7}, MyErr{7}, MyErr{7}, MyErr{7}),
	f("%v|%s|%q|%w", "errv(\"boom\", ptr(\"*errors.errorString\", strct(\"errors.errorString\", vec![(\"s\", s(\"boom\"))]))), errv(\"boom\", ptr(\"*errors.errorString\", strct(\"errors.errorString\", vec![(\"s\", s(\"boom\"))]))), errv(\"boom\", ptr(\"*errors.errorString\", strct(\"errors.errorString\", vec![(\"s\", s(\"boom\"))]))), errv(\"boom\", ptr(\"*errors.errorString\", strct(\"errors.errorString\", vec![(\"s\", s(\"boom\"))])))", errors.New("boom"), errors.New("boom"), errors.New("boom"), errors.New("boom")),
	f("%w|%v", "int(1), nil()", 1, error(nil)),
	f("%v|%#v|%s|%d", "gostringer(\"G!\", strct(\"main.G\", vec![(\"A\", int(1))])), gostringer(\"G!\", strct(\"main.G\", vec![(\"A\", int(1))])), gostringer(\"G!\", strct(\"main.G\", vec![(\"A\", int(1))])), gostringer(\"G!\", strct(\"main.G\", vec![(\"A\", int(1))]))", G{1}, G{1}, G{1}, G{1}),
	f("%#v|%v", "slice(\"[]main.G\", vec![gostringer(\"G!\", strct(\"main.G\", vec![(\"A\", int(1))]))]), slice(\"[]main.G\", vec![gostringer(\"G!\", strct(\"main.G\", vec![(\"A\", int(1))]))])", []G{{1}}, []G{{1}}),
	f("%v|%s|%d|%5v|", "panicky(\"boom\", strct(\"main.Boom\", vec![(\"A\", int(1))])), panicky(\"boom\", strct(\"main.Boom\", vec![(\"A\", int(1))])), panicky(\"boom\", strct(\"main.Boom\", vec![(\"A\", int(1))])), panicky(\"boom\", strct(\"main.Boom\", vec![(\"A\", int(1))]))", Boom{1}, Boom{1}, Boom{1}, Boom{1}),
	f("%v|%v", "panicky(\"runtime error: invalid memory address or nil pointer dereference\", nil_ptr(\"*main.NilSafe\")), stringer(\"4\", ptr(\"*main.NilSafe\", strct(\"main.NilSafe\", vec![(\"A\", int(4))])))", (*NilSafe)(nil), &NilSafe{4}),
	f("%v|%+v", "slice(\"[]main.Boom\", vec![panicky(\"boom\", strct(\"main.Boom\", vec![(\"A\", int(1))]))]), strct(\"struct { B main.Boom }\", vec![(\"B\", panicky(\"boom\", strct(\"main.Boom\", vec![(\"A\", int(1))])))])", []Boom{{1}}, struct{ B Boom }{Boom{1}}),
	f("%s|%v", "strct(\"struct { c main.Celsius }\", vec![(\"c\", fty(2.0, \"main.Celsius\"))]), strct(\"struct { C main.Celsius; d main.Celsius }\", vec![(\"C\", "+cel(2)+"), (\"d\", fty(2.0, \"main.Celsius\"))])", struct{ c Celsius }{2}, struct {
		C Celsius
		d Celsius
	}{2, 2}),
	f("%d|%s", "int(1), "+cel(1), 1, Celsius(1)),

	// ---- error markers ----
	f("%d", "s(\"hi\")", "hi"),
	f("%d %d", "int(1)", 1),
	f("%d", "int(1), s(\"a\")", 1, "a"),
	f("hi", "int(1), s(\"a\"), nil(), "+cel(2), 1, "a", nil, Celsius(2)),
	f("%*d|%-*d|%*d", "int(5), int(42), int(5), int(42), int(-5), int(42)", 5, 42, 5, 42, -5, 42),
	f("%.*f|%*.*f|%.*d", "int(2), f64v(3.14159), int(8), int(3), f64v(3.14159), int(-1), int(7)", 2, 3.14159, 8, 3, 3.14159, -1, 7),
	f("%*d", "s(\"x\"), int(5)", "x", 5),
	f("%.*d", "s(\"x\"), int(5)", "x", 5),
	f("%*d|%*d", "int(10000000), int(5), uty(3, \"uint8\"), int(5)", 10000000, 5, uint8(3), 5),
	f("%*d", "int(5)", 5),
	f("%", "int(1)", 1),
	f("%-", "int(1)", 1),
	f("%5.2", ""),
	f("abc%", ""),
	f("%!|%z|%ü", "int(1), s(\"x\"), b(true)", 1, "x", true),
	f("%[2]d %[1]d", "int(1), int(2)", 1, 2),
	f("%[3]d|%[0]d|%[x]d", "int(1), int(2)", 1, 2),
	f("%[1]d %d %[1]*d|%[2]*[1]d", "int(5), int(3)", 5, 3),
	f("%[2]d", "int(1), int(2), int(3)", 1, 2, 3),
	f("%d %[1]d %d", "int(1), int(2)", 1, 2),
	f("%[1]", "int(1)", 1),
	f("%.[2]d|%[3]2d", "int(5), int(2), int(4)", 5, 2, 4),
	f("%%|%5%|%-5%|%d", "int(1)", 1),
	f("%.d|%.0s|%.f", "int(0), s(\"abc\"), f64v(2.5)", 0, "abc", 2.5),
	f("%v %v", "int(1), nil()", 1, nil),
	f("%!(NOVERB)|%s", "s(\"x\")", "x"),
	f("%d|%v", "FmtValue::UnsafePointer { addr: 0, ty: t(\"unsafe.Pointer\") }, FmtValue::UnsafePointer { addr: 0, ty: t(\"unsafe.Pointer\") }", nilUnsafe(), nilUnsafe()),
	f("%s", "slice(\"[]interface {}\", vec![int(1), s(\"a\"), b(true), nil()])", []any{1, "a", true, nil}),
	f("%d", "strct(\"struct { A string; B []int }\", vec![(\"A\", s(\"a\")), (\"B\", slice(\"[]int\", vec![int(1)]))])", struct {
		A string
		B []int
	}{"a", []int{1}}),
	f("%s|%d", "nil_map(\"map[string]int\"), nil_slice(\"[]string\")", map[string]int(nil), []string(nil)),
	f("%x|%X|%o", "slice(\"[]string\", vec![s(\"ab\")]), array(\"[1]int\", vec![int(255)]), ptr(\"*[1]int\", array(\"[1]int\", vec![int(8)]))", []string{"ab"}, [1]int{255}, &[1]int{8}),

	// ---- Sprint / Sprintln ----
	p("int(1), int(2), s(\"a\"), s(\"b\"), int(3), f64v(4.5), s(\"c\"), nil(), nil()", 1, 2, "a", "b", 3, 4.5, "c", nil, nil),
	p("s(\"x\"), int(1), sty(b\"y\", \"main.MyStr\"), int(2), "+cel(3)+", int(4)", "x", 1, MyStr("y"), 2, Celsius(3), 4),
	p("b(true), slice(\"[]int\", vec![int(1)]), map(\"map[string]int\", vec![(s(\"a\"), int(1))]), "+tT, true, []int{1}, map[string]int{"a": 1}, T{"Alice", 30}),
	p(""),
	p("f64v(1e21), f64v(1e20), f32v(0.1), f64v(1e-7)", 1e21, 1e20, float32(0.1), 1e-7),
	p("ptr(\"*main.T\", "+tT+"), nil_ptr(\"*main.T\"), bytes(b\"hi\"), c128(1.0, 1.0)", &T{"Alice", 30}, (*T)(nil), []byte("hi"), complex(1, 1)),
	l("int(1), int(2), s(\"a\"), s(\"b\"), int(3), nil()", 1, 2, "a", "b", 3, nil),
	l(""),
	l("s(\"\"), s(\"\")", "", ""),
	l("f64v(100.0), f64v(3.0), f64v(2.5e-5), f32v(1e10), f64v(-0.0), f64v(f64::NAN)", 100.0, 3.0, 2.5e-5, float32(1e10), negZero, math.NaN()),
	l(cel(1)+", errv(\"code 7\", strct(\"main.MyErr\", vec![(\"Code\", int(7))])), gostringer(\"G!\", strct(\"main.G\", vec![(\"A\", int(1))]))", Celsius(1), MyErr{7}, G{1}),
	l("slice(\"[]main.T\", vec!["+tT+"]), ptr(\"*[]string\", slice(\"[]string\", vec![s(\"a\")]))", []T{{"Alice", 30}}, &[]string{"a"}),
	l("uty(255, \"uint8\"), ity(-1, \"int8\"), uty(18446744073709551615, \"uint64\"), ity(65, \"int32\")", uint8(255), int8(-1), uint64(math.MaxUint64), 'A'),
}

type Bs []byte

func nilUnsafe() any { return unsafePointerNil }

// rustBytes renders s as a Rust byte-string literal.
func rustBytes(s string) string {
	var b strings.Builder
	b.WriteString(`b"`)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	b.WriteString(`"`)
	return b.String()
}

func main() {
	fmt.Println("//! Generated by testdata/gen_cases.go under real Go; do not edit by hand.")
	fmt.Println("#![allow(clippy::approx_constant, clippy::excessive_precision, clippy::type_complexity)]")
	fmt.Println()
	fmt.Println("use super::*;")
	fmt.Println()
	fmt.Println("pub(super) fn cases() -> Vec<Case> {")
	fmt.Println("    vec![")
	for _, c := range cases {
		var want string
		switch c.mode {
		case 'p':
			want = fmt.Sprint(c.args...)
		case 'l':
			want = fmt.Sprintln(c.args...)
		default:
			want = fmt.Sprintf(c.format, c.args...)
		}
		fmt.Printf("        Case { mode: b'%c', format: %s, args: vec![%s], want: %s },\n",
			c.mode, rustBytes(c.format), c.rust, rustBytes(want))
	}
	fmt.Println("    ]")
	fmt.Println("}")
	printStrconv()
}

// printStrconv emits the strconv.FormatFloat / Quote / QuoteRune tables.
func printStrconv() {
	vals := []float64{0, negZero, 1, -1, 0.1, 0.5, 1.5, 2.5, 1e21, 1e20, 1e-7, 123456789, 1.0 / 3, math.Pi,
		5e-324, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 100, 1e6, 0.000123, 9.999999, float64(float32(0.1))}
	fmt.Println()
	fmt.Println("/// (value bits, format, precision, bit size, strconv.FormatFloat result)")
	fmt.Println("pub(super) const FLOATS: &[(u64, u8, i32, u32, &str)] = &[")
	for _, v := range vals {
		for _, fm := range []byte{'e', 'E', 'f', 'g', 'G', 'b', 'x', 'X'} {
			for _, prec := range []int{-1, 0, 1, 3, 17} {
				for _, bits := range []int{32, 64} {
					fmt.Printf("    (0x%016x, b'%c', %d, %d, %q),\n", math.Float64bits(v), fm, prec, bits, strconv.FormatFloat(v, fm, prec, bits))
				}
			}
		}
	}
	fmt.Println("];")
	strs := []string{"", "hi", "a\"b\\c", "日本\t", "\x00\x7f\xff", "\u00ad\u2028\ufeff", "\U0001F600", "\u00a0\u3000"}
	fmt.Println()
	fmt.Println("/// (input bytes, strconv.Quote, QuoteToASCII, QuoteToGraphic, CanBackquote)")
	fmt.Println("pub(super) const QUOTES: &[(&[u8], &[u8], &[u8], &[u8], bool)] = &[")
	for _, s := range strs {
		fmt.Printf("    (%s, %s, %s, %s, %v),\n", rustBytes(s), rustBytes(strconv.Quote(s)), rustBytes(strconv.QuoteToASCII(s)), rustBytes(strconv.QuoteToGraphic(s)), strconv.CanBackquote(s))
	}
	fmt.Println("];")
	runes := []rune{'a', '\'', '"', '\n', 0, 0x7f, 0xad, 0x4e16, 0x1F600, 0xD800, 0x110000, -1, 0x2028, 0x3000}
	fmt.Println()
	fmt.Println("/// (rune, strconv.QuoteRune, QuoteRuneToASCII, QuoteRuneToGraphic)")
	fmt.Println("pub(super) const RUNES: &[(i32, &[u8], &[u8], &[u8])] = &[")
	for _, r := range runes {
		fmt.Printf("    (%d, %s, %s, %s),\n", r, rustBytes(strconv.QuoteRune(r)), rustBytes(strconv.QuoteRuneToASCII(r)), rustBytes(strconv.QuoteRuneToGraphic(r)))
	}
	fmt.Println("];")
}
