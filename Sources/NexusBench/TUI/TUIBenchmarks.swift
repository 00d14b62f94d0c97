import NexusCore
import NexusTUI

/// Frame composition and key echo, measured off-screen (no terminal needed) for `nexus bench`.
///
/// - `tui.frame.stream_160x48`: a 5,000-token answer streamed at 500 tokens/s and 60 frames/s, so
///   each frame folds about 8 tokens into the state, composes the 160x48 frame and diffs it against
///   the previous one. Target p99 ≤ 4 ms.
/// - `tui.stream.cpu_percent`: the time all those frames took, as a share of the 10 s the answer
///   streams for (both columns hold the same value). Target ≤ 15 % of one core.
/// - `tui.key_to_echo`: one key's bytes decoded, applied to the input line, the frame composed
///   and diffed — what stands between a key press and its echo. Target p99 ≤ 5 ms.
public enum TUIBenchmarks {
    public static func run() -> [(name: String, p50Ms: Double, p99Ms: Double)] { run(tokens: 5_000, keys: 1_000) }

    static func run(tokens: Int, keys keyCount: Int) -> [(name: String, p50Ms: Double, p99Ms: Double)] {
        let stream = streamFrames(tokens: tokens, tokensPerSecond: 500, fps: 60, width: 160, height: 48)
        let keys = keyToEcho(keys: keyCount, width: 160, height: 48)
        let cpu = stream.reduce(0, +) / (Double(tokens) / 500.0 * 1000.0) * 100
        return [
            ("tui.frame.stream_160x48", percentile(stream, 0.5), percentile(stream, 0.99)),
            ("tui.stream.cpu_percent", cpu, cpu),
            ("tui.key_to_echo", percentile(keys, 0.5), percentile(keys, 0.99)),
        ]
    }

    /// Per-frame milliseconds for a streamed answer.
    static func streamFrames(tokens: Int, tokensPerSecond: Int, fps: Int, width: Int, height: Int) -> [Double] {
        var ui = seeded()
        ui.apply(Event(turnID: 1, kind: .turnStarted(input: "explain")))
        for n in [PipelineNode.input, .classifier, .tierRouter, .modelSelector, .toolPicker] {
            ui.apply(Event(turnID: 1, kind: .nodeEntered(n)))
            ui.apply(Event(turnID: 1, kind: .nodeLeft(n, latencyMs: 1.5, detail: nil)))
        }
        ui.apply(Event(turnID: 1, kind: .nodeEntered(.executor)))
        ui.busy = true
        let perFrame = max(1, tokensPerSecond / fps)
        var previous: CellGrid?
        var times: [Double] = []
        times.reserveCapacity(tokens / perFrame + 1)
        var i = 0
        while i < tokens {
            let start = MonotonicClock.nanoseconds()
            for k in i..<min(tokens, i + perFrame) { ui.apply(Event(turnID: 1, kind: .token(token(k)))) }
            let frame = FrameComposer.compose(&ui, width: width, height: height, nowNs: start)
            _ = FrameDiff.between(previous, frame.grid)
            previous = frame.grid
            times.append(MonotonicClock.millisSince(start))
            i += perFrame
        }
        return times
    }

    /// A token stream with prose, wide characters, newlines and a code block now and then.
    static func token(_ k: Int) -> String {
        switch k % 97 {
        case 10: return "日本語 "
        case 20: return "😀 "
        case 40: return ".\n\n"
        case 60: return "\n```swift\nlet x = \(k)\n```\n"
        default: return ["the ", "model ", "streams ", "tokens ", "quickly, ", "and ", "wraps "][k % 7]
        }
    }

    /// Per-key milliseconds from raw bytes to a diffed frame.
    static func keyToEcho(keys: Int, width: Int, height: Int) -> [Double] {
        var ui = seeded()
        for b in 0..<200 { ui.chat.add(ChatBlock(kind: .notice, text: "earlier line \(b) with some text")) }
        var decoder = KeyDecoder()
        var previous: CellGrid? = FrameComposer.compose(&ui, width: width, height: height).grid
        var times: [Double] = []
        let text = Array("hello 世界, this is typed one key at a time ".utf8)
        for k in 0..<keys {
            let start = MonotonicClock.nanoseconds()
            let bytes: [UInt8] = k % 60 == 59 ? [0x15] : [text[k % text.count]]  // Ctrl-U now and then
            for key in decoder.feed(bytes) { _ = ui.handle(key, completions: { _ in [] }) }
            let frame = FrameComposer.compose(&ui, width: width, height: height, nowNs: start)
            _ = FrameDiff.between(previous, frame.grid)
            previous = frame.grid
            times.append(MonotonicClock.millisSince(start))
        }
        return times
    }

    static func seeded() -> UIState {
        var ui = UIState()
        for m in ["weather", "clashroyale", "github", "calendar"] {
            ui.apply(Event(turnID: 0, kind: .moduleHealth(module: m, health: .healthy, reason: nil)))
        }
        return ui
    }

    static func percentile(_ xs: [Double], _ p: Double) -> Double { Stats(xs).percentile(p) }
}
