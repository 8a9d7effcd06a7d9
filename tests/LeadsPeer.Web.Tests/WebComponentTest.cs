using Bunit;
using Microsoft.AspNetCore.Components;
using Bunit.TestDoubles;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Web.Live;
using LeadsPeer.Web.UseCases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using StackExchange.Redis;

namespace LeadsPeer.Web.Tests;

/// <summary>bUnit with MudBlazor, an anonymous visitor, and live updates whose Redis is unreachable (paused).</summary>
public abstract class WebComponentTest : BunitContext
{
    protected WebComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Authorization = AddAuthorization();
        Services.AddScoped<CurrentMember>();
        // Components reach Core services through UseCase<T>; a test that renders one with a
        // signed-in member gives it a database, the others never call it.
        Services.AddScoped<MemberScopes>();
        Services.AddScoped<LeadsPeer.Core.Audit.RequestOrigin>();
        Services.AddTransient(typeof(UseCase<>));
        // Nothing listens on port 1: live updates stay paused, as during a Redis outage.
        Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=100"));
        Services.AddSingleton(services => new LiveUpdates(services.GetRequiredService<IConnectionMultiplexer>(), NullLogger<LiveUpdates>.Instance));
        // As in an operator's browser: interactive server rendering, the circuit started. (Last: it
        // builds the service provider, after which nothing more can be registered.)
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected BunitAuthorizationContext Authorization { get; }
}
