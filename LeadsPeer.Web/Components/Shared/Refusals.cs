using LeadsPeer.Core;
using MudBlazor;

namespace LeadsPeer.Web.Components.Shared;

/// <summary>How the dashboard words a refused use case: the one way, so every screen says it alike.</summary>
public static class Refusals
{
    /// <summary>What to correct when a field was refused (its first message), otherwise the refusal's title.</summary>
    public static string Words(this UseCaseError error) => error.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? error.Title;

    /// <summary>Every message of a refusal, for forms that list them all.</summary>
    public static IEnumerable<string> AllWords(this UseCaseError error) => error.Errors?.Values.SelectMany(v => v) ?? [error.Title];

    /// <summary>The refusal as a warning snackbar, optionally after what it was about (a file's name).</summary>
    public static void Refused(this ISnackbar snackbar, UseCaseError error, string? about = null) =>
        snackbar.Add(about is null ? error.Words() : $"{about}: {error.Words()}", Severity.Warning);

    /// <summary>An action's outcome: <paramref name="done"/> when it succeeded, the refusal otherwise.</summary>
    public static void Report<T>(this ISnackbar snackbar, Outcome<T> outcome, Func<T, string> done, string? about = null)
    {
        if (outcome.Succeeded)
        {
            snackbar.Add(done(outcome.Value!), Severity.Success);
        }
        else
        {
            snackbar.Refused(outcome.Error!, about);
        }
    }
}
