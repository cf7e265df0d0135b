# fib.py: the same recursive fib(32) as fib.gom, for comparison with CPython 3.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print("fib(32) =", fib(32))
