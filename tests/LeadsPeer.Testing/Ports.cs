namespace LeadsPeer.Testing;

public static class Ports
{
    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int Free() => ServerProcess.FreePort();
}
