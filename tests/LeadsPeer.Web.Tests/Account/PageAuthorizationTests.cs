using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace LeadsPeer.Web.Tests.Account;

/// <summary>
/// Under the fallback policy every page says who may see it: [Authorize] (with a permission's
/// policy or not) or [AllowAnonymous]; the anonymous ones are the sign-in pages and the error
/// pages, a deliberate list. A new page without either fails here before it can be reached.
/// </summary>
public sealed class PageAuthorizationTests
{
    private static readonly string[] Anonymous =
    [
        "/account/login", "/account/signup", "/account/forgot-password", "/reset-password", "/invitations/{Token}", "/not-found", "/error",
    ];

    [Fact]
    public void Every_page_declares_who_may_see_it_and_only_the_listed_ones_are_anonymous()
    {
        var pages = typeof(LeadsPeer.Web.Components.App).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any())
            .ToList();

        Assert.NotEmpty(pages);
        var undeclared = pages.Where(p => p.GetCustomAttribute<AuthorizeAttribute>(inherit: true) is null && p.GetCustomAttribute<AllowAnonymousAttribute>(inherit: true) is null);
        Assert.Empty(undeclared.Select(p => p.FullName));
        var open = pages.Where(p => p.GetCustomAttribute<AllowAnonymousAttribute>(inherit: true) is not null)
            .SelectMany(p => p.GetCustomAttributes<RouteAttribute>()).Select(r => r.Template);
        Assert.Equal(Anonymous.Order(), open.Order());
    }
}
