using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Flows;

/// <summary>
/// The guided flow a conversation is in: which flow, which step, what the customer has chosen so
/// far, and until when the step waits for an answer. At most one per conversation; only
/// <see cref="GuidedFlows"/> writes it. Kept in PostgreSQL, so a flow survives a Worker restart,
/// and pauses while an operator holds the conversation (the AI does not take turns then).
/// </summary>
public sealed class FlowState : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public Guid ConversationId { get; init; }

    public required string Flow { get; set; }

    public required string Step { get; set; }

    /// <summary>The answers so far, as JSON (a string → string map): what an operator sees if the flow hands over.</summary>
    public string Data { get; set; } = "{}";

    /// <summary>The customer's message whose reply last moved the flow: a retried turn finds it here and moves nothing.</summary>
    public Guid? LastTurnId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the waiting step lapses: the flow ends, and the customer's next words are the agent's.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class FlowStateConfiguration : IEntityTypeConfiguration<FlowState>
{
    public void Configure(EntityTypeBuilder<FlowState> builder)
    {
        builder.Property(s => s.Flow).HasMaxLength(32);
        builder.Property(s => s.Step).HasMaxLength(24);
        builder.Property(s => s.Data).HasColumnType("jsonb");
        builder.HasIndex(s => s.ConversationId).IsUnique();
        builder.HasOne<Conversation>().WithMany().HasForeignKey(s => s.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
