using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Knowledge;

/// <summary>The knowledge and agent-settings API: uploads and their refusals, FAQ entries, permissions and tenants.</summary>
public sealed class KnowledgeApiTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.Settings["Knowledge:MaxFileBytes"] = "1048576";
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Harbour Hats", "owner@harbour.example");
    }

    [Fact]
    public async Task An_upload_is_accepted_with_its_detected_type_and_its_index_work_is_recorded_with_it()
    {
        using var response = await UploadAsync(_owner, "faq.md", "# Returns\n\nHats can be returned within 30 days."u8.ToArray());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = document.GetProperty("id").GetGuid();
        Assert.Equal($"/api/knowledge/documents/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(("faq.md", "text/markdown", "Uploaded"),
            (document.GetProperty("name").GetString(), document.GetProperty("contentType").GetString(), document.GetProperty("state").GetString()));
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'IndexDocument' AND subject_id = $1 AND state = 'Pending'", id));
        Assert.Equal(1, await _db.CountAsync("knowledge_documents", "raw_content IS NOT NULL"));
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'knowledge.upload' AND entity_id = $1", id));

        var listed = await _owner.GetFromJsonAsync<JsonElement>("/api/knowledge/documents", Ct);
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var one = await _owner.GetFromJsonAsync<JsonElement>($"/api/knowledge/documents/{id}", Ct);
        Assert.Equal(0, one.GetProperty("chunkCount").GetInt32());
        Assert.False(one.TryGetProperty("rawContent", out _));
    }

    [Theory]
    [InlineData("empty.txt", "", HttpStatusCode.BadRequest, "empty")]
    [InlineData("photo.pdf", "\u0089PNG\r\n\u001a\nrest-of-image", HttpStatusCode.UnsupportedMediaType, "PNG image")]
    [InlineData("notes.pdf", "just some words", HttpStatusCode.UnsupportedMediaType, "not a PDF")]
    [InlineData("tool.exe", "MZ\u0090\u0000binary", HttpStatusCode.UnsupportedMediaType, "program")]
    [InlineData("sheet.xlsx", "plain words", HttpStatusCode.UnsupportedMediaType, ".xlsx are not supported")]
    public async Task Bad_files_are_refused_with_a_problem_naming_what_is_wrong_and_nothing_is_stored(string name, string content, HttpStatusCode status, string expected)
    {
        using var response = await UploadAsync(_owner, name, Encoding.Latin1.GetBytes(content));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, await _db.CountAsync("knowledge_documents"));
        Assert.Equal(0, await _db.CountAsync("work_items"));
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_before_it_is_read_and_a_body_that_is_not_multipart_too()
    {
        using var tooLarge = await UploadAsync(_owner, "big.txt", new byte[2 * 1024 * 1024]);
        using var json = await _owner.PostAsJsonAsync("/api/knowledge/documents", new { file = "x" }, Ct);
        using var noFile = await _owner.PostAsync("/api/knowledge/documents", new MultipartFormDataContent { { new StringContent("x"), "note" } }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("larger than 1 MB", await tooLarge.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Equal(0, await _db.CountAsync("knowledge_documents"));
    }

    [Fact]
    public async Task Delete_removes_the_document_and_reindex_is_refused_until_it_is_indexed()
    {
        using var uploaded = await UploadAsync(_owner, "hours.txt", "Open 9 to 18."u8.ToArray());
        var id = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        using var early = await _owner.PostAsync($"/api/knowledge/documents/{id}/reindex", null, Ct);
        await _db.ExecuteAsync("UPDATE knowledge_documents SET state = 'Failed', raw_content = NULL WHERE id = $1", id);
        using var failed = await _owner.PostAsync($"/api/knowledge/documents/{id}/reindex", null, Ct);
        await _db.ExecuteAsync("UPDATE knowledge_documents SET state = 'Indexed' WHERE id = $1", id);
        using var reindexed = await _owner.PostAsync($"/api/knowledge/documents/{id}/reindex", null, Ct);
        using var deleted = await _owner.DeleteAsync($"/api/knowledge/documents/{id}", Ct);
        using var again = await _owner.DeleteAsync($"/api/knowledge/documents/{id}", Ct);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, failed.StatusCode);
        Assert.Contains("upload it again", await failed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Accepted, reindexed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(0, await _db.CountAsync("knowledge_documents"));
    }

    [Fact]
    public async Task Faq_entries_are_created_updated_listed_and_deleted_and_each_change_is_indexed()
    {
        using var created = await _owner.PostAsJsonAsync("/api/knowledge/faqs", new { question = "Do you ship abroad?", answer = "Within the EU." }, Ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        using var updated = await _owner.PutAsJsonAsync($"/api/knowledge/faqs/{id}", new { question = "Do you ship abroad?", answer = "Worldwide." }, Ct);
        var listed = await _owner.GetFromJsonAsync<JsonElement>("/api/knowledge/faqs", Ct);
        var documents = await _owner.GetFromJsonAsync<JsonElement>("/api/knowledge/documents", Ct);
        using var invalid = await _owner.PostAsJsonAsync("/api/knowledge/faqs", new { question = "", answer = new string('a', 4001) }, Ct);
        var generation = await _db.ScalarAsync<int>("SELECT generation FROM work_items WHERE subject_id = $1", id);
        using var deleted = await _owner.DeleteAsync($"/api/knowledge/faqs/{id}", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Worldwide.", Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("answer").GetString());
        Assert.Empty(documents.GetProperty("items").EnumerateArray()); // FAQ entries are not files
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("question", out _));
        Assert.Equal(1, generation); // created, then asked again by the update
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Agent_settings_have_defaults_are_replaced_by_put_and_validated()
    {
        var defaults = await _owner.GetFromJsonAsync<JsonElement>("/api/agent", Ct);
        using var saved = await _owner.PutAsJsonAsync("/api/agent", new
        {
            businessName = "Harbour Hats",
            domain = "A hat shop in Bristol",
            tone = "cheerful",
            handoffKeywords = new[] { "refund", "complaint" },
            confidenceThreshold = 0.5,
            greeting = "Ahoy!",
            declineMessage = "We only talk hats here.",
            flowTriggers = new Dictionary<string, string[]> { ["book"] = ["hat fitting", " Hat fitting ", "sizing"] },
            synonyms = new Dictionary<string, string[]> { ["opening hours"] = ["timings", "waqt"] },
            handoffWhenUnanswered = false,
            unansweredMessage = "Not sure, ask the shop.",
        }, Ct);
        using var badTables = await _owner.PutAsJsonAsync("/api/agent", new
        {
            flowTriggers = new Dictionary<string, string[]> { ["juggling"] = ["juggle"] },
            synonyms = new Dictionary<string, string[]> { ["hours"] = [new string('h', 65)] },
        }, Ct);
        using var invalid = await _owner.PutAsJsonAsync("/api/agent", new { confidenceThreshold = 1.5, businessName = new string('x', 201), declineMessage = new string('d', 1001) }, Ct);
        using var unknownField = await _owner.PutAsJsonAsync("/api/agent", new { temperature = 2 }, Ct);
        var after = await _owner.GetFromJsonAsync<JsonElement>("/api/agent", Ct);

        Assert.True(defaults.GetProperty("enabled").GetBoolean());
        Assert.Equal("Local", defaults.GetProperty("answerer").GetString());
        Assert.Contains("does not write new sentences", defaults.GetProperty("answererDescription").GetString());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("confidenceThreshold").ValueKind);
        Assert.True(defaults.GetProperty("effectiveConfidenceThreshold").GetDouble() > 0);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("confidenceThreshold", out _) && errors.TryGetProperty("businessName", out _) && errors.TryGetProperty("declineMessage", out _));
        Assert.Equal("Sorry, I can only help with questions about this business. What would you like to know?", defaults.GetProperty("effectiveDeclineMessage").GetString());
        Assert.Equal("We only talk hats here.", after.GetProperty("effectiveDeclineMessage").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal(("Harbour Hats", "Ahoy!", 0.5), (after.GetProperty("businessName").GetString(), after.GetProperty("greeting").GetString(), after.GetProperty("effectiveConfidenceThreshold").GetDouble()));
        Assert.Equal(["refund", "complaint"], after.GetProperty("handoffKeywords").EnumerateArray().Select(k => k.GetString()));
        // The word tables: stored trimmed and without repeats; a flow that does not exist and an over-long word are refused by name, and nothing of them is stored.
        Assert.Equal(["hat fitting", "sizing"], after.GetProperty("flowTriggers").GetProperty("book").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["timings", "waqt"], after.GetProperty("synonyms").GetProperty("opening hours").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badTables.StatusCode);
        var tableErrors = (await badTables.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(tableErrors.TryGetProperty("flowTriggers.juggling", out _) && tableErrors.TryGetProperty("synonyms.hours", out _), tableErrors.ToString());
        Assert.Empty(defaults.GetProperty("synonyms").EnumerateObject());
        // Handoffs per outcome: on by default; the one switched off stays off, the one left out stays on.
        Assert.True(defaults.GetProperty("handoffWhenUnanswered").GetBoolean() && defaults.GetProperty("handoffOnDecision").GetBoolean());
        Assert.Equal((false, true), (after.GetProperty("handoffWhenUnanswered").GetBoolean(), after.GetProperty("handoffOnDecision").GetBoolean()));
        Assert.Equal("Not sure, ask the shop.", after.GetProperty("effectiveUnansweredMessage").GetString());
    }

    [Fact]
    public async Task Operators_cannot_change_knowledge_or_the_agent_and_another_organisation_sees_none_of_it()
    {
        using var uploaded = await UploadAsync(_owner, "hours.txt", "Open 9 to 18."u8.ToArray());
        var id = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await _owner.PostAsJsonAsync("/api/team/invitations", new { email = "olive@harbour.example", role = "Operator" }, Ct)).Dispose();
        using (var anonymous = _api.CreateClient())
        {
            (await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("olive@harbour.example")}/accept",
                new { name = "Olive", password = ApiFactory.Password }, Ct)).EnsureSuccessStatusCode();
        }

        var @operator = await _api.SignInAsync("olive@harbour.example", ApiFactory.Password);
        var rival = await _api.SignUpAsync("Rival Caps", "owner@rival.example");

        using var operatorUpload = await UploadAsync(@operator, "x.txt", "x"u8.ToArray());
        using var operatorAgent = await @operator.PutAsJsonAsync("/api/agent", new { businessName = "Mine now" }, Ct);
        using var rivalGet = await rival.GetAsync($"/api/knowledge/documents/{id}", Ct);
        using var rivalDelete = await rival.DeleteAsync($"/api/knowledge/documents/{id}", Ct);
        var rivalList = await rival.GetFromJsonAsync<JsonElement>("/api/knowledge/documents", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, operatorUpload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, operatorAgent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rivalGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rivalDelete.StatusCode);
        Assert.Empty(rivalList.GetProperty("items").EnumerateArray());
        Assert.Equal(1, await _db.CountAsync("knowledge_documents"));
    }

    private Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync("/api/knowledge/documents", new MultipartFormDataContent { { file, "file", name } }, Ct);
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
