using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Idempotency;

/// <summary>
/// Idempotency-Key on the routes that create or send: a retry gets the first answer and does
/// nothing again — for a reply, an upload, an FAQ entry, an invitation and a sandbox message.
/// </summary>
public sealed class IdempotencyTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sandbox;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Harbour Hats", "owner@harbour.example");
        using var sandbox = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        _sandbox = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_retried_reply_gets_the_first_answer_and_the_customer_gets_one_message()
    {
        var conversation = await ClaimedConversationAsync();

        using var first = await PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "S, M and L." }, "reply-1");
        using var retry = await PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "S, M and L." }, "reply-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("application/json", retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await _db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Send'"));

        // A new key is a new reply.
        using var another = await PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "S, M and L." }, "reply-2");
        Assert.Equal(HttpStatusCode.Accepted, another.StatusCode);
        Assert.Equal(2, await _db.CountAsync("messages", "direction = 'Outbound'"));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_send_once_and_the_others_are_told_it_is_in_progress_or_get_its_answer()
    {
        var conversation = await ClaimedConversationAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Ready tomorrow." }, "double-click")));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Accepted && !r.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted && !r.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await _db.CountAsync("messages", "direction = 'Outbound'"));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("still being processed", await conflict.Content.ReadAsStringAsync(Ct));
            Assert.Equal("1", conflict.Headers.RetryAfter?.ToString());
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task The_same_key_for_another_request_is_refused_and_changes_nothing()
    {
        var conversation = await ClaimedConversationAsync();
        (await PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Yes." }, "k-1")).Dispose();

        using var otherBody = await PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "No." }, "k-1");
        using var otherRoute = await PostJsonAsync("/api/knowledge/faqs", new { question = "Open?", answer = "Yes." }, "k-1");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherRoute.StatusCode);
        Assert.Equal("application/problem+json", otherBody.Content.Headers.ContentType?.MediaType);
        Assert.Contains("different request", await otherBody.Content.ReadAsStringAsync(Ct));
        Assert.Equal(1, await _db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal(0, await _db.CountAsync("knowledge_documents"));
    }

    [Fact]
    public async Task A_retried_upload_stores_one_document_even_with_a_new_multipart_boundary_and_another_file_under_the_key_is_refused()
    {
        var bytes = "# Returns\n\nHats can be returned within 30 days."u8.ToArray();

        using var first = await UploadAsync("returns.md", bytes, "upload-1");
        using var retry = await UploadAsync("returns.md", bytes, "upload-1");
        using var otherFile = await UploadAsync("returns.md", "# Returns\n\nNo returns."u8.ToArray(), "upload-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(),
            (await retry.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherFile.StatusCode);
        Assert.Equal(1, await _db.CountAsync("knowledge_documents"));
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'IndexDocument'"));
    }

    [Fact]
    public async Task A_refused_request_keeps_nothing_so_the_corrected_retry_with_its_key_is_created_once()
    {
        using var refused = await PostJsonAsync("/api/knowledge/faqs", new { question = "", answer = "Yes." }, "faq-1");
        using var corrected = await PostJsonAsync("/api/knowledge/faqs", new { question = "Open on Sundays?", answer = "Yes." }, "faq-1");
        using var retried = await PostJsonAsync("/api/knowledge/faqs", new { question = "Open on Sundays?", answer = "Yes." }, "faq-1");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(corrected.Headers.Location, retried.Headers.Location);
        Assert.Equal(1, await _db.CountAsync("knowledge_documents", "kind = 'Faq'"));
    }

    [Fact]
    public async Task Keys_belong_to_one_organisation_and_expire_after_a_day()
    {
        using var other = await _api.SignUpAsync("Bay Boots", "owner@bay.example");
        var body = new { question = "Open on Sundays?", answer = "Yes." };

        using var ours = await PostJsonAsync("/api/knowledge/faqs", body, "shared-key");
        using var theirs = await PostJsonAsync("/api/knowledge/faqs", body, "shared-key", other);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(ours.Headers.Location, theirs.Headers.Location);

        _api.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        using var signedInAgain = await _api.SignInAsync("owner@harbour.example", ApiFactory.Password); // the access token expired too
        using var afterADay = await PostJsonAsync("/api/knowledge/faqs", body, "shared-key", signedInAgain);
        Assert.Equal(HttpStatusCode.Created, afterADay.StatusCode);
        Assert.False(afterADay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3, await _db.CountAsync("knowledge_documents", "kind = 'Faq'"));
    }

    [Fact]
    public async Task A_retried_invitation_emails_once_and_a_retried_sandbox_message_reaches_the_business_once()
    {
        using var invite = await PostJsonAsync("/api/team/invitations", new { email = "olive@harbour.example", role = "Operator" }, "invite-1");
        using var reinvite = await PostJsonAsync("/api/team/invitations", new { email = "olive@harbour.example", role = "Operator" }, "invite-1");
        using var write = await PostJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text = "Hello" }, "hello-1");
        using var rewrite = await PostJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text = "Hello" }, "hello-1");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (invite.StatusCode, reinvite.StatusCode));
        Assert.Equal(1, _api.EmailsSentTo("olive@harbour.example"));
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (write.StatusCode, rewrite.StatusCode));
        Assert.Equal(1, await _db.CountAsync("messages", "direction = 'Inbound'"));
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("ключ")]
    public async Task A_malformed_key_is_refused_before_anything_is_done(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/knowledge/faqs")
        {
            Content = JsonContent.Create(new { question = "Open?", answer = "Yes." }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key == "ключ" ? Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(key)) : key);
        using var response = await _owner.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, await _db.CountAsync("knowledge_documents"));
        Assert.Equal(0, await _db.CountAsync("idempotency_keys"));
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_refused()
    {
        using var response = await PostJsonAsync("/api/knowledge/faqs", new { question = "Open?", answer = "Yes." }, new string('k', 256));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _db.CountAsync("knowledge_documents"));
    }

    [Fact]
    public async Task The_openapi_document_names_the_header_on_each_idempotent_route_and_on_no_other()
    {
        var document = await _owner.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var keyed = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Value.TryGetProperty("parameters", out var parameters)
                    && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header"))
                {
                    keyed.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                }
            }
        }

        Assert.Equal(
            ["POST /api/booking/services", "POST /api/booking/staff", "POST /api/bookings", "POST /api/bookings/{id}/cancel", "POST /api/bookings/{id}/complete",
             "POST /api/bookings/{id}/no-show", "POST /api/bookings/{id}/reschedule", "POST /api/catalog/import", "POST /api/catalog/products", "POST /api/conversations/{id}/messages", "POST /api/knowledge/documents", "POST /api/knowledge/faqs",
             "POST /api/orders/{id}/status", "POST /api/organization/closure", "POST /api/sandbox/connections/{id}/customer-messages", "POST /api/team/invitations"],
            keyed.Order(StringComparer.Ordinal));
    }

    private async Task<Guid> ClaimedConversationAsync()
    {
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text = "What sizes?" }, Ct)).EnsureSuccessStatusCode();
        var id = await _db.ScalarAsync<Guid>("SELECT id FROM conversations");
        (await _owner.PostAsync($"/api/conversations/{id}/claim", null, Ct)).EnsureSuccessStatusCode();
        return id;
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, object body, string key, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return (client ?? _owner).SendAsync(request, Ct);
    }

    private Task<HttpResponseMessage> UploadAsync(string name, byte[] bytes, string key)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/knowledge/documents")
        {
            Content = new MultipartFormDataContent { { file, "file", name } },
        };
        request.Headers.Add("Idempotency-Key", key);
        return _owner.SendAsync(request, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
