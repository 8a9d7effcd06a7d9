namespace LeadsPeer.ServiceDefaults;

/// <summary>
/// The names of the AppHost's resources. Hosts find their connection strings under these
/// names (<c>ConnectionStrings__leadspeer</c>, <c>ConnectionStrings__redis</c>), so the
/// AppHost and the hosts must agree on them.
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Database = "leadspeer";
    public const string Redis = "redis";
    public const string Api = "api";
    public const string Worker = "worker";
    public const string Web = "web";
}
