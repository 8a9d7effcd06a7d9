using LeadsPeer.Core.Bookings;
using LeadsPeer.Web.Bookings;
using LeadsPeer.Core.Orders;
using LeadsPeer.Core.Data;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Web.Components;
using LeadsPeer.Web.Components.Account;
using Microsoft.AspNetCore.Components.Authorization;
using LeadsPeer.Web.Live;
using LeadsPeer.Web.Sandbox;
using LeadsPeer.Web.Privacy;
using LeadsPeer.Web.UseCases;
using LeadsPeer.Web.WhatsApp;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace LeadsPeer.Web;

public static class WebExtensions
{
    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        // The dashboard calls the Core services in process: the same use cases as the REST API.
        builder.AddLeadsPeerCore(new StoreNames(ResourceNames.Database, ResourceNames.Redis, HealthTags.Ready));
        // Operators sign in with Identity's cookies; the pages that need it require authorization.
        builder.Services.AddAccounts();
        builder.Services.AddWhatsAppConnections();
        // Connecting a real number goes through the Api, the one host with Meta's app secret.
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        builder.Services.AddHttpClient<ApiEmbeddedSignup>((services, client) =>
            client.BaseAddress = services.GetRequiredService<IOptions<ApiOptions>>().Value.BaseUrl ?? new Uri("http://localhost:5301/"));
        // The sandbox customer phone panel writes through the Api's real webhook path.
        builder.Services.AddSandboxPhone<ApiWebhookAddress>();
        // The same conversation use cases the REST API serves, called in process by the screens.
        builder.Services.AddConversations();
        builder.Services.AddKnowledge();
        builder.Services.AddOrdering();
        builder.Services.AddBookings();
        builder.Services.AddPrivacy();
        // Components call those services through UseCase<T>: a scope per call, never the circuit's.
        builder.Services.AddTransient(typeof(UseCase<>));
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        // Never a way in to the dashboard (cookies are its only scheme): only writes the Api's access tokens (ApiEmbeddedSignup).
        builder.Services.AddAuthentication().AddBearerToken(IdentityConstants.BearerScheme);
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
        });
        // Outside Development the sign-in cookies are sent over HTTPS only, also behind a TLS proxy
        // that speaks HTTP to this host (the forwarded scheme does not decide it). The forms'
        // antiforgery cookie, no credential, follows the request's scheme: Secure behind a
        // configured proxy, and forms still work on a plain-HTTP host (ASP.NET Core refuses to
        // render a form whose antiforgery cookie must be Secure on an HTTP request).
        var securePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.ConfigureAll<CookieAuthenticationOptions>(options => options.Cookie.SecurePolicy = securePolicy);
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingMemberStateProvider>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddAccountFormLimits();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitOrigin>();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();

        // Live updates: one Redis subscriber per process, fanned out to the operators' circuits.
        builder.Services.AddSingleton<LiveUpdates>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveUpdates>());
        return builder;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseNotFoundForUnknownAddresses();
        app.UseAuthentication();
        app.UseCurrentMember();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        // Under the fallback policy (Core's AddAccounts: signed in unless said otherwise) the files
        // and the framework's own endpoints (its script, the circuit hub) are open; each page
        // says who may see it ([Authorize] or [AllowAnonymous], checked by a test), and the
        // router's AuthorizeRouteView enforces it.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode()
            .Add(endpoint =>
            {
                if (!endpoint.Metadata.OfType<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>().Any())
                {
                    endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute());
                }
            });
        app.MapPrivacyDownloads();
        app.MapCalendarFeed();
        // A form post (with its antiforgery token) from the app bar: signing out is not a link anyone can make you follow.
        app.MapPost("/account/logout", async ([FromForm] string? returnUrl, SignInManager<ApplicationUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        });
        return app;
    }
}
