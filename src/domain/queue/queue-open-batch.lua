-- Assigns one batch of opening places: the users of places start+1 .. start+k, in order, go into
-- the line with score place - n - 1 (so -n .. -1: ahead of every arrival after the opening, whose
-- arrival number is >= 1), and the same index range of the sorted entrant ids is appended to the
-- published list. Applied at most once: it runs only when the opening's cursor equals `start`,
-- so two workers, or a worker resuming after a crash, never place a batch twice.
-- numberOfKeys: 5
-- KEYS[1] waiting     ZSET userId -> score
-- KEYS[2] seen        HASH userId -> last sign of life (ms)
-- KEYS[3] meta        HASH opening, openCursor, entrants
-- KEYS[4] entrantIds  LIST sorted entrant ids (published)
-- KEYS[5] entrants    SET the frozen pre-queue (deleted when the last batch is placed)
-- ARGV[1] now (ms), ARGV[2] start (places already assigned), ARGV[3] k (this batch's size)
-- ARGV[4 .. 3+k]      userIds of places start+1 .. start+k
-- ARGV[4+k .. 3+2k]   entrant ids at sorted indexes start+1 .. start+k
-- Returns {applied, cursor after, done (1/0)}: applied 1 (APPLIED), or 0 (NOT_DUE) when this batch
-- was not due and nothing was written; OPEN_BATCH in queue.scripts.ts
local m = redis.call('HMGET', KEYS[3], 'opening', 'openCursor', 'entrants')
local start, k, n = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(m[3] or '0')
local cursor = tonumber(m[2] or '0')
if m[1] ~= 'started' or cursor ~= start or start + k > n then
  return {0, cursor, m[1] == 'done' and 1 or 0}
end
-- ZADD / HSET / RPUSH in chunks: one command per 500 entries rather than per fan, and unpack()
-- stays far below Lua's C stack limit (about 8,000 values).
local CHUNK = 500
for from = 0, k - 1, CHUNK do
  local to = math.min(k - 1, from + CHUNK - 1)
  local scored, seen, ids = {}, {}, {}
  for i = from, to do
    local u = ARGV[4 + i]
    scored[#scored + 1] = start + i + 1 - n - 1
    scored[#scored + 1] = u
    seen[#seen + 1] = u
    seen[#seen + 1] = ARGV[1]
    ids[#ids + 1] = ARGV[4 + k + i]
  end
  redis.call('ZADD', KEYS[1], unpack(scored))
  redis.call('HSET', KEYS[2], unpack(seen))
  redis.call('RPUSH', KEYS[4], unpack(ids))
end
cursor = start + k
local done = 0
if cursor >= n then
  done = 1
  redis.call('HSET', KEYS[3], 'opening', 'done', 'openCursor', cursor)
  redis.call('UNLINK', KEYS[5])
else
  redis.call('HSET', KEYS[3], 'openCursor', cursor)
end
return {1, cursor, done}
