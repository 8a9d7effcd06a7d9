using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Idempotency;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadsPeer.Core;

public static class CoreExtensions
{
    /// <summary>Everything a host needs from the shared model: stores, tenancy and the settings every host uses.</summary>
    public static IHostApplicationBuilder AddLeadsPeerCore(this IHostApplicationBuilder builder, StoreNames stores)
    {
        builder.AddLeadsPeerData(stores);
        builder.Services.AddScoped<DatabaseMigrator>();
        builder.Services.AddTokenProtection();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ChannelOptions>().BindConfiguration(ChannelOptions.Section);
        builder.Services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section);
        builder.Services.AddSingleton<WorkStreams>();
        builder.Services.AddSingleton<WorkRows>();
        builder.Services.AddScoped<HeldSends>();
        builder.Services.AddSingleton<LiveEventPublisher>();
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddScoped<ConversationStateMachine>();
        builder.Services.AddScoped<MessageDelivery>();
        builder.Services.AddScoped<ConnectionLifecycle>();
        builder.Services.AddScoped<Conversations.Interactive.TapRouter>();
        builder.Services.AddScoped<Flows.FlowQueries>();
        builder.Services.AddScoped<RequestOrigin>();
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.Section);
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.Services.AddPrivacyCore();
        return builder;
    }
}
