using LeadsPeer.Core.Data;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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

    [Fact]
    public async Task Partitioning_the_chunks_by_tenant_keeps_every_chunk_and_the_index_of_each_dimension_in_use_and_reverts()
    {
        var connectionString = await stores.CreateEmptyDatabaseAsync();
        await using var db = TestStores.CreateDbContext(connectionString);
        var migrator = db.GetService<IMigrator>();
        var ct = TestContext.Current.CancellationToken;
        await migrator.MigrateAsync("20261127120630_Knowledge", ct);
        var tenant = Guid.NewGuid();
        var document = Guid.NewGuid();
        await ExecuteAsync(connectionString, $"""
            INSERT INTO organizations (id, name, created_at) VALUES ('{tenant}', 'Before Partitioning', now());
            INSERT INTO knowledge_documents (id, tenant_id, file_name, content_type, size_bytes, state, created_at, updated_at)
                VALUES ('{document}', '{tenant}', 'manual.md', 'text/markdown', 10, 'Indexed', now(), now());
            INSERT INTO knowledge_chunks (id, tenant_id, document_id, ordinal, content, embedding, embedding_dimensions, embedding_model, token_count)
                SELECT gen_random_uuid(), '{tenant}', '{document}', n, 'passage ' || n || ' about the warranty',
                    array_fill(n::real, ARRAY[384])::vector, 384, 'all-MiniLM-L6-v2', 5 FROM generate_series(1, 3) n;
            INSERT INTO knowledge_chunks (id, tenant_id, document_id, ordinal, content, embedding, embedding_dimensions, embedding_model, token_count)
                VALUES (gen_random_uuid(), '{tenant}', '{document}', 4, 'a passage of another model', array_fill(1::real, ARRAY[8])::vector, 8, 'tiny-8', 5);
            CREATE INDEX ix_knowledge_chunks_embedding_8 ON knowledge_chunks USING hnsw ((embedding::vector(8)) vector_cosine_ops) WHERE embedding_dimensions = 8;
            """);
        const string Chunks = "SELECT string_agg(ordinal || ':' || embedding::text || ':' || search_vector::text, E'\n' ORDER BY ordinal) FROM knowledge_chunks";
        var before = await ScalarAsync(connectionString, Chunks);

        await migrator.MigrateAsync(cancellationToken: ct);
        var partitioned = await ScalarAsync(connectionString, "SELECT count(*)::text FROM pg_inherits WHERE inhparent = 'knowledge_chunks'::regclass");
        var afterUp = await ScalarAsync(connectionString, Chunks);
        var indexes = await ScalarAsync(connectionString, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'knowledge_chunks' AND indexname LIKE 'ix_knowledge_chunks_embedding_%'");
        await ExecuteAsync(connectionString, $"DELETE FROM knowledge_documents WHERE id = '{document}'");
        var afterCascade = await ScalarAsync(connectionString, "SELECT count(*)::text FROM knowledge_chunks");

        Assert.Equal("16", partitioned);
        Assert.Equal(before, afterUp);
        Assert.Equal("ix_knowledge_chunks_embedding_384,ix_knowledge_chunks_embedding_8", indexes);
        Assert.Equal("0", afterCascade);

        await ExecuteAsync(connectionString, $"""
            INSERT INTO knowledge_documents (id, tenant_id, file_name, content_type, size_bytes, state, created_at, updated_at)
                VALUES ('{document}', '{tenant}', 'manual.md', 'text/markdown', 10, 'Indexed', now(), now());
            INSERT INTO knowledge_chunks (id, tenant_id, document_id, ordinal, content, embedding, embedding_dimensions, embedding_model, token_count)
                VALUES (gen_random_uuid(), '{tenant}', '{document}', 1, 'kept when reverting', array_fill(1::real, ARRAY[384])::vector, 384, 'all-MiniLM-L6-v2', 3);
            """);
        await migrator.MigrateAsync("20261127120630_Knowledge", ct);
        Assert.Equal("0", await ScalarAsync(connectionString, "SELECT count(*)::text FROM pg_inherits WHERE inhparent = 'knowledge_chunks'::regclass"));
        Assert.Equal("kept when reverting", await ScalarAsync(connectionString, "SELECT content FROM knowledge_chunks"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
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
