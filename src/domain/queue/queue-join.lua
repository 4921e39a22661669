-- Joins a concert's waiting room, atomically and idempotently: a user who is already waiting or
-- active gets their existing token back; otherwise they go to the back of the line.
-- numberOfKeys: 7
-- KEYS[1] waiting  ZSET  userId -> arrival sequence number
-- KEYS[2] active   ZSET  userId -> active-until (ms)
-- KEYS[3] seen     ZSET  userId -> last poll (ms), waiting users only
-- KEYS[4] tokens   HASH  userId -> the user's current token
-- KEYS[5] owners   HASH  token  -> userId (every token not yet forgotten)
-- KEYS[6] seq      STRING arrival counter
-- KEYS[7] ended    ZSET  token  -> when it ended (ms), for later forgetting
-- ARGV[1] userId
-- ARGV[2] a fresh token, used only when the user has no live one
-- ARGV[3] now (ms)
-- Returns {state, token, position, activeUntil, created}
--   state 1 = WAITING (position is 1-based), 2 = ACTIVE (position 0); created 1 if a new place was made
local user, fresh, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local current = redis.call('HGET', KEYS[4], user)
if current then
  local untilMs = redis.call('ZSCORE', KEYS[2], user)
  if untilMs and tonumber(untilMs) > now then
    return {2, current, 0, untilMs, 0}
  end
  local rank = redis.call('ZRANK', KEYS[1], user)
  if rank then
    redis.call('ZADD', KEYS[3], now, user)
    return {1, current, rank + 1, 0, 0}
  end
  -- Its active time ran out but the promoter has not swept it yet: end it now, issue a new one.
  redis.call('ZREM', KEYS[2], user)
  redis.call('ZADD', KEYS[7], now, current)
end
local seq = redis.call('INCR', KEYS[6])
redis.call('ZADD', KEYS[1], seq, user)
redis.call('ZADD', KEYS[3], now, user)
redis.call('HSET', KEYS[4], user, fresh)
redis.call('HSET', KEYS[5], fresh, user)
return {1, fresh, redis.call('ZRANK', KEYS[1], user) + 1, 0, 1}
