using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class HandoffPerOutcome : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "handoff_on_decision",
                table: "agent_settings",
                type: "boolean",
                nullable: false,
                defaultValue: true); // existing organisations keep handing these over, as before

            migrationBuilder.AddColumn<bool>(
                name: "handoff_when_unanswered",
                table: "agent_settings",
                type: "boolean",
                nullable: false,
                defaultValue: true); // existing organisations keep handing these over, as before

            migrationBuilder.AddColumn<string>(
                name: "unanswered_message",
                table: "agent_settings",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "handoff_on_decision",
                table: "agent_settings");

            migrationBuilder.DropColumn(
                name: "handoff_when_unanswered",
                table: "agent_settings");

            migrationBuilder.DropColumn(
                name: "unanswered_message",
                table: "agent_settings");
        }
    }
}
