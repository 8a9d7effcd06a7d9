using System.Text.Json;
using LeadsPeer.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Leads Peer host shares: telemetry, health checks, service discovery and HTTP
/// resilience. Infrastructure only — no business services live here.
/// </summary>
public static class Extensions
{
    /// <summary>ASP.NET Core's request logs ("Request starting …"): they carry the whole URL.</summary>
    public const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Request logs write the full URL, query string included — an inbox search by a customer's
        // name or number, a sandbox customer's number — so they are never written, whatever level
        // is configured. Requests are still traced: OpenTelemetry redacts query values.
        builder.Logging.AddFilter(RequestLogCategory, LogLevel.Warning);
        RefuseDevelopmentSecrets(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddEdgeDefaults();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>The secrets whose development values (each host's <c>appsettings.Development.json</c>) are public, being in the repository.</summary>
    private static readonly string[] SecretSettings = ["WhatsApp:AppSecret", "WhatsApp:VerifyToken", "TokenProtection:Key", "Sandbox:SigningKey", "AI:ApiKey"];

    /// <summary>
    /// Outside Development a host refuses to start with a secret set to its development value —
    /// copied from <c>appsettings.Development.json</c> into the environment, say — and names the
    /// setting: anyone can read those values in the repository.
    /// </summary>
    private static void RefuseDevelopmentSecrets(IHostApplicationBuilder builder)
    {
        var file = Path.Combine(builder.Environment.ContentRootPath, "appsettings.Development.json");
        if (builder.Environment.IsDevelopment() || !File.Exists(file))
        {
            return;
        }

        var development = new ConfigurationBuilder().AddJsonFile(file, optional: true).Build();
        var copied = SecretSettings.Where(key => development[key] is { Length: > 0 } value && builder.Configuration[key] == value).ToList();
        if (copied.Count > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(", ", copied)}: the development value is not accepted outside Development (it is public in the repository); set a secret of your own.");
        }
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetrySources.Sources))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetrySources.Sources)
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Health probes run every few seconds; tracing them buries the real traffic.
                    options.Filter = context => !IsHealthProbe(context.Request.Path);
                    options.EnrichWithHttpResponse = (activity, response) => RedactSecretsInPath(activity, response.HttpContext);
                })
                .AddHttpClientInstrumentation());

        // Export only when an OTLP endpoint is configured (the Aspire dashboard sets one).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/alive</c> (the process runs) and <c>/health</c> (it can do its work), in every
    /// environment: orchestrators and load balancers probe them in production too. Responses
    /// carry each check's status and a one-line reason, never exception details.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Live),
            ResponseWriter = WriteHealthReport,
        }).DisableHttpMetrics().AllowAnonymous();

        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready) || check.Tags.Contains(HealthTags.Live),
            ResponseWriter = WriteHealthReport,
        }).DisableHttpMetrics().AllowAnonymous();

        return app;
    }

    /// <summary>Route values that are credentials: an invitation's token is in its link's path.</summary>
    private static readonly string[] SecretRouteValues = ["token"];

    /// <summary>
    /// A credential in a URL's path (an invitation link) must not reach the trace sink: once the
    /// route is known, its value in the recorded path becomes <c>[redacted]</c>. Query values
    /// (a reset link's token and email) are already redacted by OpenTelemetry.
    /// </summary>
    private static void RedactSecretsInPath(System.Diagnostics.Activity activity, HttpContext context)
    {
        foreach (var name in SecretRouteValues)
        {
            if (context.Request.RouteValues.TryGetValue(name, out var value) && value is string { Length: > 0 } secret
                && activity.GetTagItem("url.path") is string path)
            {
                activity.SetTag("url.path", path.Replace(secret, "[redacted]", StringComparison.Ordinal)
                    .Replace(Uri.EscapeDataString(secret), "[redacted]", StringComparison.Ordinal));
            }
        }
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");

    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Setting that shows each check's reason to every caller (e.g. behind a private load balancer).</summary>
    public const string HealthDetailsSetting = "Health:ShowDetails";

    /// <summary>
    /// Whether this caller may read each check's reason: a caller on the same machine (the
    /// orchestrator's probe, a developer; no address at all is in-process), or anyone when
    /// <see cref="HealthDetailsSetting"/> says so. A reason can name internal hosts and errors;
    /// everyone else gets the statuses only, which is all a load balancer reads.
    /// </summary>
    public static bool MayReadHealthDetails(HttpContext context) =>
        context.Connection.RemoteIpAddress is not { } address || System.Net.IPAddress.IsLoopback(address)
        || context.RequestServices.GetService<IConfiguration>()?[HealthDetailsSetting] is { } value
            && bool.TryParse(value, out var show) && show;

    public static Task WriteHealthReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var details = MayReadHealthDetails(context);
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => details
                    ? (object)new
                    {
                        status = entry.Value.Status.ToString(),
                        description = entry.Value.Description ?? entry.Value.Exception?.Message,
                        durationMs = (int)entry.Value.Duration.TotalMilliseconds,
                    }
                    : new { status = entry.Value.Status.ToString() }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HealthJson));
    }
}
