using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Npgsql;
using Pgvector;

namespace LeadsPeer.Core.Knowledge;

/// <summary>A passage as search returns it: the chunk, where it comes from, and how close it is to the query.</summary>
public sealed class KnowledgePassage
{
    public Guid Id { get; init; }
    public Guid DocumentId { get; init; }
    public KnowledgeKind Kind { get; init; }

    /// <summary>The file's name, or an FAQ entry's question.</summary>
    public required string DocumentName { get; init; }
    public string? Location { get; init; }
    public required string Content { get; init; }
    public ReadOnlyMemory<float>? Embedding { get; init; }

    /// <summary>Cosine similarity to the query's embedding (−1…1), whatever the result's fused score.</summary>
    public double? Similarity { get; init; }

    /// <summary>
    /// The words an answer may quote: an FAQ passage without its question line; a file's passage
    /// without the headings that open its section (they stay in the passage for search, but
    /// "Care Storage Keep the bag dry" is not a sentence to send a customer).
    /// </summary>
    public string Quotable => Kind == KnowledgeKind.Faq
        ? Content.IndexOf('\n', StringComparison.Ordinal) is var end and > 0 ? Content[(end + 1)..] : Content
        : WithoutLeadingHeadings(Content, Location);

    private static string WithoutLeadingHeadings(string content, string? location)
    {
        if (string.IsNullOrEmpty(location))
        {
            return content;
        }

        var rest = content.AsSpan().TrimStart();
        foreach (var heading in location.Split(" > ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!rest.StartsWith(heading, StringComparison.Ordinal) || rest.Length == heading.Length || !char.IsWhiteSpace(rest[heading.Length]))
            {
                break;
            }

            rest = rest[heading.Length..].TrimStart();
        }

        // Never quote nothing: a passage that is only headings stays whole.
        return rest.IsEmpty ? content : rest.ToString();
    }
}

/// <summary>The deployment's embedding model: its name is stored with every chunk, its dimension picks the index.</summary>
public sealed record EmbeddingModelInfo(string Name, int Dimensions);

/// <summary>
/// One organisation's knowledge as a <c>Microsoft.Extensions.VectorData</c> collection over
/// PostgreSQL: vector search through the dimension's HNSW index and hybrid search (vector and
/// full text fused by reciprocal rank), so Semantic Kernel's search features plug in. The
/// tenant is fixed at construction and is part of every statement: a collection cannot see
/// another organisation's chunks. Chunks are written by indexing, in the transaction that marks
/// their document indexed, so this collection only reads and deletes.
/// </summary>
public sealed class KnowledgeCollection(
    NpgsqlDataSource dataSource,
    Guid tenantId,
    EmbeddingModelInfo model,
    IEmbeddingGenerator<string, Embedding<float>>? generator = null)
    : VectorStoreCollection<Guid, KnowledgePassage>, IKeywordHybridSearchable<KnowledgePassage>
{
    /// <summary>Reciprocal rank fusion's constant: damps the weight of the very first ranks (the usual 60).</summary>
    private const int FusionK = 60;

    /// <summary>Each half of a hybrid search looks this many times deeper than the results asked for, so fusion has candidates.</summary>
    private const int CandidateFactor = 4;

    /// <summary>
    /// HNSW's candidate list per pass (pgvector's default is 40). Wider passes find more of one
    /// organisation's passages each, so a filtered search needs fewer passes and strays less.
    /// </summary>
    private const int SearchBreadth = 100;

    /// <summary>A vector search takes twice the results asked for and keeps the best: iterative scans return them in approximate order.</summary>
    private const int VectorCandidateFactor = 2;

    public override string Name => $"knowledge:{tenantId:N}";

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) =>
        KnowledgeSchema.EnsureIndexAsync(dataSource, model.Dimensions, cancellationToken);

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Knowledge is deleted document by document, through the knowledge service.");

    public override async Task<KnowledgePassage?> GetAsync(Guid key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT c.id, c.document_id, d.file_name, c.location, c.content, {(options?.IncludeVectors == true ? "c.embedding" : "NULL::vector")}, NULL::float8, d.kind
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.tenant_id = $1 AND c.id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public override IAsyncEnumerable<KnowledgePassage> GetAsync(
        System.Linq.Expressions.Expression<Func<KnowledgePassage, bool>> filter, int top, FilteredRecordRetrievalOptions<KnowledgePassage>? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Filtered retrieval is not offered: search by vector or hybrid search.");

    public override async Task DeleteAsync(Guid key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM knowledge_chunks WHERE tenant_id = $1 AND id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override Task UpsertAsync(KnowledgePassage record, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Chunks are written by indexing, in the transaction that marks their document indexed.");

    public override Task UpsertAsync(IEnumerable<KnowledgePassage> records, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Chunks are written by indexing, in the transaction that marks their document indexed.");

    /// <summary>Nearest passages by cosine similarity (the score), through the HNSW index.</summary>
    public override async IAsyncEnumerable<VectorSearchResult<KnowledgePassage>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<KnowledgePassage>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RefuseFilter(options?.Filter);
        var vector = await EmbedAsync(searchValue, cancellationToken);
        await foreach (var passage in QueryAsync(vector, terms: null, top + (options?.Skip ?? 0), options?.IncludeVectors == true, cancellationToken))
        {
            yield return new VectorSearchResult<KnowledgePassage>(passage, passage.Similarity);
        }
    }

    /// <summary>
    /// Vector and keyword candidates fused by reciprocal rank (the score); each passage keeps its
    /// cosine <see cref="KnowledgePassage.Similarity"/> for confidence decisions.
    /// </summary>
    public async IAsyncEnumerable<VectorSearchResult<KnowledgePassage>> HybridSearchAsync<TInput>(
        TInput searchValue, ICollection<string> keywords, int top, HybridSearchOptions<KnowledgePassage>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        RefuseFilter(options?.Filter);
        var vector = await EmbedAsync(searchValue, cancellationToken);
        var terms = KnowledgeKeywords.ToTsQuery(keywords);
        await foreach (var (passage, score) in FusedAsync(vector, terms, top + (options?.Skip ?? 0), options?.IncludeVectors == true, cancellationToken))
        {
            yield return new VectorSearchResult<KnowledgePassage>(passage, score);
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <summary>Filters are not translated: ignoring one silently would return what the caller meant to exclude.</summary>
    private static void RefuseFilter(System.Linq.Expressions.LambdaExpression? filter)
    {
        if (filter is not null)
        {
            throw new NotSupportedException("Search filters are not supported: the collection is already scoped to one organisation.");
        }
    }

    private async Task<Vector> EmbedAsync<TInput>(TInput searchValue, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<float> values = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory,
            Vector pgvector => pgvector.Memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            string text when generator is not null => (await generator.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector,
            string => throw new InvalidOperationException("Searching by text needs an embedding generator."),
            _ => throw new NotSupportedException($"Cannot search with a {typeof(TInput).Name}."),
        };
        if (values.Length != model.Dimensions)
        {
            throw new ArgumentException($"The query has {values.Length} dimensions; the model {model.Name} has {model.Dimensions}.", nameof(searchValue));
        }

        return new Vector(values);
    }

    private async IAsyncEnumerable<KnowledgePassage> QueryAsync(Vector vector, string? terms, int top, bool includeVectors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (passage, _) in FusedAsync(vector, terms, top, includeVectors, cancellationToken, vectorOnly: true))
        {
            yield return passage;
        }
    }

    private async IAsyncEnumerable<(KnowledgePassage Passage, double Score)> FusedAsync(
        Vector vector, string? terms, int top, bool includeVectors, [EnumeratorCancellation] CancellationToken cancellationToken, bool vectorOnly = false)
    {
        var candidates = vectorOnly ? top * VectorCandidateFactor : Math.Max(top * CandidateFactor, 20);
        var distance = $"{KnowledgeSchema.EmbeddingExpression(model.Dimensions)} <=> $3::vector({model.Dimensions})";
        var keyword = !vectorOnly && terms is not null;
        var sql = new StringBuilder($"""
            WITH semantic AS (
                SELECT id, distance, row_number() OVER (ORDER BY distance) AS rank
                FROM (SELECT id, {distance} AS distance
                      FROM knowledge_chunks
                      WHERE tenant_id = $1 AND embedding_dimensions = {model.Dimensions} AND embedding_model = $2
                      ORDER BY {distance}
                      LIMIT $4) nearest
            )
            """);
        if (keyword)
        {
            sql.Append($"""
                , keyword AS (
                    SELECT id, row_number() OVER (ORDER BY relevance DESC) AS rank
                    FROM (SELECT id, ts_rank_cd(search_vector, query) AS relevance
                          FROM knowledge_chunks, to_tsquery('{KnowledgeSchema.TextSearchConfig}', $6) query
                          WHERE tenant_id = $1 AND embedding_model = $2 AND search_vector @@ query
                          ORDER BY relevance DESC
                          LIMIT $4) matching
                )
                """);
        }

        var fused = keyword
            ? "FROM semantic s FULL JOIN keyword k ON k.id = s.id JOIN knowledge_chunks c ON c.id = COALESCE(s.id, k.id)"
            : "FROM semantic s JOIN knowledge_chunks c ON c.id = s.id";
        var score = keyword
            ? $"COALESCE(1.0 / ({FusionK} + s.rank), 0) + COALESCE(1.0 / ({FusionK} + k.rank), 0)"
            : "1 - s.distance";
        sql.Append($"""

            SELECT c.id, c.document_id, d.file_name, c.location, c.content, {(includeVectors ? "c.embedding" : "NULL::vector")},
                   1 - ({distance.Replace("embedding", "c.embedding", StringComparison.Ordinal)}) AS similarity, d.kind, {score} AS score
            {fused}
            JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.tenant_id = $1
            ORDER BY score DESC, c.id
            LIMIT $5
            """);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The tenant filter is applied while walking the HNSW graph (pgvector 0.8 iterative scans),
        // so an organisation with a small share of all chunks still gets its full top-k. One round
        // trip: the settings travel with the query.
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SET LOCAL hnsw.iterative_scan = relaxed_order"),
                new NpgsqlBatchCommand($"SET LOCAL hnsw.ef_search = {Math.Max(SearchBreadth, candidates)}"),
            },
        };
        var command = new NpgsqlBatchCommand(sql.ToString());
        batch.BatchCommands.Add(command);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = model.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = vector });
        command.Parameters.Add(new NpgsqlParameter { Value = candidates });
        command.Parameters.Add(new NpgsqlParameter { Value = top });
        if (keyword)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = terms });
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (Read(reader), reader.GetDouble(8));
        }
    }

    private static KnowledgePassage Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        DocumentId = reader.GetGuid(1),
        DocumentName = reader.GetString(2),
        Location = reader.IsDBNull(3) ? null : reader.GetString(3),
        Content = reader.GetString(4),
        Embedding = reader.IsDBNull(5) ? null : reader.GetFieldValue<Vector>(5).Memory,
        Similarity = reader.IsDBNull(6) ? null : reader.GetDouble(6),
        Kind = Enum.Parse<KnowledgeKind>(reader.GetString(7)),
    };
}
