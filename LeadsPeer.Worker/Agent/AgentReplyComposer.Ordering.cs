using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.SemanticKernel;

namespace LeadsPeer.Worker.Agent;

/// <summary>The ordering and booking tools of a turn: offered where the business takes orders or bookings, run when the model calls them.</summary>
public sealed partial class AgentReplyComposer
{
    /// <summary>The turn's ordering tools; null where the business takes no orders on WhatsApp or offers nothing now.</summary>
    private async Task<OrderingTools?> OrderingToolsAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var settings = await db.OrderingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (settings is not { Enabled: true, Currency: not null } || !await db.Products.AnyAsync(p => p.Available, cancellationToken))
        {
            return null;
        }

        return new OrderingTools(catalog, pricing, orderLookup, settings, conversation);
    }

    /// <summary>The turn's booking tools; null where the business takes no bookings or offers nothing to book.</summary>
    private async Task<BookingTools?> BookingToolsAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var settings = await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (settings is null || !await db.BookableServices.Offered().AnyAsync(cancellationToken))
        {
            return null;
        }

        return new BookingTools(db, bookingQueries, settings, conversation, time);
    }

    /// <summary>The plugin a call names ("booking_find_slots"), or the first.</summary>
    private static KernelPlugin PluginOf(IReadOnlyList<KernelPlugin> plugins, Microsoft.Extensions.AI.FunctionCallContent call) =>
        plugins.FirstOrDefault(p => call.Name.StartsWith($"{p.Name}_", StringComparison.Ordinal) || call.Name.StartsWith($"{p.Name}-", StringComparison.Ordinal)) ?? plugins[0];

    /// <summary>Runs one tool call; what the model gets back is the tool's answer, or why it could not run (never an exception's text).</summary>
    private async Task<string> InvokeAsync(KernelPlugin tools, Microsoft.Extensions.AI.FunctionCallContent call, CancellationToken cancellationToken)
    {
        // Offered as "ordering_add_to_cart" (the plugin's name before the function's).
        var name = call.Name.StartsWith($"{tools.Name}_", StringComparison.Ordinal) || call.Name.StartsWith($"{tools.Name}-", StringComparison.Ordinal)
            ? call.Name[(tools.Name.Length + 1)..]
            : call.Name;
        if (!tools.TryGetFunction(name, out var function))
        {
            return $"There is no tool named {name}.";
        }

        var arguments = new KernelArguments();
        foreach (var (key, value) in call.Arguments ?? new Dictionary<string, object?>())
        {
            arguments[key] = value?.ToString();
        }

        try
        {
            return (await function.InvokeAsync(kernel, arguments, cancellationToken)).GetValue<string>() ?? "";
        }
        catch (Exception ex) when (ex is KernelException or ArgumentException or FormatException or InvalidCastException)
        {
            return $"{name} could not run with those arguments: check their names and values.";
        }
    }
}
