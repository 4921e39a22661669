-- Ends a user's place in a waiting room, waiting or active (leaving, or a completed payment,
-- which frees the admission slot at once).
-- numberOfKeys: 5
-- KEYS[1] waiting, KEYS[2] seen, KEYS[3] active, KEYS[4] activeSeen, KEYS[5] activeSeq
-- ARGV[1] userId
-- ARGV[2] the seq of the place that must be the current one, or '' for whatever is current
-- Returns 1 if a place was ended, 0 if the user had none (or another one)
local user, seq = ARGV[1], ARGV[2]
local s = redis.call('ZSCORE', KEYS[1], user)
if s and (seq == '' or tonumber(s) == tonumber(seq)) then
  redis.call('ZREM', KEYS[1], user)
  redis.call('HDEL', KEYS[2], user)
  return 1
end
local a = redis.call('HGET', KEYS[5], user)
if redis.call('ZSCORE', KEYS[3], user) and (seq == '' or tonumber(a or '0') == tonumber(seq)) then
  redis.call('ZREM', KEYS[3], user)
  redis.call('ZREM', KEYS[4], user)
  redis.call('HDEL', KEYS[5], user)
  return 1
end
return 0
