using System.Net.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Email;

public sealed record EmailMessage(string To, string Subject, string TextBody);

/// <summary>Sends the product's emails (invitations, password resets).</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

public sealed class EmailOptions
{
    public const string Section = "Email";

    public string From { get; set; } = "Leads Peer <no-reply@leadspeer.local>";

    /// <summary>When set, emails are written here as .eml files instead of being sent (development).</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>SMTP server for real delivery; used when no pickup directory is set.</summary>
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public string? SmtpUserName { get; set; }
    public string? SmtpPassword { get; set; }

    /// <summary>Public address of the dashboard, for links in emails.</summary>
    public Uri DashboardUrl { get; set; } = new("http://localhost:5302/");
}

/// <summary>
/// SMTP delivery, or an .eml file per message in a pickup folder. Emails are never written to
/// the log: their links carry secrets (invitation and reset tokens).
/// </summary>
internal sealed class EmailSender(IOptions<EmailOptions> options, IHostEnvironment environment, ILogger<EmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var mail = new MailMessage(settings.From, message.To, message.Subject, message.TextBody);
        using var smtp = new SmtpClient();
        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            // Relative to the host's content root, so every way of starting it writes to the same folder.
            var folder = Path.GetFullPath(settings.PickupDirectory, environment.ContentRootPath);
            Directory.CreateDirectory(folder);
            smtp.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            smtp.PickupDirectoryLocation = folder;
        }
        else
        {
            smtp.Host = settings.SmtpHost!;
            smtp.Port = settings.SmtpPort;
            smtp.EnableSsl = true;
            if (settings.SmtpUserName is not null)
            {
                smtp.Credentials = new System.Net.NetworkCredential(settings.SmtpUserName, settings.SmtpPassword);
            }
        }

        await smtp.SendMailAsync(mail, cancellationToken);
        logger.LogInformation("Email sent: {Subject}", message.Subject);
    }
}

internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options) =>
        string.IsNullOrWhiteSpace(options.PickupDirectory) && string.IsNullOrWhiteSpace(options.SmtpHost)
            ? ValidateOptionsResult.Fail($"{EmailOptions.Section}:SmtpHost is required (or {EmailOptions.Section}:PickupDirectory in development).")
            : ValidateOptionsResult.Success;
}

public static class EmailExtensions
{
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton<IEmailSender, EmailSender>();
        return services;
    }
}
