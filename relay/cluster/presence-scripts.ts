/**
 * The Lua scripts behind cluster presence (relay/cluster/redis-presence.ts). Each runs atomically in
 * Redis, so of several nodes acting on one agent at once exactly one sees a given change (and acts on
 * it). Keys, under the prefix P:
 * - `P:presence:agent:<id>` hash: `n:<node>` → that node's console sockets of the agent, `presence`
 *   (online | away; absent: offline), `chosen` (what the agent chose), `zero` (ms since no live node
 *   counts a socket), `v` (version of the last change), `sites` (JSON site ids);
 * - `P:presence:agents` set of the agents that have such a hash;
 * - `P:presence:nodes` sorted set: node → the time its heartbeat lapses (a node past it is dead and
 *   its counts no longer count);
 * - `P:presence:version` the counter that versions every change.
 * Time is Redis's own (TIME), so the nodes' clocks need not agree.
 */

const COMMON = `
local prefix = ARGV[1]
local nodes = prefix .. ':presence:nodes'
local agents = prefix .. ':presence:agents'
local function key(id) return prefix .. ':presence:agent:' .. id end
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function state(k) return redis.call('HGET', k, 'presence') or 'offline' end
local function version(k) return tonumber(redis.call('HGET', k, 'v') or '0') end
local function change(k, to)
  local v = redis.call('INCR', prefix .. ':presence:version')
  if to == 'offline' then
    redis.call('HDEL', k, 'presence', 'zero')
    redis.call('HSET', k, 'chosen', 'online', 'v', v)
  else
    redis.call('HSET', k, 'presence', to, 'v', v)
  end
  return v
end
-- Sockets counted by live nodes; counts of dead nodes are dropped on the way.
local function live(k, now)
  local total = 0
  local fields = redis.call('HGETALL', k)
  for i = 1, #fields, 2 do
    local f = fields[i]
    if string.sub(f, 1, 2) == 'n:' then
      local lapses = redis.call('ZSCORE', nodes, string.sub(f, 3))
      if lapses and tonumber(lapses) > now then
        total = total + tonumber(fields[i + 1])
      else
        redis.call('HDEL', k, f)
      end
    end
  end
  return total
end
-- Offline once no live node has counted a socket for the grace period; else how long to wait.
local function settle(k, now, grace)
  local from = state(k)
  if from == 'offline' then return from, 0 end
  if live(k, now) > 0 then
    redis.call('HDEL', k, 'zero')
    return from, 0
  end
  local zero = tonumber(redis.call('HGET', k, 'zero') or '')
  if not zero then
    redis.call('HSET', k, 'zero', now)
    return from, grace
  end
  if now - zero < grace then return from, grace - (now - zero) end
  change(k, 'offline')
  return 'offline', 0
end
`

/** ARGV prefix, agent, node, this node's sockets of the agent, sites → {from, to, v, sites}. */
export const JOIN = `${COMMON}
local id, node, count, sites = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local k = key(id)
redis.call('SADD', agents, id)
redis.call('HSET', k, 'n:' .. node, count, 'sites', sites)
redis.call('HDEL', k, 'zero')
local from = state(k)
if from == 'offline' then
  -- Back after being offline: online, whatever they chose before.
  return { from, 'online', change(k, 'online'), sites }
end
return { from, from, version(k), sites }
`

/** ARGV prefix, agent, node, this node's sockets of the agent left → sockets live nodes still count. */
export const LEAVE = `${COMMON}
local id, node, count = ARGV[2], ARGV[3], tonumber(ARGV[4])
local k = key(id)
if count > 0 then redis.call('HSET', k, 'n:' .. node, count) else redis.call('HDEL', k, 'n:' .. node) end
local total = live(k, clock())
if total == 0 and state(k) ~= 'offline' and redis.call('HEXISTS', k, 'zero') == 0 then
  redis.call('HSET', k, 'zero', clock())
end
return total
`

/** ARGV prefix, agent, grace ms → {from, to, v, sites, ms still to wait}. */
export const SETTLE = `${COMMON}
local k = key(ARGV[2])
local from = state(k)
local to, wait = settle(k, clock(), tonumber(ARGV[3]))
return { from, to, version(k), redis.call('HGET', k, 'sites') or '[]', wait }
`

/** ARGV prefix, agent, online | away → {from, to, v, sites}; an offline agent stays offline. */
export const STATUS = `${COMMON}
local k = key(ARGV[2])
local status = ARGV[3]
local from = state(k)
local sites = redis.call('HGET', k, 'sites') or '[]'
if from == 'offline' then return { from, from, version(k), sites } end
redis.call('HSET', k, 'chosen', status)
if from == status then return { from, from, version(k), sites } end
return { from, status, change(k, status), sites }
`

/**
 * The heartbeat: ARGV prefix, node, lapse ms, grace ms, JSON {agent: this node's sockets}. Renews
 * the node, re-asserts its counts (they may have been dropped while it could not reach Redis), drops
 * dead nodes, settles every agent, and returns the counter, then per agent
 * {id, from, to, v, sites, ms to wait} (agents not listed are offline).
 */
export const SWEEP = `${COMMON}
local node, lapse, grace = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = clock()
redis.call('ZADD', nodes, now + lapse, node)
redis.call('ZREMRANGEBYSCORE', nodes, '-inf', now)
for id, count in pairs(cjson.decode(ARGV[5])) do
  redis.call('SADD', agents, id)
  redis.call('HSET', key(id), 'n:' .. node, count)
end
local out = { redis.call('GET', prefix .. ':presence:version') or '0' }
for _, id in ipairs(redis.call('SMEMBERS', agents)) do
  local k = key(id)
  local from = state(k)
  local to, wait = from, 0
  if from == 'offline' and live(k, now) > 0 then
    to = 'online'
    change(k, 'online')
  else
    to, wait = settle(k, now, grace)
  end
  local sites = redis.call('HGET', k, 'sites') or '[]'
  local v = version(k)
  if to == 'offline' and live(k, now) == 0 then
    -- Nothing left to remember: the version counter keeps later changes newer.
    redis.call('DEL', k)
    redis.call('SREM', agents, id)
  end
  table.insert(out, id)
  table.insert(out, from)
  table.insert(out, to)
  table.insert(out, tostring(v))
  table.insert(out, sites)
  table.insert(out, tostring(wait))
end
return out
`

/** On shutdown: ARGV prefix, node, JSON [agent ids] → drops the node and its counts (the others settle them). */
export const DEPART = `${COMMON}
local node = ARGV[2]
redis.call('ZREM', nodes, node)
local now = clock()
for _, id in ipairs(cjson.decode(ARGV[3])) do
  local k = key(id)
  redis.call('HDEL', k, 'n:' .. node)
  if live(k, now) == 0 and state(k) ~= 'offline' and redis.call('HEXISTS', k, 'zero') == 0 then
    redis.call('HSET', k, 'zero', now)
  end
end
return 1
`
