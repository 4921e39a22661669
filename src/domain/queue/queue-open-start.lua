-- Starts (or reports) the opening of a sale: freezes the pre-queue by renaming it to `entrants`
-- (O(1); joins from now on queue behind, in arrival order), and records how many places the
-- opening will assign. Idempotent: a second call, from another worker or after a crash, changes
-- nothing and reports where the opening stands (docs/fairness.md).
-- numberOfKeys: 3
-- KEYS[1] meta      HASH opening ('started' | 'done'), openCursor, entrants, openedAt
-- KEYS[2] pre       SET userIds in the pre-queue
-- KEYS[3] entrants  SET the frozen pre-queue
-- ARGV[1] now (ms)
-- Returns {opening ('started' | 'done'), cursor, entrants}: cursor = places already assigned
local m = redis.call('HMGET', KEYS[1], 'opening', 'openCursor', 'entrants')
if m[1] then return {m[1], tonumber(m[2] or '0'), tonumber(m[3] or '0')} end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[3]) end
local n = redis.call('SCARD', KEYS[3])
local state = 'started'
if n == 0 then state = 'done' end
redis.call('HSET', KEYS[1], 'opening', state, 'openCursor', 0, 'entrants', n, 'openedAt', ARGV[1])
return {state, 0, n}
