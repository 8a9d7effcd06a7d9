using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
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

        // A passage opens with some of its heading path, in order (often only the innermost headings).
        var rest = content.AsSpan().TrimStart();
        foreach (var heading in location.Split(" > ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (rest.StartsWith(heading, StringComparison.Ordinal) && rest.Length > heading.Length && char.IsWhiteSpace(rest[heading.Length]))
            {
                rest = rest[heading.Length..].TrimStart();
            }
        }

        // Never quote nothing: a passage that is only headings stays whole.
        return rest.IsEmpty ? content : rest.ToString();
    }
}

/// <summary>The deployment's embedding model: its name is stored with every chunk, its dimension picks the index.</summary>
public sealed record EmbeddingModelInfo(string Name, int Dimensions);

/// <summary>A passage search found, with its score: cosine similarity for a vector search, the fused rank for a hybrid one.</summary>
public sealed record KnowledgeMatch(KnowledgePassage Passage, double Score);

/// <summary>
/// Search of one organisation's knowledge in PostgreSQL: nearest passages through the
/// dimension's HNSW index, and hybrid search (vector and full text fused by reciprocal rank).
/// The tenant is an argument of every search and part of every statement, so a search cannot
/// see another organisation's chunks. Chunks are written by indexing, in the transaction that
/// marks their document indexed; deleted with their document. This class only reads.
/// </summary>
public sealed class KnowledgeSearch(
    NpgsqlDataSource dataSource,
    EmbeddingModelInfo model,
    IEmbeddingGenerator<string, Embedding<float>>? generator = null)
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

    /// <summary>The model's HNSW index, made if this dimension has none yet (another model is configuration).</summary>
    public Task EnsureIndexAsync(CancellationToken cancellationToken) =>
        KnowledgeSchema.EnsureIndexAsync(dataSource, model.Dimensions, cancellationToken);

    /// <summary>One passage of the organisation; null when it is not there or not theirs.</summary>
    public async Task<KnowledgePassage?> GetAsync(Guid tenantId, Guid chunkId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.id, c.document_id, d.file_name, c.location, c.content, NULL::float8, d.kind
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.tenant_id = $1 AND c.id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = chunkId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// Which of <paramref name="words"/> appear nowhere in the organisation's knowledge, as a
    /// word or a word's start ("croissant" is in "croissants") — nor, for a compound, as its last
    /// part ("cupcakes" ends with "cakes"). One statement, through the full-text index; the words
    /// are letters and digits only (<see cref="KnowledgeKeywords"/>).
    /// </summary>
    public async Task<IReadOnlyList<string>> UnknownAsync(Guid tenantId, IReadOnlyCollection<string> words, CancellationToken cancellationToken)
    {
        var forms = words.Where(w => w.Length > 0 && w.All(char.IsLetterOrDigit)).Distinct(StringComparer.Ordinal)
            .SelectMany(w => Enumerable.Range(CompoundHead, Math.Max(0, w.Length - CompoundTail - CompoundHead + 1))
                .Select(i => (Word: w, Form: w[i..].TrimEnd('s')))
                .Where(f => f.Form.Length >= CompoundTail - 1) // "ssssss" leaves nothing to look for
                .Prepend((Word: w, Form: KnowledgeKeywords.Stem(w))))
            .ToList();
        if (forms.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand($"""
            SELECT word FROM unnest($2::text[], $3::text[]) AS t(word, form)
            GROUP BY word
            HAVING bool_and(NOT EXISTS (SELECT 1 FROM knowledge_chunks c
                                        WHERE c.tenant_id = $1 AND c.search_vector @@ to_tsquery('{KnowledgeSchema.TextSearchConfig}', form || ':*')))
            ORDER BY min(array_position($2::text[], word))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = forms.Select(f => f.Word).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = forms.Select(f => f.Form).ToArray() });
        var unknown = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            unknown.Add(reader.GetString(0));
        }

        return unknown;
    }

    /// <summary>A compound's known last part is at least this long, a plural's "s" included ("cakes" in "cupcakes"; not "ball" in "football")…</summary>
    private const int CompoundTail = 5;

    /// <summary>…after at least this many letters of its own.</summary>
    private const int CompoundHead = 2;

    /// <summary>Nearest passages by cosine similarity (the score), through the HNSW index.</summary>
    public async Task<IReadOnlyList<KnowledgeMatch>> NearestAsync(Guid tenantId, ReadOnlyMemory<float> query, int top, CancellationToken cancellationToken)
    {
        var matches = new List<KnowledgeMatch>();
        await foreach (var (passage, _) in FusedAsync(tenantId, Checked(query), terms: null, top, cancellationToken, vectorOnly: true))
        {
            matches.Add(new KnowledgeMatch(passage, passage.Similarity ?? 0));
        }

        return matches;
    }

    /// <inheritdoc cref="NearestAsync(Guid, ReadOnlyMemory{float}, int, CancellationToken)"/>
    public async Task<IReadOnlyList<KnowledgeMatch>> NearestAsync(Guid tenantId, string text, int top, CancellationToken cancellationToken) =>
        await NearestAsync(tenantId, await EmbedAsync(text, cancellationToken), top, cancellationToken);

    /// <summary>
    /// Vector and keyword candidates fused by reciprocal rank (the score); each passage keeps its
    /// cosine <see cref="KnowledgePassage.Similarity"/> for confidence decisions.
    /// </summary>
    public async Task<IReadOnlyList<KnowledgeMatch>> HybridAsync(
        Guid tenantId, ReadOnlyMemory<float> query, IReadOnlyCollection<string> keywords, int top, CancellationToken cancellationToken)
    {
        var matches = new List<KnowledgeMatch>();
        await foreach (var (passage, score) in FusedAsync(tenantId, Checked(query), KnowledgeKeywords.ToTsQuery(keywords), top, cancellationToken))
        {
            matches.Add(new KnowledgeMatch(passage, score));
        }

        return matches;
    }

    /// <inheritdoc cref="HybridAsync(Guid, ReadOnlyMemory{float}, IReadOnlyCollection{string}, int, CancellationToken)"/>
    public async Task<IReadOnlyList<KnowledgeMatch>> HybridAsync(
        Guid tenantId, string question, IReadOnlyCollection<string> keywords, int top, CancellationToken cancellationToken) =>
        await HybridAsync(tenantId, await EmbedAsync(question, cancellationToken), keywords, top, cancellationToken);

    private async Task<ReadOnlyMemory<float>> EmbedAsync(string text, CancellationToken cancellationToken) =>
        generator is null
            ? throw new InvalidOperationException("Searching by text needs an embedding generator.")
            : (await generator.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector;

    private Vector Checked(ReadOnlyMemory<float> values) =>
        values.Length == model.Dimensions
            ? new Vector(values)
            : throw new ArgumentException($"The query has {values.Length} dimensions; the model {model.Name} has {model.Dimensions}.", nameof(values));

    private async IAsyncEnumerable<(KnowledgePassage Passage, double Score)> FusedAsync(
        Guid tenantId, Vector vector, string? terms, int top, [EnumeratorCancellation] CancellationToken cancellationToken, bool vectorOnly = false)
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

            SELECT c.id, c.document_id, d.file_name, c.location, c.content,
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
            yield return (Read(reader), reader.GetDouble(7));
        }
    }

    private static KnowledgePassage Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        DocumentId = reader.GetGuid(1),
        DocumentName = reader.GetString(2),
        Location = reader.IsDBNull(3) ? null : reader.GetString(3),
        Content = reader.GetString(4),
        Similarity = reader.IsDBNull(5) ? null : reader.GetDouble(5),
        Kind = Enum.Parse<KnowledgeKind>(reader.GetString(6)),
    };
}
