-- wrk script: POST /v1/recommendations for users read from $USERS (one id per line), in turn;
-- prints one JSON line with throughput, errors and latency percentiles.
local users = {}
for line in io.lines(os.getenv("USERS")) do users[#users + 1] = line end
local experiment = os.getenv("EXPERIMENT")
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  i = i + 1
  local body = '{"experiment":"' .. experiment .. '","userId":"' .. users[(i % #users) + 1] .. '","k":10}'
  return wrk.format(nil, "/v1/recommendations", nil, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"socket_errors":%d,"non_2xx":%d,"rps":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f}\n',
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
