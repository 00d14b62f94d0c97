/// The tool picker's table (migrations 50–59, retrieval): tool embeddings, computed once at install time and
/// kept across runs, keyed by the embedding model and the exact text embedded. A changed description or
/// another model misses the key and is embedded again (in the background); rows of a model no longer
/// configured are dropped by `ToolEmbeddingRepository.forget(except:)`; rows of texts no installed tool has
/// shown for 30 days (an uninstalled module, an old description) by `ToolEmbeddingRepository.retire`.
extension Schema {
    static let embeddings: [Migration] = [v50, v51]

    static let v50 = Migration(
        version: 50,
        sql: """
            CREATE TABLE tool_embeddings (
                model TEXT NOT NULL,
                text TEXT NOT NULL,
                dimension INTEGER NOT NULL,
                vector BLOB NOT NULL,
                created_at REAL NOT NULL,
                PRIMARY KEY (model, text)
            );
            """)

    /// When a text was last among the installed tools' (`seen_at`), so vectors nobody needs any more can go
    /// without throwing away a module's that is only briefly missing (stopped, being rebuilt).
    static let v51 = Migration(
        version: 51,
        sql: """
            ALTER TABLE tool_embeddings ADD COLUMN seen_at REAL;
            UPDATE tool_embeddings SET seen_at = created_at;
            """)
}
