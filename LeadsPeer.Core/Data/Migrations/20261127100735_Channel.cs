using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Channel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_conversations_contact_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_contacts_connection_id_wa_id",
                table: "contacts");

            migrationBuilder.AddColumn<int>(
                name: "generation",
                table: "work_items",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "lease_token",
                table: "work_items",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_webhook_at",
                table: "whats_app_connections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "author",
                table: "messages",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "author_user_id",
                table: "messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "error_code",
                table: "messages",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "error_title",
                table: "messages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "reply_to_turn",
                table: "messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "status_updated_at",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "window_expires_at",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "wa_id",
                table: "contacts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AddColumn<string>(
                name: "customer_key",
                table: "contacts",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "opted_out_at",
                table: "contacts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "media_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    media_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    mime_type = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_media_files", x => x.id);
                    table.ForeignKey(
                        name: "fk_media_files_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_media_files_organizations_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Rows written before these columns existed: key customers as ingest now does, and
            // attribute messages by direction.
            migrationBuilder.Sql("UPDATE contacts SET customer_key = coalesce(user_id, wa_id)");
            migrationBuilder.Sql("UPDATE messages SET author = CASE direction WHEN 'Inbound' THEN 'Customer' ELSE 'Agent' END");

            migrationBuilder.CreateTable(
                name: "parked_statuses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    wa_message_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    error_code = table.Column<int>(type: "integer", nullable: true),
                    error_title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_parked_statuses", x => x.id);
                    table.ForeignKey(
                        name: "fk_parked_statuses_organizations_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sandbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    wa_message_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    recipient = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    text = table.Column<string>(type: "text", nullable: true),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sandbox_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_sandbox_messages_organizations_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_sandbox_messages_whats_app_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "whats_app_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_reply_to_turn",
                table: "messages",
                column: "reply_to_turn",
                unique: true,
                filter: "reply_to_turn IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_contact_id",
                table: "conversations",
                column: "contact_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contacts_connection_id_customer_key",
                table: "contacts",
                columns: new[] { "connection_id", "customer_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_media_files_message_id",
                table: "media_files",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_media_files_tenant_id",
                table: "media_files",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_parked_statuses_tenant_id",
                table: "parked_statuses",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_parked_statuses_wa_message_id",
                table: "parked_statuses",
                column: "wa_message_id");

            migrationBuilder.CreateIndex(
                name: "ix_sandbox_messages_connection_id_recipient_created_at",
                table: "sandbox_messages",
                columns: new[] { "connection_id", "recipient", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sandbox_messages_tenant_id",
                table: "sandbox_messages",
                column: "tenant_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "media_files");

            migrationBuilder.DropTable(
                name: "parked_statuses");

            migrationBuilder.DropTable(
                name: "sandbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_reply_to_turn",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_conversations_contact_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_contacts_connection_id_customer_key",
                table: "contacts");

            migrationBuilder.DropColumn(
                name: "generation",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "lease_token",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "last_webhook_at",
                table: "whats_app_connections");

            migrationBuilder.DropColumn(
                name: "author",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "author_user_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "error_code",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "error_title",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "reply_to_turn",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "status_updated_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "window_expires_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "customer_key",
                table: "contacts");

            migrationBuilder.DropColumn(
                name: "opted_out_at",
                table: "contacts");

            migrationBuilder.AlterColumn<string>(
                name: "wa_id",
                table: "contacts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversations_contact_id",
                table: "conversations",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_connection_id_wa_id",
                table: "contacts",
                columns: new[] { "connection_id", "wa_id" },
                unique: true);
        }
    }
}
