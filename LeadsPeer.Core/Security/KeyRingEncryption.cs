using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Security;

/// <summary>
/// Encrypts the Data Protection key ring at rest. The keys that sign cookies and bearer tokens
/// are stored in PostgreSQL; without this, a database dump would be enough to mint a session
/// for anyone. Each key's XML is sealed with AES-256-GCM under the token-encryption key from
/// configuration (<see cref="TokenProtector"/>: the key id travels in the ciphertext, so the
/// same rotation applies — keys made after a rotation use the new key, older ones open with the
/// key kept under <c>TokenProtection:PreviousKeys</c>).
/// </summary>
internal sealed class KeyRingEncryption(IServiceProvider services) : IConfigureOptions<KeyManagementOptions>
{
    internal static readonly SecretBinding Binding = new(Guid.Empty, Guid.Empty, "data-protection-key-ring");

    // The protector is resolved when a key is first sealed, not here: a missing key must be
    // reported with the host's other missing settings by options validation, not alone from here.
    public void Configure(KeyManagementOptions options) => options.XmlEncryptor = new Encryptor(services);

    private sealed class Encryptor(IServiceProvider services) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            var sealedKey = services.GetRequiredService<TokenProtector>().Protect(plaintextElement.ToString(SaveOptions.DisableFormatting), Binding);
            var element = new XElement("encryptedKey",
                new XComment(" AES-256-GCM under the TokenProtection key whose id the value carries "),
                new XElement("value", Convert.ToBase64String(sealedKey)));
            return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
        }
    }
}

/// <summary>Opens a key sealed by <see cref="KeyRingEncryption"/>; Data Protection creates it by type name, with the host's services.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var value = encryptedElement.Element("value")?.Value
            ?? throw new InvalidOperationException("An encrypted Data Protection key has no value.");
        return XElement.Parse(services.GetRequiredService<TokenProtector>().Unprotect(Convert.FromBase64String(value), KeyRingEncryption.Binding));
    }
}
