-- Runs an Argo CD health check the way Argo CD does (util/lua/lua.go in argoproj/argo-cd): the live object as the
-- global `obj` (JSON null as nil), only the base and table libraries, the returned table printed as JSON.
-- Usage: lua5.1 run-health-check.lua HEALTH_LUA_FILE < object.json
local json = require("dkjson")

local object = json.decode(io.read("*a"), 1, nil)
local chunk = assert(loadfile(arg[1]))

-- Argo CD opens no string or math library, so a check that calls string.format works here and fails there.
local env = { obj = object, table = table }
for _, name in ipairs({ "assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber", "tostring",
  "type", "unpack", "xpcall", "rawequal", "rawget", "rawset", "getmetatable", "setmetatable", "_VERSION" }) do
  env[name] = _G[name]
end
env._G = env
setfenv(chunk, env)
-- Without the string library, ("x"):upper() has no methods either.
local stringMeta = getmetatable("")
local stringIndex = stringMeta.__index
stringMeta.__index = nil
local ok, result = pcall(chunk)
stringMeta.__index = stringIndex

if not ok then
  io.stderr:write("the health check failed: " .. tostring(result) .. "\n")
  os.exit(2)
end
if type(result) ~= "table" then
  io.stderr:write("the health check returned " .. type(result) .. ", not a table\n")
  os.exit(3)
end
io.write(json.encode({ status = result.status, message = result.message }))
