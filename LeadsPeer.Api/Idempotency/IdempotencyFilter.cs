using System.Security.Cryptography;
using System.Text;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Idempotency;
using Microsoft.AspNetCore.Http.Features;

namespace LeadsPeer.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on a route that creates or sends something: the first request with a
/// key runs and its successful answer is kept (<see cref="IdempotencyKeys"/>); a retry with the
/// same key and the same request gets that answer again (<c>Idempotent-Replayed: true</c>) and
/// creates or sends nothing. A refused request keeps nothing, so a corrected retry may use the
/// key; a request that broke off mid-way is never run again under its key (its outcome is unknown).
/// </summary>
internal sealed partial class IdempotencyFilter(IdempotencyKeys keys, CurrentMember member, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotencyKeys.Header, out var values))
        {
            return await next(context);
        }

        if (values.Count != 1 || !IdempotencyKeys.IsValidKey(values[0]))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: $"{IdempotencyKeys.Header} must be one value of 1 to {IdempotencyKeys.MaxKeyLength} visible ASCII characters.");
        }

        if (member.OrganizationId is not { } tenantId)
        {
            return await next(context); // not acting for an organisation: the route's own checks refuse it
        }

        var key = values[0]!;
        var reservation = await keys.ReserveAsync(tenantId, key, await FingerprintAsync(http), http.RequestAborted);
        switch (reservation.Kind)
        {
            case ReservationKind.Answered:
                return new Replay(reservation.Answer!);
            case ReservationKind.InProgress:
                http.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                    title: $"A request with this {IdempotencyKeys.Header} is still being processed. Retry shortly for its answer.");
            case ReservationKind.Interrupted:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                    title: $"The first request with this {IdempotencyKeys.Header} broke off before it answered, so whether it took effect is unknown. Check, then retry with a new key if needed.");
            case ReservationKind.Mismatch:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: $"This {IdempotencyKeys.Header} was already used for a different request.");
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception ex) when (ex is not BadHttpRequestException)
        {
            // It may have done its work before it threw: keep the key reserved without an answer.
            await AbandonAsync(tenantId, key);
            throw;
        }

        return await CaptureAsync(http, tenantId, key, result);
    }

    /// <summary>Runs the answer into a buffer, keeps it when it succeeded (2xx), then sends it on.</summary>
    private async Task<IResult> CaptureAsync(HttpContext http, Guid tenantId, string key, object? result)
    {
        var answer = result switch
        {
            IResult r => r,
            null => Results.Empty,
            _ => Results.Ok(result),
        };

        var bodyFeature = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await answer.ExecuteAsync(http);
        }
        catch
        {
            await AbandonAsync(tenantId, key);
            throw;
        }
        finally
        {
            http.Features.Set(bodyFeature);
        }

        var status = http.Response.StatusCode;
        try
        {
            if (status is >= 200 and < 300)
            {
                await keys.CompleteAsync(tenantId, key, new StoredAnswer(status, http.Response.ContentType, http.Response.Headers.Location, buffer.ToArray()), CancellationToken.None);
            }
            else
            {
                await keys.ReleaseAsync(tenantId, key, CancellationToken.None);
            }
        }
        catch (Exception ex) when (Core.Data.StoreErrors.IsUnreachable(ex))
        {
            // The work is done and its answer goes out; a retry finds the key without an answer
            // and is told its outcome is unknown rather than doing it twice.
            LogNotKept(logger, Core.Data.StoreErrors.OneLine(ex));
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
        return Results.Empty;
    }

    private async Task AbandonAsync(Guid tenantId, string key)
    {
        try
        {
            await keys.AbandonAsync(tenantId, key, CancellationToken.None);
        }
        catch (Exception ex) when (Core.Data.StoreErrors.IsUnreachable(ex))
        {
            LogNotKept(logger, Core.Data.StoreErrors.OneLine(ex));
        }
    }

    /// <summary>
    /// The request as the key promises it: method, route and its values, query and body (a form's
    /// fields and files by content, so a client's new multipart boundary is still the same request).
    /// </summary>
    private static async Task<string> FingerprintAsync(HttpContext http)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text ?? ""));
            hash.AppendData([0]);
        }

        var request = http.Request;
        Add(request.Method);
        Add((http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText);
        foreach (var (name, value) in request.RouteValues.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            Add(name);
            Add(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
        }

        Add(request.QueryString.Value);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(http.RequestAborted); // already read, within its limits, by the route
            foreach (var field in form.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                Add(field.Key);
                Add(field.Value.ToString());
            }

            foreach (var file in form.Files.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                Add(file.Name);
                Add(file.FileName);
                await using var content = file.OpenReadStream();
                hash.AppendData(await SHA256.HashDataAsync(content, http.RequestAborted));
            }
        }
        else if (request.Body.CanSeek)
        {
            // Buffered for keyed requests before the body was bound (UseIdempotentRequestBodies).
            request.Body.Position = 0;
            hash.AppendData(await SHA256.HashDataAsync(request.Body, http.RequestAborted));
            request.Body.Position = 0;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The first answer again, marked as a replay.</summary>
    private sealed class Replay(StoredAnswer answer) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = answer.StatusCode;
            response.Headers[ReplayedHeader] = "true";
            if (answer.Location is { } location)
            {
                response.Headers.Location = location;
            }

            if (answer.ContentType is { } contentType)
            {
                response.ContentType = contentType;
            }

            response.ContentLength = answer.Body.Length;
            await response.Body.WriteAsync(answer.Body, httpContext.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An idempotent request's answer could not be kept, PostgreSQL unreachable: {Reason}")]
    private static partial void LogNotKept(ILogger logger, string reason);
}
