namespace LeadsPeer.Core.Data;

public static class StoreErrors
{
    /// <summary>
    /// A store failure as one short line for health reports and warnings, which repeat while a
    /// store is away and must not flood the log with stack traces.
    /// </summary>
    public static string OneLine(Exception ex) =>
        (ex.InnerException?.Message ?? ex.Message).ReplaceLineEndings(" ");
}
