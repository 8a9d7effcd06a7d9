using LeadsPeer.Core.Orders;
using LeadsPeer.Api.Orders;
using LeadsPeer.Api.Bookings;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Data;
using System.Text.Json.Serialization;
using LeadsPeer.Api.Accounts;
using LeadsPeer.Api.Conversations;
using LeadsPeer.Api.Database;
using LeadsPeer.Api.Idempotency;
using LeadsPeer.Api.Knowledge;
using LeadsPeer.Api.Privacy;
using LeadsPeer.Api.RateLimits;
using LeadsPeer.Api.Sandbox;
using LeadsPeer.Api.Team;
using LeadsPeer.Api.WhatsApp;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace LeadsPeer.Api;

public static class ApiExtensions
{
    public static IHostApplicationBuilder AddApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddLeadsPeerCore(new StoreNames(ResourceNames.Database, ResourceNames.Redis, HealthTags.Ready));
        builder.Services.AddEmbeddedSignup().AddWhatsAppWebhooks();
        builder.AddSandboxSimulator();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // A contract others rely on: misspelt or unknown fields are an error, not silently dropped.
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });

        // Outside clients sign in for bearer tokens; the dashboard (Web) uses cookies.
        builder.Services.AddAccounts();
        builder.Services.AddConversations();
        builder.Services.AddKnowledge();
        builder.Services.AddOrdering();
        builder.Services.AddBookings();
        builder.Services.AddPrivacy();
        builder.Services.AddAuthentication(IdentityConstants.BearerScheme).AddBearerToken(IdentityConstants.BearerScheme);
        builder.Services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme)
            .Configure<IOptions<RefreshTokenOptions>>((bearer, tokens) => bearer.BearerTokenExpiration = tokens.Value.AccessTokenLifetime);
        builder.Services.AddApiRateLimits();

        // The Api owns the schema: it migrates at start-up and is ready only afterwards.
        builder.Services.AddSingleton<MigrationStatus>();
        builder.Services.AddHostedService<MigrationProcessor>();
        builder.Services.AddHealthChecks()
            .AddCheck<MigrationHealthCheck>("migrations", tags: [HealthTags.Ready]);

        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Unreadable request bodies (malformed JSON, unknown fields) are the client's error; a
            // use case refusing a role its route let through (PermissionDeniedException) is a 403.
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                PermissionDeniedException => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.UseJsonBodyLimit();
        app.UseNotFoundForUnknownAddresses();
        app.UseAuthentication();
        app.UseCurrentMember();
        app.UseAuthorization();
        // After sign-in and the member: limits count per address, or per organisation once it is known.
        app.UseRateLimiter();
        app.UseIdempotentRequestBodies();

        // The API's description is public, like its documentation.
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }

        app.MapAccountEndpoints();
        app.MapTeamEndpoints();
        app.MapWhatsAppConnectionEndpoints();
        app.MapTemplateEndpoints();
        app.MapWebhookEndpoints();
        app.MapConversationEndpoints();
        app.MapKnowledgeEndpoints();
        app.MapCatalogEndpoints();
        app.MapOrderEndpoints();
        app.MapBookingEndpoints();
        app.MapCalendarFeedEndpoints();
        app.MapPrivacyEndpoints();
        app.MapSimulatorEndpoints();
        app.MapSandboxEndpoints();

        app.MapGet("/", () => TypedResults.Redirect(app.Environment.IsDevelopment() ? "/scalar" : "/health"))
            .ExcludeFromDescription().AllowAnonymous();

        return app;
    }
}
