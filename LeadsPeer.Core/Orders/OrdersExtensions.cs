using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Flows;
using LeadsPeer.Core.Ordering;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Core.Orders;

public static class OrdersExtensions
{
    /// <summary>The catalog, the ordering settings and the orders: the same services for the dashboard, the API, the flow and the tools.</summary>
    public static IServiceCollection AddOrdering(this IServiceCollection services)
    {
        services.AddScoped<CatalogService>();
        services.AddScoped<CatalogImport>();
        services.AddScoped<CatalogQueries>();
        services.AddScoped<OrderingSettingsService>();
        services.AddScoped<CartPricing>();
        services.AddScoped<OrderBook>();
        services.AddScoped<OrderUpdates>();
        services.AddScoped<OrderQueries>();
        services.AddScoped<OrderLookup>();
        return services;
    }

    /// <summary>The ordering flow, for the host that runs the guided-flow engine (the Worker).</summary>
    public static IServiceCollection AddOrderingFlow(this IServiceCollection services)
    {
        services.AddScoped<IGuidedFlow, OrderingFlow>();
        return services;
    }
}
