using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using LeadsPeer.Core.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Web.Components.Account;

/// <summary>
/// The dashboard's sign-in, sign-up, reset and invitation forms, limited per address as the
/// Api's routes are (the same <c>RateLimits:*</c> settings). Only posted forms count: showing a
/// form is free. Over a limit: 429 with <c>Retry-After</c> and a page that says when to try again.
/// </summary>
public static class AccountFormLimits
{
    public const string SignIn = "dashboard-sign-in";
    public const string Accounts = "dashboard-accounts";

    public static IServiceCollection AddAccountFormLimits(this IServiceCollection services)
    {
        services.AddSignInLimits();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignIn, context => Posted(context, limits => limits.SignInPerAddress));
            options.AddPolicy(Accounts, context => Posted(context, limits => limits.AccountsPerAddress));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var after = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
                var seconds = (int)Math.Ceiling(Math.Max(1, after.TotalSeconds));
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync($"""
                    <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Too many attempts · Leads Peer</title></head>
                    <body><h1>Too many attempts</h1><p>Too many attempts from your address. Try again in {WebUtility.HtmlEncode(Words(seconds))}.</p></body></html>
                    """, cancellationToken);
            };
        });
        return services;
    }

    /// <summary>"45 seconds", "3 minutes": the wait as a person reads it.</summary>
    public static string Words(int seconds) => seconds < 90 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";

    private static RateLimitPartition<string> Posted(HttpContext context, Func<RateLimitOptions, WindowLimit> limit) =>
        HttpMethods.IsPost(context.Request.Method)
            ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => limit(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value).Options())
            : RateLimitPartition.GetNoLimiter("shown");
}
