using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Team;
using LeadsPeer.Web.Components.Shared;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.Team;

public partial class Team
{
    private static readonly OrganizationRole[] Roles = Enum.GetValues<OrganizationRole>();

    private IReadOnlyList<TeamMember>? _members;
    private IReadOnlyList<InvitationSummary>? _invitations;
    private bool _manage;
    private bool _busy;
    private string? _inviteEmail;
    private OrganizationRole _inviteRole = OrganizationRole.Operator;
    private string? _inviteError;

    protected override Task OnInitializedAsync()
    {
        _manage = Member.Can(Permission.ManageTeam);
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        _members = await Members.RunAsync(t => t.ListMembersAsync(CancellationToken.None));
        if (_manage)
        {
            _invitations = await Invitations.RunAsync(t => t.ListInvitationsAsync(CancellationToken.None));
        }
    }

    private async Task InviteAsync()
    {
        _busy = true;
        _inviteError = null;
        try
        {
            var outcome = await Invitations.RunAsync(t => t.InviteAsync(_inviteEmail, _inviteRole, CancellationToken.None));
            if (outcome.Succeeded)
            {
                Snackbar.Add($"Invitation sent to {outcome.Value!.Email}.", Severity.Success);
                _inviteEmail = null;
            }
            else
            {
                // The address stays, so it can be corrected.
                _inviteError = outcome.Error!.Words();
            }

            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ChangeRoleAsync(TeamMember person, OrganizationRole role)
    {
        if (role == person.Role)
        {
            return;
        }

        await RunAsync(() => Members.RunAsync(t => t.ChangeRoleAsync(person.UserId, role, CancellationToken.None)), $"{person.Name ?? person.Email} is now {role}.");
    }

    private async Task RemoveAsync(TeamMember person)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Remove from the team?",
            $"{person.Name ?? person.Email} will no longer see this organisation's conversations. Their replies stay in the threads.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(() => Members.RunAsync(t => t.RemoveMemberAsync(person.UserId, CancellationToken.None)), $"{person.Name ?? person.Email} was removed.");
        }
    }

    private Task RevokeAsync(InvitationSummary invitation) =>
        RunAsync(() => Invitations.RunAsync(t => t.RevokeInvitationAsync(invitation.Id, CancellationToken.None)), $"The invitation to {invitation.Email} no longer works.");

    private async Task RunAsync<T>(Func<Task<Outcome<T>>> action, string done)
    {
        _busy = true;
        try
        {
            var outcome = await action();
            Snackbar.Report(outcome, _ => done);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
