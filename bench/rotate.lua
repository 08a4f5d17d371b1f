-- wrk script: each connection's requests go round the paths given after `--`
-- (wrk -s bench/rotate.lua http://127.0.0.1:PORT/ -- /programs/ /programs/x/ ...).
-- A first argument `@threads=N` (wrk's -t) gives each thread its own stretch of the list to
-- start from, so that no thread asks for an address another has just asked for (the long
-- tail of bench/run.py: every address new to the cache). Without it, each thread starts at a
-- different place in the list, so all paths are in flight at once.

local paths = {}
local position = 0
local thread_number = 0

function setup(thread)
  thread:set("thread_number", thread_number)
  thread_number = thread_number + 1
end

function init(args)
  local threads = nil
  for _, arg in ipairs(args) do
    local n = string.match(arg, "^@threads=(%d+)$")
    if n then
      threads = tonumber(n)
    else
      paths[#paths + 1] = arg
    end
  end
  if #paths == 0 then
    paths[1] = "/"
  end
  if threads then
    position = math.floor(thread_number * #paths / threads)
  else
    position = (thread_number * 7) % #paths
  end
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
