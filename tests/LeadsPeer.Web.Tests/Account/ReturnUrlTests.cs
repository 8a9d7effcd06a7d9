using LeadsPeer.Web.Components.Account;

namespace LeadsPeer.Web.Tests.Account;

public sealed class ReturnUrlTests
{
    [Theory]
    [InlineData("knowledge", "/knowledge")]
    [InlineData("/conversations/01a21cf2-57e1-70fa-9c6f-bafe0ff54863", "/conversations/01a21cf2-57e1-70fa-9c6f-bafe0ff54863")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("/ /evil.example", "/")]
    public void After_signing_in_only_a_path_of_this_site_is_followed(string? returnUrl, string expected) =>
        Assert.Equal(expected, Login.LocalReturnUrl(returnUrl));
}
