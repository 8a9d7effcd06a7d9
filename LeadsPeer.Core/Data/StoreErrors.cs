using System.Net.Sockets;
using Npgsql;

namespace LeadsPeer.Core.Data;

public static class StoreErrors
{
    /// <summary>
    /// A store failure as one short line for health reports and warnings, which repeat while a
    /// store is away and must not flood the log with stack traces.
    /// </summary>
    public static string OneLine(Exception ex) => Innermost(ex).Message.ReplaceLineEndings(" ");

    /// <summary>A unique index refused the write: the row exists already (a retry, a race that lost).</summary>
    public static bool IsUniqueViolation(Exception ex) =>
        Innermost(ex) is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>
    /// Whether <paramref name="ex"/> means "the database cannot be reached right now" (down,
    /// refusing, timing out, starting up) rather than a fault in what we asked of it. EF Core wraps
    /// such failures in an <see cref="InvalidOperationException"/>, so inner exceptions count too.
    /// </summary>
    public static bool IsUnreachable(Exception ex)
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    // 57P03: the database system is starting up; 53300: too many connections.
                    return postgres.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
                        || postgres.IsTransient;
                case NpgsqlException npgsql when npgsql.IsTransient:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
