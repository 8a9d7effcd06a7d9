namespace LeadsPeer.Core.Knowledge;

public static class KnowledgeLimits
{
    public const int MaxQuestionLength = 500;
    public const int MaxAnswerLength = 4000;
}

/// <summary>Limits on uploads, configurable per deployment (section <c>Knowledge</c>).</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Knowledge";

    /// <summary>Largest file accepted, 25 MB by default.</summary>
    public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;
}
