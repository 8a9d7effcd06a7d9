using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Health;

/// <summary>
/// A hung Redis (frozen with SIGSTOP: its connections stay open and nothing answers) is the same
/// outage as a stopped one (refused), through the Api's real endpoints: what is committed to PostgreSQL is answered at once, and the hints
/// wait for the sweeper. This class owns its Redis: freezing the assembly's shared one would
/// stall every other test.
/// </summary>
public sealed class HungRedisTests(TestStores stores) : IAsyncLifetime
{
    private const string Customer = "16505550199";

    /// <summary>Meta waits for an answer; ours must come well inside it, with room for a loaded machine.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    /// <summary>The Redis client's connect timeout: a request that made the connection would take at least this long.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    private RedisServer _redis = null!;
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private HttpClient _meta = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _api = new ApiFactory(await stores.CreateMigratedDatabaseAsync(), _redis.ConnectionString);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Frozen Yoghurt", "owner@frozen.example");
        _meta = _api.CreateClient();
    }

    [Fact]
    public async Task With_Redis_hung_a_webhook_is_stored_and_answered_200_promptly_and_an_operator_reply_is_accepted_once()
    {
        using var sandbox = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        sandbox.EnsureSuccessStatusCode();
        var phoneNumberId = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("phoneNumberId").GetString()!;
        // The first webhook while Redis answers: the connection to it is open when it freezes.
        using (var first = await _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(MetaPayloads.Text(phoneNumberId, Customer, MetaPayloads.NewWamid(), "Hello")), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        _redis.Freeze();
        try
        {
            var answers = new List<(HttpStatusCode Status, TimeSpan Took)>();
            var wamids = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                var wamid = MetaPayloads.NewWamid();
                wamids.Add(wamid);
                var clock = Stopwatch.StartNew();
                using var response = await _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(MetaPayloads.Text(phoneNumberId, Customer, wamid, $"Are you open today? ({i})")), Ct);
                answers.Add((response.StatusCode, clock.Elapsed));
            }

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
            Assert.All(answers, a => Assert.True(a.Took < Prompt, $"answered after {a.Took.TotalSeconds:0.0} s"));
            foreach (var wamid in wamids)
            {
                Assert.Equal(1, await _db.CountAsync("messages", "wa_message_id = $1", wamid));
            }

            // The turn's reply work is recorded in PostgreSQL for the sweeper, dispatch or not.
            Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Reply' AND state = 'Pending'"));

            var conversation = await _db.ScalarAsync<Guid>("SELECT id FROM conversations");
            var clockClaim = Stopwatch.StartNew();
            using (var claim = await _owner.PostAsync($"/api/conversations/{conversation}/claim", null, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
            }

            using var reply = await _owner.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Yes, until six." }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
            Assert.True(clockClaim.Elapsed < 2 * Prompt, $"claim and reply took {clockClaim.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(1, await _db.CountAsync("messages", "direction = 'Outbound' AND text = $1 AND status = 'Pending'", "Yes, until six."));
            Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Send' AND state = 'Pending'"));
        }
        finally
        {
            _redis.Thaw();
        }
    }

    [Fact]
    public async Task With_Redis_stopped_a_webhook_is_stored_and_answered_200_promptly_through_the_api()
    {
        using var sandbox = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var phoneNumberId = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("phoneNumberId").GetString()!;
        await _redis.StopAsync(); // refused: nothing listens on its port

        var wamid = MetaPayloads.NewWamid();
        var clock = Stopwatch.StartNew();
        using var response = await _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(MetaPayloads.Text(phoneNumberId, Customer, wamid, "Are you open today?")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < Prompt, $"answered after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(1, await _db.CountAsync("messages", "wa_message_id = $1", wamid));
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Reply' AND state = 'Pending'"));
    }

    [Fact]
    public async Task With_Redis_down_since_the_api_started_the_first_webhook_is_answered_200_promptly()
    {
        // Nothing ever listened here: the connection is made (and fails) at start-up, never inside a request.
        await using var api = new ApiFactory(await stores.CreateMigratedDatabaseAsync(), $"127.0.0.1:{Ports.Free()}");
        using var meta = api.CreateClient(); // the host has started

        // Every request, the first ones included, is prompt: none of them makes the connection,
        // which would wait out its connect timeout (3 s). Each is timed on its own: signing up
        // hashes a password, slow on a busy machine, and says nothing about Redis.
        var clock = Stopwatch.StartNew();
        using var owner = await api.SignUpAsync("Cold Start", "owner@cold.example");
        var signUp = clock.Elapsed;
        clock.Restart();
        using var sandbox = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var phoneNumberId = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("phoneNumberId").GetString()!;
        var number = clock.Elapsed;
        clock.Restart();
        using var response = await meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(MetaPayloads.Text(phoneNumberId, Customer, MetaPayloads.NewWamid(), "Hello?")), Ct);
        var webhook = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(webhook < Prompt, $"the webhook was answered after {webhook.TotalSeconds:0.0} s");
        Assert.True(signUp < ConnectTimeout && number < ConnectTimeout, $"signing up took {signUp.TotalSeconds:0.0} s, creating a number {number.TotalSeconds:0.0} s");
        Assert.Equal(1, await new Db(api.DatabaseConnectionString).CountAsync("messages"));
    }

    public async ValueTask DisposeAsync()
    {
        _meta.Dispose();
        _owner.Dispose();
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
