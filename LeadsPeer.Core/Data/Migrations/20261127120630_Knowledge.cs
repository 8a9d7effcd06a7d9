using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Pgvector;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Knowledge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_knowledge_chunks_embedding",
                table: "knowledge_chunks");

            migrationBuilder.AddColumn<string>(
                name: "sources",
                table: "messages",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "answer",
                table: "knowledge_documents",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "chunk_count",
                table: "knowledge_documents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "embedding_model",
                table: "knowledge_documents",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "knowledge_documents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "File");

            migrationBuilder.AddColumn<int>(
                name: "progress",
                table: "knowledge_documents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "question",
                table: "knowledge_documents",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "updated_at",
                table: "knowledge_documents",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AlterColumn<Vector>(
                name: "embedding",
                table: "knowledge_chunks",
                type: "vector",
                nullable: true,
                oldClrType: typeof(Vector),
                oldType: "vector(384)",
                oldNullable: true);

            migrationBuilder.AddColumn<int>(
                name: "embedding_dimensions",
                table: "knowledge_chunks",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "embedding_model",
                table: "knowledge_chunks",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "token_count",
                table: "knowledge_chunks",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Chunks written before this migration were embedded by the local model at 384 dimensions.
            migrationBuilder.Sql("UPDATE knowledge_chunks SET embedding_dimensions = vector_dims(embedding), embedding_model = 'all-MiniLM-L6-v2' WHERE embedding IS NOT NULL");

            // The default model's HNSW index: a partial expression index per dimension, so another
            // model is configuration (the Worker creates its index at start-up), not a migration.
            migrationBuilder.Sql("CREATE INDEX ix_knowledge_chunks_embedding_384 ON knowledge_chunks USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE embedding_dimensions = 384");

            migrationBuilder.CreateTable(
                name: "agent_settings",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    business_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    domain = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    tone = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reply_language = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    extra_instructions = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    handoff_on_request = table.Column<bool>(type: "boolean", nullable: false),
                    handoff_keywords = table.Column<List<string>>(type: "text[]", nullable: false),
                    confidence_threshold = table.Column<double>(type: "double precision", nullable: true),
                    handoff_message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    greeting = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_settings", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_agent_settings_organizations_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_knowledge_documents_tenant_id_kind_created_at",
                table: "knowledge_documents",
                columns: new[] { "tenant_id", "kind", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_settings_tenant_id",
                table: "agent_settings",
                column: "tenant_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_knowledge_chunks_embedding_384");

            migrationBuilder.DropTable(
                name: "agent_settings");

            migrationBuilder.DropIndex(
                name: "ix_knowledge_documents_tenant_id_kind_created_at",
                table: "knowledge_documents");

            migrationBuilder.DropColumn(
                name: "sources",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "answer",
                table: "knowledge_documents");

            migrationBuilder.DropColumn(
                name: "chunk_count",
                table: "knowledge_documents");

            migrationBuilder.DropColumn(
                name: "embedding_model",
                table: "knowledge_documents");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "knowledge_documents");

            migrationBuilder.DropColumn(
                name: "progress",
                table: "knowledge_documents");

            migrationBuilder.DropColumn(
                name: "question",
                table: "knowledge_documents");

            migrationBuilder.DropColumn(
                name: "updated_at",
                table: "knowledge_documents");

            migrationBuilder.DropColumn(
                name: "embedding_dimensions",
                table: "knowledge_chunks");

            migrationBuilder.DropColumn(
                name: "embedding_model",
                table: "knowledge_chunks");

            migrationBuilder.DropColumn(
                name: "token_count",
                table: "knowledge_chunks");

            migrationBuilder.AlterColumn<Vector>(
                name: "embedding",
                table: "knowledge_chunks",
                type: "vector(384)",
                nullable: true,
                oldClrType: typeof(Vector),
                oldType: "vector",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_knowledge_chunks_embedding",
                table: "knowledge_chunks",
                column: "embedding")
                .Annotation("Npgsql:IndexMethod", "hnsw")
                .Annotation("Npgsql:IndexOperators", new[] { "vector_cosine_ops" });
        }
    }
}
