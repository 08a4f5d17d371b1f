-- wrk script: each connection's requests go round the paths given after `--`
-- (wrk -s bench/rotate.lua http://127.0.0.1:PORT/ -- /programs/ /programs/x/ ...).
-- Each thread starts at a different place in the list, so all paths are in flight at once.

local paths = {}
local position = 0
local thread_number = 0

function setup(thread)
  thread:set("thread_number", thread_number)
  thread_number = thread_number + 1
end

function init(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
  if #paths == 0 then
    paths[1] = "/"
  end
  position = (thread_number * 7) % #paths
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
