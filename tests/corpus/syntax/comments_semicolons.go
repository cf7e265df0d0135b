/* Block comment before the package clause.
   Spans several lines. */

// Comments in every position, explicit semicolons, and automatic semicolon
// insertion edge cases. The file ends with a line comment and NO final newline.
package /* between tokens */ main // after the package clause

import /* here */ ( /* and here */
	"fmt" // after an import spec
	/* before an import spec */ "strings"
)

/* comment */ const /* c */ K /* c */ = /* c */ 1 /* c */ // trailing

var V = []int{ // comment after an opening brace
	1, // after an element
	/* before an element */ 2,
	3 /* after the last element, before the comma */,
}

func f(a /* param */ int, /* next */ b int) /* results */ (int /* r */) { // sig
	return a + /* mid-expression */ b
}

func oneLine() int { x := 1; x++; return x } // explicit semicolons on one line

func multiBlockEndsLine() int {
	x := 1 /* a block comment containing
	a newline counts as a newline, so a semicolon is inserted after 1 */
	y := 2 /* single-line block comment: no newline, no semicolon */ + 3
	return x + y
}

type S struct { /* empty-ish */ A int; B string } // fields separated by explicit ;

func semicolonInsertion() {
	var s []int
	s = append(s,
		1,
		2) // line ends with ')': semicolon inserted after it
	i := 0
	i++ // after ++
	i-- // after --
	_ = s[0] // after ]
	m := map[string]int{
	} // after }
	str := "s" // after string literal
	r := 'r' // after rune literal
	fl := 1.5 // after float literal
	im := 2i // after imaginary literal
	for {
		break // after break
	}
	for i := 0; i < 1; i++ {
		continue // after continue
	}
	fmt.Println(len(m), str, r, fl, im, strings.Repeat("-", 3))
	return // after return
}

func main() {
	fmt.Println(K, V, f(1, 2), oneLine(), multiBlockEndsLine(), S{1, "b"})
	semicolonInsertion()
	// a comment alone on a line
	/* a block comment alone on a line */
	x := /* inline */ 5 // line comment
	if /* c */ x > 0 /* c */ { /* c */
		fmt.Println(x) /* c */
	} /* c */ else /* c */ { // comment
	}
	fmt.Println("//not a comment", "/* not a comment */", `// raw`) // real comment
	var _ = 1 // last statement
}

// comment at EOF without trailing newline