-- wrk script for bench/run: a signed-in user's GET or POST, results as one JSON line.
-- Settings come from the environment: BENCH_COOKIE, BENCH_METHOD, BENCH_BODY (PERSON is
-- replaced by the ids in BENCH_PERSONS, in turn), BENCH_CSRF, BENCH_ORIGIN.
local cookie = os.getenv("BENCH_COOKIE") or ""
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
local csrf = os.getenv("BENCH_CSRF") or ""
local origin = os.getenv("BENCH_ORIGIN") or ""
local persons = {}
for id in string.gmatch(os.getenv("BENCH_PERSONS") or "", "%d+") do
  persons[#persons + 1] = id
end

local threads = {}
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(thread_id * 7919)
  bad = 0
end

function request()
  -- X-Forwarded-Proto: as behind the TLS proxy of production (no https redirect).
  local headers = {
    ["Cookie"] = cookie,
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = "192.0.2.10",
  }
  if method == "POST" then
    counter = counter + 1
    headers["Content-Type"] = "application/json"
    headers["X-CSRFToken"] = csrf
    headers["Referer"] = origin .. "/"
    headers["Idempotency-Key"] = string.format("bench-%d-%d-%d", thread_id, counter,
      math.random(1, 1000000000))
    local person = persons[(counter % #persons) + 1] or "0"
    return wrk.format("POST", nil, headers, (string.gsub(body, "PERSON", person)))
  end
  return wrk.format("GET", nil, headers)
end

function response(status, headers, response_body)
  -- Anything but the expected success is counted (a redirect to sign-in included).
  if status >= 300 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + (thread:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "not_ok": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, failed,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
