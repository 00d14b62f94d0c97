import Testing

@testable import NexusTUI

@Test func wideTerminalsShowAllFourPanesSideBySide() {
    let l = Layout.compute(width: 160, height: 48, focus: .chat)
    #expect(!l.isCompact)
    #expect(Set(l.panes.keys) == Set(Pane.allCases))
    let chat = l.panes[.chat]!
    let pipe = l.panes[.pipeline]!
    let mods = l.panes[.modules]!
    let costs = l.panes[.costs]!
    #expect(chat.x == 0 && chat.maxX == pipe.x)
    #expect(pipe.maxX == 160 && mods.maxX == 160 && costs.maxX == 160)
    #expect(pipe.height == 15)  // the whole graph with connectors
    #expect(pipe.maxY == mods.y && mods.maxY == costs.y && costs.maxY == 46)
    #expect(l.input == Rect(x: 0, y: 46, width: 160, height: 1))
    #expect(l.status == Rect(x: 0, y: 47, width: 160, height: 1))
}

@Test func below100ColumnsOnePaneFillsTheMainAreaUnderAPipelineStrip() {
    let l = Layout.compute(width: 80, height: 24, focus: .chat)
    #expect(l.isCompact)
    #expect(l.strip == Rect(x: 0, y: 0, width: 80, height: 1))
    #expect(l.panes == [.chat: Rect(x: 0, y: 1, width: 80, height: 21)])
    let m = Layout.compute(width: 80, height: 24, focus: .modules)
    #expect(m.panes == [.modules: Rect(x: 0, y: 1, width: 80, height: 21)])
}

@Test func panesNeverOverlapOrLeaveTheScreenAtAnySize() {
    for w in stride(from: 1, through: 220, by: 7) {
        for h in stride(from: 1, through: 70, by: 5) {
            let l = Layout.compute(width: w, height: h, focus: .chat)
            let rects = Array(l.panes.values) + [l.input, l.status] + (l.strip.map { [$0] } ?? [])
            for r in rects where !r.isEmpty {
                #expect(r.x >= 0 && r.y >= 0 && r.maxX <= w && r.maxY <= h, "\(w)x\(h) \(r)")
            }
            for (i, a) in rects.enumerated() where !a.isEmpty {
                for b in rects[(i + 1)...] where !b.isEmpty {
                    let overlap = a.x < b.maxX && b.x < a.maxX && a.y < b.maxY && b.y < a.maxY
                    #expect(!overlap, "\(w)x\(h): \(a) overlaps \(b)")
                }
            }
        }
    }
}

@Test func focusCyclesThroughEveryPane() {
    var p = Pane.chat
    var seen: [Pane] = []
    for _ in 0..<4 {
        seen.append(p)
        p = p.next
    }
    #expect(seen == Pane.allCases)
    #expect(p == .chat)
}
