using LeadsPeer.Core.Data;
using LeadsPeer.Core.Idempotency;
using LeadsPeer.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LeadsPeer.Core.Tests.Idempotency;

/// <summary>The key's lifecycle on real PostgreSQL: reserved, answered, released, broken off, expired and purged.</summary>
public sealed class IdempotencyKeysTests(TestStores stores)
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly IdempotencyOptions _options = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_answered_key_replays_its_answer_and_refuses_another_request()
    {
        var (keys, _, tenant) = await CreateAsync();
        Assert.Equal(ReservationKind.Reserved, (await keys.ReserveAsync(tenant, "k", "request-a", Ct)).Kind);
        await keys.CompleteAsync(tenant, "k", new StoredAnswer(201, "application/json", "/api/x/1", "{\"id\":1}"u8.ToArray()), Ct);

        var again = await keys.ReserveAsync(tenant, "k", "request-a", Ct);
        var other = await keys.ReserveAsync(tenant, "k", "request-b", Ct);

        Assert.Equal(ReservationKind.Answered, again.Kind);
        Assert.Equal((201, "application/json", "/api/x/1", "{\"id\":1}"),
            (again.Answer!.StatusCode, again.Answer.ContentType, again.Answer.Location, System.Text.Encoding.UTF8.GetString(again.Answer.Body)));
        Assert.Equal(ReservationKind.Mismatch, other.Kind);
    }

    [Fact]
    public async Task A_reservation_without_an_answer_is_in_progress_then_interrupted_and_a_broken_off_one_is_interrupted_at_once()
    {
        var (keys, _, tenant) = await CreateAsync();
        await keys.ReserveAsync(tenant, "running", "r", Ct);
        await keys.ReserveAsync(tenant, "threw", "r", Ct);
        await keys.AbandonAsync(tenant, "threw", Ct);

        Assert.Equal(ReservationKind.InProgress, (await keys.ReserveAsync(tenant, "running", "r", Ct)).Kind);
        Assert.Equal(ReservationKind.Interrupted, (await keys.ReserveAsync(tenant, "threw", "r", Ct)).Kind);

        // Its process died mid-request: after a while it is no longer "in progress", and never run again.
        _clock.Advance(_options.InterruptedAfter);
        Assert.Equal(ReservationKind.Interrupted, (await keys.ReserveAsync(tenant, "running", "r", Ct)).Kind);

        // An answer recorded late does not overwrite a broken-off key's mark.
        await keys.CompleteAsync(tenant, "threw", new StoredAnswer(200, null, null, []), Ct);
        Assert.Equal(ReservationKind.Interrupted, (await keys.ReserveAsync(tenant, "threw", "r", Ct)).Kind);
    }

    [Fact]
    public async Task A_released_key_is_free_and_an_expired_one_is_reserved_again_then_purged()
    {
        var (keys, db, tenant) = await CreateAsync();
        await keys.ReserveAsync(tenant, "refused", "r", Ct);
        await keys.ReleaseAsync(tenant, "refused", Ct);
        Assert.Equal(ReservationKind.Reserved, (await keys.ReserveAsync(tenant, "refused", "other", Ct)).Kind);

        await keys.ReserveAsync(tenant, "old", "r", Ct);
        await keys.CompleteAsync(tenant, "old", new StoredAnswer(202, null, null, []), Ct);
        _clock.Advance(_options.KeyLifetime);
        Assert.Equal(ReservationKind.Reserved, (await keys.ReserveAsync(tenant, "old", "new request", Ct)).Kind);

        // "refused" was reserved a lifetime ago and is expired now; "old" was just reserved again.
        Assert.Equal(1, await keys.PurgeExpiredAsync(100, Ct));
        Assert.Equal(["old"], (await db.RowsAsync("SELECT key FROM idempotency_keys")).Select(r => (string)r[0]!));
    }

    private async Task<(IdempotencyKeys Keys, Db Db, Guid Tenant)> CreateAsync()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        var keys = new IdempotencyKeys(DataExtensions.BuildDataSource(connectionString), _clock, Options.Create(_options));
        var db = new Db(connectionString);
        var tenant = Guid.NewGuid();
        await db.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES ($1, 'Keys Test', now())", tenant);
        return (keys, db, tenant);
    }
}
