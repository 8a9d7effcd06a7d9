using LeadsPeer.Core.Data;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadsPeer.Core.Tests.Data;

public sealed class MigrationTests(TestStores stores)
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_a_second_run_changes_nothing()
    {
        var connectionString = await stores.CreateEmptyDatabaseAsync();

        await TestStores.MigrateAsync(connectionString);
        var schemaAfterFirstRun = await SchemaFingerprintAsync(connectionString);
        await TestStores.MigrateAsync(connectionString);
        var schemaAfterSecondRun = await SchemaFingerprintAsync(connectionString);

        await using var db = TestStores.CreateDbContext(connectionString);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Contains("knowledge_chunks", schemaAfterFirstRun);
        Assert.Equal(schemaAfterFirstRun, schemaAfterSecondRun);
    }

    [Fact]
    public async Task A_missing_database_is_created_before_migrating()
    {
        var empty = await stores.CreateEmptyDatabaseAsync();
        var missing = new NpgsqlConnectionStringBuilder(empty) { Database = $"missing_{Guid.NewGuid():N}" }.ConnectionString;

        await TestStores.MigrateAsync(missing);

        Assert.Contains("organizations", await SchemaFingerprintAsync(missing));
    }

    [Fact]
    public async Task Replicas_migrating_at_once_take_turns_and_both_succeed()
    {
        var connectionString = await stores.CreateEmptyDatabaseAsync();

        // Without the advisory lock both would try to create the same tables and one would fail.
        await Task.WhenAll(
            Task.Run(() => TestStores.MigrateAsync(connectionString), TestContext.Current.CancellationToken),
            Task.Run(() => TestStores.MigrateAsync(connectionString), TestContext.Current.CancellationToken),
            Task.Run(() => TestStores.MigrateAsync(connectionString), TestContext.Current.CancellationToken));

        await using var db = TestStores.CreateDbContext(connectionString);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var db = TestStores.CreateDbContext(await stores.CreateEmptyDatabaseAsync());

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration (dotnet ef migrations add).");
    }

    /// <summary>Every table, column, type and index, in a stable order.</summary>
    private static async Task<string> SchemaFingerprintAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT string_agg(line, E'\n' ORDER BY line) FROM (
                SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS line
                FROM information_schema.columns WHERE table_schema = 'public'
                UNION ALL
                SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
            ) schema
            """, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
