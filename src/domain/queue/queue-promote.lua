-- One admission tick for one concert, atomically: retire actives whose time ran out, drop waiting
-- users who stopped polling, forget long-ended tokens, then admit the oldest waiting users into the
-- free capacity. Being one script, two overlapping ticks can never over-admit.
-- Each admission is appended to a Redis stream in the same step, so the queue.admitted event
-- survives a Kafka outage and is relayed later, in order.
-- numberOfKeys: 8
-- KEYS[1] waiting  ZSET  userId -> arrival sequence number
-- KEYS[2] active   ZSET  userId -> active-until (ms)
-- KEYS[3] seen     ZSET  userId -> last poll (ms)
-- KEYS[4] tokens   HASH  userId -> current token
-- KEYS[5] ended    ZSET  token  -> when it ended (ms)
-- KEYS[6] owners   HASH  token  -> userId
-- KEYS[7] stats    HASH  rate (admissions/s, smoothed), at (last tick ms)
-- KEYS[8] events   STREAM of admissions not yet relayed to Kafka
-- ARGV[1] now (ms)
-- ARGV[2] maxActive
-- ARGV[3] active TTL (ms)
-- ARGV[4] idle cut-off (ms): waiting users last seen at or before this drop out
-- ARGV[5] forget cut-off (ms): tokens that ended at or before this are forgotten
-- ARGV[6] concertId (for the event)
-- Returns {admitted, expiredActives, droppedIdle, waitingCount, activeCount}
local now = tonumber(ARGV[1])

local function retire(user)
  local t = redis.call('HGET', KEYS[4], user)
  if t then
    redis.call('HDEL', KEYS[4], user)
    redis.call('ZADD', KEYS[5], now, t)
  end
end

local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, u in ipairs(expired) do retire(u) end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end

local idle = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
for _, u in ipairs(idle) do
  redis.call('ZREM', KEYS[1], u)
  retire(u)
end
if #idle > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[4]) end

local forgotten = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', ARGV[5])
for _, t in ipairs(forgotten) do redis.call('HDEL', KEYS[6], t) end
if #forgotten > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', ARGV[5]) end

local hadDemand = redis.call('ZCARD', KEYS[1]) > 0
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[2])
local admitted = 0
if free > 0 and hadDemand then
  local popped = redis.call('ZPOPMIN', KEYS[1], free)
  local untilMs = now + tonumber(ARGV[3])
  for i = 1, #popped, 2 do
    local u = popped[i]
    redis.call('ZADD', KEYS[2], untilMs, u)
    redis.call('ZREM', KEYS[3], u)
    redis.call('XADD', KEYS[8], '*', 'concertId', ARGV[6], 'userId', u, 'activeUntil', untilMs, 'occurredAt', now)
    admitted = admitted + 1
  end
end

-- The measured admission rate feeds the waiting users' ETA. Only ticks with people waiting count:
-- an empty line says nothing about how fast the line moves.
if hadDemand then
  local at = tonumber(redis.call('HGET', KEYS[7], 'at') or '0')
  local rate = tonumber(redis.call('HGET', KEYS[7], 'rate') or '-1')
  if at > 0 and now > at then
    local instant = admitted * 1000 / (now - at)
    if rate < 0 then rate = instant else rate = 0.7 * rate + 0.3 * instant end
    redis.call('HSET', KEYS[7], 'rate', tostring(rate))
  end
end
redis.call('HSET', KEYS[7], 'at', now)

return {admitted, #expired, #idle, redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2])}
