namespace LeadsPeer.Core.Tests;

public sealed class KeysetCursorTests
{
    [Fact]
    public void A_cursor_reads_back_as_the_position_it_was_written_for()
    {
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        var id = Guid.CreateVersion7();

        Assert.True(KeysetCursor.TryRead(KeysetCursor.Write(1, at, id), out var position, parts: 2));

        Assert.Equal((1, at, id), position);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("MTIzOmFiYw")]
    public void Anything_else_is_refused(string cursor)
    {
        Assert.False(KeysetCursor.TryRead(cursor, out _, parts: 2));
    }

    [Fact]
    public void A_cursor_of_a_part_the_list_does_not_have_is_refused_and_no_cursor_is_the_first_page()
    {
        Assert.False(KeysetCursor.TryRead(KeysetCursor.Write(1, DateTimeOffset.UtcNow, Guid.NewGuid()), out _));
        Assert.True(KeysetCursor.TryRead(null, out var first));
        Assert.Null(first);
    }
}
