/// The tool picker's table (migrations 50–59, retrieval): tool embeddings, computed once at install time and
/// kept across runs, keyed by the embedding model and the exact text embedded. A changed description or
/// another model misses the key and is embedded again (in the background); rows of a model no longer
/// configured are dropped by `ToolEmbeddingRepository.forget(except:)`.
extension Schema {
    static let embeddings: [Migration] = [v50]

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
}
