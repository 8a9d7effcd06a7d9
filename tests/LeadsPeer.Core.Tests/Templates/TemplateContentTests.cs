using System.Net;
using System.Text.Json.Nodes;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Core.WhatsApp.Webhooks;

namespace LeadsPeer.Core.Tests.Templates;

/// <summary>A template as Meta's create call takes it, a send as Graph takes it, and Meta's template webhooks as read.</summary>
public sealed class TemplateContentTests
{
    [Fact]
    public void A_positional_draft_becomes_Meta_s_components_with_an_example_for_every_variable()
    {
        var (draft, errors) = TemplateDrafts.Validate(new TemplateDraft("order_ready", "en_US", "utility", "Hi {{1}}, your order {{2}} is ready.",
            Header: "Order {{1}}", Footer: "Garden Bakes", Buttons: [new("quick_reply", "On my way"), new("URL", "Track", Url: "https://garden.example/track")],
            Examples: new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" }));

        Assert.Null(errors);
        Assert.Equal((TemplateCategory.Utility, TemplateParameterFormat.Positional), (draft!.Category, draft.Format));
        var components = draft.Components;
        Assert.Equal("Sam", components[0]!["example"]!["header_text"]![0]!.GetValue<string>());
        Assert.Equal(["Sam", "GB-1042"], components[1]!["example"]!["body_text"]![0]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("FOOTER", components[2]!["type"]!.GetValue<string>());
        Assert.Equal(["QUICK_REPLY", "URL"], components[3]!["buttons"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("https://garden.example/track", components[3]!["buttons"]![1]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void A_named_draft_carries_named_examples()
    {
        var (draft, errors) = TemplateDrafts.Validate(new TemplateDraft("booking_tomorrow", "en", "UTILITY", "Hello {{first_name}}, see you at {{time}} tomorrow.",
            Examples: new Dictionary<string, string> { ["first_name"] = "Sam", ["time"] = "10:30" }));

        Assert.Null(errors);
        Assert.Equal(TemplateParameterFormat.Named, draft!.Format);
        var named = draft.Components[0]!["example"]!["body_text_named_params"]!.AsArray();
        Assert.Equal([("first_name", "Sam"), ("time", "10:30")], named.Select(n => (n!["param_name"]!.GetValue<string>(), n["example"]!.GetValue<string>())));
    }

    private static MessageTemplate Stored(TemplateParameterFormat format, string components) =>
        new() { Name = "order_ready", Language = "en_US", Category = TemplateCategory.Utility, Status = TemplateStatus.Approved, ParameterFormat = format, Components = components };

    [Fact]
    public void A_send_fills_each_part_and_its_quick_reply_payloads_go_by_the_button_s_index_among_all_buttons()
    {
        var template = Stored(TemplateParameterFormat.Positional, """
            [{"type":"HEADER","format":"TEXT","text":"Order {{1}}"},{"type":"BODY","text":"Hi {{1}}, order {{2}} is ready."},
             {"type":"BUTTONS","buttons":[{"type":"URL","text":"Track","url":"https://garden.example"},{"type":"QUICK_REPLY","text":"On my way"}]}]
            """);

        var (prepared, errors) = TemplateSending.Prepare(template, new TemplateMessage("order_ready",
            Parameters: new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" }, Buttons: ["coming-42"]));

        Assert.Null(errors);
        Assert.Equal("Order Sam\n\nHi Sam, order GB-1042 is ready.", prepared!.Text);
        var components = prepared.Payload["template"]!["components"]!.AsArray();
        Assert.Equal(["header", "body", "button"], components.Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal(["Sam"], components[0]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        Assert.Equal(("quick_reply", "1", "coming-42"), (components[2]!["sub_type"]!.GetValue<string>(), components[2]!["index"]!.GetValue<string>(),
            components[2]!["parameters"]![0]!["payload"]!.GetValue<string>()));
    }

    [Fact]
    public void Named_values_are_sent_with_their_names_and_read_back_by_the_simulator()
    {
        var template = Stored(TemplateParameterFormat.Named, """[{"type":"BODY","text":"Hello {{first_name}}, see you at {{time}}."}]""");
        var (prepared, _) = TemplateSending.Prepare(template, new TemplateMessage("order_ready",
            Parameters: new Dictionary<string, string> { ["time"] = "10:30", ["first_name"] = "Sam" }));

        var parameters = prepared!.Payload["template"]!["components"]![0]!["parameters"]!.AsArray();
        Assert.Equal([("first_name", "Sam"), ("time", "10:30")], parameters.Select(p => (p!["parameter_name"]!.GetValue<string>(), p["text"]!.GetValue<string>())));
        var (values, code, _) = TemplateSending.Read(TemplateShape.Parse(template.Components), prepared.Payload["template"]!.AsObject());
        Assert.Null(code);
        Assert.Equal("Hello Sam, see you at 10:30.", TemplateShape.Fill("Hello {{first_name}}, see you at {{time}}.", values!));
    }

    [Fact]
    public void Too_many_payloads_and_a_body_made_too_long_by_its_values_are_refused()
    {
        var template = Stored(TemplateParameterFormat.Positional, """[{"type":"BODY","text":"Hi {{1}}, ready."}]""");

        var (_, payloads) = TemplateSending.Prepare(template, new TemplateMessage("order_ready", Parameters: new Dictionary<string, string> { ["1"] = "Sam" }, Buttons: ["x"]));
        var (_, tooLong) = TemplateSending.Prepare(template, new TemplateMessage("order_ready", Parameters: new Dictionary<string, string> { ["1"] = new string('a', 1020) }));

        Assert.Contains("0 quick-reply button", payloads!["buttons"][0]);
        Assert.Contains("longer than 1024", tooLong!["parameters"][0]);
    }

    [Fact]
    public void The_simulator_reads_a_send_with_too_few_values_as_Meta_s_132000()
    {
        var shape = TemplateShape.Parse("""[{"type":"BODY","text":"Hi {{1}}, order {{2}} is ready."}]""");
        var send = JsonNode.Parse("""{"name":"order_ready","components":[{"type":"body","parameters":[{"type":"text","text":"Sam"}]}]}""")!.AsObject();

        Assert.Equal(132000, TemplateSending.Read(shape, send).ErrorCode);
    }

    [Fact]
    public void Template_webhooks_are_read_with_the_WABA_they_name_and_one_without_it_is_skipped()
    {
        var json = """
            {"object":"whatsapp_business_account","entry":[
              {"id":"102290129340398","time":1733050000,"changes":[{"field":"message_template_status_update","value":{"event":"REJECTED","message_template_id":594425479261596,"message_template_name":"spring_sale","message_template_language":"en_US","reason":"INCORRECT_CATEGORY"}}]},
              {"id":"102290129340398","changes":[{"field":"template_category_update","value":{"message_template_id":594425479261596,"message_template_name":"spring_sale","message_template_language":"en_US","previous_category":"UTILITY","new_category":"MARKETING"}}]},
              {"changes":[{"field":"message_template_quality_update","value":{"new_quality_score":"RED","message_template_id":1,"message_template_name":"x","message_template_language":"en_US"}}]}
            ]}
            """u8.ToArray();
        var reader = new WebhookPayloadReader();

        var payload = reader.Read(json, DateTimeOffset.UtcNow);

        Assert.True(payload.IsEmpty);
        Assert.Equal(2, payload.Templates.Count);
        var status = payload.Templates[0];
        Assert.Equal(("102290129340398", "594425479261596", "spring_sale", "en_US", "REJECTED", "INCORRECT_CATEGORY"),
            (status.WabaId, status.TemplateId, status.Name, status.Language, status.Event, status.Reason));
        Assert.Equal("MARKETING", payload.Templates[1].Category);
        Assert.Equal(1, reader.Skipped);
    }

    [Theory]
    [InlineData(132000)]
    [InlineData(132001)]
    [InlineData(132005)]
    [InlineData(132012)]
    [InlineData(132015)]
    [InlineData(132016)]
    [InlineData(131050)]
    public void Template_refusals_are_final_even_when_Meta_answers_them_with_a_5xx(int code)
    {
        Assert.Equal(GraphErrorMeaning.Permanent, GraphErrors.Meaning(new GraphApiException(HttpStatusCode.InternalServerError, code, null, "refused")));
        Assert.Equal(GraphErrorMeaning.Permanent, GraphErrors.Meaning(new GraphApiException(HttpStatusCode.BadRequest, code, null, "refused")));
    }
}
