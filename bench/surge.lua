-- The deadline-day mix (bench/surge.py). One connection per wrk thread, so each thread's
-- requests and responses strictly alternate and a thread can follow one applicant's steps.
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function lines(path, total, mine)
  local out, i = {}, 0
  for line in io.lines(path) do
    if not mine or i % total == tid then table.insert(out, line) end
    i = i + 1
  end
  return out
end

local function split(line)
  local t = {}
  for f in string.gmatch(line, "[^\t]+") do table.insert(t, f) end
  return t
end

function init(args)
  local total = tonumber(os.getenv("BENCH_THREADS"))
  local dir = os.getenv("BENCH_DIR")
  local tag = os.getenv("BENCH_TAG")
  applicants = lines(dir .. "/applicants-" .. tag .. ".tsv", total, true)   -- user, password, app id, token
  approvals = lines(dir .. "/approve-" .. tag .. ".txt", total, true)       -- ids waiting at the officer
  certs = lines(dir .. "/certs.tsv", total, false)            -- number, name (url-encoded)
  officer = os.getenv("BENCH_OFFICER_TOKEN")
  local f = io.open(dir .. "/upload.bin", "rb")
  local blob = f:read("*a")
  f:close()
  local at = string.find(blob, "BENCHSLOT000000", 1, true)
  head, tail = string.sub(blob, 1, at - 1), string.sub(blob, at + 15)
  boundary = "----surgeBoundary7MA4YWxkTrZu0gW"
  next_applicant, step, current, next_approval = 1, 0, nil, 1
  counter, acked, approved, submitted, logins = 0, "", 0, 0, 0
  last = nil
  -- the mix, in percent (documented in bench/surge.py)
  mix = { {"verify", 40}, {"app_detail", 15}, {"app_attachments", 5}, {"todo", 15},
          {"approve", 5}, {"applicant", 20} }
end

local function pick()
  local r = math.random(100)
  for _, m in ipairs(mix) do
    r = r - m[2]
    if r <= 0 then return m[1] end
  end
  return "verify"
end

local function xff()
  counter = counter + 1
  return string.format("10.%d.%d.%d", tid + 1, math.floor(counter / 250) % 250, counter % 250 + 1)
end

local function get(path, token)
  local h = { ["X-Forwarded-For"] = xff() }
  if token then h["Authorization"] = "Token " .. token end
  return wrk.format("GET", path, h, nil)
end

local function post(path, token, ctype, body)
  local h = { ["X-Forwarded-For"] = xff(), ["Content-Type"] = ctype }
  if token then h["Authorization"] = "Token " .. token end
  return wrk.format(path:match("^PATCH ") and "PATCH" or "POST", path:gsub("^PATCH ", ""), h, body)
end

local function read_request()
  local a = split(applicants[math.random(#applicants)])
  last = "read"
  return get("/api/v1/applications/" .. a[3] .. "/", a[4])
end

-- An applicant's steps: log in, save the draft, upload, save again, submit.
local STEPS = { "login", "save", "upload", "save", "submit" }

local function applicant_request()
  if current == nil then
    if next_applicant > #applicants then return read_request() end
    current = split(applicants[next_applicant])
    next_applicant = next_applicant + 1
    step = 1
  end
  local s = STEPS[step]
  last = s
  if s == "login" then
    return post("/api/v1/auth/token/", nil, "application/json",
      '{"username": "' .. current[1] .. '", "password": "' .. current[2] .. '"}')
  elseif s == "save" then
    return post("PATCH /api/v1/applications/" .. current[3] .. "/", current[4],
      "application/json", '{"school": "南京工业大学 ' .. step .. '"}')
  elseif s == "upload" then
    local slot = string.format("%015d", tonumber(current[3]))
    local body = "--" .. boundary .. "\r\n" ..
      'Content-Disposition: form-data; name="category"\r\n\r\nother\r\n' ..
      "--" .. boundary .. "\r\n" ..
      'Content-Disposition: form-data; name="file"; filename="surge.pdf"\r\n' ..
      "Content-Type: application/pdf\r\n\r\n" .. head .. slot .. tail .. "\r\n" ..
      "--" .. boundary .. "--\r\n"
    return post("/api/v1/applications/" .. current[3] .. "/attachments/", current[4],
      "multipart/form-data; boundary=" .. boundary, body)
  else
    return post("/api/v1/applications/" .. current[3] .. "/submit/", current[4],
      "application/json", "{}")
  end
end

function request()
  local op = pick()
  if op == "verify" then
    local c = split(certs[math.random(#certs)])
    last = "verify"
    return get("/verify/?number=" .. c[1] .. "&name=" .. c[2], nil)
  elseif op == "app_detail" then
    return read_request()
  elseif op == "app_attachments" then
    local a = split(applicants[math.random(#applicants)])
    last = "read"
    return get("/api/v1/applications/" .. a[3] .. "/attachments/", a[4])
  elseif op == "todo" then
    last = "todo"
    return get("/api/v1/applications/?scope=todo", officer)
  elseif op == "approve" then
    if next_approval > #approvals then
      last = "todo"
      return get("/api/v1/applications/?scope=todo", officer)
    end
    local id = approvals[next_approval]
    next_approval = next_approval + 1
    last = "approve"
    return post("/api/v1/applications/" .. id .. "/approve/", officer, "application/json",
      '{"opinion": ""}')
  end
  return applicant_request()
end

function response(status, headers, body)
  if status >= 400 then
    io.stderr:write("SURGE " .. (last or "?") .. " " .. status .. " " ..
      string.sub(body or "", 1, 200) .. "\n")
  end
  if last == "approve" and status == 200 then approved = approved + 1 end
  if current ~= nil and last ~= "read" and last ~= "verify" and last ~= "todo"
      and last ~= "approve" then
    if last == "upload" and status == 201 then
      local id = string.match(body, '"id":%s*(%d+)')
      acked = acked .. current[3] .. " " .. (id or "?") .. "\n"
    end
    if last == "login" and status == 200 then logins = logins + 1 end
    if last == "submit" and status == 200 then submitted = submitted + 1 end
    step = step + 1
    if step > #STEPS then current = nil end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_DIR") .. "/" .. os.getenv("BENCH_TAG") .. "-acked.txt", "w")
  local a, s, l = 0, 0, 0
  for _, t in ipairs(threads) do
    out:write(t:get("acked") or "")
    a = a + (t:get("approved") or 0)
    s = s + (t:get("submitted") or 0)
    l = l + (t:get("logins") or 0)
  end
  out:close()
  local e = summary.errors
  io.write(string.format("BENCH {\"requests\": %d, \"seconds\": %.3f, \"connect\": %d, " ..
    "\"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d, \"p50_ms\": %.2f, " ..
    "\"p95_ms\": %.2f, \"p99_ms\": %.2f, \"approved\": %d, \"submitted\": %d, \"logins\": %d}\n",
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    a, s, l))
end
