using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Privacy;

/// <summary>
/// An organisation export is requested by an Owner only, handed out once (the file deleted as it
/// goes), and gone (410) when used again or expired.
/// </summary>
public sealed class ExportDownloadTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Export Eats", "owner@export.example");
    }

    [Fact]
    public async Task A_request_queues_one_export_and_a_second_while_it_runs_is_a_conflict()
    {
        using var first = await _owner.PostAsync("/api/organization/export", null, Ct);
        using var second = await _owner.PostAsync("/api/organization/export", null, Ct);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode));
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'ExportOrganization' AND subject_id = $1", id));
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'organization.export'"));
        using var early = await _owner.GetAsync($"/api/organization/exports/{id}/download", Ct);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
    }

    [Fact]
    public async Task A_ready_export_is_downloaded_once_and_then_or_after_expiry_is_gone()
    {
        var tenant = await _db.ScalarAsync<Guid>("SELECT id FROM organizations");
        var (ready, expired) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var now = _api.Clock.GetUtcNow();
        foreach (var (id, expires) in new[] { (ready, now.AddHours(1)), (expired, now.AddMinutes(-1)) })
        {
            await _db.ExecuteAsync("""
                INSERT INTO organization_exports (id, tenant_id, state, progress, content, size, created_at, ready_at, expires_at)
                VALUES ($1, $2, 'Ready', 100, '\x504b0506', 4, $3, $3, $4)
                """, id, tenant, now.AddHours(-1), expires);
        }

        using var download = await _owner.GetAsync($"/api/organization/exports/{ready}/download", Ct);
        using var again = await _owner.GetAsync($"/api/organization/exports/{ready}/download", Ct);
        using var late = await _owner.GetAsync($"/api/organization/exports/{expired}/download", Ct);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x50, 0x4b, 0x05, 0x06], await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.Gone), (again.StatusCode, late.StatusCode));
        Assert.Equal(0, await _db.CountAsync("organization_exports", "id = $1 AND (content IS NOT NULL OR state <> 'Downloaded')", ready));
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'organization.export.download'"));
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
