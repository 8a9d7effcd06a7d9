namespace LeadsPeer.Core.Agent;

public static class AgentLimits
{
    public const int ShortText = 200;
    public const int LongText = 2000;

    /// <summary>Texts sent to the customer as they are: shorter than a WhatsApp message.</summary>
    public const int MessageText = 1000;
    public const int MaxKeywords = 50;
}
