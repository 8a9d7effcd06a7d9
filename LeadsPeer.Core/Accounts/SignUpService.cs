using System.Net.Mail;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadsPeer.Core.Accounts;

public sealed record SignUpRequest(string? OrganizationName, string? Name, string? Email, string? Password);

public abstract record SignUpResult
{
    public sealed record Created(Guid UserId, Guid OrganizationId) : SignUpResult;

    /// <summary>Field name → what is wrong with it.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : SignUpResult;

    public sealed record EmailTaken : SignUpResult;
}

/// <summary>
/// A business signs up: its organisation (the tenant), and its owner as the first member. All or
/// nothing — a refused sign-up stores nothing. A new organisation is a new tenant, so the sign-up
/// runs in a unit of work of its own: a person already signed in to another organisation (whose
/// request scope acts for that one) signs up a second business like anyone else.
/// </summary>
public sealed class SignUpService(IServiceScopeFactory scopes, TimeProvider time, ILogger<SignUpService> logger)
{
    public async Task<SignUpResult> SignUpAsync(SignUpRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
        var errors = new Dictionary<string, string[]>();
        var organizationName = ValidateName(request.OrganizationName, "organizationName", "The organisation's name", errors);
        var name = ValidateName(request.Name, "name", "Your name", errors);
        var email = request.Email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 256 || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            errors["email"] = ["A valid work email address is required."];
        }

        var user = new ApplicationUser { UserName = email, Email = email, DisplayName = name, CreatedAt = time.GetUtcNow() };
        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["A password is required."];
        }
        else
        {
            var passwordErrors = new List<string>();
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, user, request.Password);
                passwordErrors.AddRange(result.Errors.Select(e => e.Description));
            }

            if (passwordErrors.Count > 0)
            {
                errors["password"] = [.. passwordErrors];
            }
        }

        if (errors.Count > 0)
        {
            return new SignUpResult.Invalid(errors);
        }

        if (await users.FindByEmailAsync(email!) is not null)
        {
            return new SignUpResult.EmailTaken();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organization = new Organization { Name = organizationName!, CreatedAt = time.GetUtcNow() };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(cancellationToken);

        tenant.Set(organization.Id);
        user.CurrentOrganizationId = organization.Id;
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail))
                ? new SignUpResult.EmailTaken()
                : new SignUpResult.Invalid(new Dictionary<string, string[]> { ["email"] = [.. created.Errors.Select(e => e.Description)] });
        }

        db.Memberships.Add(new Membership { UserId = user.Id, Role = OrganizationRole.Owner, CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogInformation("Organisation {OrganizationId} signed up with owner {UserId}", organization.Id, user.Id);
        return new SignUpResult.Created(user.Id, organization.Id);
    }

    private static string? ValidateName(string? value, string field, string label, Dictionary<string, string[]> errors)
    {
        var name = PlainTextName.Validate(value, label, out var error);
        if (error is not null)
        {
            errors[field] = [error];
        }

        return name;
    }
}
