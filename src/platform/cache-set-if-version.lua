-- Stores a loaded cache value only if no invalidation bumped the key's version while the loader
-- was reading, so a read that raced a write cannot park a stale value for the whole TTL.
-- numberOfKeys: 2
-- KEYS[1] the value key (string)
-- KEYS[2] the value's version counter (string; absent means version '0')
-- ARGV[1] the version read before loading
-- ARGV[2] the value
-- ARGV[3] TTL of the value (ms)
-- Returns 1 (STORED) when stored, 0 (VERSION_MOVED) when the version moved (nothing written)
local v = redis.call('GET', KEYS[2]) or '0'
if v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
