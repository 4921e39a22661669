-- Ends a user's place in a waiting room, waiting or active (leaving, or a completed payment,
-- which frees the admission slot at once).
-- numberOfKeys: 5
-- KEYS[1] waiting, KEYS[2] active, KEYS[3] seen, KEYS[4] tokens (userId -> token),
-- KEYS[5] ended (token -> when it ended)
-- ARGV[1] userId
-- ARGV[2] now (ms)
-- ARGV[3] token that must be the current one, or '' for whatever is current
-- Returns 1 if a place was ended, 0 if the user had none (or a different token)
local user = ARGV[1]
local current = redis.call('HGET', KEYS[4], user)
if not current then return 0 end
if ARGV[3] ~= '' and current ~= ARGV[3] then return 0 end
redis.call('ZREM', KEYS[1], user)
redis.call('ZREM', KEYS[2], user)
redis.call('ZREM', KEYS[3], user)
redis.call('HDEL', KEYS[4], user)
redis.call('ZADD', KEYS[5], ARGV[2], current)
return 1
