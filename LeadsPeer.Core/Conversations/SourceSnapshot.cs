using System.Text.Json;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// A passage an AI answer used, copied as it was when the answer was written: stored with the
/// message (<see cref="Message.Sources"/>), so re-indexing or deleting the document later does
/// not erase why the AI said what it said.
/// </summary>
public sealed record SourceSnapshot(Guid DocumentId, string DocumentName, string? Location, string Excerpt)
{
    public static string ToJson(IReadOnlyList<SourceSnapshot> sources) => JsonSerializer.Serialize(sources, JsonSerializerOptions.Web);

    public static IReadOnlyList<SourceSnapshot>? FromJson(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<List<SourceSnapshot>>(json, JsonSerializerOptions.Web);
}
