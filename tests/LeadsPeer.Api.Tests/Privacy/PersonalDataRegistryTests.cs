using LeadsPeer.Core.Privacy;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Privacy;

/// <summary>
/// Erasure and export cover every table that points at a customer: one found in the schema with
/// a link column and missing from <see cref="PersonalData"/> fails here, so a table added by a
/// later feature cannot be forgotten.
/// </summary>
public sealed class PersonalDataRegistryTests(TestStores stores)
{
    [Fact]
    public async Task Every_table_with_a_customer_link_column_is_registered_and_every_registered_table_exists()
    {
        var db = new Db(await stores.CreateMigratedDatabaseAsync());
        var linked = (await db.RowsAsync("""
            SELECT DISTINCT table_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name = ANY($1)
            """, new object[] { PersonalData.LinkColumns.ToArray() })).Select(r => (string)r[0]!).ToList();
        var tables = (await db.RowsAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))
            .Select(r => (string)r[0]!).ToHashSet();
        var registered = PersonalData.Tables.Select(t => t.Table).ToHashSet();

        Assert.Contains("messages", linked);
        Assert.Equal([], linked.Except(registered).Order());
        Assert.Equal([], registered.Except(tables).Order());
        Assert.All(PersonalData.Tables, t => Assert.False(string.IsNullOrWhiteSpace(t.Export)));
    }
}
