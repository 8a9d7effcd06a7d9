using LeadsPeer.Api.Database;
using LeadsPeer.Core;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.ServiceDefaults;
using Scalar.AspNetCore;

namespace LeadsPeer.Api;

public static class ApiExtensions
{
    public static IHostApplicationBuilder AddApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddLeadsPeerCore();
        builder.Services.AddWhatsAppOptions();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();

        // The Api owns the schema: it migrates at start-up and is ready only afterwards.
        builder.Services.AddSingleton<MigrationStatus>();
        builder.Services.AddHostedService<MigrationProcessor>();
        builder.Services.AddHealthChecks()
            .AddCheck<MigrationHealthCheck>("migrations", tags: [HealthTags.Ready]);

        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        app.MapGet("/", () => TypedResults.Redirect(app.Environment.IsDevelopment() ? "/scalar" : "/health"))
            .ExcludeFromDescription();

        return app;
    }
}
