using LeadsPeer.Core;
using LeadsPeer.Web.Components.Shared;

namespace LeadsPeer.Web.Tests.Shared;

public sealed class RefusalsTests
{
    [Fact]
    public void A_refused_field_is_worded_by_what_to_correct_and_any_other_refusal_by_its_title()
    {
        var invalid = UseCaseError.Invalid("text", "A message needs some text.");
        var conflict = UseCaseError.Conflict("Another operator is handling this conversation; take it over to act on it.");

        Assert.Equal("A message needs some text.", invalid.Words());
        Assert.Equal(["A message needs some text."], invalid.AllWords());
        Assert.Equal("Another operator is handling this conversation; take it over to act on it.", conflict.Words());
        Assert.Equal([conflict.Title], conflict.AllWords());
    }
}
