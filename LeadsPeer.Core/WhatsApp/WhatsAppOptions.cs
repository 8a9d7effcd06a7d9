using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.WhatsApp;

/// <summary>The Meta app's settings for the WhatsApp Cloud API.</summary>
public sealed class WhatsAppOptions
{
    public const string Section = "WhatsApp";

    /// <summary>The Meta app secret: the key of every webhook's <c>X-Hub-Signature-256</c>.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The token Meta echoes in the webhook verification handshake.</summary>
    public string? VerifyToken { get; set; }

    /// <summary>Graph API base address; tests and the sandbox point it at a local stub.</summary>
    public Uri GraphApiBaseUrl { get; set; } = new("https://graph.facebook.com");

    /// <summary>One pinned Graph API version for every call (Meta silently upgrades expired ones).</summary>
    public string GraphApiVersion { get; set; } = "v23.0";

    /// <summary>The Meta app's id; with <see cref="ConfigId"/>, needed for Embedded Signup only.</summary>
    public string? AppId { get; set; }

    /// <summary>The Embedded Signup configuration id from the Meta app dashboard.</summary>
    public string? ConfigId { get; set; }

    /// <summary>Where sandbox connections send their Graph calls: the Meta simulator, not Meta.</summary>
    public Uri SimulatorBaseUrl { get; set; } = new("http://localhost:5301/simulator/");

    public bool EmbeddedSignupConfigured => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(ConfigId);
}

internal sealed class WhatsAppOptionsValidator : IValidateOptions<WhatsAppOptions>
{
    public ValidateOptionsResult Validate(string? name, WhatsAppOptions options)
    {
        var failures = new List<string>();
        if (!options.GraphApiVersion.StartsWith('v'))
        {
            failures.Add($"{WhatsAppOptions.Section}:GraphApiVersion must look like v23.0.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class WhatsAppOptionsExtensions
{
    public static IServiceCollection AddWhatsAppOptions(this IServiceCollection services)
    {
        services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WhatsAppOptions>, WhatsAppOptionsValidator>());
        return services;
    }

    /// <summary>The host verifies webhooks or completes Embedded Signup, so it must know the Meta app secret.</summary>
    public static IServiceCollection RequireAppSecret(this IServiceCollection services)
    {
        // Asked for by several features of one host: one check, one message.
        if (services.Any(d => d.ServiceType == typeof(AppSecretRequired)))
        {
            return services;
        }

        services.AddSingleton<AppSecretRequired>();
        services.AddOptions<WhatsAppOptions>().Validate(
            options => !string.IsNullOrWhiteSpace(options.AppSecret),
            $"{WhatsAppOptions.Section}:AppSecret is required (the Meta app secret: it verifies webhooks and completes Embedded Signup).");
        return services;
    }

    /// <summary>The host receives Meta's webhooks, so it must know the verification token too.</summary>
    public static IServiceCollection RequireWebhookVerifyToken(this IServiceCollection services)
    {
        services.AddOptions<WhatsAppOptions>().Validate(
            options => !string.IsNullOrWhiteSpace(options.VerifyToken),
            $"{WhatsAppOptions.Section}:VerifyToken is required (Meta's webhook verification handshake).");
        return services;
    }
}

/// <summary>Marks that the host's WhatsApp options require the app secret (the check is added once).</summary>
internal sealed class AppSecretRequired;
