using Npgsql;

namespace LeadsPeer.Testing;

/// <summary>Plain SQL against a test database (<c>$1</c>, <c>$2</c>… parameters), for arranging rows and checking what was stored.</summary>
public sealed class Db(string connectionString)
{
    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, args);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    public async Task<long> CountAsync(string table, string where = "true", params object[] args) =>
        await ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {where}", args);

    public async Task<List<object?[]>> RowsAsync(string sql, params object[] args)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, args);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add([.. row.Select(v => v is DBNull ? null : v)]);
        }

        return rows;
    }

    public async Task<int> ExecuteAsync(string sql, params object[] args)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, args);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] args)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.AddWithValue(arg);
        }

        return command;
    }
}
