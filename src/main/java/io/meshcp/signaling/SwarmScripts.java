package io.meshcp.signaling;

/**
 * The Lua scripts {@link RedisSwarms} keeps swarm membership with. Each runs on Redis in one step, and every score
 * comes from Redis's own clock.
 */
final class SwarmScripts {

    // Scores come from Redis's own clock (TIME), so clock skew between nodes cannot shorten or stretch a TTL.
    private static final String NOW = """
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            """;

    /** KEYS: a swarm's members, its stream's swarms. ARGV: TTL in ms, info hash, a member to remove or '', members. */
    static final LuaScript REGISTER = new LuaScript(NOW + """
            local expires = now + tonumber(ARGV[1])
            if ARGV[3] ~= '' then redis.call('ZREM', KEYS[1], ARGV[3]) end
            for i = 4, #ARGV do redis.call('ZADD', KEYS[1], expires, ARGV[i]) end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[2], expires, ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return 1
            """);

    /** KEYS: a swarm's members. The members that have not expired. */
    static final LuaScript MEMBERS = new LuaScript(NOW + """
            return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
            """);

    /** KEYS: a stream's swarms. ARGV: the prefix of its swarms' member keys. Live members of all its swarms. */
    static final LuaScript STREAM_PEERS = new LuaScript(NOW + """
            local total = 0
            for _, hash in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
              total = total + redis.call('ZCOUNT', ARGV[1] .. hash, now, '+inf')
            end
            return total
            """);

    /** KEYS: a stream's swarms. ARGV: the prefix of its swarms' member keys. Each live member as "hash member". */
    static final LuaScript STREAM_MEMBERS = new LuaScript(NOW + """
            local members = {}
            for _, hash in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
              for _, member in ipairs(redis.call('ZRANGEBYSCORE', ARGV[1] .. hash, now, '+inf')) do
                members[#members + 1] = hash .. ' ' .. member
              end
            end
            return members
            """);

    private SwarmScripts() {
    }
}
