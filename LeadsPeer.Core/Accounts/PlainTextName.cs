namespace LeadsPeer.Core.Accounts;

/// <summary>
/// Names people type (a person's, an organisation's) are shown to operators and customers:
/// plain text only. Markup and statement separators are refused outright rather than stored
/// and escaped everywhere later.
/// </summary>
public static class PlainTextName
{
    public const int MaxLength = 200;

    /// <summary>The trimmed name, or null with the reason in <paramref name="error"/>.</summary>
    public static string? Validate(string? value, string label, out string? error)
    {
        var name = value?.Trim();
        error = string.IsNullOrEmpty(name) ? $"{label} is required."
            : name.Length > MaxLength ? $"{label} must be at most {MaxLength} characters."
            : name.IndexOfAny(['<', '>', ';']) >= 0 || name.Contains("--", StringComparison.Ordinal) || name.Any(char.IsControl)
                ? $"{label} may not contain <, >, ;, -- or control characters."
                : null;
        return error is null ? name : null;
    }
}
