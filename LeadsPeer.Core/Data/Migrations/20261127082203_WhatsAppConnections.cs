using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class WhatsAppConnections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_whats_app_connections_phone_number_id",
                table: "whats_app_connections");

            migrationBuilder.AddColumn<byte[]>(
                name: "encrypted_pin",
                table: "whats_app_connections",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "quality_rating",
                table: "whats_app_connections",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "removed_at",
                table: "whats_app_connections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status_reason",
                table: "whats_app_connections",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "verified_name",
                table: "whats_app_connections",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_whats_app_connections_phone_number_id",
                table: "whats_app_connections",
                column: "phone_number_id",
                unique: true,
                filter: "status <> 'Removed'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_whats_app_connections_phone_number_id",
                table: "whats_app_connections");

            migrationBuilder.DropColumn(
                name: "encrypted_pin",
                table: "whats_app_connections");

            migrationBuilder.DropColumn(
                name: "quality_rating",
                table: "whats_app_connections");

            migrationBuilder.DropColumn(
                name: "removed_at",
                table: "whats_app_connections");

            migrationBuilder.DropColumn(
                name: "status_reason",
                table: "whats_app_connections");

            migrationBuilder.DropColumn(
                name: "verified_name",
                table: "whats_app_connections");

            migrationBuilder.CreateIndex(
                name: "ix_whats_app_connections_phone_number_id",
                table: "whats_app_connections",
                column: "phone_number_id",
                unique: true);
        }
    }
}
