using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Email;
using LeadsPeer.Core.Team;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadsPeer.Core.Accounts;

public static class AccountsExtensions
{
    /// <summary>
    /// ASP.NET Core Identity on PostgreSQL with our password and lockout rules, the current
    /// member, and one authorization policy per <see cref="Permission"/>. Hosts add their own
    /// authentication schemes (bearer tokens in the Api, cookies in the Web).
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // Length beats composition rules: at least 10 characters, and not a common password.
                options.Password.RequiredLength = 10;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<LeadsPeerDbContext>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.TryAddScoped<CurrentMember>();
        services.TryAddScoped<AuditLog>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<MemberResolver>();
        services.AddScoped<MemberScopes>();
        services.AddScoped<SignUpService>();
        services.AddScoped<ProfileService>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<PasswordResetService>();
        services.AddScoped<RefreshTokens>();
        services.AddScoped<AccessTokens>();
        services.AddOptions<RefreshTokenOptions>().BindConfiguration(RefreshTokenOptions.Section);
        // Reset links are short-lived: they are as good as the password while they last.
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TimeSpan.FromHours(2));
        services.AddScoped<TeamMembers>();
        services.AddScoped<Invitations>();
        services.AddEmail();
        services.AddScoped<IAuthorizationHandler, PermissionHandler>();
        // Every endpoint of every host is closed to anonymous callers unless it says otherwise
        // (AllowAnonymous): a route that forgets its policy is not open to the internet.
        services.AddAuthorizationBuilder().AddPermissionPolicies()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    private static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            builder.AddPolicy(Permissions.PolicyName(permission), policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new PermissionRequirement(permission)));
        }

        return builder;
    }
}
