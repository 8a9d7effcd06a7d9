using LeadsPeer.Core.Bookings;

namespace LeadsPeer.Core.Tests.Bookings;

/// <summary>Hours as people write them: each mistake is named under its field.</summary>
public sealed class HoursTextTests
{
    [Theory]
    [InlineData("09:00", false, 540)]
    [InlineData("9:30", false, 570)]
    [InlineData("24:00", true, 1440)]
    [InlineData("24:00", false, null)]
    [InlineData("25:00", true, null)]
    [InlineData("12:60", false, null)]
    [InlineData("noon", false, null)]
    [InlineData("12:5", false, null)]
    [InlineData("-1:00", false, null)]
    public void A_time_of_day_is_HH_mm_and_24_00_only_ends_a_range(string text, bool end, int? minute) =>
        Assert.Equal(minute, HoursText.Minute(text, end));

    [Fact]
    public void Ranges_come_back_in_order_and_a_backwards_an_unreadable_or_an_overlapping_range_is_named()
    {
        var errors = new Dictionary<string, string[]>();

        var read = HoursText.Ranges([new("14:00", "17:00"), new("09:00", "13:00")], "weekly.monday", errors);
        HoursText.Ranges([new("10:00", "09:00"), new("25:00", "26:00")], "weekly.tuesday", errors);
        HoursText.Ranges([new("09:00", "13:00"), new("12:00", "15:00")], "weekly.friday", errors);

        Assert.Equal([new DayRange(540, 780), new DayRange(840, 1020)], read);
        Assert.Equal("The range 10:00–09:00 ends before it starts.", errors["weekly.tuesday[0]"].Single());
        Assert.Contains("\"25:00\" is not a time of day", errors["weekly.tuesday[1]"].Single());
        Assert.Equal("The ranges 09:00–13:00 and 12:00–15:00 overlap.", errors["weekly.friday"].Single());
        Assert.Equal(3, errors.Count);
    }
}
