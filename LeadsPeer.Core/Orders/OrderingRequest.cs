using System.Text.RegularExpressions;
using LeadsPeer.Core.Agent;

namespace LeadsPeer.Core.Orders;

/// <summary>
/// Whether a customer's words ask to have something rather than ask about it: "I want 3
/// croissants", "send me 6 croissants", "can I get 2 loaves delivered?", "2 sourdough chahiye",
/// "2 croissants please", "a red velvet for pickup".
/// A question about a price or whether something is sold ("how much is…", "do you have…"), or one
/// that opens with a question word ("how early do I need to order…"), is not a request: the
/// knowledge answers it; nor is "can I get…" without how many ("can I get half a kg…?" asks what
/// is possible); nor a complaint or a refund asked for ("the croissants were stale, I want my money
/// back"), which the team answers. With the items named in the catalog (<see cref="Catalog.CatalogQueries.NamedInAsync"/>)
/// such words start ordering.
/// </summary>
public static partial class OrderingRequest
{
    public static bool IsRequest(string? text) =>
        text is not null && Wants().IsMatch(text) && !AsksAbout().IsMatch(text) && !TurnSignals.NeedsDecision(text);

    // "I'd like", "we want", "I need", "I'll have"; "can I get 2", "could you set aside 6"; "an order
    // for…"; "send me", "please deliver";
    // "mark me down for", "could you whip up a red velvet", "get me 2 croissants", "I'm ordering a fudge cake";
    // "2 croissants please", "a dozen croissants … please", "six croissants to my house, thanks" (how many first, then please,
    // thanks or where to); "… for delivery", "… for pickup";
    // Roman Urdu "chahiye" (is wanted) and "bhej do" (send); "let me grab", "I'll grab"; "… in my
    // basket", "add … to the cart"; "I'm after" (I want); "keep 4 croissants aside", "hold two loaves";
    // "I'll go for two loaves", "could you get 3 croissants ready", "… collect at 9"; Roman Urdu "bana
    // dein" (make), "pack kar dein" (pack), "ready kar dena" (have it ready).
    [GeneratedRegex(@"^\W*(?:please\s+)?(?:keep|hold|save|set aside|put aside|reserve|get)\s+(?:me\s+|us\s+)?(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\b|\b(?:(?:i|we)(?:'m|’m|'re|’re| am| are) after|(?:let me|lemme|let us|(?:i|we)(?:'ll|’ll| will)|(?:can|could|may) (?:i|we)) grab|in (?:my|our|the) (?:basket|cart)|add\b[^?]* to (?:my|our|the) (?:basket|cart|order)|(?:i|we)(?:'d|’d| would)? (?:like|love)|(?:i|we) (?:want|wanna|need)|(?:i|we)(?:'ll|’ll| will) (?:have|take|go for)|(?:i'?m|i’m|i am|we'?re|we’re|we are) ordering|(?:can|could|may) (?:i|we) (?:get|have) (?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)|(?:can|could|would|will) you (?:set aside|put aside|keep|hold|save|pack|make|whip up|bake|send|deliver|bring|get|have)(?: me| us)? (?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)|an order for|(?:put|mark|write) (?:me|us) down for|(?:please )?(?:send|deliver|bring)(?: me| us)?|for (?:delivery|pickup|pick-up|pick up|collection)|chahiye|chahiyay|chahye|chahie|chaiye|bhej\w*|bhijwa\w*|(?:bana|pack kar|ready kar|tayyar kar|tayar kar) (?:dein|dain|den|do|dena)|collect (?:it |them )?(?:at|on|tomorrow|today|tonight))\b|^\W*(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|(?:a |half a )?dozen)\s+[^?]*\b(?:please|pls|plz|thanks|thank you|to (?:my|our) (?:house|home|place|flat|office|address))\b[^?]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Wants();

    // A question: opening with a question word, or about a price or what is sold, or weighing one
    // thing against another ("can I get a custom cake smaller than a kilo?"), or whether it is enough
    // ("… or is that too few for a delivery?"). A Roman-Urdu
    // "do" before "chahiye", "kar dena" or "bhej do" is the number two ("do sourdough aur char croissant chahiye").
    [GeneratedRegex(@"^\W*(?:how|what|when|where|which|why|who|do(?![^?]*\b(?:chahiye|chahiyay|chahye|chahie|chaiye|kar dena|kar dein|kar dain|bhej\w*)\b)|does|did|is|are)\b|\b(?:how much|how many|price|prices|cost|costs|rate|rates|do you (?:have|sell|make|bake|deliver)|is there|are there|what|when|which|(?:smaller|bigger|larger|less|more|cheaper|lighter|heavier) than|(?:is|are) (?:that|it|this|these|those) (?:too|enough)|too (?:small|little|few))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksAbout();
}
