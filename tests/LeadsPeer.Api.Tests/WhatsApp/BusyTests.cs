using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;
using Npgsql;

namespace LeadsPeer.Api.Tests.WhatsApp;

/// <summary>
/// The webhook queue is bounded: when PostgreSQL falls far behind, a webhook is answered 503 at
/// once (Meta delivers it again) instead of the queue growing until the process runs out of memory.
/// </summary>
public sealed class BusyTests(TestStores stores) : IAsyncLifetime
{
    private const string Customer = "16505550142";
    private ApiFactory _api = null!;
    private HttpClient _meta = null!;
    private string _phoneNumberId = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.Settings["Channel:MaxQueuedWebhooks"] = "1";
        using var owner = await _api.SignUpAsync("Queue Cafe", "owner@queue.example");
        using var sandbox = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        sandbox.EnsureSuccessStatusCode();
        _phoneNumberId = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("phoneNumberId").GetString()!;
        _meta = _api.CreateClient();
    }

    [Fact]
    public async Task With_the_database_stalled_and_the_queue_full_a_webhook_is_answered_503_at_once_and_the_queued_ones_are_stored()
    {
        var writers = Math.Max(2, Environment.ProcessorCount);
        await using var blocker = new NpgsqlConnection(_api.DatabaseConnectionString);
        await blocker.OpenAsync(Ct);
        await using var stall = await blocker.BeginTransactionAsync(Ct);
        await using (var lockMessages = new NpgsqlCommand("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE", blocker, stall))
        {
            await lockMessages.ExecuteNonQueryAsync(Ct);
        }

        // Each writer takes a webhook and waits on the lock: one at a time, so that no writer takes
        // two in one group (the next is sent once the one before is seen waiting).
        var held = new List<Task<(HttpStatusCode Status, string? RetryAfter)>>();
        for (var i = 0; i < writers; i++)
        {
            held.Add(SendAsync($"held {i}"));
            var waiting = i + 1;
            await Eventually.TrueAsync(async () => await WaitingOnLocksAsync() >= waiting, $"{waiting} writer(s) wait on the lock");
        }

        // Two more: one fills the queue of one and waits; the other finds it full.
        var clock = Stopwatch.StartNew();
        var last = new[] { SendAsync("late 1"), SendAsync("late 2") };
        var first = await Task.WhenAny(last);
        var took = clock.Elapsed;
        var busy = await first;
        var queued = last.Single(t => t != first);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.Status);
        Assert.True(took < TimeSpan.FromSeconds(2), $"answered after {took.TotalSeconds:0.0} s");
        Assert.Equal("5", busy.RetryAfter);
        Assert.False(queued.IsCompleted);

        await stall.RollbackAsync(Ct);
        held.Add(queued);
        var answers = await Task.WhenAll(held);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var db = new Db(_api.DatabaseConnectionString);
        Assert.Equal(writers + 1, await db.CountAsync("messages", "direction = 'Inbound'"));
        Assert.Equal(writers + 1, await db.CountAsync("messages", "text LIKE 'held %' OR text LIKE 'late %'"));
        Assert.Equal(1, await db.CountAsync("messages", "text LIKE 'late %'"));
    }

    private async Task<(HttpStatusCode Status, string? RetryAfter)> SendAsync(string text)
    {
        using var response = await _meta.PostAsync("/webhooks/whatsapp",
            MetaPayloads.Signed(MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), text)), Ct);
        return (response.StatusCode, response.Headers.RetryAfter?.ToString());
    }

    private async Task<long> WaitingOnLocksAsync()
    {
        await using var connection = new NpgsqlConnection(_api.DatabaseConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        _meta.Dispose();
        await _api.DisposeAsync();
    }
}
