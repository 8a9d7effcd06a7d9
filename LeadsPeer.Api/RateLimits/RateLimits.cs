using System.Globalization;
using System.Threading.RateLimiting;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.RateLimits;

/// <summary>
/// ASP.NET Core's rate limiter for the Api: named policies on the routes a flood targets, a global
/// limit on every organisation's writes, and a 429 problem with <c>Retry-After</c> for all of them.
/// </summary>
public static class RateLimitExtensions
{
    public const string SignIn = "sign-in";
    public const string Accounts = "accounts";
    public const string Sandbox = "sandbox";
    public const string Uploads = "uploads";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddSignInLimits();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignIn, context => RateLimitPartition.GetFixedWindowLimiter(Address(context), _ => Limits(context).SignInPerAddress.Options()));
            options.AddPolicy(Accounts, context => RateLimitPartition.GetFixedWindowLimiter(Address(context), _ => Limits(context).AccountsPerAddress.Options()));
            options.AddPolicy(Sandbox, context => RateLimitPartition.GetFixedWindowLimiter(Organization(context), _ => Limits(context).SandboxPerOrganization.Options()));
            options.AddPolicy(Uploads, context => RateLimitPartition.GetFixedWindowLimiter(Organization(context), _ => Limits(context).UploadsPerOrganization.Options()));
            // Every member's writes, whichever route: a forgotten policy still has a ceiling.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsWrite(context) && context.RequestServices.GetRequiredService<CurrentMember>().OrganizationId is { } organization
                    ? RateLimitPartition.GetFixedWindowLimiter(organization.ToString(), _ => Limits(context).WritesPerOrganization.Options())
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            options.OnRejected = (context, _) =>
                new(TooMany(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null).ExecuteAsync(context.HttpContext));
        });
        return services;
    }

    /// <summary>The 429 every limit answers: problem details, and when to try again in seconds (<c>Retry-After</c>).</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooMany(HttpContext context, TimeSpan? retryAfter)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, (retryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.", detail: $"Try again in {seconds} s.");
    }

    internal static RateLimitOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    // Behind a proxy every caller shares the proxy's address until forwarded headers are trusted.
    internal static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string Organization(HttpContext context) =>
        context.RequestServices.GetRequiredService<CurrentMember>().OrganizationId?.ToString() ?? Address(context);

    private static bool IsWrite(HttpContext context) =>
        !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
        && context.Request.Path.StartsWithSegments("/api");
}
