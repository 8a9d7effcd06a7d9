using LeadsPeer.Core;
using LeadsPeer.Core.Agent;

namespace LeadsPeer.Worker;

public static class WorkerExtensions
{
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        builder.AddLeadsPeerCore();
        builder.Services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section);
        return builder;
    }
}
