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
}
