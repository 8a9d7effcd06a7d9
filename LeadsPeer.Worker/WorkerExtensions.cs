using LeadsPeer.Core.Flows;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Orders;
using LeadsPeer.Core.Data;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Core;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Agent;
using LeadsPeer.Worker.Bookings;
using LeadsPeer.Worker.Maintenance;
using LeadsPeer.Worker.Knowledge;
using LeadsPeer.Worker.Media;
using LeadsPeer.Worker.Privacy;
using LeadsPeer.Worker.Replies;
using LeadsPeer.Worker.Sending;
using LeadsPeer.Worker.Work;

namespace LeadsPeer.Worker;

public static class WorkerExtensions
{
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        builder.AddLeadsPeerCore(new StoreNames(ResourceNames.Database, ResourceNames.Redis, HealthTags.Ready));
        builder.Services.AddGraphApi();

        // The deployment's models first: the local model is loaded and run once before any work is taken.
        builder.Services.AddAi(builder.Configuration.GetSection(AiOptions.Section).Get<AiOptions>() ?? new AiOptions());

        // Durable work: stream consumers per kind, and the sweeper that makes PostgreSQL the truth.
        builder.Services.AddOptions<WorkOptions>().BindConfiguration(WorkOptions.Section);
        builder.Services.AddSingleton<WorkRunner>();
        builder.Services.AddHostedService<WorkSweeper>();
        foreach (var kind in new[] { WorkKind.Reply, WorkKind.Send, WorkKind.FetchMedia, WorkKind.MarkRead, WorkKind.IndexDocument, WorkKind.ExportOrganization, WorkKind.BookingReminder, WorkKind.FlowLapse })
        {
            builder.Services.AddSingleton<IHostedService>(services => ActivatorUtilities.CreateInstance<WorkConsumer>(services, kind));
        }

        // Replies to customer turns, and the one outbound path.
        builder.Services.AddScoped<IWorkHandler, ReplyHandler>();
        builder.Services.AddGuidedFlows();
        builder.Services.AddOrdering().AddOrderingFlow();
        builder.Services.AddBookings().AddBookingFlow();
        builder.Services.AddScoped<IWorkHandler, BookingReminderHandler>();
        builder.Services.AddScoped<IWorkHandler, FlowLapseHandler>();
        builder.Services.AddScoped<IReplyComposer, AgentReplyComposer>();
        builder.Services.AddSingleton<KnowledgeSearch>();
        builder.Services.AddAgentKernel();
        builder.Services.AddScoped<IWorkHandler, MarkReadHandler>();
        builder.Services.AddScoped<IWorkHandler, SendHandler>();
        builder.Services.AddSingleton<SendRateLimiter>();
        builder.Services.AddScoped<IWorkHandler, MediaFetchHandler>();

        // Knowledge: indexing.
        builder.Services.AddSingleton<Chunker>();
        builder.Services.AddScoped<IWorkHandler, IndexDocumentHandler>();
        builder.Services.AddHostedService<EmbeddingModelCheck>();

        // Organisation exports (a ZIP per request).
        builder.Services.AddScoped<IWorkHandler, OrganizationExportHandler>();

        // What nothing else comes back for: stranded documents, expired idempotency keys.
        builder.Services.AddOptions<HousekeepingOptions>().BindConfiguration(HousekeepingOptions.Section);
        builder.Services.AddSingleton<Housekeeping>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Housekeeping>());
        return builder;
    }
}
