import NexusCore
import NexusModules
import NexusPOSIX

/// Writes each turn's first-stage top 20 to JSON lines when NEXUS_PICKER_DUMP names a path prefix, so a second
/// stage (a cross-encoder, a different fusion) can be measured offline in Python on exactly the candidates nexus
/// ranked, without a Swift rebuild per idea. One file per set, catalogue and mode:
/// `<prefix>-<set>-<catalogue>-<mode>.jsonl`, one line a turn: {"query", "expected", "candidates": [{"name",
/// "description", "text"}]} where `text` is what the semantic half embeds (`ToolText.embedding`).
///
/// The holdout is dumped too (its recall is the figure to report) but nothing here prints it: reading its
/// misses stays off-limits (testdata/picker/README.md).
enum PickerDump {
    static let depth = 20

    static func write(
        _ environment: [String: String], set: String, catalogue: String, mode: String, tools: [ToolDefinition],
        turns: [ToolCatalogFile.LabelledQuery], progress: BenchProgress, rank: (String, Int) -> [Int]
    ) {
        guard let prefix = environment["NEXUS_PICKER_DUMP"], !prefix.isEmpty else { return }
        var text = ""
        for turn in turns {
            let candidates: [JSONValue] = rank(turn.query, depth).map { i in
                let tool = tools[i]
                return [
                    "name": .string(tool.name), "description": .string(tool.description),
                    "text": .string(ToolText.embedding(of: tool)),
                ]
            }
            let line: JSONValue = [
                "query": .string(turn.query), "expected": .string(turn.expected), "candidates": .array(candidates),
            ]
            text += line.serialized + "\n"
        }
        let path = "\(prefix)-\(set)-\(catalogue)-\(mode).jsonl"
        do { try FileSystem.writeAtomically(path, text: text) } catch {
            progress("picker dump: could not write \(path): \(error)\n")
        }
    }
}
