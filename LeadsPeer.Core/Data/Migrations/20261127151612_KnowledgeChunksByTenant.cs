using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsPeer.Core.Data.Migrations
{
    /// <summary>
    /// Partitions knowledge chunks by a hash of the tenant. An HNSW search with a tenant filter
    /// walks the graph until it has enough of that tenant's vectors, so its cost grows with the
    /// share of other tenants' vectors in the graph: with one index over every organisation, a
    /// business with a tenth of the rows paid for the other nine tenths (p95 above 20 ms at 1.1
    /// million chunks). Each partition has its own indexes, a search touches only its tenant's
    /// partition (the tenant is in every query), and there its own vectors are the larger share.
    /// Sixteen partitions: the graph per search is about a sixteenth of the whole, and each
    /// partition's index stays quick to build.
    /// </summary>
    public partial class KnowledgeChunksByTenant : Migration
    {
        private const int Partitions = 16;

        /// <summary>The HNSW index of every dimension in use is made again on the new table.</summary>
        private const string CaptureDimensions = """
            dimensions int[] := ARRAY(
                SELECT substring(indexname FROM '^ix_knowledge_chunks_embedding_(\d+)$')::int
                FROM pg_indexes WHERE tablename = 'knowledge_chunks' AND indexname ~ '^ix_knowledge_chunks_embedding_\d+$');
            d int;
            """;

        private const string RecreateDimensionIndexes = """
            FOREACH d IN ARRAY dimensions LOOP
                EXECUTE format('CREATE INDEX ix_knowledge_chunks_embedding_%1$s ON knowledge_chunks USING hnsw ((embedding::vector(%1$s)) vector_cosine_ops) WHERE embedding_dimensions = %1$s', d);
            END LOOP;
            """;

        private const string Columns = "id, tenant_id, document_id, ordinal, content, location, embedding, embedding_dimensions, embedding_model, token_count";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DO $$
                DECLARE
                    {CaptureDimensions}
                BEGIN
                    CREATE TABLE knowledge_chunks_by_tenant (LIKE knowledge_chunks INCLUDING DEFAULTS INCLUDING GENERATED) PARTITION BY HASH (tenant_id);
                    FOR i IN 0..{Partitions - 1} LOOP
                        EXECUTE format('CREATE TABLE knowledge_chunks_p%s PARTITION OF knowledge_chunks_by_tenant FOR VALUES WITH (MODULUS {Partitions}, REMAINDER %s)', lpad(i::text, 2, '0'), i);
                    END LOOP;
                    INSERT INTO knowledge_chunks_by_tenant ({Columns}) SELECT {Columns} FROM knowledge_chunks;
                    DROP TABLE knowledge_chunks;
                    ALTER TABLE knowledge_chunks_by_tenant RENAME TO knowledge_chunks;

                    ALTER TABLE knowledge_chunks ADD CONSTRAINT pk_knowledge_chunks PRIMARY KEY (tenant_id, id);
                    ALTER TABLE knowledge_chunks ADD CONSTRAINT fk_knowledge_chunks_knowledge_documents_document_id
                        FOREIGN KEY (document_id) REFERENCES knowledge_documents (id) ON DELETE CASCADE;
                    ALTER TABLE knowledge_chunks ADD CONSTRAINT fk_knowledge_chunks_organizations_tenant_id
                        FOREIGN KEY (tenant_id) REFERENCES organizations (id) ON DELETE CASCADE;
                    CREATE UNIQUE INDEX ix_knowledge_chunks_tenant_id_document_id_ordinal ON knowledge_chunks (tenant_id, document_id, ordinal);
                    -- Deleting a document cascades by document id alone.
                    CREATE INDEX ix_knowledge_chunks_document_id ON knowledge_chunks (document_id);
                    CREATE INDEX ix_knowledge_chunks_tenant_id ON knowledge_chunks (tenant_id);
                    CREATE INDEX ix_knowledge_chunks_search_vector ON knowledge_chunks USING gin (search_vector);
                    {RecreateDimensionIndexes}
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DO $$
                DECLARE
                    {CaptureDimensions}
                BEGIN
                    CREATE TABLE knowledge_chunks_single (LIKE knowledge_chunks INCLUDING DEFAULTS INCLUDING GENERATED);
                    INSERT INTO knowledge_chunks_single ({Columns}) SELECT {Columns} FROM knowledge_chunks;
                    DROP TABLE knowledge_chunks;
                    ALTER TABLE knowledge_chunks_single RENAME TO knowledge_chunks;

                    ALTER TABLE knowledge_chunks ADD CONSTRAINT pk_knowledge_chunks PRIMARY KEY (id);
                    ALTER TABLE knowledge_chunks ADD CONSTRAINT fk_knowledge_chunks_knowledge_documents_document_id
                        FOREIGN KEY (document_id) REFERENCES knowledge_documents (id) ON DELETE CASCADE;
                    ALTER TABLE knowledge_chunks ADD CONSTRAINT fk_knowledge_chunks_organizations_tenant_id
                        FOREIGN KEY (tenant_id) REFERENCES organizations (id) ON DELETE CASCADE;
                    CREATE UNIQUE INDEX ix_knowledge_chunks_document_id_ordinal ON knowledge_chunks (document_id, ordinal);
                    CREATE INDEX ix_knowledge_chunks_tenant_id ON knowledge_chunks (tenant_id);
                    CREATE INDEX ix_knowledge_chunks_search_vector ON knowledge_chunks USING gin (search_vector);
                    {RecreateDimensionIndexes}
                END $$;
                """);
        }
    }
}
