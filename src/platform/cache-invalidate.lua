-- Drops one cached value everywhere: bumps its version (so a load that raced this write does not
-- store what it read, see cache-set-if-version.lua), deletes the value and tells every process
-- to drop its in-process copy. One script instead of a MULTI: a MULTI makes ioredis build a
-- Pipeline object, which copies every script defined on the client (8.7 % of a worker's CPU in a
-- rush went to seat-map invalidations).
-- numberOfKeys: 2
-- KEYS[1] the value's version counter (string)
-- KEYS[2] the value key (string)
-- ARGV[1] the invalidation channel
-- ARGV[2] the cache key, as published
-- Returns the new version
local v = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], 86400000)
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return v
