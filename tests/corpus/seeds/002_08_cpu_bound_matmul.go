package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// CPU-bound: matrix multiply — pure computation, no I/O
func matMulRow(a, b [][]float64, result [][]float64, row int) {
	n := len(b[0])
	m := len(b)
	for col := 0; col < n; col++ {
		sum := 0.0
		for k := 0; k < m; k++ {
			sum += a[row][k] * b[k][col]
		}
		result[row][col] = sum
	}
}

func parallelMatMul(a, b [][]float64) [][]float64 {
	rows := len(a)
	result := make([][]float64, rows)
	for i := range result { result[i] = make([]float64, len(b[0])) }

	workers := runtime.NumCPU() // optimal for CPU-bound: one per core
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup

	for row := 0; row < rows; row++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(r int) {
			defer wg.Done()
			defer func() { <-sem }()
			matMulRow(a, b, result, r)
		}(row)
	}
	wg.Wait()
	return result
}

func main() {
	n := 100
	a := make([][]float64, n)
	b := make([][]float64, n)
	for i := range a {
		a[i] = make([]float64, n)
		b[i] = make([]float64, n)
		for j := range a[i] { a[i][j] = float64(i + j) }
		for j := range b[i] { b[i][j] = float64(i * j) }
	}

	start := time.Now()
	result := parallelMatMul(a, b)
	fmt.Printf("matmul %dx%d in %v, result[0][0]=%.2f\n",
		n, n, time.Since(start), result[0][0])
}
