// Session 9 (BENCHMARKS.md): the per-turn work main 3617d13's picker did besides ToolIndex.rank — ToolBudget.offered,
// ToolRanking.lexical's signature and withBuiltins, copied as they were — over the bench's 9,197 tools + 2 built-ins.
// Standalone (Foundation only to read the JSONL): swiftc -O bench/picker/old-turn-path.swift -o /tmp/oldpath && /tmp/oldpath .
import Foundation

final class Schema { let text: String; init(_ t: String) { text = t } }
struct ToolDefinition { var name: String; var description: String; var inputSchema: Schema }

func native(_ s: String) -> String { String(decoding: Array(s.utf8), as: UTF8.self) }
func load(_ path: String, limit: Int) -> [ToolDefinition] {
    let text = try! String(contentsOfFile: path, encoding: .utf8)
    var out: [ToolDefinition] = []
    for line in text.split(separator: "\n") where out.count < limit {
        let o = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        out.append(ToolDefinition(name: native(o["name"] as! String), description: native(o["description"] as? String ?? ""),
                                  inputSchema: Schema("\(o["params"] ?? o["parameters"] ?? "")")))
    }
    return out
}
let root = CommandLine.arguments[1]
let real = load(root + "/testdata/picker/tools.jsonl", limit: .max)
let synthetic = load(root + "/bench/toolpicker/catalog.jsonl", limit: 9_197 - real.count)
let module = real + synthetic
let builtins = [ToolDefinition(name: "time_now", description: "Current date and time.", inputSchema: Schema("")),
                ToolDefinition(name: "calc", description: "Evaluate an arithmetic expression.", inputSchema: Schema(""))]

// ToolBudget.cut's first line: no description of this catalogue is over 2,000 bytes, so the rest never ran.
func cut(_ text: String, to limit: Int) -> String {
    guard text.utf8.count > limit else { return text }
    fatalError("a description over \(limit) bytes: copy the rest of ToolBudget.cut from main 3617d13")
}
@inline(never) func offered(_ sources: [[ToolDefinition]]) -> [ToolDefinition] {
    var all: [ToolDefinition] = []
    for s in sources { all += s }
    for i in all.indices { all[i].description = cut(all[i].description, to: 2_000) }
    return all
}
@inline(never) func signature(_ tools: [ToolDefinition]) -> Int {
    var hasher = Hasher()
    hasher.combine(tools.count)
    for t in tools { hasher.combine(t.name); hasher.combine(t.description) }
    return hasher.finalize()
}
extension String.UTF8View {
    // The stdlib's `contains("__")` as the product (no Foundation) runs it: a scan for two underscores.
    func contains2() -> Bool {
        var last: UInt8 = 0
        for b in self { if b == 0x5F && last == 0x5F { return true }; last = b }
        return false
    }
}
@inline(never) func withBuiltins(_ picked: [ToolDefinition], from tools: [ToolDefinition], k: Int) -> [ToolDefinition] {
    var out = picked
    for t in tools where !t.name.utf8.contains2() && !out.contains(where: { $0.name == t.name }) {
        if out.count < k + 2 { out.append(t) }
    }
    return out
}
var samples: [[Double]] = [[], [], [], []]
var sink = 0
func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
for round in 0..<600 {
    let t0 = now()
    let all = offered([builtins, module])
    let t1 = now()
    sink &+= signature(all)
    let t2 = now()
    let picked = Array(all[round % 100..<(round % 100 + 12)])
    sink &+= withBuiltins(picked, from: all, k: 12).count
    let t3 = now()
    samples[0].append(Double(t3 - t0) / 1e6)
    samples[1].append(Double(t1 - t0) / 1e6)
    samples[2].append(Double(t2 - t1) / 1e6)
    samples[3].append(Double(t3 - t2) / 1e6)
}
for i in samples.indices { samples[i].sort() }
let names = ["total", "offered (concat + cut)", "signature (hash)", "withBuiltins"]
for (i, n) in names.enumerated() {
    print("\(n): p50 \(samples[i][300]) ms p99 \(samples[i][594]) ms")
}
print("tools \(module.count + 2) (sink \(sink & 1))")
