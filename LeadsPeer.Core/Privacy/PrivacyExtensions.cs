using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Privacy;

public static class PrivacyExtensions
{
    /// <summary>What every host needs: the erasure memory ingest checks, retention, and the purge (the Worker runs them; the Api's command too).</summary>
    internal static IServiceCollection AddPrivacyCore(this IServiceCollection services)
    {
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>();
        services.AddSingleton<ErasureKeys>();
        // A host without signed-in people (the Worker) acts as the system: no member, audited as such.
        services.TryAddScoped<CurrentMember>();
        services.TryAddScoped<AuditLog>();
        services.AddScoped<CustomerErasure>();
        // The Worker moves exports it builds; the Api and Web request and hand them out.
        services.AddScoped<OrganizationExports>();
        services.AddSingleton<Retention>();
        services.AddSingleton<TenantPurge>();
        return services;
    }

    /// <summary>The team's privacy use cases (Api and Web).</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddScoped<CustomerExport>();
        services.AddScoped<ContactCorrection>();
        services.AddScoped<OrganizationClosure>();
        services.AddScoped<PrivacySettings>();
        return services;
    }
}
