using Bunit;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LeadsPeer.Web.Tests.Layout;

public sealed class MainLayoutTests : WebComponentTest
{
    [Theory]
    [InlineData(OrganizationRole.Owner, new[] { "", "orders", "catalog", "calendar", "booking-setup", "knowledge", "agent", "whatsapp", "templates", "team", "activity", "privacy" })]
    [InlineData(OrganizationRole.Admin, new[] { "", "orders", "catalog", "calendar", "booking-setup", "knowledge", "agent", "whatsapp", "templates", "team", "activity", "privacy" })]
    [InlineData(OrganizationRole.Operator, new[] { "", "orders", "catalog", "calendar", "templates", "team" })]
    public void The_shell_shows_the_product_name_and_the_areas_this_role_may_use(OrganizationRole role, string[] expected)
    {
        Services.GetRequiredService<CurrentMember>().Set(Guid.NewGuid(), Guid.NewGuid(), role);

        var layout = Render<MainLayout>(parameters => parameters
            .Add(l => l.Body, (RenderFragment)(builder => builder.AddContent(0, "page body"))));

        Assert.Contains("Leads Peer", layout.Find(".mud-appbar").TextContent);
        var links = layout.FindAll("nav a, .mud-nav-link").Select(a => a.GetAttribute("href")).Where(h => h is not null).ToList();
        Assert.Equal(expected, links.Distinct());
        Assert.Contains("page body", layout.Markup);
    }

    [Fact]
    public void A_closing_organisations_owner_is_shown_and_sent_to_the_privacy_page_only()
    {
        Services.GetRequiredService<CurrentMember>().Set(Guid.NewGuid(), Guid.NewGuid(), OrganizationRole.Owner, organizationClosing: true);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("knowledge");

        var layout = Render<MainLayout>(parameters => parameters
            .Add(l => l.Body, (RenderFragment)(builder => builder.AddContent(0, "page body"))));

        var links = layout.FindAll("nav a, .mud-nav-link").Select(a => a.GetAttribute("href")).Where(h => h is not null).Distinct();
        Assert.Equal(["privacy"], links);
        Assert.Equal("privacy", navigation.ToBaseRelativePath(navigation.Uri));
        navigation.NavigateTo("team");
        Assert.Equal("privacy", navigation.ToBaseRelativePath(navigation.Uri));
    }

    [Fact]
    public void The_navigation_drawer_can_be_closed_and_opened()
    {
        var layout = Render<MainLayout>(parameters => parameters
            .Add(l => l.Body, (RenderFragment)(builder => builder.AddContent(0, "page body"))));

        // A responsive drawer's first state depends on the screen width, which bUnit has not got.
        var wasOpen = layout.Find(".mud-drawer").ClassList.Contains("mud-drawer--open");

        layout.Find("button[aria-label='Toggle navigation']").Click();
        var isOpen = layout.Find(".mud-drawer").ClassList.Contains("mud-drawer--open");
        layout.Find("button[aria-label='Toggle navigation']").Click();
        var isOpenAgain = layout.Find(".mud-drawer").ClassList.Contains("mud-drawer--open");

        Assert.NotEqual(wasOpen, isOpen);
        Assert.Equal(wasOpen, isOpenAgain);
    }

    [Fact]
    public void A_signed_in_operator_sees_who_they_are_a_sign_out_button_and_when_live_updates_are_paused()
    {
        Authorization.SetAuthorized("olive@harbour.example");

        var layout = Render<MainLayout>(parameters => parameters
            .Add(l => l.Body, (RenderFragment)(builder => builder.AddContent(0, "page body"))));

        Assert.Contains("olive@harbour.example", layout.Find("[data-testid=who]").TextContent);
        Assert.NotNull(layout.Find("button[aria-label='Sign out']"));
        Assert.Contains("Live updates paused", layout.Find("[data-testid=live-paused]").TextContent);
    }
}
