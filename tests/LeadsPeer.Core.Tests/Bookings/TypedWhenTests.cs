using LeadsPeer.Core.Bookings;
using NodaTime;

namespace LeadsPeer.Core.Tests.Bookings;

/// <summary>Days and times as customers write them, read as of Wednesday 30 December 2026 in the business's zone.</summary>
public sealed class TypedWhenTests
{
    private static readonly LocalDate Today = new(2026, 12, 30); // a Wednesday

    [Theory]
    [InlineData("tomorrow at 5pm", "2026-12-31", "17:00")]
    [InlineData("Tomorrow 17:30 please", "2026-12-31", "17:30")]
    [InlineData("on friday at 9:15 am", "2027-01-01", "09:15")]
    [InlineData("fri 12 noon", "2027-01-01", "12:00")]
    [InlineData("5 Jan at 4 p.m.", "2027-01-05", "16:00")]
    [InlineData("January 8th, 10am", "2027-01-08", "10:00")]
    [InlineData("2027-02-03 at 17", "2027-02-03", "17:00")]
    [InlineData("day after tomorrow at 11:00", "2027-01-01", "11:00")]
    [InlineData("today at 6 pm", "2026-12-30", "18:00")]
    public void A_day_and_a_clock_time(string words, string day, string clock)
    {
        var when = TypedWhen.Read(words, Today);

        Assert.Equal((day, clock), (when.Day?.ToString("yyyy-MM-dd", null), when.Time?.ToString("HH:mm", null)));
        Assert.Null(when.Hour12);
    }

    [Fact]
    public void An_hour_without_am_or_pm_is_left_to_the_free_times_and_a_part_of_the_day_narrows_them()
    {
        var at5 = TypedWhen.Read("Saturday at 5", Today);
        var morning = TypedWhen.Read("next wednesday morning", Today);
        var wednesday = TypedWhen.Read("wednesday", Today);

        Assert.Equal((new LocalDate(2027, 1, 2), (LocalTime?)null, (int?)5), (at5.Day, at5.Time, at5.Hour12));
        Assert.True(at5.Fits(new LocalTime(5, 0)) && at5.Fits(new LocalTime(17, 0)));
        Assert.False(at5.Fits(new LocalTime(17, 30)));
        Assert.Equal((new LocalDate(2027, 1, 6), PartOfDay.Morning), (morning.Day, morning.Part)); // "next" on the same weekday: a week on
        Assert.True(morning.Fits(new LocalTime(11, 30)));
        Assert.False(morning.Fits(new LocalTime(12, 0)));
        Assert.Equal(Today, wednesday.Day);
    }

    [Theory]
    [InlineData("hello, is it possible?")]
    [InlineData("I'd like a haircut for 2 people")]
    [InlineData("25:00")]
    [InlineData("31 feb")]
    public void Words_that_name_no_day_or_time_read_as_nothing(string words) =>
        Assert.True(TypedWhen.Read(words, Today).IsEmpty);

    [Fact]
    public void A_date_already_past_this_year_is_next_year_s()
    {
        Assert.Equal(new LocalDate(2027, 1, 5), TypedWhen.Read("5th of January", Today).Day);
        Assert.Equal(new LocalDate(2027, 12, 29), TypedWhen.Read("29 dec", Today).Day);
    }
}
