using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class TurnOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "outcome",
                table: "messages",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "outcome_reason",
                table: "messages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "decline_message",
                table: "agent_settings",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_tenant_id_outcome_created_at",
                table: "messages",
                columns: new[] { "tenant_id", "outcome", "created_at" },
                filter: "outcome IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_tenant_id_outcome_created_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "outcome",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "outcome_reason",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "decline_message",
                table: "agent_settings");
        }
    }
}
