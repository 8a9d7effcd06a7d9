using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LeadsPeer.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting a host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LeadsPeerDbContext>
{
    public LeadsPeerDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<LeadsPeerDbContext>();
        DataExtensions.ConfigureDbContext(options, "Host=localhost;Database=leadspeer");
        return new LeadsPeerDbContext(options.Options, new TenantContext());
    }
}
