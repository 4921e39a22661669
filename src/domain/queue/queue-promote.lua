-- One admission tick for one concert, atomically: retire actives whose time ran out or who went
-- idle, drop waiting users who gave no sign of life, record the inventory flags, then admit the
-- oldest waiting users into the free capacity. Being one script, two overlapping ticks can never
-- over-admit. Each sweep is bounded (ARGV[10]) so a tick costs the same whatever the line's length.
-- Each admission (and the sold-out transition) is appended to a Redis stream in the same step, so
-- its Kafka event survives a Kafka outage and is relayed later, in order.
-- The pre-queue (before the sale opens) is not in `waiting`: nobody in it can be admitted, and the
-- opening (queue-open-*.lua) gives its fans their places; this script only counts it.
-- numberOfKeys: 10
-- KEYS[1] waiting     ZSET userId -> arrival sequence number
-- KEYS[2] seen        HASH userId -> last sign of life (ms)
-- KEYS[3] active      ZSET userId -> active-until (ms)
-- KEYS[4] activeSeen  ZSET userId -> last request (ms)
-- KEYS[5] activeSeq   HASH userId -> seq of the admitted place
-- KEYS[6] seq         STRING arrival counter
-- KEYS[7] meta        HASH epoch, paused, soldOut, allHeld, rate, at, allowance, ceiling, sweep (HSCAN cursor), admitted (total)
-- KEYS[8] events      STREAM of events not yet relayed to Kafka
-- KEYS[9] pre         SET the pre-queue
-- KEYS[10] entrants   SET the frozen pre-queue while the opening assigns its places
-- ARGV[1]  now (ms)
-- ARGV[2]  ceiling: most fans ACTIVE at once (maxActive, and the inventory cap)
-- ARGV[3]  active TTL (ms)
-- ARGV[4]  waiting idle cut-off (ms): waiting users last seen at or before this drop out
-- ARGV[5]  active idle cut-off (ms): active users whose last request was at or before this lose the slot
-- ARGV[6]  admission rate cap (fans/s), 0 = none
-- ARGV[7]  soldOut: 1 / 0, or -1 = unknown (leave the flag as it is)
-- ARGV[8]  allHeld: 1 / 0, or -1 = unknown
-- ARGV[9]  concertId (for the events)
-- ARGV[10] most entries each sweep handles per tick
-- ARGV[11] 1 = admit nobody this tick (the inventory could not be read, or the sale has not opened)
-- Returns {admitted, expiredActives, idleActives, droppedIdle, waiting, active, headSeq, tailSeq,
--          paused, soldOut, allHeld, rate, ceiling, preQueue}
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[10])

local function endActive(u)
  redis.call('ZREM', KEYS[3], u)
  redis.call('ZREM', KEYS[4], u)
  redis.call('HDEL', KEYS[5], u)
end

local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, limit)
for _, u in ipairs(expired) do endActive(u) end
local idleActive = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[5], 'LIMIT', 0, limit)
for _, u in ipairs(idleActive) do endActive(u) end
-- Waiting fans' signs of life are a hash (about half the memory of a sorted set per fan), swept
-- incrementally: each tick scans about ARGV[10] entries from where the last one stopped, so a
-- line of N fans is swept once every N / ARGV[10] ticks whatever its length.
local scan = redis.call('HSCAN', KEYS[2], redis.call('HGET', KEYS[7], 'sweep') or '0', 'COUNT', limit)
redis.call('HSET', KEYS[7], 'sweep', scan[1])
local idleCutoff = tonumber(ARGV[4])
local idle = {}
for i = 1, #scan[2], 2 do
  if tonumber(scan[2][i + 1]) <= idleCutoff then
    local u = scan[2][i]
    redis.call('ZREM', KEYS[1], u)
    redis.call('HDEL', KEYS[2], u)
    idle[#idle + 1] = u
  end
end

local m = redis.call('HMGET', KEYS[7], 'paused', 'soldOut', 'allHeld', 'rate', 'at', 'allowance')
local paused, soldOut, allHeld = m[1] or '0', m[2] or '0', m[3] or '0'
if ARGV[7] ~= '-1' then
  if ARGV[7] == '1' and soldOut ~= '1' then
    redis.call('XADD', KEYS[8], '*', 'type', 'sold_out', 'concertId', ARGV[9], 'occurredAt', now)
  end
  soldOut = ARGV[7]
  redis.call('HSET', KEYS[7], 'soldOut', soldOut)
end
if ARGV[8] ~= '-1' then
  allHeld = ARGV[8]
  redis.call('HSET', KEYS[7], 'allHeld', allHeld)
end

local hadDemand = redis.call('ZCARD', KEYS[1]) > 0
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[3])
if paused == '1' or soldOut == '1' or ARGV[11] == '1' then free = 0 end

-- Outflow cap: a token bucket of at most one second's worth of admissions.
local rateCap = tonumber(ARGV[6])
local at = tonumber(m[5] or '0')
local allowance = 0
if rateCap > 0 then
  allowance = tonumber(m[6] or tostring(rateCap))
  if at > 0 and now > at then allowance = allowance + rateCap * (now - at) / 1000 end
  allowance = math.min(allowance, math.max(rateCap, 1))
  if free > math.floor(allowance) then free = math.floor(allowance) end
end

local admitted = 0
if free > 0 and hadDemand then
  local popped = redis.call('ZPOPMIN', KEYS[1], free)
  local untilMs = now + tonumber(ARGV[3])
  for i = 1, #popped, 2 do
    local u = popped[i]
    redis.call('ZADD', KEYS[3], untilMs, u)
    redis.call('ZADD', KEYS[4], now, u)
    redis.call('HSET', KEYS[5], u, popped[i + 1])
    redis.call('HDEL', KEYS[2], u)
    redis.call('XADD', KEYS[8], '*', 'type', 'admitted', 'concertId', ARGV[9], 'userId', u, 'activeUntil', untilMs, 'occurredAt', now)
    admitted = admitted + 1
  end
  -- Admissions ever made, for the organizer's funnel (the stream above is trimmed as it is relayed).
  if admitted > 0 then redis.call('HINCRBY', KEYS[7], 'admitted', admitted) end
end
if rateCap > 0 then redis.call('HSET', KEYS[7], 'allowance', tostring(allowance - admitted)) end

-- The measured admission rate feeds the waiting users' ETA and pacing. Only ticks with people
-- waiting and admission possible count: an empty, paused or sold-out line says nothing about how
-- fast the line moves.
local rate = tonumber(m[4] or '-1')
if hadDemand and paused ~= '1' and soldOut ~= '1' and ARGV[11] ~= '1' and at > 0 and now > at then
  local instant = admitted * 1000 / (now - at)
  if rate < 0 then rate = instant else rate = 0.7 * rate + 0.3 * instant end
  redis.call('HSET', KEYS[7], 'rate', tostring(rate))
end
redis.call('HSET', KEYS[7], 'at', now, 'ceiling', ARGV[2])

local tail = tonumber(redis.call('GET', KEYS[6]) or '0')
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local headSeq = tail + 1
if head[2] then headSeq = tonumber(head[2]) end
return {admitted, #expired, #idleActive, #idle, redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[3]), headSeq, tail,
  tonumber(paused), tonumber(soldOut), tonumber(allHeld), tostring(math.max(rate, 0)), tonumber(ARGV[2]),
  redis.call('SCARD', KEYS[9]) + redis.call('SCARD', KEYS[10])}
