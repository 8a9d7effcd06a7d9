using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AgentWordTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "flow_triggers",
                table: "agent_settings",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "synonyms",
                table: "agent_settings",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "flow_triggers",
                table: "agent_settings");

            migrationBuilder.DropColumn(
                name: "synonyms",
                table: "agent_settings");
        }
    }
}
