namespace LeadsPeer.Api.Database;

/// <summary>Whether this process has seen the schema migrated, and if not, why.</summary>
internal sealed class MigrationStatus
{
    private volatile string _reason = "Migrations have not run yet.";
    private volatile bool _applied;

    public bool Applied => _applied;
    public string Reason => _reason;

    public void MarkApplied() => _applied = true;
    public void MarkWaiting(string reason) => _reason = reason;
}
