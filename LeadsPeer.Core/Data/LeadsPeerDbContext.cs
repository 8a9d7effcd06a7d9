using System.Reflection;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data.Configurations;
using LeadsPeer.Core.Idempotency;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Core.Team;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Sandbox;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Core.Work;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Data;

/// <summary>
/// The model and the unit of work. Every tenant-owned row is filtered by the current tenant
/// (<see cref="TenantContext"/>); code that must cross tenants (webhook routing, retention)
/// says so with <see cref="AcrossTenantsExtensions.AcrossTenants{T}"/>.
/// </summary>
public sealed class LeadsPeerDbContext(DbContextOptions<LeadsPeerDbContext> options, TenantContext tenant)
    : IdentityDbContext<ApplicationUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The name of the tenant query filter, for the rare code that must cross tenants.</summary>
    public const string TenantFilter = "Tenant";

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<WhatsAppConnection> WhatsAppConnections => Set<WhatsAppConnection>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<ParkedStatus> ParkedStatuses => Set<ParkedStatus>();
    public DbSet<MediaFile> MediaFiles => Set<MediaFile>();
    public DbSet<SandboxMessage> SandboxMessages => Set<SandboxMessage>();
    public DbSet<SandboxTemplate> SandboxTemplates => Set<SandboxTemplate>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<KnowledgeDocument> KnowledgeDocuments => Set<KnowledgeDocument>();
    public DbSet<KnowledgeChunk> KnowledgeChunks => Set<KnowledgeChunk>();
    public DbSet<AgentSettings> AgentSettings => Set<AgentSettings>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ErasedMessage> ErasedMessages => Set<ErasedMessage>();
    public DbSet<ErasedCustomer> ErasedCustomers => Set<ErasedCustomer>();
    public DbSet<OrganizationExport> OrganizationExports => Set<OrganizationExport>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<Flows.FlowState> FlowStates => Set<Flows.FlowState>();
    public DbSet<Catalog.Product> Products => Set<Catalog.Product>();
    public DbSet<Ordering.OrderingSettings> OrderingSettings => Set<Ordering.OrderingSettings>();
    public DbSet<Orders.Order> Orders => Set<Orders.Order>();
    public DbSet<Orders.OrderLine> OrderLines => Set<Orders.OrderLine>();

    public DbSet<Bookings.BookingSettings> BookingSettings => Set<Bookings.BookingSettings>();

    public DbSet<Bookings.BookableService> BookableServices => Set<Bookings.BookableService>();

    public DbSet<Bookings.StaffMember> StaffMembers => Set<Bookings.StaffMember>();

    public DbSet<Bookings.Booking> Bookings => Set<Bookings.Booking>();

    // Read by the query filters on every query: EF Core evaluates a DbContext member per
    // context instance, so one model serves every tenant.
    private Guid? CurrentTenantId => tenant.TenantId;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // States as readable strings: the database is read by people (psql, support) too.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("vector");
        // Bookings' exclusion constraint compares a staff id (uuid, btree) beside a time range (gist).
        builder.HasPostgresExtension("btree_gist");
        builder.ApplyConfigurationsFromAssembly(typeof(LeadsPeerDbContext).Assembly);
        IdentityTableNames.Apply(builder);

        builder.Entity<Organization>().HasQueryFilter(TenantFilter, o => o.Id == CurrentTenantId);
        foreach (var entityType in builder.Model.GetEntityTypes()
                     .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType)))
        {
            ApplyTenantFilterMethod.MakeGenericMethod(entityType.ClrType).Invoke(this, [builder]);
        }
    }

    private static readonly MethodInfo ApplyTenantFilterMethod =
        typeof(LeadsPeerDbContext).GetMethod(nameof(ApplyTenantFilter), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private void ApplyTenantFilter<TEntity>(ModelBuilder builder) where TEntity : class, ITenantOwned
    {
        builder.Entity<TEntity>().HasQueryFilter(TenantFilter, e => e.TenantId == CurrentTenantId);
        builder.Entity<TEntity>().HasIndex(e => e.TenantId);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampTenant();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampTenant();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// New tenant-owned rows take the current tenant; a row written for another tenant than the
    /// scope's is refused, so a bug cannot plant data in someone else's organisation.
    /// </summary>
    private void StampTenant()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            if (entry.State == EntityState.Added && entry.Entity.TenantId == Guid.Empty)
            {
                entry.Entity.TenantId = CurrentTenantId
                    ?? throw new InvalidOperationException($"A {entry.Metadata.ClrType.Name} needs a tenant, and this scope has none.");
            }

            if (CurrentTenantId is { } current && entry.Entity.TenantId != current)
            {
                throw new InvalidOperationException($"A {entry.Metadata.ClrType.Name} of another organisation cannot be written in this scope.");
            }
        }
    }
}
