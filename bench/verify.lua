-- 证书核验 at scale (bench/verify_scale.py): each request asks for a random certificate among
-- the BENCH_ROWS generated ones, by 证书编号 + 姓名, computed from its ordinal g exactly as the
-- SQL generator made them (number = unit code .. year .. 6-digit sequence, name = prefix .. g).
-- Every request comes from another client address (X-Forwarded-For, one trusted proxy), as
-- nginx sends for many clients, so the per-address rate limit never trips.
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  rows = tonumber(os.getenv("BENCH_ROWS"))
  per_year = tonumber(os.getenv("BENCH_PER_YEAR"))
  first_year = tonumber(os.getenv("BENCH_FIRST_YEAR"))
  code = os.getenv("BENCH_UNIT_CODE")
  prefix = os.getenv("BENCH_NAME_PREFIX")           -- url-encoded
  mode = os.getenv("BENCH_MODE")                    -- "page" or "api"
  run = tonumber(os.getenv("BENCH_RUN"))            -- keeps each run's addresses apart
  math.randomseed(os.time() * 1000 + tid * 7919 + run * 104729)
  counter, misses, refused = 0, 0, 0
  if mode == "api" then
    path, marker = "/api/v1/certificate-verification/", '"state":"'
  else
    path, marker = "/verify/", 'data-testid="verify-state"'
  end
end

function request()
  local g = math.random(1, rows)
  local block = math.floor((g - 1) / per_year)
  local number = code .. (first_year - block) .. string.format("%06d", (g - 1) % per_year + 1)
  counter = counter + 1
  local xff = string.format("10.%d.%d.%d", run * 16 + tid + 1, math.floor(counter / 250) % 250,
    counter % 250 + 1)
  return wrk.format("GET", path .. "?number=" .. number .. "&name=" .. prefix .. g,
    { ["X-Forwarded-For"] = xff }, nil)
end

function response(status, headers, body)
  if status ~= 200 then
    refused = refused + 1
    if refused <= 3 then
      io.stderr:write("REFUSED " .. status .. " " .. string.sub(body or "", 1, 200) .. "\n")
    end
  elseif not string.find(body, marker, 1, true) then
    -- 200 but no verdict: the certificate was not found (the page says so with a 200).
    misses = misses + 1
    if misses <= 3 then
      io.stderr:write("REFUSED miss " .. string.sub(body or "", 1, 200) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local m = 0
  for _, t in ipairs(threads) do m = m + (t:get("misses") or 0) end
  local e = summary.errors
  io.write(string.format("BENCH {\"requests\": %d, \"seconds\": %.3f, \"connect\": %d, " ..
    "\"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d, \"p50_ms\": %.2f, " ..
    "\"p95_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f, \"misses\": %d}\n",
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, m))
end
