-- fib.lua: the same recursive fib(32) as fib.gom, for comparison with Lua 5.4.
local function fib(n)
  if n < 2 then
    return n
  end
  return fib(n - 1) + fib(n - 2)
end

print("fib(32) = " .. fib(32))
