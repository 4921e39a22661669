-- Ends a user's place in a waiting room, waiting, active or in the pre-queue (leaving, or a
-- completed payment, which frees the admission slot at once).
-- numberOfKeys: 6
-- KEYS[1] waiting, KEYS[2] seen, KEYS[3] active, KEYS[4] activeSeen, KEYS[5] activeSeq, KEYS[6] pre
-- ARGV[1] userId
-- ARGV[2] the seq of the place that must be the current one (0: the pre-queue place, before or
--         after the opening), or '' for whatever is current
-- Returns 1 if a place was ended, 0 if the user had none (or another one)
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
