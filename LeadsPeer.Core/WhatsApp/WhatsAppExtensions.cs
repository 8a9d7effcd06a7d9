using LeadsPeer.Core.WhatsApp.Sandbox;
using LeadsPeer.Core.WhatsApp.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Http.Resilience;

namespace LeadsPeer.Core.WhatsApp;

public static class WhatsAppExtensions
{
    /// <summary>The Graph API client, on Meta's pinned version (every host that calls Meta or the simulator).</summary>
    public static IServiceCollection AddGraphApi(this IServiceCollection services)
    {
        services.AddWhatsAppOptions();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it replaces the default pipeline.
        services.AddHttpClient<GraphApiClient>()
            // Graph has no idempotency key: a retried POST could send a message twice, register a
            // number twice or burn one of its 10 registration attempts, so only safe methods are retried.
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
#pragma warning restore EXTEXP0001
        services.AddScoped<GraphGateway>();
        return services;
    }

    /// <summary>The connection use cases that work with a number's own token (Api and Web).</summary>
    public static IServiceCollection AddWhatsAppConnections(this IServiceCollection services)
    {
        services.AddGraphApi();
        services.AddScoped<ConnectionService>();
        services.AddScoped<Templates.TemplateCatalog>();
        return services;
    }

    /// <summary>
    /// Connecting a real number (the Api only): the code exchange and the token's checks need
    /// Meta's app secret, which only the Api holds; the dashboard asks the Api.
    /// </summary>
    public static IServiceCollection AddEmbeddedSignup(this IServiceCollection services)
    {
        services.AddWhatsAppConnections().AddWhatsAppOptions().RequireAppSecret();
        services.AddScoped<EmbeddedSignupState>();
        services.AddScoped<EmbeddedSignup>();
        return services;
    }

    /// <summary>
    /// The customer's side of sandbox numbers (<see cref="SandboxPhone"/>); <typeparamref name="TAddress"/>
    /// is how this host finds the webhook endpoint.
    /// </summary>
    public static IHttpClientBuilder AddSandboxPhone<TAddress>(this IServiceCollection services)
        where TAddress : class, ISandboxWebhookAddress
    {
        services.AddWhatsAppOptions();
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>());
        services.AddSingleton<ISandboxWebhookAddress, TAddress>();
        services.AddScoped<SandboxPhone>();
        return services.AddHttpClient<SandboxWebhooks>();
    }

    /// <summary>Receiving Meta's webhooks (Api).</summary>
    public static IServiceCollection AddWhatsAppWebhooks(this IServiceCollection services)
    {
        services.AddWhatsAppOptions().RequireAppSecret().RequireWebhookVerifyToken();
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section);
        // A hosted service that the webhook processor writes through: one instance, started and stopped with the host.
        services.AddSingleton<WebhookWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookWriter>());
        services.AddSingleton<WebhookProcessor>();
        return services;
    }
}
