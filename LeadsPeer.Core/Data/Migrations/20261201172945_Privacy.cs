using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Privacy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "suspended_at",
                table: "whats_app_connections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "closure_requested_at",
                table: "organizations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "closure_requested_by",
                table: "organizations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "conversation_retention_months",
                table: "organizations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "purge_at",
                table: "organizations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "erased_customers",
                columns: table => new
                {
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    erased_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_erased_customers", x => x.hash);
                });

            migrationBuilder.CreateTable(
                name: "erased_messages",
                columns: table => new
                {
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_erased_messages", x => x.hash);
                });

            migrationBuilder.CreateIndex(
                name: "ix_erased_customers_expires_at",
                table: "erased_customers",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_erased_messages_expires_at",
                table: "erased_messages",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "erased_customers");

            migrationBuilder.DropTable(
                name: "erased_messages");

            migrationBuilder.DropColumn(
                name: "suspended_at",
                table: "whats_app_connections");

            migrationBuilder.DropColumn(
                name: "closure_requested_at",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "closure_requested_by",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "conversation_retention_months",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "purge_at",
                table: "organizations");
        }
    }
}
