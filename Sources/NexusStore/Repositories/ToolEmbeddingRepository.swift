import NexusCore

/// Stored tool embeddings (`tool_embeddings`): what the picker's semantic half reads at start instead of
/// embedding every installed tool again. Vectors are little-endian Float32 blobs; a row whose blob does not
/// match its dimension (a torn or foreign write) reads as missing and is embedded again.
public struct ToolEmbeddingRepository: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// The stored vector of each text for `model`, where there is one (of `dimension`, when given: vectors of
    /// another size were made by another server under the same name and read as missing).
    ///
    /// One query for the model's rows when many texts are asked for (a start with 10,000 tools: one scan instead
    /// of 10,000 look-ups), one look-up per text when few are.
    public func vectors(model: String, texts: [String], dimension: Int? = nil) throws(StoreError) -> [String: [Float]] {
        let wanted = Set(texts)
        var out: [String: [Float]] = [:]
        func take(_ row: Row, text: String, at column: Int) {
            guard let dim = row.int(column), dim > 0, dimension == nil || dim == dimension,
                let blob = row.blob(column + 1), blob.count == dim * 4
            else { return }
            out[text] = Self.decode(blob)
        }
        if wanted.count > 64 {
            for row in try db.query(
                "SELECT text, dimension, vector FROM tool_embeddings WHERE model = ?", [.text(model)])
            {
                guard let text = row.text(0), wanted.contains(text) else { continue }
                take(row, text: text, at: 1)
            }
            return out
        }
        for text in wanted {
            let rows = try db.query(
                "SELECT dimension, vector FROM tool_embeddings WHERE model = ? AND text = ?",
                [.text(model), .text(text)])
            if let row = rows.first { take(row, text: text, at: 0) }
        }
        return out
    }

    /// Stores vectors for `model` in one transaction (all or none).
    public func store(model: String, vectors: [(text: String, vector: [Float])]) throws {
        guard !vectors.isEmpty else { return }
        let now = WallClock.now()
        try db.transaction { tx in
            for (text, v) in vectors {
                try tx.execute(
                    """
                    INSERT OR REPLACE INTO tool_embeddings (model, text, dimension, vector, created_at, seen_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                    [.text(model), .text(text), .int(v.count), .blob(Self.encode(v)), .double(now), .double(now)])
            }
        }
    }

    /// Drops the vectors of every model but `model` (after a model change, once the new ones are in), and, when
    /// `dimension` is given, `model`'s vectors of any other size (the same name now answers another size).
    public func forget(except model: String, dimension: Int? = nil) throws(StoreError) {
        if let dimension {
            try db.execute(
                "DELETE FROM tool_embeddings WHERE model <> ? OR dimension <> ?", [.text(model), .int(dimension)])
        } else {
            try db.execute("DELETE FROM tool_embeddings WHERE model <> ?", [.text(model)])
        }
    }

    /// Marks `texts` as the installed tools' now and deletes `model`'s vectors of texts no installed tool has shown
    /// for `unseenFor` seconds: what an uninstalled module, a rebuilt one's old descriptions or a renamed tool
    /// left behind, which every start would otherwise read again. A module stopped for a day keeps its vectors.
    /// Returns how many rows went. One transaction; the texts travel as one JSON array, not a statement each.
    @discardableResult
    public func retire(model: String, keeping texts: [String], unseenFor: Double, now: Double = WallClock.now())
        throws -> Int
    {
        // SQLite's json_each ends a string at an escaped NUL: such texts (a hostile manifest's) go one by one.
        let withNul = texts.filter { $0.utf8.contains(0) }
        let list = JSONValue.array(texts.filter { !$0.utf8.contains(0) }.map { .string($0) }).serialized
        let cutoff = now - unseenFor
        return try db.transaction { tx in
            // Only rows not touched for a day are rewritten: a busy session re-indexing often writes nothing.
            let stale = "model = ? AND COALESCE(seen_at, created_at) < ?"
            try tx.execute(
                "UPDATE tool_embeddings SET seen_at = ? WHERE \(stale) AND text IN (SELECT value FROM json_each(?))",
                [.double(now), .text(model), .double(now - 86_400), .text(list)])
            for text in withNul {
                try tx.execute(
                    "UPDATE tool_embeddings SET seen_at = ? WHERE \(stale) AND text = ?",
                    [.double(now), .text(model), .double(now - 86_400), .text(text)])
            }
            let gone =
                try tx.query(
                    "SELECT COUNT(*) FROM tool_embeddings WHERE model = ? AND COALESCE(seen_at, created_at) < ?",
                    [.text(model), .double(cutoff)]
                ).first?.int(0) ?? 0
            if gone > 0 {
                try tx.execute(
                    "DELETE FROM tool_embeddings WHERE model = ? AND COALESCE(seen_at, created_at) < ?",
                    [.text(model), .double(cutoff)])
            }
            return gone
        }
    }

    /// How many vectors are stored for `model`.
    public func count(model: String) throws(StoreError) -> Int {
        try db.query("SELECT COUNT(*) FROM tool_embeddings WHERE model = ?", [.text(model)]).first?.int(0) ?? 0
    }

    static func encode(_ v: [Float]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(v.count * 4)
        for x in v {
            let bits = x.bitPattern.littleEndian
            for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
        }
        return out
    }

    static func decode(_ b: [UInt8]) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(b.count / 4)
        var i = 0
        while i + 3 < b.count {
            let bits = UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
            out.append(Float(bitPattern: UInt32(littleEndian: bits)))
            i += 4
        }
        return out
    }
}
