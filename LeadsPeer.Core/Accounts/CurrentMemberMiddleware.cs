using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using LeadsPeer.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Core.Accounts;

public static class CurrentMemberMiddleware
{
    /// <summary>
    /// After authentication: sets the request's tenant and <see cref="CurrentMember"/> from the
    /// signed-in user's current organisation, so every query that follows is scoped to it.
    /// </summary>
    public static IApplicationBuilder UseCurrentMember(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.RequestServices.GetRequiredService<RequestOrigin>().IpAddress = context.Connection.RemoteIpAddress?.ToString();
            if (context.User.Identity?.IsAuthenticated == true
                && Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
            {
                await context.RequestServices.GetRequiredService<MemberResolver>().ResolveAsync(userId, context.RequestAborted);
            }

            await next(context);
        });

    /// <summary>
    /// A request no endpoint answers is a 404 for anyone. The fallback authorization policy
    /// applies to requests without an endpoint too, so without this an anonymous caller of a
    /// mistyped address would be asked to sign in (401, or the sign-in page) instead.
    /// </summary>
    public static IApplicationBuilder UseNotFoundForUnknownAddresses(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is not null)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
}
