using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Privacy;

/// <summary>How long what we keep is kept. Every period is positive; the closure grace period is at most the 30 days our policy promises.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>The policy's promise: a closed organisation's data is deleted within 30 days.</summary>
    public static readonly TimeSpan MaxClosureGracePeriod = TimeSpan.FromDays(30);

    /// <summary>Between an Owner closing the organisation and the purge that deletes it; the Owner can cancel until then.</summary>
    public TimeSpan ClosureGracePeriod { get; set; } = MaxClosureGracePeriod;

    /// <summary>Inbound media files (the bytes; the message keeps Meta's metadata).</summary>
    public TimeSpan InboundMedia { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Delivery statuses whose message never appeared.</summary>
    public TimeSpan ParkedStatuses { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Work rows that finished (done or failed).</summary>
    public TimeSpan FinishedWork { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The sandbox's copies of what was sent to simulated customers.</summary>
    public TimeSpan SandboxMessages { get; set; } = TimeSpan.FromDays(30);

    /// <summary>An organisation export not downloaded in this time is deleted.</summary>
    public TimeSpan ExportFiles { get; set; } = TimeSpan.FromHours(24);

    /// <summary>After this, an audit entry's IP address keeps only its network (/24 for IPv4, /48 for IPv6).</summary>
    public TimeSpan AuditIpAddresses { get; set; } = TimeSpan.FromDays(90);
}

internal sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, value) in new[]
                 {
                     (nameof(options.ClosureGracePeriod), options.ClosureGracePeriod), (nameof(options.InboundMedia), options.InboundMedia),
                     (nameof(options.ParkedStatuses), options.ParkedStatuses), (nameof(options.FinishedWork), options.FinishedWork),
                     (nameof(options.SandboxMessages), options.SandboxMessages), (nameof(options.AuditIpAddresses), options.AuditIpAddresses),
                     (nameof(options.ExportFiles), options.ExportFiles),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{PrivacyOptions.Section}:{key} must be positive.");
            }
        }

        if (options.ClosureGracePeriod > PrivacyOptions.MaxClosureGracePeriod)
        {
            failures.Add($"{PrivacyOptions.Section}:{nameof(options.ClosureGracePeriod)} is at most 30 days: our policy deletes a closed organisation's data within 30 days.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
