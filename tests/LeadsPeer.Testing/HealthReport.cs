using System.Net;
using System.Text.Json;

namespace LeadsPeer.Testing;

/// <summary>A <c>/health</c> answer as our hosts write it: overall status and each check's status and reason.</summary>
public sealed record HealthReport(HttpStatusCode StatusCode, string Status, IReadOnlyDictionary<string, (string Status, string? Description)> Checks)
{
    public static async Task<HealthReport> GetAsync(HttpClient client, string path = "/health")
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var checks = json.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(
            check => check.Name,
            check => (check.Value.GetProperty("status").GetString()!, check.Value.GetProperty("description").GetString()));
        return new HealthReport(response.StatusCode, json.RootElement.GetProperty("status").GetString()!, checks);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; the last report explains a timeout.</summary>
    public static async Task<HealthReport> WaitUntilAsync(HttpClient client, Func<HealthReport, bool> condition, TimeSpan timeout, string path = "/health")
    {
        var deadline = DateTime.UtcNow + timeout;
        HealthReport? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await GetAsync(client, path);
                if (condition(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // The host is not listening yet, or is restarting; poll again.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Health did not reach the expected state in {timeout.TotalSeconds} s; last: {last}");
    }

    public override string ToString() =>
        $"{(int)StatusCode} {Status} [{string.Join("; ", Checks.Select(c => $"{c.Key}={c.Value.Status}: {c.Value.Description}"))}]";
}
