using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What a host facing the internet does at its edge: behind a TLS proxy, the client's address and
/// scheme come from <c>X-Forwarded-For</c>/<c>-Proto</c> — but only when the proxy sending them
/// is one the configuration names (anyone else could claim any address); HSTS outside
/// Development. The audit, the rate limits and the health details all read the address this leaves.
/// </summary>
public static class Edges
{
    public const string Section = "ForwardedHeaders";

    public static TBuilder AddEdgeDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var proxies = Parse(builder.Configuration, "KnownProxies", (string value, out IPAddress address) => IPAddress.TryParse(value, out address!));
        var networks = Parse(builder.Configuration, "KnownNetworks", (string value, out System.Net.IPNetwork network) => System.Net.IPNetwork.TryParse(value, out network));
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; here only what is configured is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
            // Every trusted hop (a CDN, then a load balancer) is walked back; the first untrusted one stops it.
            options.ForwardLimit = null;
        });
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    /// <summary>First in the pipeline, so everything after it sees the client's address and scheme.</summary>
    public static WebApplication UseEdgeDefaults(this WebApplication app)
    {
        // With no proxy configured the middleware would trust every sender (it checks only when
        // a list is set): then the headers are not read at all.
        var forwarded = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        if (forwarded.KnownProxies.Count > 0 || forwarded.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }

    private delegate bool TryParse<T>(string value, out T result);

    private static List<T> Parse<T>(IConfiguration configuration, string key, TryParse<T> tryParse)
    {
        var values = configuration.GetSection($"{Section}:{key}").Get<string[]>() ?? [];
        return values.Select(value => tryParse(value.Trim(), out var parsed)
            ? parsed
            : throw new InvalidOperationException($"{Section}:{key} has '{value}', which is not an IP {(key == "KnownProxies" ? "address" : "network (CIDR, e.g. 10.0.0.0/8)")}.")).ToList();
    }
}
