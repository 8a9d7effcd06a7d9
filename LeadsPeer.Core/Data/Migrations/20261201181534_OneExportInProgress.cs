using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class OneExportInProgress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "failure_reason",
                table: "organization_exports",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_organization_exports_one_in_progress",
                table: "organization_exports",
                column: "tenant_id",
                unique: true,
                filter: "state IN ('Pending', 'Running')");

            migrationBuilder.AddForeignKey(
                name: "fk_organization_exports_organizations_tenant_id",
                table: "organization_exports",
                column: "tenant_id",
                principalTable: "organizations",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_organization_exports_organizations_tenant_id",
                table: "organization_exports");

            migrationBuilder.DropIndex(
                name: "ux_organization_exports_one_in_progress",
                table: "organization_exports");

            migrationBuilder.AlterColumn<string>(
                name: "failure_reason",
                table: "organization_exports",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);
        }
    }
}
