-- wrk script for tools/bench dayclose: GETs of one path (getstatus or getreport of the closed day) with a bearer
-- token, counting answers that are not HTTP 200. Arguments (after --): bearer token, path with its query, and the
-- milliseconds each connection waits between two requests (0: none).
function init(args)
  token = "Bearer " .. args[1]
  path = args[2]
  pause = tonumber(args[3] or "0")
  errors = 0
end

function delay()
  return pause
end

function request()
  return wrk.format("GET", path, { ["Authorization"] = token })
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("settlement: requests=%d seconds=%.1f errors=%d p50=%.2f p95=%.2f p99=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.errors.status + summary.errors.connect
      + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
