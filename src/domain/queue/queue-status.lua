-- Reads a token's state and, for a waiting user, records the poll (waiting users who stop polling
-- drop out at the next admission tick).
-- numberOfKeys: 6
-- KEYS[1] waiting  ZSET  userId -> arrival sequence number
-- KEYS[2] active   ZSET  userId -> active-until (ms)
-- KEYS[3] seen     ZSET  userId -> last poll (ms)
-- KEYS[4] tokens   HASH  userId -> current token
-- KEYS[5] owners   HASH  token  -> userId
-- KEYS[6] stats    HASH  rate -> measured admissions per second
-- ARGV[1] token, ARGV[2] userId of the caller, ARGV[3] now (ms)
-- Returns {state, position, activeUntil, rate, waitingCount}
--   state -1 = unknown token, -2 = token of another user, 1 = WAITING, 2 = ACTIVE, 3 = EXPIRED
local token, caller, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local owner = redis.call('HGET', KEYS[5], token)
if not owner then return {-1, 0, 0, '0', 0} end
if owner ~= caller then return {-2, 0, 0, '0', 0} end
if redis.call('HGET', KEYS[4], owner) ~= token then return {3, 0, 0, '0', 0} end
local untilMs = redis.call('ZSCORE', KEYS[2], owner)
if untilMs then
  if tonumber(untilMs) > now then return {2, 0, untilMs, '0', 0} end
  return {3, 0, 0, '0', 0}
end
local rank = redis.call('ZRANK', KEYS[1], owner)
if not rank then return {3, 0, 0, '0', 0} end
redis.call('ZADD', KEYS[3], now, owner)
return {1, rank + 1, 0, redis.call('HGET', KEYS[6], 'rate') or '0', redis.call('ZCARD', KEYS[1])}
