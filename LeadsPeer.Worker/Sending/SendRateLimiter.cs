using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadsPeer.Worker.Sending;

/// <summary>
/// Meta's two limits, shared by every Worker replica through Redis token buckets: messages per
/// second per business number (over it: 130429) and pacing per recipient (bursts, then about one
/// every 6 s; over it: 131056). Answers how long to wait; zero means "send now" and spends a
/// token of both buckets.
/// </summary>
public sealed partial class SendRateLimiter(IConnectionMultiplexer redis, IOptions<ChannelOptions> options, TimeProvider time, ILogger<SendRateLimiter> logger)
{
    // Both buckets refill continuously; a send needs a token in each and takes both at once.
    private static readonly LuaScript Script = LuaScript.Prepare("""
        local function level(key, rate, capacity, now)
          local b = redis.call('HMGET', key, 't', 'ts')
          local tokens = tonumber(b[1]) or capacity
          local ts = tonumber(b[2]) or now
          return math.min(capacity, tokens + math.max(0, now - ts) * rate)
        end
        local now = tonumber(@now)
        local n = level(@numberKey, tonumber(@numberRate), tonumber(@numberCapacity), now)
        local r = level(@recipientKey, tonumber(@recipientRate), tonumber(@recipientCapacity), now)
        local wait = 0
        if n < 1 then wait = math.max(wait, math.ceil((1 - n) / tonumber(@numberRate))) end
        if r < 1 then wait = math.max(wait, math.ceil((1 - r) / tonumber(@recipientRate))) end
        if wait == 0 then n = n - 1; r = r - 1 end
        redis.call('HSET', @numberKey, 't', n, 'ts', now)
        redis.call('PEXPIRE', @numberKey, 60000)
        redis.call('HSET', @recipientKey, 't', r, 'ts', now)
        redis.call('PEXPIRE', @recipientKey, 3600000)
        return wait
        """);

    public async Task<TimeSpan> AcquireAsync(string phoneNumberId, string recipient)
    {
        var settings = options.Value;
        try
        {
            var wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(Script, new
            {
                now = time.GetUtcNow().ToUnixTimeMilliseconds(),
                numberKey = (RedisKey)$"leadspeer:rate:number:{phoneNumberId}",
                numberRate = settings.MessagesPerSecondPerNumber / 1000.0,
                numberCapacity = settings.MessagesPerSecondPerNumber,
                recipientKey = (RedisKey)$"leadspeer:rate:recipient:{phoneNumberId}:{Hash(recipient)}",
                recipientRate = 1.0 / settings.RecipientInterval.TotalMilliseconds,
                recipientCapacity = settings.RecipientBurst,
            });
            return TimeSpan.FromMilliseconds(wait);
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            // Without Redis nothing is dispatched either, so this is a send already under way:
            // let it go; Meta's own limit answers 130429, which is retried.
            LogUnavailable(logger, ex.GetType().Name);
            return TimeSpan.Zero;
        }
    }

    // Phone numbers are personal data: keys carry a hash, never the number.
    private static string Hash(string recipient) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(recipient)))[..24];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send rate limits unavailable ({Reason}); sending unpaced")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
