-- Ends a user's place in a waiting room, waiting, active or in the pre-queue (leaving, or a
-- completed payment, which frees the admission slot at once).
-- numberOfKeys: 6
-- KEYS[1] waiting     ZSET userId -> arrival sequence number
-- KEYS[2] seen        HASH userId -> last sign of life (ms)
-- KEYS[3] active      ZSET userId -> active-until (ms)
-- KEYS[4] activeSeen  ZSET userId -> last request (ms)
-- KEYS[5] activeSeq   HASH userId -> seq of the admitted place
-- KEYS[6] pre         SET userIds in the pre-queue
-- ARGV[1] userId
-- ARGV[2] the seq of the place that must be the current one (0: the pre-queue place, before or
--         after the opening), or '' for whatever is current
-- Returns 1 (ENDED) if a place was ended, 0 (NO_PLACE) if the user had none (or another one);
-- QUEUE_LEAVE in queue.scripts.ts
local user, seq = ARGV[1], ARGV[2]
local function same(s)
  if seq == '' then return true end
  local want, have = tonumber(seq), tonumber(s)
  return have == want or (want == 0 and have <= 0)
end
local s = redis.call('ZSCORE', KEYS[1], user)
if s and same(s) then
  redis.call('ZREM', KEYS[1], user)
  redis.call('HDEL', KEYS[2], user)
  return 1
end
local a = redis.call('HGET', KEYS[5], user)
if redis.call('ZSCORE', KEYS[3], user) and (seq == '' or (a and same(a))) then
  redis.call('ZREM', KEYS[3], user)
  redis.call('ZREM', KEYS[4], user)
  redis.call('HDEL', KEYS[5], user)
  return 1
end
if (seq == '' or seq == '0') and redis.call('SREM', KEYS[6], user) == 1 then return 1 end
return 0
