import NexusCore
import NexusOrchestrator

/// What a key asks the app to do beyond changing the screen.
public enum UIEffect: Sendable, Equatable {
    case submit(String)
    case cancelTurn
    case quit
    case answerApproval(id: String, ApprovalDecision)
    case answerSecret(String?)
}

extension UIState {
    /// Applies one key: edits, scrolling, focus, overlays, and answers to a pending question.
    /// `completions` is the session's slash-command registry (Tab).
    public mutating func handle(_ key: Key, completions: (String) -> [Completion]) -> [UIEffect] {
        flash = nil
        if showHelp {
            // Any key closes the keys overlay; a typed character or a paste also goes on to the input, so
            // text typed straight after `?` is not lost.
            showHelp = false
            switch key {
            case .char("?"): return []  // `?` toggles the overlay
            case .char, .paste: break
            default: return []
            }
        }
        if case .ctrl("c") = key { return interrupt() }
        if let r = pendingApproval { return answerApproval(r, key) }
        if pendingSecret != nil { return answerSecret(key) }

        switch key {
        case .ctrl("d"):
            if input.isEmpty { return [.quit] }
            input.deleteForward()
        case .enter:
            let line = input.take().trimmingSpaces
            guard !line.isEmpty else { return [] }
            if line == "/quit" || line == "/exit" { return busy ? [.cancelTurn, .quit] : [.quit] }
            if busy {
                queued.append(line)
                flash = queued.count == 1 ? "queued: runs when this turn ends" : "\(queued.count) queued"
                return []
            }
            echo(line)
            return [.submit(line)]
        case .tab:
            if input.isEmpty { focus = focus.next } else { input.complete(using: completions) }
        case .backTab, .function(6):
            focus = focus.next
        case .function(1):
            showHelp = true
        case .char("?") where input.isEmpty:
            showHelp = true
        case .char(let c): input.insert(c)
        case .paste(let s): input.insert(s)
        case .backspace: input.backspace()
        case .delete: input.deleteForward()
        case .left, .ctrl("b"): input.left()
        case .right, .ctrl("f"): input.right()
        case .home, .ctrl("a"): input.home()
        case .end, .ctrl("e"): input.end()
        case .ctrlLeft, .alt("b"): input.wordLeft()
        case .ctrlRight, .alt("f"): input.wordRight()
        case .ctrl("w"): input.deleteWordBack()
        case .ctrl("k"): input.killToEnd()
        case .ctrl("u"): input.killToStart()
        case .ctrl("l"): chat.scrollToBottom()
        case .up, .ctrl("p"): input.historyUp()
        case .down, .ctrl("n"): input.historyDown()
        case .pageUp: scroll(up: true, page: true)
        case .pageDown: scroll(up: false, page: true)
        case .wheelUp: scroll(up: true, page: false)
        case .wheelDown: scroll(up: false, page: false)
        case .click(let x, let y):
            let layout = Layout.compute(width: screenSize.width, height: screenSize.height, focus: focus)
            if !layout.isCompact,
                let hit = layout.panes.first(where: { r in
                    x >= r.value.x && x < r.value.maxX && y >= r.value.y && y < r.value.maxY
                })
            {
                focus = hit.key
            }
        case .escape:
            input.dismissCandidates()
            if focus != .chat { focus = .chat }
        default:
            break
        }
        return []
    }

    mutating func scroll(up: Bool, page: Bool) {
        if page {
            if up { chat.pageUp() } else { chat.pageDown() }
        } else {
            chat.scroll(by: up ? 3 : -3)
        }
    }

    /// Ctrl-C: cancels the running turn (denying a pending approval, abandoning a secret prompt),
    /// else clears the input line.
    /// Shows a line the person sent, as it is submitted.
    mutating func echo(_ line: String) {
        chat.add(ChatBlock(kind: line.hasPrefix("/") ? .command : .user, turnID: 0, text: "› " + line))
        chat.scrollToBottom()
    }

    /// The running turn ended: clears what described it, and returns the next queued line (echoed) to
    /// submit, if any. Lines sent while a turn runs wait their turn rather than being glued to the input.
    public mutating func turnEnded(cleared: Bool) -> String? {
        if cleared { chat.clear() }
        flash = nil
        guard !queued.isEmpty else {
            busy = false
            return nil
        }
        // Still busy: the next line is submitted at once, and nothing typed meanwhile may overtake it.
        let line = queued.removeFirst()
        if !queued.isEmpty { flash = "\(queued.count) queued" }
        echo(line)
        return line
    }

    mutating func interrupt() -> [UIEffect] {
        var effects: [UIEffect] = []
        if let r = pendingApproval {
            pendingApproval = nil
            proof = nil
            effects.append(.answerApproval(id: r.id, .no))
        }
        if pendingSecret != nil {
            pendingSecret = nil
            secret = []
            effects.append(.answerSecret(nil))
        }
        if busy {
            effects.append(.cancelTurn)
            queued.removeAll()
            flash = "cancelling…"
        } else if effects.isEmpty {
            if input.isEmpty { flash = "Ctrl-D or /quit exits" }
            input.clear()
        }
        return effects
    }

    mutating func answerApproval(_ r: ApprovalRequest, _ key: Key) -> [UIEffect] {
        if var p = proof, p.approvalID == r.id {
            let rows = BuildProofOverlay.rows(height: max(8, screenSize.height - 4))
            if p.handle(key, pageRows: rows) {
                proof = p
                return []
            }
        }
        let decision: ApprovalDecision
        switch key {
        case .char("y"), .char("Y"): decision = .yes
        case .char("n"), .char("N"): decision = .no
        case .char("a"), .char("A"): decision = .always
        case .char("t") where r.tool != nil, .char("T") where r.tool != nil: decision = .alwaysTool
        case .char("v"), .char("V"):
            showApprovalWhole(r)
            return []
        case .pageUp, .pageDown, .wheelUp, .wheelDown:
            scroll(up: key == .pageUp || key == .wheelUp, page: key == .pageUp || key == .pageDown)
            return []
        default:
            flash =
                "answer y (yes), n (no), a (always for \(r.alwaysScope))"
                + (r.alwaysToolScope.map { ", t (always for \($0))" } ?? "") + " or v (view whole)"
            return []
        }
        pendingApproval = nil
        proof = nil
        if !chat.hasApprovalAnswer(id: r.id) { chat.annotateApproval(id: r.id, "→ " + Self.describe(decision, r)) }
        return [.answerApproval(id: r.id, decision)]
    }

    mutating func answerSecret(_ key: Key) -> [UIEffect] {
        switch key {
        case .enter:
            let value = String(secret)
            secret = []
            pendingSecret = nil
            return [.answerSecret(value.isEmpty ? nil : value)]
        case .escape:
            secret = []
            pendingSecret = nil
            return [.answerSecret(nil)]
        case .backspace:
            if !secret.isEmpty { secret.removeLast() }
        case .ctrl("u"):
            secret = []
        case .char(let c):
            secret.append(c)
        case .paste(let s):
            secret.append(contentsOf: WordWrapper.sanitize(s).filter { $0 != "\n" })
        default:
            break
        }
        return []
    }

    /// How many characters of the hidden secret were typed (the composer shows nothing else).
    public var secretLength: Int { secret.count }
}

extension ChatModel {
    /// True when the approval block already records an answer.
    func hasApprovalAnswer(id: String) -> Bool {
        guard let b = blocks.last(where: { $0.approvalID == id }) else { return false }
        return b.lines.contains { $0.chars.first == "→" }
    }
}
