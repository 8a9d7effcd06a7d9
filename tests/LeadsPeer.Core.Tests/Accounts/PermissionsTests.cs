using LeadsPeer.Core.Accounts;

namespace LeadsPeer.Core.Tests.Accounts;

public sealed class PermissionsTests
{
    [Theory]
    [InlineData(OrganizationRole.Owner, Permission.ManageTeam, true)]
    [InlineData(OrganizationRole.Owner, Permission.ManageWhatsApp, true)]
    [InlineData(OrganizationRole.Admin, Permission.ManageKnowledge, true)]
    [InlineData(OrganizationRole.Admin, Permission.ManageTeam, true)]
    [InlineData(OrganizationRole.Operator, Permission.HandleConversations, true)]
    [InlineData(OrganizationRole.Operator, Permission.ManageTeam, false)]
    [InlineData(OrganizationRole.Operator, Permission.ManageWhatsApp, false)]
    [InlineData(OrganizationRole.Operator, Permission.ManageKnowledge, false)]
    [InlineData(OrganizationRole.Operator, Permission.ManageAgent, false)]
    public void The_permission_table_allows_and_refuses_per_role(OrganizationRole role, Permission permission, bool allowed)
    {
        Assert.Equal(allowed, Permissions.Allows(role, permission));
    }

    [Theory]
    [InlineData("password2024!", true)]
    [InlineData("Welcome123", true)]
    [InlineData("qwertyuiop", true)]
    [InlineData("correct horse battery staple", false)]
    [InlineData("Blue-kettle-on-Tuesday", false)]
    public void Common_passwords_and_their_decorated_forms_are_recognised(string password, bool common)
    {
        Assert.Equal(common, CommonPasswordValidator.IsCommon(password));
    }
}
