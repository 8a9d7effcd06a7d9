using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadsPeer.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Api.Tests;

/// <summary>
/// Every tenant route, found from the Api's own endpoints: a route that names an object answers
/// 404 for another organisation's real object and changes nothing of it; every list leaves the
/// other organisation out; and who may call a route is the permission table's (anonymous: 401,
/// an Operator outside conversations: 403). A route added without an entry here fails the test.
/// </summary>
public sealed partial class RouteCoverageTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _theirOwner = null!;
    private HttpClient _rival = null!;
    private HttpClient _rivalOperator = null!;
    private Theirs _theirs = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Objects of the organisation the rival must not reach.</summary>
    private sealed record Theirs(Guid Conversation, Guid Contact, Guid Document, Guid Faq, Guid Invitation, Guid Member, Guid Connection, Guid Export, Guid Product, Guid Order, Guid Service, Guid Staff, Guid Booking);

    /// <summary>Each route that names an object, with the call the rival makes on the other organisation's one.</summary>
    private static readonly Dictionary<string, Func<Theirs, (string Path, object? Body)>> ByObject = new()
    {
        ["GET /api/conversations/{id:guid}"] = t => ($"/api/conversations/{t.Conversation}", null),
        ["GET /api/conversations/{id:guid}/messages"] = t => ($"/api/conversations/{t.Conversation}/messages", null),
        ["POST /api/conversations/{id:guid}/messages"] = t => ($"/api/conversations/{t.Conversation}/messages", new { text = "Not yours." }),
        ["POST /api/conversations/{id:guid}/read"] = t => ($"/api/conversations/{t.Conversation}/read", null),
        ["POST /api/conversations/{id:guid}/claim"] = t => ($"/api/conversations/{t.Conversation}/claim?takeOver=true", null),
        ["POST /api/conversations/{id:guid}/release"] = t => ($"/api/conversations/{t.Conversation}/release", null),
        ["POST /api/conversations/{id:guid}/hand-back"] = t => ($"/api/conversations/{t.Conversation}/hand-back", null),
        ["POST /api/conversations/{id:guid}/resolve"] = t => ($"/api/conversations/{t.Conversation}/resolve", null),
        ["POST /api/conversations/{id:guid}/reopen"] = t => ($"/api/conversations/{t.Conversation}/reopen", null),
        ["GET /api/contacts/{id:guid}"] = t => ($"/api/contacts/{t.Contact}", null),
        ["DELETE /api/contacts/{id:guid}"] = t => ($"/api/contacts/{t.Contact}", null),
        ["PUT /api/contacts/{id:guid}"] = t => ($"/api/contacts/{t.Contact}", new { displayName = "Renamed", doNotProcess = true }),
        ["GET /api/contacts/{id:guid}/export"] = t => ($"/api/contacts/{t.Contact}/export", null),
        ["GET /api/organization/exports/{id:guid}/download"] = t => ($"/api/organization/exports/{t.Export}/download", null),
        ["GET /api/knowledge/documents/{id:guid}"] = t => ($"/api/knowledge/documents/{t.Document}", null),
        ["DELETE /api/knowledge/documents/{id:guid}"] = t => ($"/api/knowledge/documents/{t.Document}", null),
        ["POST /api/knowledge/documents/{id:guid}/reindex"] = t => ($"/api/knowledge/documents/{t.Document}/reindex", null),
        ["PUT /api/knowledge/faqs/{id:guid}"] = t => ($"/api/knowledge/faqs/{t.Faq}", new { question = "Taken over?", answer = "Yes." }),
        ["DELETE /api/knowledge/faqs/{id:guid}"] = t => ($"/api/knowledge/faqs/{t.Faq}", null),
        ["PUT /api/team/members/{userId:guid}"] = t => ($"/api/team/members/{t.Member}", new { role = "Owner" }),
        ["DELETE /api/team/members/{userId:guid}"] = t => ($"/api/team/members/{t.Member}", null),
        ["DELETE /api/team/invitations/{id:guid}"] = t => ($"/api/team/invitations/{t.Invitation}", null),
        ["DELETE /api/whatsapp/connections/{id:guid}"] = t => ($"/api/whatsapp/connections/{t.Connection}", null),
        ["POST /api/sandbox/connections/{id:guid}/customer-messages"] = t => ($"/api/sandbox/connections/{t.Connection}/customer-messages", new { text = "Hello from outside" }),
        ["GET /api/sandbox/connections/{id:guid}/customer-inbox"] = t => ($"/api/sandbox/connections/{t.Connection}/customer-inbox", null),
        ["GET /api/sandbox/connections/{id:guid}/catalog"] = t => ($"/api/sandbox/connections/{t.Connection}/catalog", null),
        ["PUT /api/sandbox/connections/{id:guid}/service-window"] = t => ($"/api/sandbox/connections/{t.Connection}/service-window", new { seconds = 10 }),
        ["GET /api/whatsapp/connections/{id:guid}/templates"] = t => ($"/api/whatsapp/connections/{t.Connection}/templates", null),
        ["POST /api/whatsapp/connections/{id:guid}/templates/sync"] = t => ($"/api/whatsapp/connections/{t.Connection}/templates/sync", null),
        ["POST /api/whatsapp/connections/{id:guid}/templates"] = t => ($"/api/whatsapp/connections/{t.Connection}/templates",
            new { name = "planted", language = "en_US", category = "UTILITY", body = "Hello there, friend." }),
        ["DELETE /api/whatsapp/connections/{id:guid}/templates/{name}"] = t => ($"/api/whatsapp/connections/{t.Connection}/templates/order_ready", null),
        ["GET /api/catalog/products/{id:guid}"] = t => ($"/api/catalog/products/{t.Product}", null),
        ["PUT /api/catalog/products/{id:guid}"] = t => ($"/api/catalog/products/{t.Product}", new { sku = "HAT-1", name = "Taken hat", price = 1, currency = "EUR" }),
        ["DELETE /api/catalog/products/{id:guid}"] = t => ($"/api/catalog/products/{t.Product}", null),
        ["GET /api/orders/{id:guid}"] = t => ($"/api/orders/{t.Order}", null),
        ["POST /api/orders/{id:guid}/status"] = t => ($"/api/orders/{t.Order}/status", new { status = "Cancelled", reason = "Not yours." }),
        ["PUT /api/booking/services/{id:guid}"] = t => ($"/api/booking/services/{t.Service}", new { name = "Taken", durationMinutes = 30 }),
        ["DELETE /api/booking/services/{id:guid}"] = t => ($"/api/booking/services/{t.Service}", null),
        ["PUT /api/booking/staff/{id:guid}"] = t => ($"/api/booking/staff/{t.Staff}", new { name = "Taken" }),
        ["DELETE /api/booking/staff/{id:guid}"] = t => ($"/api/booking/staff/{t.Staff}", null),
        ["POST /api/booking/staff/{id:guid}/calendar-feed"] = t => ($"/api/booking/staff/{t.Staff}/calendar-feed", null),
        ["DELETE /api/booking/staff/{id:guid}/calendar-feed"] = t => ($"/api/booking/staff/{t.Staff}/calendar-feed", null),
        ["GET /api/bookings/{id:guid}"] = t => ($"/api/bookings/{t.Booking}", null),
        ["POST /api/bookings/{id:guid}/cancel"] = t => ($"/api/bookings/{t.Booking}/cancel", new { reason = "Not yours." }),
        ["POST /api/bookings/{id:guid}/reschedule"] = t => ($"/api/bookings/{t.Booking}/reschedule", new { start = DateTimeOffset.UtcNow.AddDays(3) }),
        ["POST /api/bookings/{id:guid}/complete"] = t => ($"/api/bookings/{t.Booking}/complete", null),
        ["POST /api/bookings/{id:guid}/no-show"] = t => ($"/api/bookings/{t.Booking}/no-show", null),
    };

    /// <summary>Routes that name an object in their query rather than their path: 404 for another organisation's, like those above.</summary>
    private static readonly Dictionary<string, Func<Theirs, string>> ByQuery = new()
    {
        ["GET /api/booking/slots"] = t => $"/api/booking/slots?serviceId={t.Service}",
    };

    /// <summary>Routes with a parameter that is not an organisation's object, and why.</summary>
    private static readonly Dictionary<string, string> NotAnObject = new()
    {
        // The token is the credential, and whoever holds it joins the organisation that sent it.
        ["POST /api/team/invitations/{token}/accept"] = "an invitation token",
    };

    /// <summary>Routes anyone may call (signing up and in, resetting a password, accepting an invitation).</summary>
    private static readonly HashSet<string> Anonymous =
    [
        "POST /api/onboarding/signup", "POST /api/auth/login", "POST /api/auth/refresh", "POST /api/auth/logout", "POST /api/auth/forgot-password",
        "POST /api/auth/reset-password", "POST /api/team/invitations/{token}/accept",
    ];

    /// <summary>
    /// What an Operator may use (the permission table: conversations, and seeing the team);
    /// everything else is for Owners and Admins — a customer's export and erasure included.
    /// </summary>
    private static bool OperatorMay(string route) =>
        route.Contains(" /api/conversations", StringComparison.Ordinal) || route == "GET /api/contacts/{id:guid}"
        || route.Contains(" /api/sandbox/", StringComparison.Ordinal) || route.Contains(" /api/me", StringComparison.Ordinal)
        || route == "GET /api/whatsapp/connections/{id:guid}/templates"
        || route == "GET /api/team/members"
        || route.Contains(" /api/orders", StringComparison.Ordinal)
        || route.StartsWith("GET /api/catalog/", StringComparison.Ordinal) || route == "GET /api/ordering/settings"
        || route.StartsWith("GET /api/booking/", StringComparison.Ordinal) || route.Contains(" /api/bookings", StringComparison.Ordinal);

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _theirOwner = await _api.SignUpAsync("Harbour Hats", "owner@harbour.example");
        _rival = await _api.SignUpAsync("Rival Caps", "owner@rival.example");
        await JoinAsync(_rival, "operator@rival.example", "Operator");
        _rivalOperator = await _api.SignInAsync("operator@rival.example", ApiFactory.Password);

        var member = await JoinAsync(_theirOwner, "olive@harbour.example", "Operator");
        using var invitation = await _theirOwner.PostAsJsonAsync("/api/team/invitations", new { email = "pending@harbour.example", role = "Admin" }, Ct);
        using var sandbox = await _theirOwner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var connection = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await _theirOwner.PostAsJsonAsync($"/api/sandbox/connections/{connection}/customer-messages", new { text = "Do you have red hats?", from = "15550000001" }, Ct))
            .EnsureSuccessStatusCode();
        using var faq = await _theirOwner.PostAsJsonAsync("/api/knowledge/faqs", new { question = "Do you ship abroad?", answer = "Only within the EU." }, Ct);
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("# Hats\n\nRed hats are back in stock.\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
        using var document = await _theirOwner.PostAsync("/api/knowledge/documents", new MultipartFormDataContent { { file, "file", "hats.md" } }, Ct);
        using var export = await _theirOwner.PostAsync("/api/organization/export", null, Ct);
        using var product = await _theirOwner.PostAsJsonAsync("/api/catalog/products", new { sku = "HAT-1", name = "Red hat", price = 25.5, currency = "EUR", stock = 4 }, Ct);
        var productId = (await product.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var order = await _db.ScalarAsync<Guid>("""
            INSERT INTO orders (id, tenant_id, reference, cart_id, contact_id, conversation_id, status, fulfilment, payment_method, currency,
                                subtotal_minor, delivery_fee_minor, total_minor, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'ORD-1001', gen_random_uuid(), contact_id, id, 'New', 'Delivery', 'CashOnDelivery', 'EUR', 2550, 0, 2550, now(), now()
            FROM conversations RETURNING id
            """);
        (await _theirOwner.PutAsJsonAsync("/api/booking/hours", new { timeZone = "Europe/Dublin", weekly = new { monday = new[] { new { from = "09:00", to = "17:00" } } } }, Ct))
            .EnsureSuccessStatusCode();
        using var staff = await _theirOwner.PostAsJsonAsync("/api/booking/staff", new { name = "Niamh" }, Ct);
        var staffId = (await staff.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        using var service = await _theirOwner.PostAsJsonAsync("/api/booking/services", new { name = "Hat fitting", durationMinutes = 30, staffIds = new[] { staffId } }, Ct);
        var serviceId = (await service.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var booking = await _db.ScalarAsync<Guid>("""
            INSERT INTO bookings (id, tenant_id, reference, service_id, service_name, staff_id, staff_name, start_at, end_at, blocked_until, exclusive, status,
                                  contact_id, conversation_id, customer_name, booked_by, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'BK-B-101', $1, 'Hat fitting', $2, 'Niamh', now() - interval '1 hour', now() - interval '30 minutes', now() - interval '30 minutes',
                   true, 'Confirmed', contact_id, id, 'Aoife', 'Team', now(), now()
            FROM conversations RETURNING id
            """, serviceId, staffId);
        _theirs = new Theirs(
            await _db.ScalarAsync<Guid>("SELECT id FROM conversations"),
            await _db.ScalarAsync<Guid>("SELECT id FROM contacts"),
            (await document.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(),
            (await faq.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(),
            (await invitation.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(),
            member,
            connection,
            (await export.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(),
            productId,
            order,
            serviceId,
            staffId,
            booking);
    }

    [Fact]
    public async Task Every_route_that_names_an_object_answers_404_for_another_organisations_and_changes_nothing()
    {
        var named = Routes().Where(r => r.Contains('{')).ToList();
        Assert.DoesNotContain(named, r => !ByObject.ContainsKey(r) && !NotAnObject.ContainsKey(r));
        Assert.Empty(ByObject.Keys.Concat(NotAnObject.Keys).Except(named));
        Assert.Empty(ByQuery.Keys.Except(Routes()));
        var before = await SnapshotAsync();

        foreach (var (route, call) in ByObject.Concat(ByQuery.Select(q => KeyValuePair.Create(q.Key, (Func<Theirs, (string, object?)>)(t => (q.Value(t), null))))))
        {
            var (path, body) = call(_theirs);
            using var request = new HttpRequestMessage(new HttpMethod(route[..route.IndexOf(' ')]), path)
            {
                Content = body is null ? null : JsonContent.Create(body),
            };
            using var response = await _rival.SendAsync(request, Ct);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_booking_body_naming_another_organisations_service_staff_member_or_customer_is_refused_and_changes_nothing()
    {
        (await _rival.PutAsJsonAsync("/api/booking/hours", new { timeZone = "UTC", weekly = new { monday = new[] { new { from = "00:00", to = "24:00" } } } }, Ct))
            .EnsureSuccessStatusCode();
        using var staff = await _rival.PostAsJsonAsync("/api/booking/staff", new { name = "Rory" }, Ct);
        var rivalStaff = (await staff.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        using var service = await _rival.PostAsJsonAsync("/api/booking/services", new { name = "Cap fitting", durationMinutes = 30, staffIds = new[] { rivalStaff } }, Ct);
        var rivalService = (await service.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var monday = DateTimeOffset.UtcNow.Date.AddDays(7 + (((int)DayOfWeek.Monday - (int)DateTimeOffset.UtcNow.DayOfWeek + 7) % 7)).AddHours(10);
        var before = await SnapshotAsync();

        var calls = new (string Path, object Body, string Field)[]
        {
            ("/api/bookings", new { serviceId = _theirs.Service, start = new DateTimeOffset(monday, TimeSpan.Zero), customerName = "Walk-in" }, "serviceId"),
            ("/api/bookings", new { serviceId = rivalService, staffId = _theirs.Staff, start = new DateTimeOffset(monday, TimeSpan.Zero), customerName = "Walk-in" }, "staffId"),
            ("/api/bookings", new { serviceId = rivalService, start = new DateTimeOffset(monday, TimeSpan.Zero), contactId = _theirs.Contact }, "contactId"),
            ("/api/booking/services", new { name = "Borrowed", durationMinutes = 30, staffIds = new[] { _theirs.Staff } }, "staffIds"),
        };
        foreach (var (path, body, field) in calls)
        {
            using var response = await _rival.PostAsJsonAsync(path, body, Ct);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} naming {field}: {(int)response.StatusCode} {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{path}: {problem}");
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(1, await _db.CountAsync("bookings")); // theirs only: nothing was booked for the rival either
        Assert.Equal(1, await _db.CountAsync("booking_services", "name = 'Cap fitting'"));
    }

    [Fact]
    public async Task Every_list_leaves_the_other_organisation_out()
    {
        var theirIds = new[] { _theirs.Conversation, _theirs.Contact, _theirs.Document, _theirs.Faq, _theirs.Invitation, _theirs.Member, _theirs.Connection, _theirs.Export, _theirs.Product, _theirs.Order,
            _theirs.Service, _theirs.Staff, _theirs.Booking }
            .Select(id => id.ToString()).ToList();
        var lists = Routes().Where(r => r.StartsWith("GET ", StringComparison.Ordinal) && !r.Contains('{') && !ByQuery.ContainsKey(r)).ToList();
        Assert.Contains("GET /api/conversations", lists);

        foreach (var route in lists)
        {
            using var response = await _rival.GetAsync(route[4..], Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);

            Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {body}");
            Assert.DoesNotContain(theirIds, body.Contains);
            Assert.DoesNotContain("Harbour Hats", body);
        }
    }

    [Fact]
    public async Task Every_route_is_refused_without_sign_in_and_outside_conversations_to_an_operator()
    {
        var routes = Routes();
        var anonymousRoutes = Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(Name).ToHashSet();
        Assert.Equal(Anonymous.Order(), anonymousRoutes.Order());
        using var visitor = _api.CreateClient();

        foreach (var route in routes.Where(r => !Anonymous.Contains(r)))
        {
            using var signedOut = await SendAsync(visitor, route);
            Assert.True(signedOut.StatusCode == HttpStatusCode.Unauthorized, $"{route} without sign-in: {(int)signedOut.StatusCode}");
            if (!OperatorMay(route))
            {
                using var byOperator = await SendAsync(_rivalOperator, route);
                Assert.True(byOperator.StatusCode == HttpStatusCode.Forbidden, $"{route} by an Operator: {(int)byOperator.StatusCode}");
            }
        }
    }

    /// <summary>
    /// A call with placeholder ids and an empty body of the kind the route accepts (JSON, or a form
    /// for uploads): authorisation answers before either is read.
    /// </summary>
    private Task<HttpResponseMessage> SendAsync(HttpClient client, string route)
    {
        var path = Parameter().Replace(route[(route.IndexOf(' ') + 1)..], Guid.NewGuid().ToString());
        var accepts = Endpoints().First(e => Name(e) == route).Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [];
        return client.SendAsync(new HttpRequestMessage(new HttpMethod(route[..route.IndexOf(' ')]), path)
        {
            Content = route.StartsWith("GET ", StringComparison.Ordinal) || route.StartsWith("DELETE ", StringComparison.Ordinal) ? null
                : accepts.Contains("multipart/form-data") ? new MultipartFormDataContent()
                : new StringContent("{}", Encoding.UTF8, "application/json"),
        }, Ct);
    }

    /// <summary>What the rival's calls could have changed in the other organisation.</summary>
    private async Task<string> SnapshotAsync()
    {
        var rows = await _db.RowsAsync("""
            SELECT (SELECT string_agg(state || ':' || coalesce(assigned_user_id::text, '') || ':' || coalesce(last_read_at::text, ''), ',') FROM conversations),
                   (SELECT count(*) FROM messages), (SELECT count(*) FROM work_items WHERE kind IN ('Send', 'MarkRead')),
                   (SELECT string_agg(id::text || ':' || state || ':' || coalesce(answer, ''), ',' ORDER BY id) FROM knowledge_documents),
                   (SELECT string_agg(user_id::text || ':' || role, ',' ORDER BY user_id) FROM memberships),
                   (SELECT string_agg(id::text || ':' || coalesce(revoked_at::text, ''), ',' ORDER BY id) FROM invitations),
                   (SELECT string_agg(id::text || ':' || status, ',' ORDER BY id) FROM whats_app_connections),
                   (SELECT count(*) FROM sandbox_messages),
                   (SELECT string_agg(id::text || ':' || coalesce(sandbox_service_window::text, ''), ',' ORDER BY id) FROM whats_app_connections),
                   (SELECT string_agg(window_expires_at::text, ',') FROM conversations),
                   (SELECT count(*) FROM message_templates), (SELECT count(*) FROM sandbox_templates),
                   (SELECT string_agg(id::text || ':' || coalesce(display_name, '') || ':' || coalesce(restricted_at::text, ''), ',' ORDER BY id) FROM contacts),
                   (SELECT string_agg(id::text || ':' || state || ':' || coalesce(content::text, ''), ',' ORDER BY id) FROM organization_exports),
                   (SELECT string_agg(id::text || ':' || coalesce(closure_requested_at::text, '') || ':' || coalesce(conversation_retention_months::text, ''), ',' ORDER BY id) FROM organizations),
                   (SELECT string_agg(id::text || ':' || sku || ':' || name || ':' || price_minor || ':' || coalesce(stock::text, '') || ':' || available, ',' ORDER BY id) FROM products),
                   (SELECT string_agg(id::text || ':' || status || ':' || coalesce(cancel_reason, ''), ',' ORDER BY id) FROM orders),
                   (SELECT string_agg(id::text || ':' || name || ':' || duration_minutes || ':' || array_to_string(staff_ids, ';'), ',' ORDER BY id) FROM booking_services),
                   (SELECT string_agg(id::text || ':' || name || ':' || coalesce(feed_token_hash, ''), ',' ORDER BY id) FROM booking_staff),
                   (SELECT string_agg(id::text || ':' || status || ':' || start_at::text || ':' || coalesce(cancel_reason, ''), ',' ORDER BY id) FROM bookings)
            """);
        return string.Join(" | ", rows.Single());
    }

    private List<string> Routes() => [.. Endpoints().Select(Name).Distinct().Order()];

    private IEnumerable<RouteEndpoint> Endpoints() =>
        _api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true);

    // A group's own route ("") is written with the group's trailing slash; it is called without.
    private static string Name(RouteEndpoint endpoint) =>
        $"{endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Single()} {endpoint.RoutePattern.RawText!.TrimEnd('/')}";

    private async Task<Guid> JoinAsync(HttpClient owner, string email, string role)
    {
        (await owner.PostAsJsonAsync("/api/team/invitations", new { email, role }, Ct)).EnsureSuccessStatusCode();
        using var anonymous = _api.CreateClient();
        using var accepted = await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo(email)}/accept",
            new { name = "Member " + role, password = ApiFactory.Password }, Ct);
        accepted.EnsureSuccessStatusCode();
        return (await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("userId").GetGuid();
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    public async ValueTask DisposeAsync()
    {
        _theirOwner.Dispose();
        _rival.Dispose();
        _rivalOperator.Dispose();
        await _api.DisposeAsync();
    }
}
