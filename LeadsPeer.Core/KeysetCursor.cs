using System.Buffers.Text;
using System.Text;

namespace LeadsPeer.Core;

/// <summary>
/// An opaque position in a keyset-paged list: base64url of the list's part, the sort time and the
/// row id. Lists hand it out as <c>nextCursor</c> and accept only what they handed out.
/// </summary>
public static class KeysetCursor
{
    public static string Write(int part, DateTimeOffset at, Guid id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{part}:{at.UtcTicks}:{id:N}"));

    /// <summary>True for no cursor (the first page) or a well-formed one of at most <paramref name="parts"/> parts.</summary>
    public static bool TryRead(string? cursor, out (int Part, DateTimeOffset At, Guid Id)? position, int parts = 1)
    {
        position = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        if (cursor.Length > 100 || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var fields = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
        if (fields.Length != 3 || !int.TryParse(fields[0], out var part) || part < 0 || part >= parts
            || !long.TryParse(fields[1], out var ticks) || ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(fields[2], "N", out var id))
        {
            return false;
        }

        position = (part, new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
