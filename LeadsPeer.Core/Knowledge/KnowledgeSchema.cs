using Npgsql;

namespace LeadsPeer.Core.Knowledge;

/// <summary>
/// HNSW indexes need a fixed dimension, while the embedding model (and so the dimension) is a
/// deployment's configuration. The column is an untyped <c>vector</c>; each dimension in use
/// gets its own partial expression index, and every search casts to that dimension and filters
/// on it, so the planner serves it from that index. A new model is a setting, not a migration.
/// </summary>
public static class KnowledgeSchema
{
    /// <summary>The full-text configuration of the keyword half of search: <c>simple</c> keeps product codes, names and every language's words intact.</summary>
    public const string TextSearchConfig = "simple";

    public static string IndexName(int dimensions) => $"ix_knowledge_chunks_embedding_{dimensions}";

    /// <summary>The expression every query and the index share, e.g. <c>(embedding::vector(384))</c>.</summary>
    public static string EmbeddingExpression(int dimensions) => $"(embedding::vector({dimensions}))";

    public static string CreateIndexSql(int dimensions) =>
        $"CREATE INDEX IF NOT EXISTS {IndexName(dimensions)} ON knowledge_chunks USING hnsw ({EmbeddingExpression(dimensions)} vector_cosine_ops) WHERE embedding_dimensions = {dimensions}";

    public static async Task EnsureIndexAsync(NpgsqlDataSource dataSource, int dimensions, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, 2000); // pgvector's HNSW limit for vector
        await using var command = dataSource.CreateCommand(CreateIndexSql(dimensions));
        command.CommandTimeout = 0; // building over existing rows can take a while
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
