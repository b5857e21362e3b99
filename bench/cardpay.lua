-- wrk script for tools/bench cardpay: card payments (S1-22) of 0.01 on the cards listed in a file, each under a
-- new bill number, counting answers that are not status 200. Arguments (after --): cards file, bearer token,
-- milliseconds each connection waits between requests (0: as fast as it can), a run name.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  cards = {}
  for line in io.lines(args[1]) do
    if #line > 0 then cards[#cards + 1] = line end
  end
  token = "Bearer " .. args[2]
  pause = tonumber(args[3] or "0")
  bill = args[4] .. "-" .. id .. "-"
  counter = 0
  errors = 0
  math.randomseed(os.time() * 1000 + id)
end

function delay()
  return pause
end

function request()
  counter = counter + 1
  local card = cards[math.random(#cards)]
  local body = '{"cardCode":"' .. card .. '","mac":"mac-' .. card .. '","money":0.01,"code":"' .. bill .. counter .. '"}'
  return wrk.format("POST", "/api/member/cardpay/pay",
    { ["Content-Type"] = "application/json", ["Authorization"] = token }, body)
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"status":200', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("errors")
  end
  io.write(string.format("membercard: requests=%d seconds=%.3f errors=%d p50=%.2f p99=%.2f\n",
    summary.requests, summary.duration / 1e6, failed + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
