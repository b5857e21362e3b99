-- wrk script for tools/bench memberlist: member lists (S1-01) of one tenant, each request a page with sumData
-- under a filter drawn at random (none, a deep page, shop, level, card status, a phone fragment, a name, shop and
-- level and status together). Arguments (after --): bearer token, level ids (comma-separated).
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = "Bearer " .. args[1]
  levels = {}
  for level in string.gmatch(args[2], "[^,]+") do levels[#levels + 1] = level end
  errors = 0
  math.randomseed(os.time() * 1000 + id)
end

local surnames = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"}

local function encode(text)
  return (string.gsub(text, "[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  local pick = math.random(8)
  local query
  if pick == 1 then
    query = "pageIndex=1&pageSize=20"
  elseif pick == 2 then
    query = "pageIndex=" .. math.random(2, 200) .. "&pageSize=20"
  elseif pick == 3 then
    query = "shopId=" .. math.random(20) .. "&pageIndex=" .. math.random(5)
  elseif pick == 4 then
    query = "memberLevel=" .. levels[math.random(#levels)] .. "&pageIndex=" .. math.random(5)
  elseif pick == 5 then
    query = "status=" .. (math.random(3) == 1 and 3 or 2)
  elseif pick == 6 then
    query = "keyword=" .. string.format("%05d", math.random(0, 99999))
  elseif pick == 7 then
    query = "keyword=" .. encode(surnames[math.random(#surnames)])
  else
    query = "shopId=" .. math.random(20) .. "&memberLevel=" .. levels[math.random(#levels)] .. "&status=2"
  end
  return wrk.format("GET", "/api/member/member/getlist?" .. query, { ["Authorization"] = token })
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"sumData"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("errors")
  end
  io.write(string.format("membercard: requests=%d seconds=%.3f errors=%d p50=%.2f p95=%.2f p99=%.2f\n",
    summary.requests, summary.duration / 1e6, failed + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
